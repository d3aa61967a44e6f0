"""The warnings a reader of the numbers needs are in the report's header, before any
section, as well as on the terminal: too few replications, and what the configuration
was warned of when it was loaded (here an offered load near 1)."""

import html
import re

from click.testing import CliRunner

from pathways.cli.main import cli
from tests.config.samples import MMC, write

NEAR_FULL = (MMC.replace("rate_per_day: 4.5", "rate_per_day: 4.85")
             .replace("horizon_days: 20000", "horizon_days: 2000")
             .replace("warmup_days: 2000", "warmup_days: 200"))


def _header_text(page: str) -> str:
    header = page[page.index("<header>"):page.index("</header>")]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", header)))


def _run(tmp_path, replications: int) -> tuple[str, str]:
    config = write(tmp_path, "near.yaml", NEAR_FULL)
    out = tmp_path / f"out{replications}"
    result = CliRunner().invoke(cli, ["run", str(config), "-n", str(replications), "--seed",
                                      "0", "-o", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    return result.output, (out / "report.html").read_text()


def test_the_header_warns_of_too_few_replications_and_of_a_load_near_1(tmp_path):
    terminal, page = _run(tmp_path, 2)
    header = _header_text(page)
    assert "Warning: Too few replications: these results have 2, fewer than the 5" in header
    assert ("resources.clinicians: resource 'clinicians' has offered load 0.97, near 1"
            in header)
    for said in ("Too few replications", "offered load 0.97, near 1"):
        assert said in terminal
    sections = page[page.index("<main>"):]
    assert "Too few replications behind these intervals (2;" in sections


def test_enough_replications_narrowly_measured_are_not_warned_of(tmp_path):
    _, page = _run(tmp_path, 6)
    assert "Too few replications" not in _header_text(page)
