"""The malformed-file corpora (configs, runner files): each file says in its header
comments what its error must contain, and where it must point.

`# expect: <text>` (one or more; the error must contain each), `# line: N` (the line
the first issue points at) and, where the first issue lies in another file, `# file:
<path from the case's folder>`.
"""

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from pathways.config import ConfigError

#: Words that mean a person was shown the machinery instead of their mistake.
JARGON = ("Traceback", "pydantic", "errors.pydantic.dev", "Input should", "[type=")


def directives(path: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        if not line.startswith("# "):
            break
        key, _, value = line[2:].partition(": ")
        found.setdefault(key, []).append(value)
    return found


def assert_rejected_clearly(path: Path, load: Callable[[Path], object]) -> None:
    """``load(path)`` raises a ConfigError that says what the header expects, names the
    file (and line) of its first issue, and shows no jargon."""
    expected = directives(path)
    with pytest.raises(ConfigError) as caught:
        load(path)
    text = str(caught.value)
    assert expected["expect"], "each case says what the error must contain"
    for words in expected["expect"]:
        assert words in text
    first = caught.value.issues[0]
    expected_file = os.path.normpath(path.parent / expected.get("file", [path.name])[0])
    assert first.file == expected_file
    assert expected_file in text
    if "line" in expected:
        assert first.line == int(expected["line"][0])
    for word in JARGON:
        assert word not in text
