"""The reader's checks of issue 16 on the demo comparison (`make run`'s models and
seed, at 2 replications: the shared slow fixture of conftest.py): what differs between
integrated and competitive care is listed from the configurations, and no interval in
summary.csv, differences.csv or the report's table of figures reaches past its
metric's range, though at 2 replications the t intervals do."""

import html
import re

import pandas as pd
import pytest

from pathways.metrics.registry import difference_bounds, metric_bounds, wording
from pathways.stats import summarise

pytestmark = pytest.mark.slow

ROW = re.compile(r'<th scope="row" title="([^"]+)">[^<]*</th>((?:<td[^>]*>[^<]*</td>)+)')
CELL = re.compile(r"<td[^>]*>([^<]*)</td>")
ESTIMATE = re.compile(r"^(?:&#9650; |&#9660; )?([-+0-9.,]+) \(([-+0-9.,]+) to ([-+0-9.,]+)\)$")


def _outside(frame: pd.DataFrame, bounds, mean: str = "mean") -> pd.DataFrame:
    low = frame["metric"].map(lambda m: bounds(m)[0])
    high = frame["metric"].map(lambda m: bounds(m)[1])
    return frame[(frame["ci_low"] < low - 1e-9) | (frame["ci_high"] > high + 1e-9)]


def test_the_stored_intervals_stay_inside_their_ranges(demo_comparison):
    summary = pd.read_csv(demo_comparison / "summary.csv")
    differences = pd.read_csv(demo_comparison / "differences.csv")
    t_only = summarise(pd.read_parquet(demo_comparison / "replications.parquet"))
    assert len(_outside(t_only, metric_bounds)) > 100  # what 2 replications give uncut
    assert _outside(summary, metric_bounds).empty
    assert _outside(differences, difference_bounds).empty


def test_the_reports_table_of_figures_stays_inside_the_ranges(demo_comparison):
    page = (demo_comparison / "report.html").read_text()
    table = page[page.index('<section id="kpis">'):]
    table = table[:table.index("</section>")]
    checked = 0
    for metric, cells in ROW.findall(table):
        low_bound, high_bound = metric_bounds(metric)
        scale = wording(metric).scale
        for cell in CELL.findall(cells)[:2]:  # each model's own mean (95% CI)
            found = ESTIMATE.match(html.unescape(cell).replace("\u2212", "-"))
            if found is None:
                continue
            _, low, high = (float(v.replace(",", "")) for v in found.groups())
            assert low >= low_bound * scale and high <= high_bound * scale, (metric, cell)
            checked += 1
    assert checked > 40


def test_what_differs_lists_the_allocation_policy_and_the_owners(demo_comparison):
    page = (demo_comparison / "report.html").read_text()
    section = page[page.index('<section id="differences">'):]
    section = html.unescape(re.sub(r"<[^>]+>", " ", section[:section.index("</section>")]))
    assert re.search(r"allocation\.policy\s+pooled\s+choice", section)
    owners = re.findall(r"organisations\.(\w+)\.owner\s+ico\s+not set", section)
    assert {"city_trust", "community"} <= set(owners), owners
