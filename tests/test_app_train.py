"""The Train page: a run on a worker thread, recorded into the lesson; the CLI's numbers to the last bit."""
import math

import numpy as np
import pytest

from apptest import charts, lesson, lesson_id, no_errors, open_page, settle, texts
from core import ExperimentSettings, load_seeds, model_io, prepare
from core.cli import main


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


def train_page(pace: str = "instant", **widgets):
    at = open_page("pages/3_Train.py")
    at.select_slider(key="_w_train_pace").set_value(pace).run()
    for key, value in widgets.items():
        element = next(e for kind in ("text_input", "number_input", "selectbox", "toggle")
                       for e in at.get(kind) if e.key == f"_w_tr_{key}")
        element.set_value(value).run()
    return at


def test_the_default_run_gives_exactly_the_clis_weights(tmp_path, capsys):
    at = train_page()
    at.button(key="train_start").click().run()
    settle(at)
    no_errors(at)
    saved = tmp_path / "cli.json"
    assert main(["train", "--save", str(saved)]) == 0
    cli_out = capsys.readouterr().out
    trained = lesson(at).network
    assert [w.tolist() for w in trained.weights] == [w.tolist() for w in model_io.load(saved).weights]
    history = lesson(at).run.history
    assert len(history) == 500 and lesson(at).epochs_trained == 500 and lesson(at).run.status == "finished"
    assert f"validation accuracy {history.validation_accuracy[-1]:.3f}%" in cli_out
    assert "Finished 500 epochs" in at.success[0].value
    assert f"{history.validation_accuracy[-1]:.1f}%" in texts(at)
    training = charts(at)[0]  # loss and accuracy, side by side
    assert len(training.data[0].x) == 500 and training.data[-1].y[-1] == history.validation_accuracy[-1]
    confusion = next(c for c in charts(at) if (c.layout.title.text or "").startswith("Confusion matrix"))
    assert list(confusion.data[0].x) == ["Kama", "Rosa", "Canadian"]
    assert len(at.get("download_button")) == 3
    assert "trained 500 epochs" in lesson(at).provenance


def test_the_tutorials_whole_dataset_normalisation_is_a_labelled_option(tmp_path, capsys):
    at = train_page(epochs=30)
    at.selectbox(key="_w_tr_norm_on").set_value("all rows").run()
    at.button(key="train_start").click().run()
    settle(at)
    saved = tmp_path / "cli.json"
    assert main(["train", "--epochs", "30", "--normalise-on", "all", "--save", str(saved)]) == 0
    assert [w.tolist() for w in lesson(at).network.weights] == [w.tolist() for w in model_io.load(saved).weights]
    fitted_on_training = prepare(load_seeds(), ExperimentSettings(epochs=30)).trainer()
    fitted_on_training.run()
    assert not lesson(at).network.same_weights(fitted_on_training.network)


def test_pause_holds_and_resume_finishes():
    at = train_page("slow, for a lecture", epochs=60)
    at.button(key="train_start").click().run()
    at.button(key="train_pause").click().run()
    held = lesson(at).epochs_trained
    assert "paused at epoch" in " ".join(p.proto.text for p in at.get("progress"))
    at.run().run()
    assert at.session_state["job"].progress().epoch == held < 60
    at.select_slider(key="_w_train_pace").set_value("instant").run()
    at.button(key="train_resume").click().run()
    settle(at)
    assert lesson(at).epochs_trained == 60


def test_stop_keeps_the_weights_so_far_and_says_where_it_stopped():
    at = train_page("slow, for a lecture", epochs=5000)
    at.button(key="train_start").click().run()
    at.button(key="train_stop").click().run()
    job = at.session_state["job"]
    assert job.trainer.stop_reason == "stopped by the user" and job.trainer.epoch < 5000
    assert lesson(at).network.same_weights(job.trainer.network)
    at.run()
    assert f"stopped at epoch {lesson(at).epochs_trained}" in " ".join(p.proto.text for p in at.get("progress"))


def test_a_paused_run_survives_a_reload_and_resumes_to_the_same_weights():
    at = train_page("slow, for a lecture", epochs=40)
    at.button(key="train_start").click().run()
    at.button(key="train_pause").click().run()
    reloaded = open_page("pages/3_Train.py", lesson=lesson_id(at))
    assert reloaded.session_state["lesson"].epochs_trained == lesson(at).epochs_trained
    assert len(charts(reloaded)[0].data[0].x) == lesson(at).epochs_trained
    reloaded.select_slider(key="_w_train_pace").set_value("instant").run()
    reloaded.button(key="train_resume").click().run()
    settle(reloaded)
    straight = prepare(load_seeds(), ExperimentSettings(epochs=40)).trainer()
    straight.run()
    assert lesson(reloaded).network.same_weights(straight.network)
    assert lesson(reloaded).run.history.sse == straight.history.sse


@pytest.mark.parametrize("activation,lr,word", [("linear", 50.0, "diverged"), ("sigmoid", 50.0, "unstable")])
def test_a_diverging_run_stops_and_says_why(activation, lr, word):
    at = train_page(lr=lr)
    at.selectbox(key="_w_tr_activation").set_value(activation).run()
    at.toggle(key="_w_tr_early").set_value(True).run()
    at.button(key="train_start").click().run()
    settle(at)
    message = " ".join(e.value for e in at.error)
    assert word in message and "smaller learning rate" in message
    finite_everywhere(charts(at))


@pytest.mark.parametrize("hidden,lr,epochs", [("1", 0.3, 3), ("64", 0.3, 3), ("5,5,5,5", 0.3, 3), ("0", 0.3, 3),
                                              ("5", 0.0, 3), ("5", 1000.0, 30)])
def test_extreme_settings_work(hidden, lr, epochs):
    at = train_page(hidden=hidden, lr=lr, epochs=epochs)
    at.button(key="train_start").click().run()
    settle(at)
    no_errors(at)
    trainer = at.session_state["job"].trainer
    assert trainer.done and all(np.isfinite(w).all() for w in trainer.network.weights)
    finite_everywhere(charts(at))


@pytest.mark.parametrize("hidden,message", [("5,5,5,5,5", "at most 4 hidden layers"), ("65", "at most 64"),
                                            ("x", "whole numbers")])
def test_refused_settings_get_a_message_and_change_nothing(hidden, message):
    at = open_page("pages/3_Train.py")
    before = lesson(at).network.copy()
    at.text_input(key="_w_tr_hidden").set_value(hidden).run()
    assert message in " ".join(e.value for e in at.error)
    assert (lesson(at).draft or lesson(at).settings).hidden == (5,)  # the next run's settings are unchanged
    assert lesson(at).network.same_weights(before) and lesson(at).run is None


def test_a_long_run_sends_small_pages():
    """Thousands of epochs: the charts are thinned to ~600 points, and the history, model and animation
    files are made only when downloaded, so what the page sends does not grow with the run (and stays
    well under the 1 MB a redraw may send)."""
    def page_bytes(epochs: int) -> int:
        at = train_page(epochs=epochs)
        at.button(key="train_start").click().run()
        settle(at)
        assert lesson(at).epochs_trained == epochs and len(lesson(at).run.history) == epochs
        assert len(charts(at)[0].data[0].x) <= 601
        downloads = at.get("download_button")
        assert len(downloads) == 3 and all(d.proto.deferred_file_id and not d.proto.url for d in downloads)
        return sum(len(e.proto.SerializeToString()) for e in at.get("plotly_chart") + list(at.markdown))

    short, long = page_bytes(600), page_bytes(3000)
    assert long < 1.15 * short and long < 1_000_000, (short, long)