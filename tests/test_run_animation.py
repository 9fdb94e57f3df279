"""A training run's weights every few epochs (core.Trainer), kept in the lesson, and played back as an
HTML animation that needs no network."""
import re

import numpy as np
import pytest

from core import ExperimentSettings, History, TrainingConfig, Trainer, initialise, load_seeds, normalise, prepare, train
from core.limits import MAX_SNAPSHOT_VALUES
from core.training import ANIMATION_FRAMES, snapshot_interval
from ui.figures.animation import animation_html, training_animation
from ui.lesson import RunRecord, fresh, from_snapshot, to_snapshot


@pytest.fixture(scope="module")
def seeds():
    d = load_seeds()
    return normalise(d.features), d.labels


@pytest.mark.parametrize("track_metrics", [True, False])
def test_snapshots_are_the_weights_after_exactly_that_many_epochs(seeds, track_metrics):
    x, y = seeds
    cfg = TrainingConfig(epochs=23)
    trainer = Trainer(initialise([7, 4, 3]), x, y, cfg, track_metrics=track_metrics, snapshots_every=5)
    trainer.run()
    assert [e for e, _ in trainer.weight_snapshots] == [0, 5, 10, 15, 20]
    for epoch, weights in trainer.weight_snapshots:
        expected = initialise([7, 4, 3]).weights if epoch == 0 else \
            train(initialise([7, 4, 3]), x, y, TrainingConfig(epochs=epoch), track_metrics=False).network.weights
        for a, b in zip(weights, expected):
            np.testing.assert_array_equal(a, b)
    plain = train(initialise([7, 4, 3]), x, y, cfg, track_metrics=track_metrics)  # snapshots change no number
    assert all(np.array_equal(a, b) for a, b in zip(plain.network.weights, trainer.network.weights))
    assert Trainer(initialise([7, 4, 3]), x, y, cfg).weight_snapshots == []  # none unless asked


@pytest.mark.parametrize("epochs, n_weights", [(500, 58), (10_000, 58), (7, 58), (1000, 19_890), (3, 10**6)])
def test_snapshot_interval_keeps_about_sixty_frames_within_the_budget(epochs, n_weights):
    every = snapshot_interval(epochs, n_weights)
    frames = epochs // every + 1
    assert frames <= ANIMATION_FRAMES + 1
    assert frames * n_weights <= MAX_SNAPSHOT_VALUES + 2 * n_weights  # the start and the last epoch on top
    assert frames >= min(epochs + 1, 2)


@pytest.fixture(scope="module")
def run():
    data, settings = load_seeds(), ExperimentSettings(epochs=40, validation_share=0.2)
    experiment = prepare(data, settings)
    trainer = experiment.trainer(snapshots_every=snapshot_interval(40, 58) * 4)
    trainer.run()
    return data, experiment, trainer


def weights_shown(text: str) -> set[str]:
    """Every weight the graph's hover texts show, as written ("w = 0.1234…")."""
    return set(re.findall(r"w = (-?[0-9.e+-]+)", text))


def animation(run, measure="loss"):
    data, experiment, trainer = run
    return training_animation(trainer.history, trainer.weight_snapshots, trainer.network, experiment.inputs[3],
                              experiment.input_names, data.class_names, measure, 40, "seeds <b>run</b>")


def test_every_frame_holds_its_epochs_curves_and_weights(run):
    _, _, trainer = run
    figure = animation(run)
    epochs = [e for e, _ in trainer.weight_snapshots]
    assert epochs == [0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40]
    assert [f.name for f in figure.frames] == [str(e) for e in epochs]
    assert [s.label for s in figure.layout.sliders[0].steps] == [str(e) for e in epochs]
    assert [b.label for b in figure.layout.updatemenus[0].buttons] == ["▶ Play", "❚❚ Pause"]
    history = trainer.history
    for frame, (epoch, weights) in zip(figure.frames, trainer.weight_snapshots):
        by_name = {}
        for trace in frame.data:
            by_name.setdefault((trace.name, trace.xaxis), trace)
        loss = by_name[("training", "x")]
        assert list(loss.y) == history.loss[:epoch] and list(loss.x) == history.epoch[:epoch]
        assert list(by_name[("validation", "x2")].y) == history.validation_accuracy[:epoch]
        shown = weights_shown(" ".join(by_name[("weights", "x3")].hovertext))
        assert shown == {repr(float(v)) for w in weights for v in w[:, :-1].ravel()}
        assert len(frame.data) == len(figure.data)  # the same traces in every frame
    assert "&lt;b&gt;run&lt;/b&gt;" in figure.layout.title.text  # user text never read as HTML


def test_the_sse_measure_animates_the_tutorials_error(run):
    _, _, trainer = run
    figure = animation(run, "sse")
    assert list(figure.frames[-1].data[0].y) == trainer.history.sse


def test_the_html_plays_offline_and_holds_the_frames(run):
    _, _, trainer = run
    html = animation_html(animation(run))
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.I)  # plotly.js is inside, nothing is fetched
    assert "Plotly.addFrames" in html and len(html) > 3_000_000
    shown = weights_shown(html)
    for _, weights in trainer.weight_snapshots:
        assert {repr(float(v)) for w in weights for v in w[:, :-1].ravel()} <= shown


def test_a_run_without_frames_is_refused_with_a_message(run):
    _, experiment, trainer = run
    with pytest.raises(ValueError, match="no weight snapshots"):
        training_animation(History(), [], trainer.network, experiment.inputs[0])


def lesson_with_run(run):
    data, _, trainer = run
    lesson = fresh(data, settings=ExperimentSettings(epochs=40, validation_share=0.2))
    lesson.network = trainer.network
    lesson.run = RunRecord(trainer.history, "finished", frames=list(trainer.weight_snapshots))
    return lesson


def test_frames_travel_with_the_lesson_and_older_lessons_have_none(run):
    lesson = lesson_with_run(run)
    doc, arrays, _ = to_snapshot(lesson)
    copy = from_snapshot(doc, arrays)
    assert [e for e, _ in copy.run.frames] == [e for e, _ in lesson.run.frames]
    assert all(np.array_equal(a, b) for (_, x), (_, y) in zip(copy.run.frames, lesson.run.frames) for a, b in zip(x, y))
    del doc["run"]["frames"]
    assert from_snapshot(doc, arrays).run.frames == []


@pytest.mark.parametrize("damage", ["shape", "nan", "order", "count"])
def test_damaged_frames_give_a_clear_error(run, damage):
    doc, arrays, _ = to_snapshot(lesson_with_run(run))
    if damage == "shape":
        arrays["run.frames.0"] = arrays["run.frames.0"][:, :, :-1]
    elif damage == "nan":
        arrays["run.frames.1"][2, 0, 0] = np.nan
    elif damage == "order":
        arrays["run.frame_epochs"] = arrays["run.frame_epochs"][::-1].copy()
    else:
        doc["run"]["frames"] = 99
    with pytest.raises(ValueError, match="frames are damaged"):
        from_snapshot(doc, arrays)
