"""Stage edits: the shape of a pathway changed by name, as a redesign team says it.

`stage_edits:` (schema.StageEdit) insert, remove, bypass, merge, reroute or move
stages of the pathways they name, in the order written, after every overlay is
merged. The result is ordinary stages, so everything after the loader (lint, loads,
compilation, the engine, metrics) sees a pathway as if it had been written that way.

Routing is kept as probabilities: when a stage goes, the patients who would have gone
to it go where it would have sent them, in proportion (a stage's routing back to
itself left out); so removing or bypassing a stage never changes where patients end
up, only the visits on the way. A problem is reported at the edit, in the words of
the edit, and a pathway an edit leaves broken (a stage nobody reaches, a loop with no
way out) is reported at the last edit that changed it (`blame_edits`).
"""

from __future__ import annotations

import math
from typing import TypeVar

from pathways.config.errors import FieldPath, Finding, name_list, unknown_name
from pathways.config.lint import lint
from pathways.config.schema import EXIT, Arrival, Config, Fixed, Pathway, Stage, StageEdit

Routing = dict[str, float]
T = TypeVar("T")


def _given(value: T | None) -> T:
    """A field the edit's verb requires, which StageEdit's validator made sure is given."""
    if value is None:
        raise AssertionError("StageEdit lets no verb run without its fields")
    return value


class _EditError(Exception):
    """A problem with one edit: its field and the message."""

    def __init__(self, field: FieldPath, message: str, allowed: str | None = None,
                 suggestion: str | None = None):
        super().__init__(message)
        self.finding = Finding(field, message, allowed, suggestion)


def edit_pathways(config: Config) -> tuple[Config, list[Finding]]:
    """`config` with its stage edits applied, or (config, the problems found)."""
    if not config.stage_edits:
        return config, []
    pathways, arrivals = dict(config.pathways), list(config.arrivals)
    findings: list[Finding] = []
    for index, edit in enumerate(config.stage_edits):
        here = ("stage_edits", index)
        unknown = [f for j, name in enumerate(edit.pathways)
                   for f in unknown_name("pathway", name, pathways, (*here, "pathways", j),
                                         f"pathways ({name_list(pathways)})")]
        if unknown:
            findings += unknown
            continue
        for name in edit.pathways:
            try:
                pathways[name], arrivals = _apply(edit, name, pathways[name], arrivals)
            except _EditError as error:
                finding = error.finding
                findings.append(Finding((*here, *finding.path), finding.message,
                                        finding.allowed, finding.suggestion))
    if findings:
        return config, findings
    return config.model_copy(update={"pathways": pathways, "arrivals": arrivals}), []


def blame_edits(errors: list[Finding], before: Config, after: Config) -> list[Finding]:
    """Lint errors of the edited config, each error about a pathway an edit changed
    and not already wrong before the edits moved to the last edit on that pathway."""
    if not before.stage_edits or not errors:
        return errors
    already = {(f.path, f.message) for f in lint(before)[0]}
    last_edit = {name: i for i, edit in enumerate(before.stage_edits) for name in edit.pathways}
    blamed = []
    for finding in errors:
        pathway = finding.path[1] if finding.path[:1] == ("pathways",) else None
        if pathway in last_edit and (finding.path, finding.message) not in already:
            stage = ".".join(str(p) for p in finding.path[3:]) or pathway
            message = (f"after this edit, pathway {pathway!r} is broken at {stage}: "
                       f"{finding.message}")
            finding = Finding(("stage_edits", last_edit[pathway]), message)
        blamed.append(finding)
    return blamed


# --- one edit on one pathway ----------------------------------------------------------------


def _apply(edit: StageEdit, name: str, pathway: Pathway,
           arrivals: list[Arrival]) -> tuple[Pathway, list[Arrival]]:
    graph = _Graph(name, pathway, arrivals)
    getattr(graph, edit.verb)(edit)
    return graph.pathway(), graph.arrivals


class _Graph:
    """A pathway's stages and routing, edited in place, then rebuilt as a Pathway."""

    def __init__(self, name: str, pathway: Pathway, arrivals: list[Arrival]):
        self.name = name
        self.original = pathway
        self.stages: dict[str, Stage] = dict(pathway.stages)
        self.routes: dict[str, Routing] = {s: st.routing() for s, st in pathway.stages.items()}
        self.start = pathway.start_stage
        self.arrivals = arrivals

    # -- the verbs --

    def insert(self, edit: StageEdit) -> None:
        new, stage = _given(edit.insert), _given(edit.stage)
        anchor = _given(edit.before or edit.after)
        field = "before" if edit.before else "after"
        self._known(anchor, field)
        if new in self.stages:
            raise _EditError(("insert",), f"pathway {self.name!r} already has a stage {new!r}")
        given = stage.routing() if "next" in stage.model_fields_set else None
        if edit.before:
            self._redirect(anchor, {new: 1.0})
            self.routes[new] = given or {anchor: 1.0}
            self._place(new, stage, anchor, 0)
        else:
            self.routes[new] = given or self.routes[anchor]
            self.routes[anchor] = {new: 1.0}
            self._place(new, stage, anchor, 1)

    def remove(self, edit: StageEdit) -> None:
        gone = _given(edit.remove)
        self._known(gone, "remove")
        if len(self.stages) == 1:
            raise _EditError(("remove",), f"{gone!r} is the only stage of pathway {self.name!r}")
        onward = self._onward(gone, "remove")
        self._redirect(gone, onward)
        del self.stages[gone], self.routes[gone]

    def bypass(self, edit: StageEdit) -> None:
        skipped, share = _given(edit.bypass), _given(edit.share)
        self._known(skipped, "bypass")
        onward = self._onward(skipped, "bypass")
        if edit.to is not None:
            self._known(edit.to, "to", exit_allowed=True)
            if edit.to == skipped:
                raise _EditError(("to",), "patients who bypass a stage cannot go to it")
            onward = {edit.to: 1.0}
        split = {skipped: 1.0 - share} | {t: share * p for t, p in onward.items()}
        if self._is_entry(skipped):  # a routing step in front of the entry holds the split
            router = f"bypass_{skipped}"
            if router in self.stages:
                raise _EditError(("bypass",), f"pathway {self.name!r} already has a stage "
                                 f"{router!r}: bypass {skipped!r} once, with the whole share")
            self._redirect(skipped, {router: 1.0})
            self.routes[router] = _tidy(split)
            self._place(router, Stage(duration=Fixed(dist="fixed", value=0.0)), skipped, 0)
        else:
            self._redirect(skipped, split)

    def merge(self, edit: StageEdit) -> None:
        first, second = _given(edit.merge)
        self._known(first, "merge", 0)
        self._known(second, "merge", 1)
        via = self.routes[first].get(second, 0.0)
        if first == second or via == 0:
            raise _EditError(("merge",), f"{first!r} does not lead to {second!r}, so there "
                             "is no visit to merge")
        a, b = self.stages[first], self.stages[second]
        for stage_name, stage in ((first, a), (second, b)):
            if stage.cancel_if_next_full is not None:
                raise _EditError(("merge",), f"{stage_name!r} holds the next stage's resource "
                                 "(cancel_if_next_full): merge the stages that follow instead")
        if b.rtt_stop is not None and b.rtt_stop != a.rtt_stop:
            raise _EditError(("merge",), f"{second!r} stops the RTT clock and {first!r} does "
                             "not: a merged visit would stop it for patients who never reach "
                             f"{second!r}")
        routes = {t: p for t, p in self.routes[first].items() if t != second}
        for target, p in self.routes[second].items():
            routes[target] = routes.get(target, 0.0) + via * p
        fields = {"kind": edit.kind, "resource": None} if edit.kind is not None else {}
        merged = a.model_copy(update={"duration": _given(edit.duration), **fields,
                                      "currency": edit.currency or a.currency})
        self.stages[first], self.routes[first] = merged, _tidy(routes)
        into = edit.into or first
        if into != first:
            self._rename(first, into, "into")
        if not self._reached(second):
            del self.stages[second], self.routes[second]

    def reroute(self, edit: StageEdit) -> None:
        stage = _given(edit.reroute)
        self._known(stage, "reroute")
        if edit.next is not None:
            routes = {edit.next: 1.0} if isinstance(edit.next, str) else dict(edit.next)
            for target in routes:
                self._known(target, "next", exit_allowed=True)
            self.routes[stage] = routes
            return
        to, share = _given(edit.to), _given(edit.share)
        self._known(to, "to", exit_allowed=True)
        old = self.routes[stage]
        rest = math.fsum(p for t, p in old.items() if t != to)
        if rest == 0 and share < 1:
            raise _EditError(("share",), f"{stage!r} sends everyone to {to!r}, so there "
                             "are no other routes to give the rest: write next: instead")
        scale = (1.0 - share) / rest if rest else 0.0
        self.routes[stage] = _tidy({t: p * scale for t, p in old.items() if t != to}
                                   | {to: share})

    def move(self, edit: StageEdit) -> None:
        stage = _given(edit.move)
        self._known(stage, "move")
        update: dict[str, object] = {"kind": edit.kind, "resource": edit.resource}
        if edit.duration is not None:
            update["duration"] = edit.duration
        if edit.currency is not None:
            update["currency"] = edit.currency
        self.stages[stage] = self.stages[stage].model_copy(update=update)

    # -- helpers --

    def _known(self, stage: str, field: str, index: int | None = None,
               exit_allowed: bool = False) -> None:
        known = [*self.stages, EXIT] if exit_allowed else list(self.stages)
        path: FieldPath = (field,) if index is None else (field, index)
        findings = unknown_name("stage", stage, known, path,
                                f"stages of pathway {self.name!r} ({name_list(known)})")
        if findings:
            f = findings[0]
            raise _EditError(f.path, f"pathway {self.name!r} has no {f.message[8:]}",
                             f.allowed, f.suggestion)

    def _onward(self, stage: str, field: str) -> Routing:
        """Where `stage` sends its patients, its routing back to itself left out."""
        routes = self.routes[stage]
        loop = routes.get(stage, 0.0)
        if loop >= 1.0:
            raise _EditError((field,), f"{stage!r} only leads back to itself")
        return {t: p / (1.0 - loop) for t, p in routes.items() if t != stage}

    def _is_entry(self, stage: str) -> bool:
        return stage == self.start or any(
            a.pathway == self.name and a.start == stage for a in self.arrivals)

    def _reached(self, stage: str) -> bool:
        return self._is_entry(stage) or any(
            stage in routes for s, routes in self.routes.items() if s != stage)

    def _redirect(self, stage: str, onward: Routing) -> None:
        """Every route into `stage` (from stages other than itself) now goes to `onward`
        instead, its probability shared out; an entry at `stage` moves to `onward`'s one
        stage (several: an error)."""
        for source, routes in self.routes.items():
            if source == stage or stage not in routes:
                continue
            p = routes.pop(stage)
            for target, q in onward.items():
                routes[target] = routes.get(target, 0.0) + p * q
            self.routes[source] = _tidy(routes)
        if not self._is_entry(stage) or stage in onward:
            return
        entries = [t for t in onward if t != EXIT]
        if len(onward) != 1 or not entries:
            raise _EditError((), f"{stage!r} is where patients enter pathway {self.name!r} "
                             "and it does not lead to exactly one other stage; bypass it "
                             "for a share of patients, or insert a stage before it")
        self._rename_entry(stage, entries[0])

    def _rename_entry(self, old: str, new: str) -> None:
        if self.start == old:
            self.start = new
        self.arrivals = [a.model_copy(update={"start": new})
                         if a.pathway == self.name and a.start == old else a
                         for a in self.arrivals]

    def _rename(self, old: str, new: str, field: str) -> None:
        if new in self.stages:
            raise _EditError((field,), f"pathway {self.name!r} already has a stage {new!r}")
        self.stages = {new if s == old else s: st for s, st in self.stages.items()}
        self.routes = {new if s == old else s: {new if t == old else t: p for t, p in r.items()}
                       for s, r in self.routes.items()}
        self._rename_entry(old, new)

    def _place(self, new: str, stage: Stage, anchor: str, offset: int) -> None:
        """Adds `new` just before (offset 0) or after (1) `anchor`, in written order."""
        names = [s for s in self.stages if s != new]
        names.insert(names.index(anchor) + offset, new)
        self.stages = {s: (stage if s == new else self.stages[s]) for s in names}

    def pathway(self) -> Pathway:
        stages = {s: stage.model_copy(update={"next": _next(self.routes[s])})
                  for s, stage in self.stages.items()}
        return self.original.model_copy(update={"stages": stages, "start": self.start})


def _tidy(routes: Routing) -> Routing:
    """Routes without those of probability zero (kept in order)."""
    return {t: p for t, p in routes.items() if p > 0}


def _next(routes: Routing) -> str | dict[str, float]:
    """A stage's `next` as it would be written: one name, or a mapping of shares."""
    if len(routes) == 1 and math.isclose(next(iter(routes.values())), 1.0):
        return next(iter(routes))
    return routes or EXIT
