"""Issue 16, part 5 in a real browser: the report's animation plays offline in headless
Chromium. A frame is jumped to with Plotly.animate, then Play is clicked as a reader
would (a mouse click on the button); each time the patients drawn must have moved (a
patient's dot in another place, or other patients), with no console errors.

Then Pause is clicked: the animation must stop there, and no error may be logged
(Plotly rejects an interrupted animation's promise and its buttons do not catch it;
the page silences exactly those rejections).

A clinic that cannot keep up is run for one replication, so its queue moves every frame.
Slow, like the other browser tests (see test_browser.py for how Chromium is driven).
"""

import asyncio

import pytest

from tests.report.test_browser import (
    SIZE_LIMIT_BYTES,
    find_chromium,
    invoke,
    open_page,
    problems_in,
    running_chromium,
)

pytestmark = pytest.mark.slow

BUSY_CLINIC = """
name: busy
horizon_days: 60
warmup_days: 10
resources:
  clinicians: {capacity: 2}
  nurses: {capacity: 3}
arrivals:
  - {pathway: clinic, rate_per_day: 6}
pathways:
  clinic:
    start: consult
    stages:
      consult: {resource: clinicians, duration: {dist: exponential, mean: 0.4}, next: dressing}
      dressing: {resource: nurses, duration: {dist: exponential, mean: 0.3}, next: exit}
"""
FIGURE = "fig-animation-0"

# Every dot drawn: "trace:patient id" -> its SVG transform, and the slider's frame.
DOTS = f"""(() => {{
  const gd = document.getElementById('{FIGURE}');
  const dots = {{}};
  gd.querySelectorAll('.scatterlayer .trace').forEach((trace, t) => {{
    trace.querySelectorAll('path.point').forEach(point => {{
      dots[t + ':' + point.__data__.id] = point.getAttribute('transform');
    }});
  }});
  return {{frame: gd._fullLayout.sliders[0].active, dots: dots,
          current: gd.querySelector('text.slider-label').textContent}};  // the first: now
}})()"""

# The centre of the animation's Play (0) or Pause (1) button, scrolled into view.
BUTTON = """(() => {{
  const gd = document.getElementById('{figure}');
  gd.scrollIntoView();
  const box = gd.querySelectorAll('.updatemenu-button')[{index}].getBoundingClientRect();
  return {{x: box.x + box.width / 2, y: box.y + box.height / 2}};
}})()"""

JUMP = f"""Plotly.animate('{FIGURE}', ['5'], {{mode: 'immediate',
  frame: {{duration: 0, redraw: false}}, transition: {{duration: 0}}}})
  .then(() => true)"""


def moved(before: dict, after: dict) -> bool:
    """Whether the patients drawn changed: another set, or one of them elsewhere."""
    common = before.keys() & after.keys()
    return before.keys() != after.keys() or any(before[k] != after[k] for k in common)


async def click(devtools, session, button: int) -> None:
    at = await devtools.evaluate(session, BUTTON.format(figure=FIGURE, index=button))
    for kind in ("mousePressed", "mouseReleased"):
        await devtools.send("Input.dispatchMouseEvent", session, type=kind, x=at["x"],
                            y=at["y"], button="left", clickCount=1)


async def jump_then_play(devtools, session) -> dict:
    """The dots at the first frame, at frame 5, after Play ran on from there, and the
    frame shown just after Pause and a second later."""
    first = await devtools.evaluate(session, DOTS)
    reply = await devtools.send("Runtime.evaluate", session, expression=JUMP,
                                awaitPromise=True, returnByValue=True)
    assert "exceptionDetails" not in reply, reply
    jumped = await devtools.evaluate(session, DOTS)
    await click(devtools, session, 0)
    await asyncio.sleep(2.5)
    played = await devtools.evaluate(session, DOTS)
    await click(devtools, session, 1)
    await asyncio.sleep(0.5)
    paused = await devtools.evaluate(session, DOTS)
    await asyncio.sleep(1.0)
    still = await devtools.evaluate(session, DOTS)
    return {"first": first, "jumped": jumped, "played": played, "paused": paused,
            "still": still}


@pytest.fixture
def report(tmp_path):
    config = tmp_path / "busy.yaml"
    config.write_text(BUSY_CLINIC)
    out = tmp_path / "results"
    invoke("run", config, "-n", 1, "--seed", 0, "-q", "--out", out)
    return out / "report.html"


def test_the_animation_plays_and_patients_move(report, tmp_path):
    chromium = find_chromium()
    assert report.stat().st_size < SIZE_LIMIT_BYTES
    with running_chromium(chromium, tmp_path) as ws_url:
        seen = asyncio.run(open_page(ws_url, report, jump_then_play))
    failures = problems_in(seen["events"])
    first, jumped, played = (seen["inspected"][k] for k in ("first", "jumped", "played"))
    print(f"\nframe 0: {len(first['dots'])} dots ({first['current']}); frame 5: "
          f"{len(jumped['dots'])} dots; after Play: frame {played['frame']} "
          f"({played['current']})")
    states = {key.split(":")[0] for key in first["dots"]}
    if states != {"0", "1"}:
        failures.append(f"the first frame draws patients of traces {sorted(states)}, not "
                        "both waiting (0) and in service (1): two busy clinics have both")
    if first["current"] != "simulated day 10 (Thu) 12:00":
        failures.append(f"the slider starts at {first['current']!r}, not the warm-up's end")
    if jumped["frame"] != 5:
        failures.append(f"Plotly.animate to frame 5 left the slider at {jumped['frame']}")
    if not moved(first["dots"], jumped["dots"]):
        failures.append("at frame 5 the patients are drawn where they were at the first frame")
    if played["frame"] <= 5:
        failures.append(f"Play left the slider at frame {played['frame']}, not past frame 5")
    if not moved(jumped["dots"], played["dots"]):
        failures.append("after Play the patients are drawn where they were at frame 5")
    paused, still = (seen["inspected"][k] for k in ("paused", "still"))
    if still["frame"] != paused["frame"]:
        failures.append(f"after Pause the slider went on from {paused['frame']} to "
                        f"{still['frame']}")
    assert not failures, "the animation in Chromium:\n" + "\n".join(failures)
