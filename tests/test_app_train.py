"""The Train page, driven tick by tick as AppTest runs its fragment once per run."""
import math

import numpy as np
import pytest

from apptest import charts, no_errors, open_page, texts
from core import TrainingConfig, initialise, load_seeds, normalise, train, train_validation_split


def run_to_end(at, limit=2000):
    ticks = 0
    while at.session_state["train_running"] and ticks < limit:
        at.run()
        ticks += 1
    no_errors(at)
    return ticks


def finite_everywhere(figures):
    """No NaN or infinity on the loss and accuracy charts (None is a gap, which is fine), and none in
    the graph's neurons (its edges use NaN only as the gap between two line segments)."""
    for fig in figures:
        for trace in fig.data:
            if trace.name == "neurons":
                assert all(math.isfinite(v) for v in trace.marker.color)
                assert not any("nan" in text or "inf" in text for text in trace.hovertext)
            elif fig.layout.xaxis.title.text == "epoch":
                for v in list(trace.x) + list(trace.y):
                    assert v is None or math.isfinite(v), trace.name


def test_the_default_run_matches_core_run_directly():
    at = open_page("pages/3_Train.py")
    at.button(key="train_start").click().run()
    assert at.session_state["train_running"]
    ticks = run_to_end(at)
    assert ticks >= 45  # 500 epochs, 10 per tick: the page really trained in steps
    run = at.session_state["trainer"]
    d = load_seeds()
    x = normalise(d.features)
    tr, va = train_validation_split(d.labels, 0.2, 1)
    direct = train(initialise([7, 5, 3]), x[tr], d.labels[tr], TrainingConfig(), validation=(x[va], d.labels[va]))
    assert run.trainer.history.sse == direct.history.sse
    assert run.trainer.history.validation_accuracy == direct.history.validation_accuracy
    assert run.trainer.network.same_weights(direct.network)
    assert at.session_state["network"].same_weights(direct.network)  # the session's network now
    assert "Finished 500 epochs" in at.success[0].value
    assert f"{direct.history.validation_accuracy[-1]:.1f}%" in texts(at)
    loss, accuracy = charts(at)[:2]
    assert len(loss.data[0].x) == 500 and accuracy.data[1].y[-1] == direct.history.validation_accuracy[-1]
    confusion = [c for c in charts(at) if c.data[0].type == "heatmap"][0]
    assert list(confusion.data[0].x) == ["Kama", "Rosa", "Canadian"]
    assert len(at.get("download_button")) == 2


def test_pause_holds_and_resume_finishes():
    at = open_page("pages/3_Train.py")
    at.button(key="train_start").click().run()
    at.run()
    at.button(key="train_pause").click().run()
    held = at.session_state["trainer"].trainer.epoch
    at.run().run()
    assert at.session_state["trainer"].trainer.epoch == held and 0 < held < 500
    at.button(key="train_resume").click().run()
    run_to_end(at)
    assert at.session_state["trainer"].trainer.epoch == 500


def test_stop_keeps_the_weights_so_far():
    at = open_page("pages/3_Train.py")
    at.button(key="train_start").click().run()
    at.run()
    at.button(key="train_stop").click().run()
    run = at.session_state["trainer"]
    assert run.trainer.stop_reason == "stopped by the user" and run.trainer.epoch < 500
    assert at.session_state["network"].same_weights(run.trainer.network)


def test_switching_pages_keeps_the_run():
    at = open_page("app.py")
    at.switch_page("pages/3_Train.py").run()
    at.button(key="train_start").click().run()
    at.run()
    at.button(key="train_pause").click().run()
    epoch = at.session_state["trainer"].trainer.epoch
    at.switch_page("pages/1_Network.py").run()
    at.switch_page("pages/3_Train.py").run()
    no_errors(at)
    assert at.session_state["trainer"].trainer.epoch == epoch
    assert len(charts(at)[0].data[0].x) == epoch


@pytest.mark.parametrize("activation,lr,word", [("linear", 50.0, "diverged"), ("sigmoid", 50.0, "unstable")])
def test_a_diverging_run_stops_and_says_why(activation, lr, word):
    at = open_page("pages/3_Train.py")
    at.selectbox(key="_w_tr_activation").set_value(activation).run()
    at.number_input(key="_w_tr_lr").set_value(lr).run()
    at.button(key="train_start").click().run()
    run_to_end(at)
    message = " ".join(e.value for e in at.error)
    assert word in message and "smaller learning rate" in message
    finite_everywhere(charts(at))


@pytest.mark.parametrize("hidden,lr,epochs", [("1", 0.3, 3), ("64", 0.3, 3), ("5,5,5,5", 0.3, 3), ("0", 0.3, 3),
                                              ("5", 0.0, 3), ("5", 1000.0, 30)])
def test_extreme_settings_work(hidden, lr, epochs):
    at = open_page("pages/3_Train.py")
    at.text_input(key="_w_tr_hidden").set_value(hidden).run()
    at.number_input(key="_w_tr_lr").set_value(lr).run()
    at.number_input(key="_w_tr_epochs").set_value(epochs).run()
    at.button(key="train_start").click().run()
    run_to_end(at)
    trainer = at.session_state["trainer"].trainer
    assert trainer.done and all(np.isfinite(w).all() for w in trainer.network.weights)
    finite_everywhere(charts(at))


@pytest.mark.parametrize("hidden,message", [("5,5,5,5,5", "at most 4 hidden layers"), ("65", "at most 64"),
                                            ("x", "whole numbers")])
def test_refused_settings_get_a_message_and_change_nothing(hidden, message):
    at = open_page("pages/3_Train.py")
    before = at.session_state["network"].copy()
    at.text_input(key="_w_tr_hidden").set_value(hidden).run()
    at.button(key="train_start").click().run()
    assert message in " ".join(e.value for e in at.error)
    assert at.session_state["trainer"] is None and at.session_state["network"].same_weights(before)


def test_ten_thousand_epochs_can_be_stopped():
    at = open_page("pages/3_Train.py")
    at.number_input(key="_w_tr_epochs").set_value(10_000).run()
    at.select_slider(key="_w_tr_speed").set_value(100).run()
    at.button(key="train_start").click().run()
    at.run().run()
    at.button(key="train_stop").click().run()
    trainer = at.session_state["trainer"].trainer
    assert trainer.done and 0 < trainer.epoch < 10_000
    assert len(charts(at)[0].data[0].x) <= 601
