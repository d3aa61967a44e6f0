"""Take the README's picture of a report's first screen with headless Chromium.

    python scripts/screenshot.py REPORT.html [OUT.png] [--width 1366] [--height 900]

`make screenshot` runs it on the demo comparison (`make run`'s results, report rebuilt)
and writes docs/report-first-screen.png. The page is opened offline (no name resolves,
every connection goes to a closed port), in a window of width x height CSS pixels at
scale 1, scrollbars hidden; the PNG must stay under 300 KB (the README carries it).
PATHWAYS_CHROMIUM names another Chromium or Chrome binary.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

LIMIT_BYTES = 300 * 1024
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def chromium() -> str:
    named = os.environ.get("PATHWAYS_CHROMIUM")
    if named:
        return shutil.which(named) or named
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    sys.exit("no Chromium: install it (apt-get install -y chromium, or `make chromium` as "
             "root) or name a binary with PATHWAYS_CHROMIUM")


def screenshot(report: Path, out: Path, width: int, height: int) -> int:
    """Write the first width x height screen of ``report`` to ``out``; its size in bytes."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        args = [chromium(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
                "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
                "--proxy-bypass-list=<-loopback>", "--force-device-scale-factor=1",
                # Let the page's scripts (plotly drawing the figures) finish first.
                "--virtual-time-budget=10000",
                f"--window-size={width},{height}", f"--screenshot={out.resolve()}",
                report.resolve().as_uri()]
        done = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=120)
    if done.returncode != 0 or not out.is_file():
        sys.exit(f"Chromium failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return out.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path)
    parser.add_argument("out", type=Path, nargs="?", default=Path("docs/report-first-screen.png"))
    parser.add_argument("--width", type=int, default=1366)
    parser.add_argument("--height", type=int, default=900)
    options = parser.parse_args()
    if not options.report.is_file():
        sys.exit(f"no report at {options.report}: `make run` writes the demo's")
    size = screenshot(options.report, options.out, options.width, options.height)
    print(f"wrote {options.out} ({size / 1024:.0f} KB, {options.width} x {options.height})")
    if size > LIMIT_BYTES:
        sys.exit(f"{options.out} is {size / 1024:.0f} KB, over the README's limit of "
                 f"{LIMIT_BYTES // 1024} KB")


if __name__ == "__main__":
    main()
