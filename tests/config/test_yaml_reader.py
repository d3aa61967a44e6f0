"""Reading YAML text into a located tree."""

import pytest

from pathways.config.errors import ConfigError
from pathways.config.yaml_reader import parse_yaml


def test_values_follow_the_yaml_1_2_core_schema():
    text = "a: 17:00\nb: 09:00\nc: no\nd: 1e3\ne: 2.5\nf: 7\ng: ~\nh: true\ni: 2024-01-01\n"
    assert parse_yaml(text, "f.yaml").plain() == {
        "a": "17:00",
        "b": "09:00",
        "c": "no",
        "d": 1000.0,
        "e": 2.5,
        "f": 7,
        "g": None,
        "h": True,
        "i": "2024-01-01",
    }


def test_every_key_and_list_item_has_its_line():
    tree = parse_yaml("a:\n  b: 1\nc:\n  - x\n  - y\n", "f.yaml")
    assert tree.value["a"].line == 1
    assert tree.value["a"].value["b"].line == 2
    assert [item.line for item in tree.value["c"].value] == [4, 5]
    assert tree.value["c"].value[1].file == "f.yaml"


def test_all_duplicate_keys_are_reported():
    with pytest.raises(ConfigError) as caught:
        parse_yaml("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n", "f.yaml")
    assert str(caught.value).splitlines() == [
        "f.yaml:4: b.c: duplicate key 'c' (first set on line 3)",
        "f.yaml:5: a: duplicate key 'a' (first set on line 1)",
    ]


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("a: 1\n b: 2\n", 2, "mapping values are not allowed here"),
        ("a: [1, 2\nb: 3\n", 2, "flow sequence started on line 1"),
        ("a: \x07\n", 1, "character #x0007 is not allowed"),
        ("a: 1\n---\nb: 2\n", 2, "but found another document"),
        ("a: !!int abc\n", 1, "cannot read 'abc'"),
    ],
)
def test_broken_yaml_is_a_located_error(text, line, words):
    with pytest.raises(ConfigError) as caught:
        parse_yaml(text, "f.yaml")
    (issue,) = caught.value.issues
    assert (issue.file, issue.line) == ("f.yaml", line)
    assert words in issue.message


def test_an_empty_document_is_none():
    assert parse_yaml("# only a comment\n", "f.yaml").plain() is None
