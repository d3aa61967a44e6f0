"""Loading files: extends and deep merge, positions, CSV columns, and all problems at once."""

import json
from pathlib import Path

import pytest

from pathways.config import ConfigError, load_config, load_config_text
from tests.config.samples import MMC, write

EXAMPLES = sorted(Path(__file__).parents[2].glob("configs/examples/*.yaml")) + sorted(
    Path(__file__).parents[1].glob("validation/configs/*.yaml")
)


def test_mmc_loads_without_warnings(tmp_path):
    path = write(tmp_path, "mmc.yaml", MMC)
    loaded = load_config(path)
    assert loaded.config.name == "mmc"
    assert loaded.warnings == ()
    assert loaded.files == (path.resolve(),)
    assert loaded.path == path


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_shipped_configurations_load(path):
    assert load_config(path).config.pathways


def test_extends_merges_deeply_and_lines_point_into_the_file_that_set_them(tmp_path):
    write(tmp_path, "base.yaml", MMC)
    overlay = write(
        tmp_path,
        "overlay.yaml",
        """\
        extends: base.yaml
        name: bigger
        resources:
          clinicians: {capacity: 0}
        """,
    )
    with pytest.raises(ConfigError) as caught:
        load_config(overlay)
    (issue,) = caught.value.issues
    assert (issue.file, issue.line) == (str(overlay), 4)
    assert issue.field_path == "resources.clinicians.capacity"


def test_merged_data_keeps_base_values_the_overlay_does_not_set(tmp_path):
    base = write(tmp_path, "base.yaml", MMC)
    overlay = write(
        tmp_path,
        "overlay.yaml",
        """\
        extends: base.yaml
        resources:
          clinicians: {queue: priority}
        arrivals:
          - {pathway: clinic, rate_per_day: 3}
        """,
    )
    loaded = load_config(overlay)
    assert loaded.config.resources["clinicians"].capacity == 5  # from the base
    assert loaded.config.resources["clinicians"].queue == "priority"  # merged in
    assert [a.rate_per_day for a in loaded.config.arrivals] == [3.0]  # lists are replaced
    assert loaded.files == (overlay.resolve(), base.resolve())
    assert "extends" not in loaded.merged
    assert json.loads(json.dumps(loaded.merged)) == loaded.merged


def test_a_list_of_extends_applies_in_order(tmp_path):
    write(tmp_path, "base.yaml", MMC)
    write(tmp_path, "five.yaml", "resources: {clinicians: {capacity: 5, queue: priority}}\n")
    write(tmp_path, "seven.yaml", "resources: {clinicians: {capacity: 7}}\n")
    overlay = write(tmp_path, "overlay.yaml", "extends: [base.yaml, five.yaml, seven.yaml]\n")
    resource = load_config(overlay).config.resources["clinicians"]
    assert (resource.capacity, resource.queue) == (7, "priority")


def test_an_overlay_replaces_a_stage_s_routing_whole(tmp_path):
    # merged key by key, the overlay's shares would be added to the base's (sum 1.3)
    base = MMC.replace("next: exit", "next: {consult: 0.3, exit: 0.7}")
    write(tmp_path, "base.yaml", base)
    overlay = write(tmp_path, "overlay.yaml", "extends: base.yaml\npathways:\n  clinic:\n"
                    "    stages:\n      consult: {next: {exit: 1.0}}\n")
    stage = load_config(overlay).config.pathways["clinic"].stages["consult"]
    assert stage.routing() == {"exit": 1.0} and stage.resource == "clinicians"


def test_two_bases_sharing_a_base_each_keep_their_changes(tmp_path):
    # a redesign and a model both extend the demo: the demo is read once, before both,
    # so the second does not write the demo's values back over the first's changes
    write(tmp_path, "base.yaml", MMC)
    write(tmp_path, "model.yaml", "extends: base.yaml\nhorizon_days: 30000\n")
    write(tmp_path, "redesign.yaml", "extends: base.yaml\nwarmup_days: 500\n")
    both = write(tmp_path, "both.yaml", "extends: [model.yaml, redesign.yaml]\nname: both\n")
    loaded = load_config(both)
    assert (loaded.config.horizon_days, loaded.config.warmup_days) == (30000, 500)
    reverse = write(tmp_path, "reverse.yaml", "extends: [redesign.yaml, model.yaml]\n")
    assert load_config(reverse).config.horizon_days == 30000
    assert load_config(reverse).config.warmup_days == 500


def test_extends_and_csv_paths_are_relative_to_the_file_that_names_them(tmp_path):
    write(tmp_path, "economy/data/times.csv", "clinic,days\nA,0.5\nA,\nB,1.5\n")
    write(
        tmp_path,
        "economy/base.yaml",
        MMC.replace(
            "{dist: exponential, mean: 1.0}",
            "{dist: empirical, file: data/times.csv, column: days}",
        ),
    )
    overlay = write(tmp_path, "models/overlay.yaml", "extends: ../economy/base.yaml\nname: moved\n")
    loaded = load_config(overlay)
    duration = loaded.config.pathways["clinic"].stages["consult"].duration
    assert duration.values == [0.5, 1.5]
    assert loaded.files[-1] == (tmp_path / "economy/data/times.csv").resolve()
    assert (
        loaded.merged["pathways"]["clinic"]["stages"]["consult"]["duration"]["file"]
        == "data/times.csv"
    )


def test_a_bad_csv_value_is_reported_on_its_row(tmp_path):
    write(tmp_path, "times.csv", "days\n0.5\n-2\n")
    path = write(
        tmp_path,
        "c.yaml",
        MMC.replace(
            "{dist: exponential, mean: 1.0}", "{dist: empirical, file: times.csv, column: days}"
        ),
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    (issue,) = caught.value.issues
    assert (issue.file, issue.line) == (str(tmp_path / "times.csv"), 3)
    assert "must be at least 0, got -2" in issue.message


def test_the_same_base_reached_twice_is_not_a_cycle(tmp_path):
    write(tmp_path, "base.yaml", MMC)
    write(tmp_path, "left.yaml", "extends: base.yaml\n")
    write(tmp_path, "right.yaml", "extends: base.yaml\n")
    top = write(tmp_path, "top.yaml", "extends: [left.yaml, right.yaml]\n")
    assert len(load_config(top).files) == 4


def test_a_file_extending_itself_is_circular(tmp_path):
    path = write(tmp_path, "self.yaml", "extends: self.yaml\n")
    with pytest.raises(ConfigError, match=r"circular extends: .*self.yaml -> .*self.yaml"):
        load_config(path)


def test_a_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="nowhere.yaml: cannot read"):
        load_config(tmp_path / "nowhere.yaml")


def test_every_schema_problem_is_reported_at_once():
    text = MMC.replace("capacity: 5", "capacity: 0").replace(
        "rate_per_day: 4.5", "rate_per_day: -1"
    )
    with pytest.raises(ConfigError) as caught:
        load_config_text(text, "many.yaml")
    assert [(i.line, i.field_path) for i in caught.value.issues] == [
        (5, "resources.clinicians.capacity"),
        (7, "arrivals[0].rate_per_day"),
    ]


def test_every_lint_problem_is_reported_at_once():
    text = MMC.replace("next: exit", "next: {exit: 0.5, consult: 0.4}").replace(
        "resource: clinicians", "resource: clinician"
    )
    with pytest.raises(ConfigError) as caught:
        load_config_text(text, "many.yaml")
    messages = [issue.message for issue in caught.value.issues]
    assert messages == ["probabilities sum to 0.9, not 1", "unknown resource 'clinician'"]


def test_a_misspelt_field_is_not_also_reported_missing():
    with pytest.raises(ConfigError) as caught:
        load_config_text(MMC.replace("capacity", "capcity"))
    (issue,) = caught.value.issues
    assert issue.format() == (
        "<string>:5: resources.clinicians.capcity: unknown field 'capcity'; "
        "allowed: capacity, calendar, slots_per_session, queue, organisation, site, kind; "
        "did you mean 'capacity'?"
    )


def test_times_of_day_need_no_quotes():
    text = MMC.replace(
        "{capacity: 5}",
        "{capacity: 5, calendar: {sessions: [{days: [mon], start: 9:30, end: 17:00}]}}",
    )
    calendar = load_config_text(text).config.resources["clinicians"].calendar
    assert (calendar.sessions[0].start, calendar.sessions[0].end) == ("09:30", "17:00")


def test_every_unreadable_base_is_reported(tmp_path):
    overlay = write(tmp_path, "overlay.yaml", "extends: [gone.yaml, 5, also_gone.yaml]\n")
    with pytest.raises(ConfigError) as caught:
        load_config(overlay)
    assert [(i.field_path, i.message.split(":")[0]) for i in caught.value.issues] == [
        ("extends[0]", f"cannot read '{tmp_path / 'gone.yaml'}'"),
        ("extends[1]", "expected a file name, got 5"),
        ("extends[2]", f"cannot read '{tmp_path / 'also_gone.yaml'}'"),
    ]


def test_an_empirical_distribution_takes_values_or_a_file_not_both(tmp_path):
    write(tmp_path, "times.csv", "days\n1\n")
    text = MMC.replace(
        "{dist: exponential, mean: 1.0}",
        "{dist: empirical, file: times.csv, column: days, values: [1]}",
    )
    with pytest.raises(ConfigError, match="give either values, or file and column, not both"):
        load_config_text(text, tmp_path / "both.yaml")


def test_load_config_text_reads_csv_relative_to_its_path(tmp_path):
    write(tmp_path, "data/times.csv", "days\n2\n4\n")
    text = MMC.replace(
        "{dist: exponential, mean: 1.0}", "{dist: empirical, file: data/times.csv, column: days}"
    )
    loaded = load_config_text(text, tmp_path / "inline.yaml")
    assert loaded.config.pathways["clinic"].stages["consult"].duration.mean_days() == 3.0
    assert loaded.files == ((tmp_path / "data/times.csv").resolve(),)
