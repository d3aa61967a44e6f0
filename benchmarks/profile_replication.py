"""Where the time of one replication goes, by mechanism.

Runs one replication of a model (the demo competitive economy by default) under
cProfile and splits its time into the calendar itself, each kind of event the calendar
hands out (grouped by the mechanism that handles it), the setup, the assembly of the
event log and the KPIs. cProfile slows Python calls down, so the shares matter, not
the seconds: an engine change should show up here as a smaller share of its mechanism.

    python benchmarks/profile_replication.py [--model models/competitive.yaml] [--top 15]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
from collections import Counter
from pathlib import Path

import pathways
from pathways.engine import simulate_replication
from pathways.metrics import kpis

ROOT = Path(__file__).resolve().parent.parent

#: the engine module handling an event -> the mechanism it belongs to
MECHANISMS = {
    "arrivals.py": "arrivals and referrals (allocation, choice, enrolment)",
    "journeys.py": "service ends, routing, transfers and handoffs, discharge",
    "transfers.py": "Patient Choice offers of a faster provider",
    "booking.py": "booking sessions",
    "waiting_lists.py": "waiting lists (openings, validation removals)",
    "chronic.py": "chronic cycle (reviews, diagnoses, admissions)",
    "emergencies.py": "emergency arrivals",
    "published_waits.py": "published waits",
    "market.py": "market entry and exit",
}


CALENDAR = "calendar (the heap of events, the collector's pause)"


def _where(function: tuple[str, int, str]) -> str:
    return f"{Path(function[0]).name}:{function[2]}"


def profile(model_path: Path) -> tuple[dict[str, float], float]:
    """Seconds (under cProfile) by part of one replication, and the total."""
    model = pathways.load(model_path)
    profiler = cProfile.Profile()
    profiler.enable()
    log = simulate_replication(model, seed=0, replication=0)
    kpis(log)
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    parts: Counter[str] = Counter()
    total = 0.0
    for function, (_, _, own, cumulative, callers) in stats.items():
        name = _where(function)
        if name in ("simulation.py:simulate_replication", "kpis.py:kpis"):
            total += cumulative
        if name == "kpis.py:kpis":
            parts["KPIs"] += cumulative
        elif name == "assemble.py:assemble_event_log":
            parts["event log assembly"] += cumulative
        elif name == "replication.py:run":
            parts[CALENDAR] += own
        for caller, (_, _, _, from_caller) in callers.items():
            if _where(caller) == "replication.py:run":
                module = Path(function[0]).name
                parts[MECHANISMS.get(module, CALENDAR)] += from_caller
    parts["setup and the tables beside the log"] = total - sum(parts.values())
    return dict(parts), total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "competitive.yaml")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    parts, total = profile(args.model)
    print(f"{args.model.name}: one replication under cProfile, {total:.1f} s")
    for part, seconds in sorted(parts.items(), key=lambda item: -item[1])[:args.top]:
        print(f"  {seconds / total:6.1%}  {part}")


if __name__ == "__main__":
    main()
