"""The report's animation: replication 0's patients moving through the stages.

Built from ``animation.parquet`` (pathways.log.animation: who is where at each frame),
one figure per model, so each plays on its own. Each pathway is a row of cells, its
stages in pathway order; in a cell, patients waiting for the stage fill the left half
(open dots, the front of the queue first) and those in service the right half (filled
dots). Positions are small integers on a grid, and frames carry only positions and ids
(the styles are the first frame's), so that a few weeks of frames stay small.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from pathways.log.animation import IN_SERVICE, WAITING
from pathways.report.figures.common import FONT, MODEL_COLOURS, Figure, esc
from pathways.report.load import Results

#: Grid units of a cell: waiting dots in columns 1-5, in-service dots in 7-11.
DOTS_PER_ROW = 5
CELL_WIDTH = 12
#: The width of this many stages at least, so a short pathway's cells are not stretched.
MIN_COLUMNS = 8
_STATE_COLUMN = {WAITING: 1, IN_SERVICE: 7}
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # day 0 is a Monday
#: Most models animated (about 0.3 MB each in the demo): the report stays well under 10 MB.
MAX_ANIMATED_MODELS = 4
_FRAME_MS, _TRANSITION_MS = 600, 300
_WAITING_COLOUR, _SERVICE_COLOUR = "#D55E00", MODEL_COLOURS[0]


def animation_figures(results: Results) -> list[Figure]:
    """One animation per model with animation data, in the report's model order, the
    first MAX_ANIMATED_MODELS of them."""
    frames = results.animation
    if frames is None or frames.empty:
        return []
    labels = [label for label in results.labels if (frames["scenario"] == label).any()]
    left_out = labels[MAX_ANIMATED_MODELS:]
    return [_figure(f"animation-{i}", label, frames[frames["scenario"] == label], left_out)
            for i, label in enumerate(labels[:MAX_ANIMATED_MODELS])]


def with_animation(sections: dict[str, list[Figure]],
                   results: Results) -> dict[str, list[Figure]]:
    """The page's figure sections with the animation's right after "over-time", where
    the same weeks are seen as numbers."""
    items = list(sections.items())
    at = next((i + 1 for i, (name, _) in enumerate(items) if name == "over-time"), len(items))
    return dict([*items[:at], ("animation", animation_figures(results)), *items[at:]])


def _figure(key: str, label: str, rows: pd.DataFrame, left_out: list[str]) -> Figure:
    cells = _cells(rows)
    dot_rows = math.ceil((int(rows["position"].max()) + 1) / DOTS_PER_ROW)
    row_height = dot_rows + 4  # stage name, dots, "+N more"
    placed = _placed(rows, cells, row_height)
    times = _frame_times(rows)
    by_frame = dict(tuple(placed.groupby("frame", sort=False)))
    empty = placed.iloc[:0]
    moving = _traces(by_frame.get(times.index[0], empty), styled=True)
    fig = go.Figure(data=[*moving, _stage_names(cells, row_height)],
                    frames=[{"name": str(frame), "traces": list(range(len(moving))),
                             "data": _traces(by_frame.get(frame, empty))}
                            for frame in times.index])
    pathways = list(dict.fromkeys(cells["pathway"]))
    fig.update_layout(
        font={"family": FONT, "size": 13, "color": "#222"},
        paper_bgcolor="white", plot_bgcolor="white", height=150 + 70 * len(pathways),
        margin={"l": 20, "r": 20, "t": 40, "b": 110},
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
        xaxis={"visible": False,
               "range": [0, CELL_WIDTH * max(int(cells["column"].max()) + 1, MIN_COLUMNS)],
               "fixedrange": True},
        yaxis={"range": [row_height * len(pathways), 0], "fixedrange": True,
               "showgrid": False, "zeroline": False, "automargin": True,
               "tickvals": [row_height * (r + 0.5) for r in range(len(pathways))],
               "ticktext": [esc(p) for p in pathways]},
        shapes=[_cell_boxes(cells, row_height)],
        updatemenus=[_play_pause()], sliders=[_slider(times)])
    return Figure(key, f"{label}: patients moving through the stages",
                  _caption(label, rows, times, left_out), fig)


def _frame_times(rows: pd.DataFrame) -> pd.Series:
    """Simulated time of each frame up to the last with anyone in it; frames are evenly
    spaced, so those nobody was in (no rows) are filled in and show empty stages."""
    present = rows.groupby("frame", sort=True)["time_days"].first()
    if len(present) < 2:
        return present
    first, last = int(present.index[0]), int(present.index[-1])
    step_days = (present.iloc[-1] - present.iloc[0]) / (last - first)
    frames = np.arange(last + 1)
    return pd.Series(present.iloc[0] + (frames - first) * step_days, index=frames)


def _cells(rows: pd.DataFrame) -> pd.DataFrame:
    """The stages anyone was at in the window: pathway, stage, the pathway's row (in
    the model's order) and the stage's column (its order in the pathway)."""
    cells = rows.drop_duplicates("stage_index")[["pathway", "stage", "stage_index"]]
    cells = cells.sort_values("stage_index")
    first = cells.groupby("pathway", sort=False)["stage_index"].transform("min")
    cells = cells.assign(first=first).sort_values(["first", "stage_index"])
    cells["row"] = cells.groupby("first", sort=False).ngroup()
    cells["column"] = cells.groupby("row").cumcount()
    return cells.drop(columns="first").reset_index(drop=True)


def _placed(rows: pd.DataFrame, cells: pd.DataFrame, row_height: int) -> pd.DataFrame:
    """Each dot on the grid (x, y), with its id, state and frame."""
    at = rows.merge(cells[["stage_index", "row", "column"]], on="stage_index")
    offset = at["state"].map(_STATE_COLUMN).to_numpy()
    position = at["position"].to_numpy()
    return pd.DataFrame({
        "frame": at["frame"].to_numpy(),
        "state": at["state"].to_numpy(),
        "x": at["column"].to_numpy() * CELL_WIDTH + offset + position % DOTS_PER_ROW,
        "y": at["row"].to_numpy() * row_height + 2 + position // DOTS_PER_ROW,
        "id": pd.factorize(at["patient"])[0].astype(str),  # shorter than patient ids
        "hidden": at["hidden_patients"].to_numpy(),
        "label_x": at["column"].to_numpy() * CELL_WIDTH + offset + 2,
        "label_y": at["row"].to_numpy() * row_height + row_height - 1.3,
    })


def _traces(now: pd.DataFrame, styled: bool = False) -> list[dict]:
    """A frame's waiting dots, in-service dots and "+N more" labels (``now``: its
    placed dots); ``styled`` for the figure's own traces (frames inherit their styles).
    Plain dicts: plotly checks them once, in the figure, not once more per object."""
    traces = []
    for state in (WAITING, IN_SERVICE):
        dots = now[now["state"] == state]
        style: dict[str, object] = {} if not styled else {
            "name": "waiting for the stage" if state == WAITING else "in service",
            "mode": "markers", "hoverinfo": "skip",
            "marker": {"size": 7, "color": _WAITING_COLOUR if state == WAITING
                       else _SERVICE_COLOUR,
                       "symbol": "circle-open" if state == WAITING else "circle",
                       "line": {"width": 1.5}}}
        traces.append({"type": "scatter", "x": dots["x"].tolist(), "y": dots["y"].tolist(),
                       "ids": dots["id"].tolist(), **style})
    more = now[now["hidden"] > 0].drop_duplicates(["label_x", "label_y"])
    style = {} if not styled else {"mode": "text", "showlegend": False, "hoverinfo": "skip",
                                   "textfont": {"size": 10, "color": "#555"}}
    traces.append({"type": "scatter", "x": more["label_x"].tolist(),
                   "y": more["label_y"].tolist(),
                   "ids": [f"{x}:{y}" for x, y in
                           zip(more["label_x"], more["label_y"], strict=False)],
                   "text": [f"+{n} more" for n in more["hidden"]], **style})
    return traces


def _cell_boxes(cells: pd.DataFrame, row_height: int) -> dict:
    """A pale box per stage, so that an empty stage still shows where it is: one path
    for all (a browser draws one shape much faster than dozens)."""
    boxes = [f"M{c * CELL_WIDTH + 0.3},{r * row_height + 1.3}H{(c + 1) * CELL_WIDTH - 0.3}"
             f"V{(r + 1) * row_height - 0.4}H{c * CELL_WIDTH + 0.3}Z"
             for r, c in zip(cells["row"], cells["column"], strict=True)]
    return {"type": "path", "path": "".join(boxes), "layer": "below", "line": {"width": 0},
            "fillcolor": "#f3f3f3"}


def _stage_names(cells: pd.DataFrame, row_height: int) -> go.Scatter:
    """Each stage's name above its box: one text trace that frames leave alone (quicker
    to draw than an annotation per stage)."""
    return go.Scatter(x=(cells["column"] * CELL_WIDTH + CELL_WIDTH / 2).tolist(),
                      y=(cells["row"] * row_height + 0.7).tolist(),
                      text=[esc(stage) for stage in cells["stage"]], mode="text",
                      textfont={"size": 10}, showlegend=False, hoverinfo="skip")


def _play_pause() -> dict:
    play = {"frame": {"duration": _FRAME_MS, "redraw": False}, "fromcurrent": True,
            "transition": {"duration": _TRANSITION_MS, "easing": "linear"}, "mode": "immediate"}
    pause = {"frame": {"duration": 0, "redraw": False}, "transition": {"duration": 0},
             "mode": "immediate"}
    return {"type": "buttons", "direction": "left", "showactive": False, "x": 0,
            "xanchor": "left", "y": 0, "yanchor": "top", "pad": {"t": 10, "r": 10},
            "buttons": [{"label": "Play", "method": "animate", "args": [None, play]},
                        {"label": "Pause", "method": "animate", "args": [[None], pause]}]}


def _slider(times: pd.Series) -> dict:
    """A step per frame, named by simulated day and time of day (no dates: the model
    has none); the current one shows above the slider, plotly thins those below."""
    jump = {"frame": {"duration": 0, "redraw": False}, "transition": {"duration": 0},
            "mode": "immediate"}
    return {"active": 0, "x": 0.14, "len": 0.86, "y": 0, "yanchor": "top",
            "pad": {"t": 10}, "font": {"size": 10, "color": "#555"},
            "currentvalue": {"prefix": "simulated ", "font": {"size": 13, "color": "#222"}},
            "steps": [{"label": simulated_time(t), "method": "animate",
                       "args": [[str(frame)], jump]} for frame, t in times.items()]}


def simulated_time(time_days: float) -> str:
    """``day 365 (Tue) 12:00``: the model's own clock, day 0 a Monday."""
    day = math.floor(time_days)
    minutes = round((time_days - day) * 24 * 60)
    return f"day {day} ({_WEEKDAYS[day % 7]}) {minutes // 60:02d}:{minutes % 60:02d}"


def _caption(label: str, rows: pd.DataFrame, times: pd.Series, left_out: list[str]) -> str:
    step_hours = float(np.diff(times.to_numpy()).min()) * 24 if len(times) > 1 else 0.0
    capped = int(rows["hidden_patients"].max()) > 0
    cap = int(rows["position"].max()) + 1
    drawn = (f"At most {cap} dots are drawn per stage and state; \"+N more\" counts the "
             "rest." if capped else "Every patient present is drawn.")
    every = f"every {step_hours:g} hours " if step_hours else ""
    return (f"Each dot is one patient of replication 0 of {label}, where they were at "
            f"each frame: waiting for a stage (open dots, left of the stage's box, the "
            f"longest there first) or in service at it (filled dots, right: an "
            f"appointment, an operation, a bed, or a timed step such as reporting). "
            f"Frames {every}from {simulated_time(times.iloc[0])} (just after the warm-up) "
            f"to {simulated_time(times.iloc[-1])}; press Play or drag the slider. "
            f"{drawn} Patients between stages (a handoff, a transfer) are not drawn, "
            f"nor stages nobody was at in these weeks. One replication: an illustration "
            f"of the flow, not an estimate."
            + (f" To keep the report small, the first {MAX_ANIMATED_MODELS} models are "
               f"animated, not {', '.join(left_out)}." if left_out else ""))
