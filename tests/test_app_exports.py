"""Exports on the pages: the step-through's pass as CSV, JSON and LaTeX, the Train page's run as an HTML
animation, and a PNG button on the figures a lecturer takes into slides."""
import json
import re
import time

import numpy as np
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from apptest import lesson, lesson_id, no_errors, open_page, settle
from core import ExperimentSettings, load_seeds, prepare, trace_csv, trace_dict, trace_latex, walk_through


@pytest.fixture
def deferred(monkeypatch):
    """The files behind download buttons whose data is built on click: file id → the function that builds it."""
    made = {}
    register = MediaFileManager.add_deferred

    def add(self, data_callable, *args, **kwargs):
        file_id = register(self, data_callable, *args, **kwargs)
        made[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", add)
    return made


def download(at, deferred, key: str) -> str:
    button = next(b for b in at.get("download_button") if b.proto.id.endswith(f"-{key}"))
    assert not button.proto.disabled
    return deferred[button.proto.deferred_file_id]()


def test_the_step_through_exports_the_pass_on_screen(deferred):
    at = open_page("pages/2_Step_through.py", sample="7", step="4", lr="0.3")
    no_errors(at)
    data = load_seeds()
    experiment = prepare(data, ExperimentSettings())
    walk = walk_through(lesson(at).network, experiment.inputs[7], [1.0, 0.0, 0.0], 0.3, experiment.input_names,
                        data.class_names, digits=6)
    assert download(at, deferred, "export_csv") == trace_csv(walk)
    assert json.loads(download(at, deferred, "export_json")) == json.loads(json.dumps(trace_dict(walk)))
    held = "validation" if 7 in experiment.validation_rows else "training"
    latex = download(at, deferred, "export_latex")
    assert latex == trace_latex(walk, f"row 7 of {data.name} ({held} row)")
    assert latex.count("\\begin{aligned}") == len(walk.steps) + 2


def test_a_finished_run_downloads_as_an_animation_that_plays_offline(deferred):
    at = open_page("pages/3_Train.py")
    at.select_slider(key="_w_train_pace").set_value("instant").run()
    at.number_input(key="_w_tr_epochs").set_value(30).run()
    at.button(key="train_start").click().run()
    settle(at)
    no_errors(at)
    html = download(at, deferred, "download_animation")
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.I) and "Plotly.addFrames" in html
    network = lesson(at).network
    shown = set(re.findall(r"w = (-?[0-9.e+-]+)", html))
    assert {repr(float(v)) for w in network.weights for v in w[:, :-1].ravel()} <= shown
    assert html.count('"name":"30"') + html.count('"name": "30"') == 1  # the last epoch's frame


def test_the_figures_for_slides_have_a_png_button_and_nothing_else():
    at = open_page("pages/2_Step_through.py")
    config = json.loads(at.get("plotly_chart")[0].proto.config)
    assert config["modeBarButtons"] == [["toImage"]] and config["displaylogo"] is False
    assert config["toImageButtonOptions"]["format"] == "png"


def test_a_paused_run_has_its_animation_and_keeps_its_frames_through_a_reload(deferred):
    at = open_page("pages/3_Train.py")
    at.select_slider(key="_w_train_pace").set_value("slow, for a lecture").run()
    at.number_input(key="_w_tr_epochs").set_value(40).run()
    at.button(key="train_start").click().run()
    time.sleep(0.3)  # a few epochs at 5 a second
    at.button(key="train_pause").click().run()
    paused = lesson(at).epochs_trained
    assert 0 < paused < 40 and lesson(at).run.frames[-1][0] == paused
    assert "Plotly.addFrames" in download(at, deferred, "download_animation")
    reloaded = open_page("pages/3_Train.py", lesson=lesson_id(at))
    reloaded.select_slider(key="_w_train_pace").set_value("instant").run()
    reloaded.button(key="train_resume").click().run()
    settle(reloaded)
    frames = lesson(reloaded).run.frames
    epochs = [e for e, _ in frames]
    assert epochs[0] == 0 and epochs[-1] == 40 and paused in epochs and epochs == sorted(set(epochs))
    straight = prepare(load_seeds(), ExperimentSettings(epochs=40)).trainer(snapshots_every=1)
    straight.run()
    at_epoch = dict(straight.weight_snapshots)
    for epoch, weights in frames:  # each frame is the run's weights after exactly that many epochs
        assert all(np.array_equal(a, b) for a, b in zip(weights, at_epoch[epoch])), epoch
