"""How problems are worded and ordered."""

from pathways.config.errors import ConfigError, ConfigIssue, closest, format_path


def test_issue_format_names_file_line_field_allowed_and_suggestion():
    issue = ConfigIssue(
        "configs/x.yaml",
        12,
        "pathways.clinic.stages.consult.next",
        "unknown stage 'consul'",
        allowed="stage names of pathway 'clinic' or 'exit'",
        suggestion="consult",
    )
    assert issue.format() == (
        "configs/x.yaml:12: pathways.clinic.stages.consult.next: unknown stage 'consul'; "
        "allowed: stage names of pathway 'clinic' or 'exit'; did you mean 'consult'?"
    )


def test_issue_format_leaves_out_what_is_unknown():
    assert ConfigIssue("x.yaml", None, "name", "missing required field").format() == (
        "x.yaml: name: missing required field"
    )
    assert (
        ConfigIssue("x.yaml", 3, "", "invalid YAML: oops").format()
        == "x.yaml:3: invalid YAML: oops"
    )


def test_error_lists_every_issue_sorted_by_file_and_line():
    issues = [
        ConfigIssue("b.yaml", 1, "x", "third"),
        ConfigIssue("a.yaml", 9, "y", "second"),
        ConfigIssue("a.yaml", 2, "z", "first"),
    ]
    error = ConfigError(issues)
    assert [issue.message for issue in error.issues] == ["first", "second", "third"]
    assert str(error).splitlines() == [
        "a.yaml:2: z: first",
        "a.yaml:9: y: second",
        "b.yaml:1: x: third",
    ]


def test_field_paths_use_dots_for_keys_and_brackets_for_list_items():
    assert format_path(("arrivals", 0, "rate_per_day")) == "arrivals[0].rate_per_day"
    assert format_path(("pathways", "clinic", "stages")) == "pathways.clinic.stages"
    assert format_path(()) == ""


def test_closest_suggests_only_close_names():
    assert closest("exponental", ["exponential", "fixed"]) == "exponential"
    assert closest("zzz", ["exponential", "fixed"]) is None
