"""Stage edits: each verb on a small pathway, the visits it leaves to the other stages
(worked out here by solving the routing's linear equations, not by the edit code),
and every bad input reported at the edit that caused it."""

import pytest

from pathways.config import ConfigError, load_config_text
from tests.config.expected_visits import expected_visits

# first -> test (0.6) / treat (0.3) / exit (0.1); test -> report -> decide;
# decide -> treat (0.5) / exit (0.5); treat -> review; review -> review (0.25) / exit
CLINIC = """\
name: clinic
horizon_days: 400
resources:
  clinic: {capacity: 3}
  scanner: {capacity: 1}
  nurse: {capacity: 2}
arrivals:
  - {pathway: elective, rate_per_day: 4}
pathways:
  elective:
    stages:
      first: {resource: clinic, duration: {dist: exponential, mean: 0.02},
              next: {test: 0.6, treat: 0.3, exit: 0.1}}
      test: {resource: scanner, duration: {dist: exponential, mean: 0.02}, next: report}
      report: {duration: {dist: fixed, value: 7}, next: decide}
      decide: {resource: clinic, duration: {dist: exponential, mean: 0.01},
               next: {treat: 0.5, exit: 0.5}}
      treat: {resource: clinic, duration: {dist: exponential, mean: 0.02}, next: review,
              rtt_stop: non_admitted}
      review: {resource: clinic, duration: {dist: exponential, mean: 0.01},
               next: {review: 0.25, exit: 0.75}}
"""


def _load(edits: str):
    return load_config_text(CLINIC + "stage_edits:\n" + edits, "clinic.yaml").config


def _error(edits: str) -> str:
    with pytest.raises(ConfigError) as caught:
        _load(edits)
    return str(caught.value)


BEFORE = expected_visits(load_config_text(CLINIC).config.pathways["elective"])


def test_the_unedited_clinic_visits_worked_out_by_hand():
    # test 0.6; decide 0.6; treat 0.3 + 0.6 x 0.5 = 0.6; review 0.6 / 0.75 = 0.8
    assert BEFORE == pytest.approx({"first": 1, "test": 0.6, "report": 0.6, "decide": 0.6,
                                    "treat": 0.6, "review": 0.8})


def test_removing_a_stage_sends_its_patients_on_and_leaves_every_other_visit_alone():
    for gone in ("test", "report", "decide", "treat", "review"):
        pathway = _load(f"  - {{pathways: [elective], remove: {gone}}}\n").pathways["elective"]
        assert gone not in pathway.stages
        after = expected_visits(pathway)
        assert after == pytest.approx({s: v for s, v in BEFORE.items() if s != gone}), gone


def test_removing_the_entry_moves_the_start_to_its_one_successor():
    text = CLINIC.replace("next: {test: 0.6, treat: 0.3, exit: 0.1}", "next: test")
    config = load_config_text(text + "stage_edits:\n  - {pathways: [elective], remove: first}\n",
                              "clinic.yaml").config
    assert config.pathways["elective"].start_stage == "test"


def test_bypassing_a_stage_for_a_share_skips_that_share_of_its_visits_only():
    pathway = _load("  - {pathways: [elective], bypass: decide, share: 0.4}\n").pathways["elective"]
    after = expected_visits(pathway)
    assert after["decide"] == pytest.approx(0.6 * 0.6)
    assert after == pytest.approx({**BEFORE, "decide": 0.36})


def test_bypassing_to_one_stage_sends_the_share_there():
    pathway = _load("  - {pathways: [elective], bypass: test, share: 0.5, to: decide}\n"
                    ).pathways["elective"]
    after = expected_visits(pathway)
    assert after["test"] == pytest.approx(0.3) and after["report"] == pytest.approx(0.3)
    assert after["decide"] == pytest.approx(0.6)  # half by the test, half straight there


def test_bypassing_the_entry_puts_a_routing_step_in_front_of_it():
    pathway = _load("  - {pathways: [elective], bypass: first, share: 0.3, to: test}\n"
                    ).pathways["elective"]
    assert pathway.start_stage == "bypass_first"
    router = pathway.stages["bypass_first"]
    assert router.resource is None and router.kind is None
    assert router.duration.value == 0
    after = expected_visits(pathway)
    assert after["first"] == pytest.approx(0.7)
    assert after["test"] == pytest.approx(0.3 + 0.7 * 0.6)


def test_inserting_before_a_stage_puts_the_new_stage_on_every_route_into_it():
    pathway = _load("""\
  - pathways: [elective]
    insert: triage
    before: treat
    stage: {resource: nurse, duration: {dist: exponential, mean: 0.01}}
""").pathways["elective"]
    assert list(pathway.stages).index("triage") == list(pathway.stages).index("treat") - 1
    assert pathway.stages["triage"].next == "treat"
    assert expected_visits(pathway) == pytest.approx({**BEFORE, "triage": BEFORE["treat"]})


def test_inserting_before_the_entry_with_its_own_routing_lets_some_patients_leave():
    pathway = _load("""\
  - pathways: [elective]
    insert: advice
    before: first
    stage: {duration: {dist: fixed, value: 2}, next: {first: 0.8, exit: 0.2}}
""").pathways["elective"]
    assert pathway.start_stage == "advice"
    after = expected_visits(pathway)
    assert after == pytest.approx({"advice": 1, **{s: 0.8 * v for s, v in BEFORE.items()}})


def test_inserting_after_a_stage_takes_over_its_routing():
    pathway = _load("""\
  - pathways: [elective]
    insert: counsel
    after: decide
    stage: {resource: nurse, duration: {dist: exponential, mean: 0.01}}
""").pathways["elective"]
    assert pathway.stages["decide"].next == "counsel"
    assert pathway.stages["counsel"].next == {"treat": 0.5, "exit": 0.5}
    assert expected_visits(pathway) == pytest.approx({**BEFORE, "counsel": BEFORE["decide"]})


def test_merging_two_stages_makes_one_visit_of_the_first_kind_then_goes_where_the_second_sent():
    pathway = _load("""\
  - {pathways: [elective], merge: [test, report], into: one_stop,
     duration: {dist: exponential, mean: 0.05}}
  - {pathways: [elective], merge: [one_stop, decide], duration: {dist: exponential, mean: 0.06}}
""").pathways["elective"]
    assert set(pathway.stages) == {"first", "one_stop", "treat", "review"}
    one_stop = pathway.stages["one_stop"]
    assert one_stop.resource == "scanner" and one_stop.duration.mean == 0.06
    assert pathway.stages["first"].routing() == {"one_stop": 0.6, "treat": 0.3, "exit": 0.1}
    assert one_stop.routing() == pytest.approx({"treat": 0.5, "exit": 0.5})
    after = expected_visits(pathway)
    assert after == pytest.approx({"first": 1, "one_stop": 0.6, "treat": 0.6, "review": 0.8})


def test_merging_keeps_the_second_stage_where_others_still_go_to_it():
    text = CLINIC.replace("rtt_stop: non_admitted", "")
    pathway = load_config_text(text + """stage_edits:
  - {pathways: [elective], merge: [decide, treat], duration: {dist: exponential, mean: 0.03}}
""", "clinic.yaml").config.pathways["elective"]
    assert "treat" in pathway.stages  # first still sends 0.3 there
    assert pathway.stages["decide"].routing() == pytest.approx({"exit": 0.5, "review": 0.5})


def test_rerouting_a_share_scales_the_other_routes_to_fit():
    pathway = _load("  - {pathways: [elective], reroute: first, to: exit, share: 0.28}\n"
                    ).pathways["elective"]
    # the other 0.9 (test 0.6, treat 0.3) scaled to 0.72
    assert pathway.stages["first"].routing() == pytest.approx(
        {"test": 0.48, "treat": 0.24, "exit": 0.28})


def test_rerouting_with_next_writes_the_routing_out():
    pathway = _load("  - {pathways: [elective], reroute: review, next: exit}\n"
                    ).pathways["elective"]
    assert pathway.stages["review"].next == "exit"
    assert expected_visits(pathway)["review"] == pytest.approx(0.6)


def test_moving_a_stage_changes_what_it_holds_and_how_long_it_takes():
    pathway = _load("""\
  - {pathways: [elective], move: review, resource: nurse,
     duration: {dist: exponential, mean: 0.005}}
""").pathways["elective"]
    review = pathway.stages["review"]
    assert review.resource == "nurse" and review.duration.mean == 0.005
    assert review.routing() == {"review": 0.25, "exit": 0.75}


def test_edits_apply_in_order_each_to_every_pathway_it_names():
    text = CLINIC.replace("pathways:\n  elective:", "pathways:\n  other:\n    stages:\n"
                          "      only: {resource: nurse, duration: {dist: fixed, value: 0.01}}\n"
                          "  elective:")
    config = load_config_text(text + "stage_edits:\n"
                              "  - {pathways: [elective], remove: report}\n"
                              "  - {pathways: [elective], merge: [test, decide], "
                              "duration: {dist: fixed, value: 0.03}}\n", "clinic.yaml").config
    assert set(config.pathways["elective"].stages) == {"first", "test", "treat", "review"}
    assert config.pathways["other"] == load_config_text(text).config.pathways["other"]


# --- bad inputs, located at the edit --------------------------------------------------------


@pytest.mark.parametrize(("edits", "words"), [
    ("  - {pathways: [electiv], remove: test}\n",
     ["clinic.yaml:", "stage_edits[0].pathways[0]: unknown pathway 'electiv'",
      "did you mean 'elective'"]),
    ("  - {pathways: [elective], remove: tset}\n",
     ["stage_edits[0].remove: pathway 'elective' has no stage 'tset'", "did you mean 'test'"]),
    ("  - {pathways: [elective], bypass: decide, share: 0.2, to: nowhere}\n",
     ["stage_edits[0].to: pathway 'elective' has no stage 'nowhere'"]),
    ("  - {pathways: [elective], merge: [first, decide], duration: {dist: fixed, value: 1}}\n",
     ["stage_edits[0].merge: 'first' does not lead to 'decide'"]),
    ("  - {pathways: [elective], merge: [decide, treat], duration: {dist: fixed, value: 1}}\n",
     ["'treat' stops the RTT clock and 'decide' does not"]),
    ("  - {pathways: [elective], remove: first}\n",
     ["stage_edits[0]: 'first' is where patients enter"]),
    ("  - {pathways: [elective], insert: test, before: treat,\n"
     "     stage: {duration: {dist: fixed, value: 1}}}\n",
     ["stage_edits[0].insert: pathway 'elective' already has a stage 'test'"]),
    ("  - {pathways: [elective], reroute: report, to: decide, share: 0.5}\n",
     ["stage_edits[0].share: 'report' sends everyone to 'decide'"]),
    # shares that no longer sum to 1, and a loop with no exit, blamed on the edit
    ("  - {pathways: [elective], reroute: decide, next: {treat: 0.5, exit: 0.3}}\n",
     ["stage_edits[0]: after this edit, pathway 'elective' is broken at decide.next:",
      "probabilities sum to 0.8, not 1"]),
    ("  - {pathways: [elective], reroute: review, next: review}\n",
     ["stage_edits[0]: after this edit", "no route from", "leads to 'exit'"]),
    ("  - {pathways: [elective], remove: test, share: 0.2}\n",
     ["stage_edits[0]: remove does not take share"]),
    ("  - {pathways: [elective], bypass: test}\n", ["stage_edits[0]: bypass needs share"]),
    ("  - {pathways: [elective], bypass: test, share: 1.5}\n",
     ["stage_edits[0].share", "1"]),
    ("  - {pathways: [elective]}\n", ["stage_edits[0]: an edit has exactly one of insert"]),
    ("  - {pathways: [elective], move: treat, kind: scanners}\n",
     ["stage_edits[0]: after this edit", "unknown"]),
])
def test_bad_edits_are_reported_at_the_edit(edits, words):
    text = _error(edits)
    for expected in words:
        assert expected in text, text


def test_a_pathway_already_broken_before_the_edits_is_reported_where_it_was_written():
    text = CLINIC.replace("next: {treat: 0.5, exit: 0.5}", "next: {treat: 0.5, exit: 0.4}")
    with pytest.raises(ConfigError) as caught:
        load_config_text(text + "stage_edits:\n  - {pathways: [elective], remove: review}\n",
                         "clinic.yaml")
    assert "pathways.elective.stages.decide.next" in str(caught.value)
    assert "after this edit" not in str(caught.value)


def test_a_configured_point_keeps_the_edited_pathways_without_editing_them_again():
    # runners apply a point's values to the loaded (already edited) configuration:
    # applying the edits a second time would remove a stage that no longer exists
    from pathways.config.overrides import configure

    config = _load("  - {pathways: [elective], remove: report}\n"
                   "  - {pathways: [elective], bypass: first, share: 0.3, to: test}\n")
    configured = configure(config, {"horizon_days": 300})
    assert configured.horizon_days == 300
    assert configured.pathways == config.pathways
