"""The house rules a reader relies on: the data flows one way between the stages of
pathways/, modules stay small, and the repository stands on its own."""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PACKAGE = ROOT / "pathways"
#: The stages in the order data flows through them; a stage may import only from itself
#: and earlier stages. The event log is the engine's output format, so the engine builds
#: it from its types: log comes before engine here, and never imports it. cli drives
#: the report, so it comes last.
FLOW = ("config", "model", "log", "engine", "metrics", "stats", "experiment", "report", "cli")
MAX_MODULE_LINES = 500


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "pathways" and parts[1] in FLOW else None


def _imports(path: Path, package: str = "pathways") -> set[str]:
    """Every module of `package` that `path` imports, at the top or inside a function
    (``from a.b import c`` counts as ``a.b`` and ``a.b.c``)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name == package or name.startswith(package + ".")}


def test_no_stage_imports_from_a_later_stage() -> None:
    backwards = []
    for path in _modules():
        own = _stage(".".join(path.relative_to(ROOT).with_suffix("").parts))
        if own is None:
            continue
        for imported in _imports(path):
            stage = _stage(imported)
            if stage is not None and FLOW.index(stage) > FLOW.index(own):
                backwards.append(f"{path.relative_to(ROOT)} imports {imported}")
    assert not backwards, "\n".join(backwards)


def test_the_cli_commands_do_not_import_the_entry_point() -> None:
    circle = [str(path.relative_to(ROOT)) for path in (PACKAGE / "cli").glob("*.py")
              if path.name not in ("main.py", "__main__.py")
              and "pathways.cli.main" in _imports(path)]
    assert not circle, circle


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_is_at_most_500_lines(path: Path) -> None:
    assert len(path.read_text().splitlines()) <= MAX_MODULE_LINES


def test_no_private_simpy_name_is_imported() -> None:
    uses = [f"{path.relative_to(ROOT)}: {name}" for path in _modules()
            for name in _imports(path, "simpy") if "._" in name]
    assert not uses, uses


def test_no_file_cites_notes_outside_the_repository() -> None:
    """Users have only what is in the repository: nothing may point at the notes beside
    it that the project was started from."""
    outside = "../" + "shared"
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    citing = [name for name in tracked if (ROOT / name).is_file()
              and outside in (ROOT / name).read_text(errors="ignore")]
    assert not citing, citing
