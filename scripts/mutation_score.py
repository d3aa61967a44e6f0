"""Print the mutation score of the last `mutmut run`, per module, and fail below a floor.

Reads `mutmut results --all true` (one line per mutant: name and status). A mutant is
killed when a test failed with it, or timed out; it survived when every test that runs
the mutated function passed; "no tests" means no selected test runs that function.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

KILLED = {"killed", "timeout"}


def statuses(mutmut: Path) -> dict[str, Counter[str]]:
    """Counts of each status per module, from mutmut's own listing."""
    listing = subprocess.run([str(mutmut), "results", "--all", "true"], check=True,
                             capture_output=True, text=True).stdout
    by_module: dict[str, Counter[str]] = defaultdict(Counter)
    for line in listing.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name:
            by_module[name.split(".x")[0].rstrip(".")][status.strip()] += 1
    return by_module


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--floor", type=float, default=0.8,
                        help="the lowest share of mutants killed that passes (default 0.8)")
    parser.add_argument("--mutmut", type=Path, default=Path(sys.executable).with_name("mutmut"))
    args = parser.parse_args()
    by_module = statuses(args.mutmut)
    if not by_module:
        print("no mutants: run `mutmut run` first", file=sys.stderr)
        return 1
    print(f"{'module':40} {'killed':>7} {'survived':>9} {'no tests':>9} {'score':>6}")
    total: Counter[str] = Counter()
    for module, counts in sorted(by_module.items()):
        total.update(counts)
        print(_row(module, counts))
    print(_row("all", total))
    score = _killed(total) / max(sum(total.values()), 1)
    if score < args.floor:
        print(f"mutation score {score:.0%} is below {args.floor:.0%}", file=sys.stderr)
        return 1
    return 0


def _killed(counts: Counter[str]) -> int:
    return sum(counts[status] for status in KILLED)


def _row(module: str, counts: Counter[str]) -> str:
    total = sum(counts.values())
    return (f"{module:40} {_killed(counts):7d} {counts['survived']:9d} "
            f"{counts['no tests']:9d} {_killed(counts) / max(total, 1):6.0%}")


if __name__ == "__main__":
    sys.exit(main())
