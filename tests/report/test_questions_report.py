"""The report of a sweep whose runner asks questions: a "Seed questions" section that
answers each question in one sentence with its interval, and the sentences' wording.

Results come from `pathways sweep` on tests/experiment/sweeps/questions.yaml (four
questions on the small economy).
"""

import html
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from pathways.cli.main import cli
from pathways.report import REPORT_FILE, load_results
from pathways.report.sentences import answer_sentence, answer_sentences, seed_name

ROOT = Path(__file__).parents[2]
QUESTIONS = ROOT / "tests" / "experiment" / "sweeps" / "questions.yaml"
VERDICTS = re.compile(r"\b(better|worse)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def swept(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("questions") / "results"
    result = CliRunner().invoke(cli, ["sweep", str(QUESTIONS), "--workers", "1", "--out",
                                      str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def section(swept) -> str:
    page = (swept / REPORT_FILE).read_text(encoding="utf-8")
    start = page.index('<section id="questions">')
    return page[start:page.index("</section>", start)]


def _text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def test_the_report_answers_each_question_in_one_sentence(swept, section):
    results = load_results(swept)
    answers = results.answers
    assert list(answers["question"]) == ["pooling", "beds", "delay", "same"]
    sentences = answer_sentences(answers)
    items = re.findall(r"<li>(.*?)</li>", section, flags=re.DOTALL)
    assert len(items) == 4
    for item, sentence, row in zip(items, sentences, answers.itertuples(), strict=True):
        text = _text(item)
        assert row.ask in text and sentence in text and f"Verdict: {row.verdict}." in text
        assert sentence.count(". ") == 0 and sentence.endswith(".")  # one sentence
        assert "95% CI" in sentence or "identical in each of 3" in sentence
    assert ("pooled at handoff.between_organisations.delay_days=3 against pooled: handoff "
            "delay per completed pathway") in sentences[2]
    assert sentences[3].startswith("small at resources.east_beds.capacity=5 against small: "
                                   "no difference in mean queueing time per patient, "
                                   "identical in each of 3 paired replications")


def test_the_section_comes_first_with_the_answers_table(swept, section):
    page = (swept / REPORT_FILE).read_text(encoding="utf-8")
    nav = re.search(r"<nav>(.*?)</nav>", page, flags=re.DOTALL).group(1)
    assert nav.index('href="#questions"') < nav.index('href="#summary"')
    assert "Seed questions" in nav
    table = _text(section[section.index("<details>"):])
    answers = pd.read_csv(swept / "answers.csv")
    for row in answers.itertuples():
        assert row.question in table and row.verdict in table and row.compare in table
    assert not VERDICTS.search(_text(section))
    assert 'id="sweep-figures"' not in page  # the points are arms, not a design


def test_each_point_states_only_the_models_run_there(swept):
    page = (swept / REPORT_FILE).read_text(encoding="utf-8")
    start = page.index('<section id="summary">')
    board = _text(page[start:page.index("</section>", start)])
    beds = board[board.index("Point 1:"):board.index("Point 2:")]  # small alone
    assert "small's median admitted RTT wait is" in beds and "pooled" not in beds
    both = board[board.index("Point 0:"):board.index("Point 1:")]
    assert "pooled compared with small" in both
    results = load_results(swept)
    assert results.labels_at(1) == ("small",) and results.labels_at(0) == ("small", "pooled")
    assert results.warmup_days("pooled", 1) == 10  # not run there: its first point's


# --- the sentences ------------------------------------------------------------------------

SPARE = "capacity_multiplier.outpatients=1.3"


def test_a_difference_whose_interval_excludes_zero():
    assert answer_sentence(
        f"competitive at {SPARE}", f"demo-economy at {SPARE}", "provider_wait_spread_weeks",
        "", -0.42, -0.55, -0.30, 10, "Making it happen (2008)", "lower") == (
        "competitive against demo-economy, both at capacity_multiplier.outpatients=1.3: "
        "spread of providers' waits 0.42 weeks shorter (95% CI 0.3 to 0.55 shorter) over 10 paired "
        "replications; seed Making it happen (2008) expects shorter.")


def test_a_share_is_stated_in_percentage_points_and_seeds_are_listed():
    assert answer_sentence(
        "competitive at patient_choice.threshold_weeks=18", "competitive",
        "rtt_incomplete_within_18_weeks_share", "", -0.021, -0.03, -0.012, 10,
        "Future directions for PCTs (2003), Making it happen (2008)", "higher") == (
        "competitive at patient_choice.threshold_weeks=18 against competitive: share of the "
        "RTT waiting list within 18 weeks 2.1 percentage points lower (95% CI 1.2 to 3 lower) "
        "over 10 paired replications; seeds Future directions for PCTs (2003) and Making it "
        "happen (2008) expect higher.")


def test_an_interval_that_includes_zero_and_a_level():
    sentence = answer_sentence("competitive", "demo-economy", "rtt_non_admitted_median_weeks",
                               "deprivation_quintile:1", 0.2, -0.1, 0.5, 10,
                               "007_paper.txt", "report")
    assert sentence == (
        "competitive against demo-economy: no significant difference in median non-admitted "
        "RTT wait (deprivation_quintile:1), +0.2 weeks (95% CI -0.1 to +0.5, an interval "
        "that includes zero) over 10 paired replications; seed 007 claims no direction.")


def test_a_question_of_no_seed_paper_says_what_its_mechanism_implies():
    sentence = answer_sentence("competitive-one-stop-clinic", "competitive",
                               "visits_per_pathway", "", -0.43, -0.46, -0.40, 10, "", "lower")
    assert sentence.endswith("over 10 paired replications; its mechanism implies lower.")
    unread = answer_sentence("competitive-one-stop-clinic", "competitive",
                             "rtt_non_admitted_median_weeks", "", -3, -3.2, -2.8, 10,
                             float("nan"), "report")  # an empty seed column read as NaN
    assert unread.endswith("; no direction is expected.")


def test_no_data_and_too_few_pairs():
    nan = float("nan")
    assert answer_sentence("a", "b", "wait_mean", "", nan, nan, nan, 0, "s.txt", "lower") == (
        "a against b: no paired replication has a value of mean queueing time per patient, "
        "so no answer; seed s.txt expects shorter.")
    assert answer_sentence("a", "b", "wait_mean", "", 2.0, nan, nan, 1, "s.txt", "higher") == (
        "a against b: mean queueing time per patient +2 days over 1 paired replication, too "
        "few for a confidence interval; seed s.txt expects longer.")


def test_seed_names():
    assert seed_name("007_paper.txt") == "007"
    assert seed_name("Making it happen (2008)") == "Making it happen (2008)"
    assert seed_name("my_paper.txt") == "my_paper.txt"
