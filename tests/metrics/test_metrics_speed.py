"""kpis must handle a 5-million-row log in a few seconds (about 1 s here; the whole
test, log generation included, about 2 s, so it is not marked slow), and must not
redo its costliest derivations of a log once per family of metrics."""

import sys
import time
from pathlib import Path

import numpy as np
import pytest

import pathways
from pathways.api import configure
from pathways.engine import simulate_replication
from pathways.log.event_log import (
    ARRIVE,
    END,
    EXIT,
    NONE,
    QUEUE,
    START,
    EventLog,
    ResourceInfo,
    StageInfo,
)
from pathways.metrics import kpis
from pathways.metrics.rtt import rtt_clocks
from pathways.metrics.visits import build

WEEKDAYS = tuple((d + 0.375, d + 17 / 24) for d in range(5))


def synthetic_log(n_rows: int, n_stages: int = 12, visits: int = 3, seed: int = 0) -> EventLog:
    """Patients arriving uniformly, each visiting `visits` random stages in sequence."""
    rng = np.random.default_rng(seed)
    per_patient = 2 + 3 * visits
    n = n_rows // per_patient
    horizon, warmup = 730.0, 365.0
    arrive = np.sort(rng.uniform(0, horizon, n))
    steps = rng.exponential(0.5, (n, per_patient))
    steps[:, 0] = arrive
    steps[:, 1] = 0.0  # queue at the first stage on arrival
    for k in range(visits - 1):
        steps[:, 4 + 3 * k] = 0.0  # queue at the next stage as the last one ends
    steps[:, -1] = 0.0  # exit as the last service ends
    times = np.cumsum(steps, axis=1)
    events = np.array([ARRIVE] + [QUEUE, START, END] * visits + [EXIT], dtype=np.int8)
    stage = np.full((n, per_patient), NONE, dtype=np.int16)
    stage[:, 1:-1] = np.repeat(rng.integers(0, n_stages, (n, visits)), 3, axis=1)
    stage_resource = np.arange(n_stages, dtype=np.int16) % 5
    resource = np.where(stage == NONE, NONE, stage_resource[stage]).astype(np.int16)

    flat_t = times.ravel()
    order = np.argsort(flat_t, kind="stable")
    order = order[flat_t[order] <= horizon]
    return EventLog(
        patient=np.repeat(np.arange(n, dtype=np.int64), per_patient)[order],
        pathway=np.zeros(len(order), dtype=np.int16),
        stage=stage.ravel()[order],
        resource=resource.ravel()[order],
        unit=np.where(resource.ravel()[order] == NONE, NONE, 0).astype(np.int16),
        event=np.tile(events, n)[order],
        time=flat_t[order],
        replication=np.zeros(len(order), dtype=np.int32),
        pathways=("p",),
        stages=tuple(StageInfo(f"p.s{i}", 0, int(stage_resource[i])) for i in range(n_stages)),
        resources=tuple(ResourceInfo(f"r{r}", 3 + r, WEEKDAYS if r % 2 else None)
                        for r in range(5)),
        horizon_days=horizon,
        warmup_days=warmup,
    )


def test_kpis_on_small_synthetic_log_is_sane():
    frame = kpis(synthetic_log(110_000))
    v = frame.set_index(["stage", "metric"])["value"]
    assert v[("", "arrivals_per_day")] == pytest.approx(10_000 / 730, rel=0.05)
    assert v[("", "wait_mean")] == pytest.approx(3 * 0.5, rel=0.05)
    assert v[("", "time_in_system_mean")] == pytest.approx(6 * 0.5, rel=0.05)
    # Little's law over the window holds approximately in steady state
    assert v[("", "number_present_mean")] == pytest.approx(
        v[("", "arrivals_per_day")] * v[("", "time_in_system_mean")], rel=0.05)


@pytest.mark.timing
def test_kpis_on_five_million_rows_is_fast():
    log = synthetic_log(5_000_000)
    assert len(log) > 4_900_000
    began = time.perf_counter()
    frame = kpis(log)
    elapsed = time.perf_counter() - began
    print(f"kpis on {len(log):,} rows: {elapsed:.2f} s")
    assert elapsed < 10.0
    assert frame["value"].notna().all()


def test_kpis_pair_the_visits_and_work_out_the_rtt_clocks_once(monkeypatch) -> None:
    """The two costliest derivations of a log (sorting its rows into visits, one RTT
    clock per patient) are shared by every KPI family that needs them, not redone by
    each: at a million registered patients each pass is a quarter of a second."""
    root = Path(__file__).resolve().parents[2]
    model = configure(pathways.load(root / "models" / "competitive.yaml"),
                      {"horizon_days": 200, "warmup_days": 50})
    log = simulate_replication(model, 0, 0)
    calls = {"build": 0, "rtt_clocks": 0}

    def counted(name, function):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)
        return wrapper

    for module_name, module in list(sys.modules.items()):
        if module_name.startswith("pathways.metrics"):
            for name, function in (("build", build), ("rtt_clocks", rtt_clocks)):
                for attribute, value in list(vars(module).items()):
                    if value is function:
                        monkeypatch.setattr(module, attribute, counted(name, function))
    levels = set(kpis(log).stage.str.split(":").str[0])
    assert {"", "deprivation_quintile", "condition", "provider"} <= levels
    assert calls == {"build": 1, "rtt_clocks": 1}
