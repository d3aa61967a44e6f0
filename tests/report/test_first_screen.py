"""Issue 16, a reader's check in a real browser: the report of the demo comparison answers
first. Opened in headless Chromium at a laptop's 1366 x 768, the first screen (what shows
before any scrolling) holds the headline sentences, each with its unit and its interval,
and so do the first 1,500 characters of the page's visible text; a run of 2 replications,
fewer than the automatic replication rule's minimum of 5, says that they are too few.

The demo comparison runs once per session at 2 replications (tests/report/conftest.py,
40 to 60 s); the page is opened once for the module. The checks are of structure and
meaning (which sentences, where, with what), never of figures, which other changes move.
Slow and browser tests: `make test-browser` runs them, and fails rather than skips
without Chromium (PATHWAYS_REQUIRE_BROWSER=1; see test_browser.py).
"""

import asyncio
import re

import pytest

from tests.report.conftest import DEMO_REPLICATIONS
from tests.report.test_browser import find_chromium, open_page, problems_in, running_chromium

pytestmark = pytest.mark.slow

LAPTOP = (1366, 768)
READER_CHARACTERS = 1500
RULE_MINIMUM = 5  # replications the automatic replication rule runs before judging

# The text of the first screen: every text node whose boxes all lie inside the viewport
# (a sentence cut by the bottom edge does not count), in document order, hidden ones left
# out. Whitespace-only nodes are kept as spaces so that words of neighbouring nodes stay
# apart; a sentence split over several nodes (a number in bold) joins up again.
FIRST_SCREEN = """(() => {
  const width = window.innerWidth, height = window.innerHeight;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!element || element.closest('script, style, noscript, template')) continue;
    if (!node.textContent.trim()) { parts.push(' '); continue; }
    if (!element.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const boxes = Array.from(range.getClientRects()).filter(b => b.width > 0 && b.height > 0);
    if (boxes.length && boxes.every(b => b.top >= 0 && b.bottom <= height && b.left >= 0
                                          && b.right <= width)) {
      parts.push(node.textContent);
    }
  }
  return {text: parts.join(''), all: document.body.innerText, scrollY: window.scrollY,
          width: width, height: height};
})()"""

NUMBER = r"[-+\u2212]?£?\d[\d,]*(?:\.\d+)?(?:e[-+]?\d+)?%?"
# An interval as the report writes it: "(low to high)", possibly after a label such as
# "95% CI" and with units: "(95% CI 1.17 to 1.23)", "(1.2 to 3.4 weeks)".
INTERVAL = re.compile(rf"\([^()]*?{NUMBER}(?:\s+[A-Za-z%]+){{0,3}}\s+to\s+{NUMBER}[^()]*\)")
# The unit of a figure: a time, a count of patients, a share, money, or a rate per
# something ("handoffs between organisations per completed pathway").
UNIT = re.compile(r"\b(?:weeks?|days?|hours?|years?|patients?|percentage points?|per cent|"
                  r"pounds?|per)\b|%|£")
LEVEL = re.compile(r"\d+% (?:CI|confidence)")  # "95% CI": the interval's level, not a unit


def has_unit(sentence: str) -> bool:
    return bool(UNIT.search(LEVEL.sub("", sentence)))


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="session")
def browser():
    """Chromium, looked for before the demo runs (session-scoped, as the demo is, and named
    first, so that a missing browser skips or fails in a second, not after a minute)."""
    return find_chromium()


@pytest.fixture(scope="module")
def seen(browser, demo_comparison, tmp_path_factory):
    """The demo comparison's report as Chromium showed it at 1366 x 768."""
    binary = browser
    folder = tmp_path_factory.mktemp("first-screen")
    width, height = LAPTOP

    async def inspect(devtools, session):
        return await devtools.evaluate(session, FIRST_SCREEN)

    with running_chromium(binary, folder, width, height) as ws_url:
        result = asyncio.run(open_page(ws_url, demo_comparison / "report.html", inspect,
                                       width, height))
    screen = result["inspected"]
    print(f"\nfirst screen at {screen['width']} x {screen['height']}:\n{_words(screen['text'])}")
    return result


@pytest.fixture(scope="module")
def headline(demo_comparison):
    """The headline sentences the report puts first (board_answer), whitespace collapsed."""
    from pathways.report.load import load_results
    from pathways.report.sentences import board_answer

    sentences = [_words(s) for s in board_answer(load_results(demo_comparison))]
    assert sentences, "board_answer gave no headline sentence for the demo comparison"
    return sentences


def test_the_page_opened(seen):
    problems = problems_in(seen["events"])
    if seen["navigation"].get("errorText"):
        problems.append(f"navigation failed: {seen['navigation']['errorText']}")
    assert not problems, "opening the demo report:\n" + "\n".join(problems)
    assert seen["inspected"]["scrollY"] == 0, "the page did not open at its top"


def test_headline_sentences_carry_units_and_intervals(headline):
    for sentence in headline:
        assert INTERVAL.search(sentence), f"no '(low to high)' interval in: {sentence}"
        assert has_unit(sentence), f"no unit in: {sentence}"


def test_the_first_screen_holds_the_headline_sentences(seen, headline):
    screen = _words(seen["inspected"]["text"])
    missing = [s for s in headline if s not in screen]
    assert not missing, (
        f"headline sentences not wholly on the first screen ({LAPTOP[0]} x {LAPTOP[1]}):\n"
        + "\n".join(missing) + f"\n\nthe first screen shows:\n{screen}")


def test_the_first_1500_characters_hold_the_headline_sentences(seen, headline):
    """A reader's check: the headline, with units and intervals, before anything else."""
    start = _words(seen["inspected"]["all"][:READER_CHARACTERS])
    missing = [s for s in headline if s not in start]
    assert not missing, (
        f"headline sentences not in the first {READER_CHARACTERS} characters of the page's "
        "visible text:\n" + "\n".join(missing) + f"\n\nthose characters:\n{start}")
    with_both = [s for s in re.split(r"(?<=[.!?])\s+", start)
                 if INTERVAL.search(s) and has_unit(s)]
    assert with_both, f"no sentence with a unit and an interval in:\n{start}"


def replication_warnings(text: str) -> list[str]:
    """Sentences that say the replications are too few: "replications" together with
    "too few" or "fewer", and a count in figures (the run's 2 or the rule's 5), in one
    sentence; the warning's exact wording is free. The count keeps out sentences that only
    explain a figure, such as "(none with fewer than two replications)"."""
    sentences = re.split(r"(?<=[.!?])\s+|\n+", text)
    return [_words(s) for s in sentences
            if re.search(r"\breplications\b", s, re.IGNORECASE)
            and re.search(r"\btoo few\b|\bfewer\b", s, re.IGNORECASE)
            and re.search(rf"\b(?:{DEMO_REPLICATIONS}|{RULE_MINIMUM})\b", s)]


def test_two_replications_show_the_replication_warning(seen):
    found = replication_warnings(seen["inspected"]["all"])
    assert found, (f"a report of {DEMO_REPLICATIONS} replications (fewer than the automatic "
                   f"rule's minimum of {RULE_MINIMUM}) does not say that they are too few: no "
                   "sentence of its visible text has 'replications' with 'too few' or "
                   f"'fewer' and the count {DEMO_REPLICATIONS} or {RULE_MINIMUM}")
    print("\nthe replication warning: " + " | ".join(found))
