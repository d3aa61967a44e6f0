"""Every file in malformed/ is rejected with a message a person can act on.

Each file starts with comment lines: `# expect: <text>` (one or more; the error must
contain each), `# line: N` (the line the first issue points at) and, where the first
issue lies in another file (an extended base, a CSV), `# file: <path from here>`.
"""

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.config import ConfigError, load_config, load_config_text

MALFORMED = Path(__file__).parent / "malformed"
CASES = sorted(MALFORMED.glob("*.yaml"))
JARGON = ("Traceback", "pydantic", "errors.pydantic.dev", "Input should", "[type=")


def _directives(path: Path) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        if not line.startswith("# "):
            break
        key, _, value = line[2:].partition(": ")
        directives.setdefault(key, []).append(value)
    return directives


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 30


@pytest.mark.parametrize("path", CASES, ids=lambda path: path.stem)
def test_malformed_configuration_is_rejected_clearly(path):
    directives = _directives(path)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    text = str(caught.value)
    assert directives["expect"], "each case says what the error must contain"
    for expected in directives["expect"]:
        assert expected in text
    first = caught.value.issues[0]
    expected_file = os.path.normpath(path.parent / directives.get("file", [path.name])[0])
    assert first.file == expected_file
    assert expected_file in text
    if "line" in directives:
        assert first.line == int(directives["line"][0])
    for word in JARGON:
        assert word not in text


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
