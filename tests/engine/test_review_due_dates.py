"""The chronic cohort's review due dates come off in the order one heap of them all
would give (earliest, then by person), however pushes and pops interleave."""

import heapq
import math

from hypothesis import given
from hypothesis import strategies as st

from pathways.engine.chronic import _DueDates

dates = st.floats(min_value=0.0, max_value=40.0, allow_nan=False)
steps = st.lists(st.one_of(st.tuples(dates, st.integers(0, 5)), st.none()), max_size=200)


@given(steps)
def test_due_dates_come_off_as_from_one_heap(script) -> None:
    due_dates, one_heap = _DueDates(), []
    for step in script:
        if step is None:  # a pop, where there is one
            assert due_dates.first() == (one_heap[0][0] if one_heap else math.inf)
            if one_heap:
                assert due_dates.pop() == heapq.heappop(one_heap)
        else:
            due_dates.push(*step)
            heapq.heappush(one_heap, step)
    while one_heap:
        assert due_dates.pop() == heapq.heappop(one_heap)
    assert due_dates.first() == math.inf and not due_dates.by_day
