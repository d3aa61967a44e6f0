"""Assumptions and provenance: what was run, with what, and whether the report can show
the configuration files exactly as they were run.

A configuration file listed in the manifest is shown only when it still exists and
its SHA-256 is the one recorded at run time; otherwise the report says plainly that
it changed or is gone. The STRESS-DES checklist (Monks et al. 2019) is filled in from
what the manifest and the results record; every other item reads "not recorded".
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pathways.metrics import LEVEL_PREFIXES, RESOURCE_PREFIX, list_series
from pathways.report.load import SYSTEM, Results
from pathways.report.wording import counted
from pathways.stats import warmup_check

#: Longest configuration text shown (a long CSV is cut, and the cut is said).
MAX_FILE_CHARS = 200_000
NOT_RECORDED = "not recorded"


@dataclass(frozen=True)
class ConfigFile:
    path: str
    recorded_sha256: str | None
    status: str  # "matches", "changed", "missing", "unverified" (no hash recorded)
    text: str | None  # shown only when it matches, or when no hash was recorded
    note: str


def config_files(results: Results) -> list[ConfigFile]:
    """Every configuration file the manifest lists, checked against its recorded hash."""
    return [_check(path, sha) for path, sha in _listed_files(results)]


def _listed_files(results: Results) -> list[tuple[str, str | None]]:
    manifest = results.manifest
    entries: list[tuple[str, str | None]] = []
    if results.kind == "sweep":
        runner = manifest.get("runner") or {}
        if runner.get("path"):
            entries.append((str(runner["path"]), runner.get("sha256")))
        if manifest.get("config_files"):
            entries += [(str(f.get("path")), f.get("sha256")) for f in manifest["config_files"]]
        else:  # an older sweep manifest lists the model files without hashes
            entries += [(str(path), None) for path in manifest.get("model_files") or []]
    elif results.kind == "compare":
        for model in _per_model(results).values():
            entries += [(str(f.get("path")), f.get("sha256")) for f in model.get("config_files")
                        or []]
    else:
        entries += [(str(f.get("path")), f.get("sha256")) for f in manifest.get("config_files")
                    or []]
    return list(dict.fromkeys(entries))


def _check(path: str, sha: str | None) -> ConfigFile:
    file = Path(path)
    if not file.is_file():
        where = ("" if file.is_absolute() else
                 f" at this path, relative to the folder the report was built in ({Path.cwd()})")
        return ConfigFile(path, sha, "missing", None,
                          f"This file no longer exists{where}, so it cannot be shown.")
    data = file.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    text = data.decode("utf-8", errors="replace")
    if len(text) > MAX_FILE_CHARS:
        text = (text[:MAX_FILE_CHARS] + f"\n... (cut: the file has {len(text):,} characters, "
                f"the first {MAX_FILE_CHARS:,} are shown)")
    if sha is None:
        return ConfigFile(path, None, "unverified", text,
                          "No SHA-256 was recorded for this file when it was run, so this is "
                          "the file as it is now, which may differ from what was run.")
    if actual != sha:
        return ConfigFile(path, sha, "changed", None,
                          f"This file has changed since it was run (its SHA-256 is now "
                          f"{actual}), so it is not shown: it is not what was run.")
    return ConfigFile(path, sha, "matches", text,
                      "Unchanged since it was run (SHA-256 matches).")


@dataclass(frozen=True)
class WarmupFinding:
    where: str  # a model, or "point 3, model"
    message: str
    sufficient: bool


def warmup_findings(results: Results) -> tuple[list[WarmupFinding], str]:
    """Warm-up checks and where they come from: a sweep's manifest records them; for a
    run or a comparison the report runs MSER-5 on each model's total waiting list."""
    if results.kind == "sweep":
        warnings = results.manifest.get("warmup_warnings")
        if warnings is None:
            return [], "The sweep's manifest records no warm-up check."
        source = ("From the sweep's manifest: MSER-5 on each model's total waiting list at "
                  "each point (mean over replications).")
        return [WarmupFinding("", str(w), False) for w in warnings], source
    if results.timeseries is None:
        return [], "No time series was stored, so the warm-up could not be checked."
    lists = list_series(results.timeseries)
    if lists.empty:
        return [], "No waiting-list series was stored, so the warm-up could not be checked."
    findings = []
    totals = lists.groupby(["scenario", "replication", "time_days"], sort=True)["value"].sum()
    for label in results.labels:
        warmup = results.warmup_days(label)
        if label not in totals.index.get_level_values("scenario") or warmup is None:
            continue
        wide = totals.loc[label].unstack("time_days")
        check = warmup_check(np.asarray(wide.columns, dtype=float), wide.to_numpy(dtype=float),
                             warmup, label="the waiting list")
        findings.append(WarmupFinding(label, check.message, check.sufficient))
    source = ("Computed for this report from the stored time series: MSER-5 on each model's "
              "total waiting list (mean over replications), against the configured warm-up.")
    return findings, source


def manifest_facts(results: Results) -> list[tuple[str, str]]:
    """The manifest's key entries as (what, value) rows, in plain words."""
    m = results.manifest
    facts: list[tuple[str, str]] = [("results folder", str(results.folder)),
                                    ("kind", {"run": "a single model's run",
                                              "compare": "a comparison on common random numbers",
                                              "sweep": "a parameter sweep"}[results.kind])]
    facts.append(("models", ", ".join(results.labels)))
    if results.baseline:
        facts.append(("baseline", results.baseline))
    facts.append(("seed", str(m.get("seed", NOT_RECORDED))))
    facts.append(("replications", results.replications()))
    for label in results.labels:
        horizon, warmup = results.horizon_days(label), results.warmup_days(label)
        prefix = f"{label}: " if len(results.labels) > 1 else ""
        facts.append((f"{prefix}run length", "not recorded" if horizon is None
                      else f"{horizon:g} days"))
        facts.append((f"{prefix}warm-up", "not recorded" if warmup is None
                      else f"{warmup:g} days"))
    if results.kind == "run":
        facts.append(("config hash", str(m.get("config_hash", NOT_RECORDED))))
    elif results.kind == "compare":
        for label, entry in _per_model(results).items():
            facts.append((f"{label}: config hash", str(entry.get("config_hash", NOT_RECORDED))))
    else:
        runner = m.get("runner") or {}
        runner_text = (f"{runner.get('path', NOT_RECORDED)} (SHA-256 "
                       f"{runner.get('sha256', NOT_RECORDED)})")
        facts.append(("runner", runner_text))
        if results.parameters:
            facts.append(("parameters swept", ", ".join(results.parameters)))
            facts.append(("design points", str(len(results.point_ids))))
        timings = m.get("timings") or {}
        for key, value in timings.items():
            facts.append((f"timing: {key.replace('_', ' ')}", str(value)))
    facts.append(("command", command(results)))
    for name, version in (m.get("versions") or {}).items():
        facts.append((f"version: {name}", str(version)))
    return facts


def _per_model(results: Results) -> dict[str, dict]:
    """A comparison manifest's per-model entries, in the models' order (the manifest
    itself is written with sorted keys)."""
    models = results.manifest.get("models") or {}
    if not isinstance(models, dict):
        return {}
    ordered = [label for label in results.labels if label in models]
    return {label: models[label] for label in ordered + sorted(set(models) - set(ordered))}


def configuration_warnings(results: Results) -> list[str]:
    """The warnings each model's configuration gave when it was loaded (an offered load
    at or near 1, an unused resource), as the manifest records them, each prefixed with
    its model where there are several."""
    per_model = _per_model(results)
    if not per_model:
        return [str(w) for w in results.manifest.get("configuration_warnings") or []]
    return [f"{label}: {w}" for label, entry in per_model.items() if isinstance(entry, dict)
            for w in entry.get("configuration_warnings") or []]


def command(results: Results) -> str:
    if results.manifest.get("command"):
        return str(results.manifest["command"])
    runner = (results.manifest.get("runner") or {}).get("path")
    if results.kind == "sweep" and runner:
        return f"pathways sweep {runner} --out {results.folder}"
    return NOT_RECORDED


# --- STRESS-DES ---------------------------------------------------------------------------

#: (section, item number, item name) of the STRESS-DES checklist (Monks et al. 2019).
STRESS_ITEMS = (
    ("Objectives", "1.1", "Purpose of the model"),
    ("Objectives", "1.2", "Model outputs"),
    ("Objectives", "1.3", "Experimentation aims"),
    ("Logic", "2.1", "Base model overview diagram"),
    ("Logic", "2.2", "Base model logic"),
    ("Logic", "2.3", "Scenario logic"),
    ("Logic", "2.4", "Algorithms"),
    ("Logic", "2.5.1", "Components: entities"),
    ("Logic", "2.5.2", "Components: activities"),
    ("Logic", "2.5.3", "Components: resources"),
    ("Logic", "2.5.4", "Components: queues"),
    ("Logic", "2.5.5", "Components: entry and exit points"),
    ("Data", "3.1", "Data sources"),
    ("Data", "3.2", "Pre-processing"),
    ("Data", "3.3", "Input parameters"),
    ("Data", "3.4", "Assumptions"),
    ("Experimentation", "4.1", "Initialisation"),
    ("Experimentation", "4.2", "Run length"),
    ("Experimentation", "4.3", "Estimation approach"),
    ("Implementation", "5.1", "Software or programming language"),
    ("Implementation", "5.2", "Random sampling"),
    ("Implementation", "5.3", "Model execution"),
    ("Implementation", "5.4", "System specification"),
    ("Code access", "6.1", "Computer model sharing statement"),
)
_SOURCE_LINE = re.compile(r"\bsources?\b\s*:", re.IGNORECASE)


def stress_checklist(results: Results, files: list[ConfigFile],
                     warmups: list[WarmupFinding]) -> list[tuple[str, str, str, str]]:
    """(section, number, item, what the report knows or "not recorded") per item."""
    known = _stress_known(results, files, warmups)
    return [(section, number, item, known.get(number, NOT_RECORDED))
            for section, number, item in STRESS_ITEMS]


def _listing(names: list[str], most: int = 12) -> str:
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def _stress_known(results: Results, files: list[ConfigFile],
                  warmups: list[WarmupFinding]) -> dict[str, str]:
    m = results.manifest
    summary = results.summary
    labels = list(results.labels)
    known: dict[str, str] = {}
    if results.kind == "run":
        known["1.1"] = f"Model run: {labels[0]}."
    else:
        others = [label for label in labels if label != results.baseline]
        known["1.1"] = (f"Models compared: {', '.join(labels)}"
                        + (f" (baseline {results.baseline}; compared: {', '.join(others)})"
                           if results.baseline else "") + ".")
    system = summary[summary["stage"] == SYSTEM]["metric"].nunique()
    levels = summary[summary["stage"] != SYSTEM]["stage"].nunique()
    known["1.2"] = (f"{system} whole-system metrics and metrics at {levels} further levels "
                    "(stages, resources, handoff pairs, equity groups, conditions, wait "
                    "quantiles), each a mean with a 95% confidence interval over replications "
                    "(KPI table).")
    if results.kind == "compare":
        known["1.3"] = ("Paired differences of every model from the baseline on common random "
                        "numbers, with 95% confidence intervals.")
    elif results.kind == "sweep":
        known["1.3"] = (f"Every model at each of {len(results.point_ids)} design points over "
                        f"{', '.join(results.parameters) or 'no parameters'}"
                        + (f"; paired differences from {results.baseline}"
                           if results.baseline else "") + ".")
    model_files = [f.path for f in files if f.path.endswith((".yaml", ".yml"))]
    if results.kind == "sweep" and m.get("model_files"):
        model_files = [str(p) for p in m["model_files"]]
    if model_files:
        known["2.2"] = f"Model files: {_listing(model_files)} (shown below where unchanged)."
    if results.kind == "compare":
        per_model = []
        for label, entry in _per_model(results).items():
            paths = [str(f.get("path")) for f in entry.get("config_files") or []]
            if paths:
                per_model.append(f"{label}: {paths[0]}")
        if per_model:
            known["2.3"] = "Each model's file: " + "; ".join(per_model) + "."
    elif results.kind == "sweep" and results.parameters:
        known["2.3"] = ("Each model at every design point, with the configuration paths "
                        f"{', '.join(results.parameters)} set to the point's values.")
    stages = [s for s in dict.fromkeys(summary["stage"])
              if s != SYSTEM and not s.startswith(LEVEL_PREFIXES)]
    if stages:
        known["2.5.2"] = f"{counted(len(stages), 'stage')}: {_listing(stages)}."
    resources = [s[len(RESOURCE_PREFIX):] for s in dict.fromkeys(summary["stage"])
                 if s.startswith(RESOURCE_PREFIX)]
    if resources:
        known["2.5.3"] = f"{len(resources)} resources: {_listing(resources)}."
    data_files = [f.path for f in files if not f.path.endswith((".yaml", ".yml"))]
    cited = sorted({line.strip().lstrip("#").strip() for f in files if f.text
                    for line in f.text.splitlines() if _SOURCE_LINE.search(line)})
    sources = []
    if data_files:
        sources.append(f"data files: {_listing(data_files)}")
    if cited:
        sources.append("sources cited in the configuration files: " + " | ".join(cited[:8])
                       + (f" (and {len(cited) - 8} more)" if len(cited) > 8 else ""))
    if sources:
        text = "; ".join(sources)
        known["3.1"] = text[0].upper() + text[1:] + "."
    shown = [f for f in files if f.text is not None]
    if shown:
        known["3.3"] = ("The configuration files as run, under Assumptions and provenance "
                        f"({len(shown)} of {len(files)} shown).")
    warm = [f"{label}: {w:g} days" for label in labels
            if (w := results.warmup_days(label)) is not None]
    if warm:
        insufficient = [f for f in warmups if not f.sufficient]
        check = (f" Warm-up check (MSER-5): {len(insufficient)} warning(s), see Assumptions "
                 "and provenance." if insufficient else
                 (" Warm-up check (MSER-5): see Assumptions and provenance." if warmups
                  else ""))
        known["4.1"] = ("Statistics leave out a warm-up of " + "; ".join(warm) + "." + check)
    horizons = [f"{label}: {h:g} days" for label in labels
                if (h := results.horizon_days(label)) is not None]
    if horizons:
        known["4.2"] = "Simulated time " + "; ".join(horizons) + "."
    known["4.3"] = (f"{counted(results.replications(), 'replication')} per model, root seed "
                    f"{m.get('seed', NOT_RECORDED)}; 95% Student-t confidence intervals over "
                    "replications" + ("; paired differences on common random numbers."
                                      if results.baseline else "."))
    versions = m.get("versions") or {}
    if versions:
        known["5.1"] = ", ".join(f"{name} {version}" for name, version in versions.items()) + "."
    if "seed" in m:
        known["5.2"] = (f"Root seed {m['seed']}; " + (
            "replication i of every model uses the same random streams (common random "
            "numbers)." if len(labels) > 1 else "each replication draws from its own random "
            "streams."))
    executor = (m.get("timings") or {}).get("executor")
    if executor:
        known["5.3"] = f"Executor: {executor}."
    if command(results) != NOT_RECORDED:
        known["6.1"] = f"Run again with: {command(results)}"
    return known
