"""Configuration texts shared by the config tests."""

from pathlib import Path
from textwrap import dedent

MMC = """\
name: mmc
horizon_days: 20000
warmup_days: 2000
resources:
  clinicians: {capacity: 5}
arrivals:
  - {pathway: clinic, rate_per_day: 4.5}
pathways:
  clinic:
    start: consult
    stages:
      consult: {resource: clinicians, duration: {dist: exponential, mean: 1.0}, next: exit}
"""


def write(folder: Path, name: str, text: str) -> Path:
    """Writes dedented `text` to folder/name (making folders) and returns the path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dedent(text))
    return path
