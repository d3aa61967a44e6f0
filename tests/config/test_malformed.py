"""Every file in malformed/ is rejected with a message a person can act on.

Each file starts with comment lines: `# expect: <text>` (one or more; the error must
contain each), `# line: N` (the line the first issue points at) and, where the first
issue lies in another file (an extended base, a CSV), `# file: <path from here>`.
"""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.config import ConfigError, load_config, load_config_text
from tests.malformed_corpus import JARGON, assert_rejected_clearly

MALFORMED = Path(__file__).parent / "malformed"
CASES = sorted(MALFORMED.glob("*.yaml"))


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 30


@pytest.mark.parametrize("path", CASES, ids=lambda path: path.stem)
def test_malformed_configuration_is_rejected_clearly(path):
    assert_rejected_clearly(path, load_config)


# --- any damage to a valid file gives a ConfigError, never a crash --------------------

SHIPPED = sorted(Path(__file__).parents[2].glob("configs/examples/*.yaml"))
DAMAGE = [*" :-[]{},#\n\t'\"0123456789.", "exit", "next", "dist", "null", "- ", "  ", "~"]


@st.composite
def damaged_texts(draw) -> str:
    text = draw(st.sampled_from(SHIPPED)).read_text()
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text) - 1))
        cut = draw(st.integers(0, 3))
        text = text[:at] + draw(st.sampled_from(["", *DAMAGE])) + text[at + cut :]
    return text


@settings(max_examples=300, deadline=None)
@given(damaged_texts())
def test_damaged_files_load_or_fail_with_a_plain_message(text):
    try:
        load_config_text(text, "damaged.yaml")
    except ConfigError as error:
        assert error.issues
        assert all(issue.file == "damaged.yaml" for issue in error.issues)
        for word in JARGON:
            assert word not in str(error)
