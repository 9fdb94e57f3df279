"""Server time of the app's most frequent redraws, in AppTest (no browser, no network).

- a Next click on the step-through page (the whole page reruns);
- a tick of the Train page's live fragment while a run trains at the room's pace (only the fragment
  reruns, as its ``run_every`` timer makes it in the browser: progress, metrics, both charts, graph).

AppTest has no call for a fragment's own rerun; ``fragment_rerun`` asks its script runner for one
the way Streamlit's timer does (a rerun request naming the fragment).
"""
from __future__ import annotations

import contextlib
import functools
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
TICK_SECONDS = 0.2  # pages/3_Train.py's fragment timer


@contextlib.contextmanager
def throwaway_store() -> Iterator[None]:
    """Lessons the pages save go to a temporary database, never the user's own."""
    saved = os.environ.get("BACKPROP_LAB_DB")
    with tempfile.TemporaryDirectory(prefix="backprop-lab-bench-") as folder:
        os.environ["BACKPROP_LAB_DB"] = str(Path(folder) / "lessons.sqlite3")
        try:
            yield
        finally:
            if saved is None:
                os.environ.pop("BACKPROP_LAB_DB")
            else:
                os.environ["BACKPROP_LAB_DB"] = saved


def fragment_rerun(at, fragment_id: str):
    """Rerun only the fragment ``fragment_id`` of the AppTest ``at``, as its timer would."""
    from streamlit.runtime.scriptrunner_utils.script_requests import RerunData
    from streamlit.testing.v1 import local_script_runner

    local_script_runner.RerunData = functools.partial(RerunData, fragment_id_queue=[fragment_id], is_auto_rerun=True)
    try:
        return at.run()
    finally:
        local_script_runner.RerunData = RerunData


def measure(clicks: int) -> tuple[list[float], list[float]]:
    """Seconds of ``clicks`` Next clicks and of ``clicks`` ticks of the Train page's live fragment."""
    from streamlit.testing.v1 import AppTest

    with throwaway_store():
        step = AppTest.from_file(str(ROOT / "pages" / "2_Step_through.py"), default_timeout=120).run()
        next_times = []
        for _ in range(clicks):
            if step.button(key="step_next").disabled:
                step.button(key="step_reset").click().run()
            began = time.perf_counter()
            step.button(key="step_next").click().run()
            next_times.append(time.perf_counter() - began)
        train = AppTest.from_file(str(ROOT / "pages" / "3_Train.py"), default_timeout=120).run()
        train.button(key="train_start").click().run()
        [live] = list(train._fragment_storage._fragments)  # the page's one fragment
        tick_times, epochs = [], []
        for _ in range(clicks):
            time.sleep(TICK_SECONDS)  # the run goes on meanwhile, as between two real ticks
            began = time.perf_counter()
            fragment_rerun(train, live)
            tick_times.append(time.perf_counter() - began)
            epochs.append(train.session_state["job"].progress().epoch)
        drawn = [json.loads(chart.proto.spec) for chart in train.get("plotly_chart")]
        charts = any("Loss per epoch" in d["layout"].get("title", {}).get("text", "") for d in drawn)
        graph = any(trace.get("name") == "neurons" for d in drawn for trace in d["data"])
        if train.exception or not (charts and graph) or epochs[-1] <= epochs[0]:
            raise SystemExit("the Train page's live fragment did not redraw a training run")
        train.session_state["job"].stop()
    return next_times, tick_times
