"""How many replications: the sequential replications algorithm (Hoad, Robinson & Davies 2010).

Replications are added one at a time; after each, from ``initial`` on, the relative
half-width of the Student-t interval (half-width / |mean|) of every headline metric is
compared with a target. Precision reached once can be luck (a few replications that
happen to agree), so the algorithm looks ahead: having reached it at n, it carries on to
n + look_ahead(n) and stops only if precision held at every one of those checks;
otherwise it starts again from the next replication that reaches it. As in sim-tools'
``ReplicationsAlgorithm``, look_ahead(n) is ``look_ahead`` up to n = 100 and
``floor(look_ahead * n / 100)`` beyond.

Here one stopping rule covers all metrics together: a check passes only if every metric
that can be judged is within the target, so whenever the algorithm stops on precision,
every interval reported at that number of replications meets it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from .intervals import confidence_interval


def look_ahead_count(n: int, look_ahead: int) -> int:
    """Replications to run past n to confirm precision reached at n (Hoad et al. kLimit).

    A fixed ``look_ahead`` up to 100 replications, then the same share of n, so that the
    confirmation stays meaningful when n is large.
    """
    return look_ahead if n <= 100 else (look_ahead * n) // 100


def relative_half_width(values: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """(mean, half-width / |mean|) of the t-interval of ``values``, ignoring NaNs.

    The share is NaN when it cannot be formed: no values (mean NaN), a mean of exactly 0,
    or a single value (no interval).
    """
    mean, _, high, _ = confidence_interval(values, level)
    if math.isnan(mean) or mean == 0.0 or math.isnan(high):
        return mean, math.nan
    return mean, (high - mean) / abs(mean)


class ReplicationsAlgorithm:
    """Stateful sequential-replications rule an executor drives one replication at a time.

    Call ``add`` with each replication's headline metrics, in replication order, and stop
    when ``done``. ``done`` is True once precision (every judged metric's relative
    half-width at or below ``target_half_width``) reached at some n has held at every
    check up to n + look_ahead(n) (``converged``), or once ``max_replications`` have been
    added. It is not sticky: replications added after ``done`` (say, from workers still
    running) are judged too, and can make precision lapse again.

    Metrics whose mean is 0 or NaN (no values yet) have no relative half-width: they are
    skipped at that check, and ``status`` says so. A metric with a single value so far
    has no interval and counts as not yet precise. A metric missing from a replication's
    dict counts as NaN for that replication. If no metric can be judged at a check, the
    check passes: more replications cannot sharpen what has no relative precision.
    """

    def __init__(self, target_half_width: float = 0.05, initial: int = 5,
                 max_replications: int = 50, look_ahead: int = 5, level: float = 0.95):
        if not target_half_width > 0:
            raise ValueError(f"target_half_width must be positive, got {target_half_width}")
        if initial < 2:
            raise ValueError(f"initial must be at least 2 (an interval needs 2), got {initial}")
        if max_replications < initial:
            raise ValueError(f"max_replications ({max_replications}) must be at least "
                             f"initial ({initial})")
        if look_ahead < 0:
            raise ValueError(f"look_ahead must be non-negative, got {look_ahead}")
        if not 0.0 < level < 1.0:
            raise ValueError(f"confidence level must be between 0 and 1, got {level}")
        self.target_half_width = float(target_half_width)
        self.initial = int(initial)
        self.max_replications = int(max_replications)
        self.look_ahead = int(look_ahead)
        self.level = float(level)
        self._values: dict[str, list[float]] = {}
        self._n = 0
        self._means: dict[str, float] = {}
        self._shares: dict[str, float] = {}
        self._since: int | None = None  # first n of the current run of passed checks

    def add(self, metric_values: Mapping[str, float]) -> None:
        """Record one replication's metrics (the next in replication order) and re-check."""
        for name in metric_values:
            if name not in self._values:
                self._values[name] = [math.nan] * self._n
        for name, column in self._values.items():
            v = metric_values.get(name, math.nan)
            column.append(math.nan if v is None else float(v))
        self._n += 1
        for name, column in self._values.items():
            self._means[name], self._shares[name] = relative_half_width(
                np.asarray(column), self.level)
        if self._n < self.initial:
            return
        passed = all(share <= self.target_half_width for name, share in self._shares.items()
                     if not self._skipped(name))
        if not passed:
            self._since = None
        elif self._since is None:
            self._since = self._n

    def _skipped(self, name: str) -> bool:
        mean = self._means[name]
        return math.isnan(mean) or mean == 0.0

    @property
    def replications(self) -> int:
        """Replications added so far."""
        return self._n

    @property
    def converged(self) -> bool:
        """Precision reached at ``solution`` and held through its look-ahead."""
        return (self._since is not None
                and self._n >= self._since + look_ahead_count(self._since, self.look_ahead))

    @property
    def done(self) -> bool:
        """Stop: precision reached and confirmed, or the replication budget spent."""
        return self.converged or self._n >= self.max_replications

    @property
    def solution(self) -> int | None:
        """Hoad et al.'s answer, the n at which confirmed precision was first reached.

        None until ``converged``. The executor will have run ``replications`` >= this;
        all of them can be used.
        """
        return self._since if self.converged else None

    @property
    def half_widths(self) -> dict[str, float]:
        """Relative half-width (half-width / |mean|) per metric; NaN where not judged."""
        return {name: (math.nan if self._skipped(name) else share)
                for name, share in self._shares.items()}

    @property
    def status(self) -> str:
        """A summary line, then one line per metric: mean, half-width share, target."""
        n, target = self._n, self.target_half_width
        if self.converged:
            head = (f"{n} replications: precision ({target:.1%}) reached at {self._since} "
                    f"and held to {n}")
        elif n >= self.max_replications:
            head = (f"{n} replications: stopped at the maximum of {self.max_replications} "
                    f"without confirming precision ({target:.1%})")
        elif n < self.initial:
            head = f"{n} replications: fewer than the initial {self.initial}, not yet checked"
        elif self._since is not None:
            k = look_ahead_count(self._since, self.look_ahead)
            head = (f"{n} replications: precision ({target:.1%}) reached at {self._since}, "
                    f"held for {n - self._since} of {k} look-ahead replications")
        else:
            head = f"{n} replications: precision ({target:.1%}) not reached"
        lines = [head]
        for name in self._values:
            mean, share = self._means[name], self._shares[name]
            if math.isnan(mean):
                lines.append(f"  {name}: skipped, no values (no relative half-width)")
            elif mean == 0.0:
                lines.append(f"  {name}: skipped, mean is 0 (no relative half-width)")
            elif math.isnan(share):
                count = int(np.isfinite(self._values[name]).sum())
                lines.append(f"  {name}: mean {mean:.4g}, half-width not available "
                             f"({count} finite value{'s' * (count != 1)}), "
                             f"target {target:.1%}")
            else:
                verdict = "within" if share <= target else "above"
                lines.append(f"  {name}: mean {mean:.4g}, half-width {share:.1%} of mean, "
                             f"{verdict} target {target:.1%}")
        return "\n".join(lines)


def replications_needed(values: np.ndarray, target_half_width: float = 0.05,
                        level: float = 0.95, look_ahead: int = 5,
                        initial: int = 5) -> int | None:
    """Hoad et al.'s number of replications for one metric's values, in replication order.

    Replays the sequential algorithm over replications already run (e.g. a metric's column
    of ``replications.parquet``): the n at which precision was reached and then held
    through the look-ahead, or None if the values run out first. Checks where the mean
    is exactly 0 (say, a count that is always 0) pass, as in ``ReplicationsAlgorithm``.
    """
    x = np.asarray(values, dtype=float).ravel()
    if len(x) < initial:
        return None
    alg = ReplicationsAlgorithm(target_half_width, initial=initial, max_replications=len(x),
                                look_ahead=look_ahead, level=level)
    for v in x:
        alg.add({"value": v})
        if alg.converged:
            return alg.solution
    return None
