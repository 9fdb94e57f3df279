"""The lesson's training run: started from the Train page's settings, computed by a TrainingJob,
recorded into the lesson (and a snapshot) when it pauses, stops, finishes — and every few seconds."""
from __future__ import annotations

import time
from dataclasses import fields

import streamlit as st

from core import ExperimentSettings, History, Trainer, prepare, snapshot_interval

from . import state
from .lesson import Lesson, RunRecord
from .training_job import PACES, Progress, TrainingJob

DEFAULT_PACE = "steady"


def job() -> TrainingJob | None:
    return st.session_state.get("job")


def pace() -> float | None:
    return PACES[st.session_state.get("train_pace", DEFAULT_PACE)]


def head(history: History, n: int) -> History:
    """The first ``n`` records of ``history`` (a consistent copy while a worker appends)."""
    copy = History()
    for f in fields(History):
        setattr(copy, f.name, list(getattr(history, f.name)[:n]))
    return copy


def start(running: bool = True) -> None:
    """A fresh network made by the draft settings, trained on a worker from now on (or held paused
    until resumed or stepped, if not ``running``)."""
    lesson = state.lesson()
    settings = lesson.draft or lesson.settings
    state.stop_job()
    experiment = prepare(lesson.dataset, settings)
    trainer = experiment.trainer(snapshots_every=_interval(settings.epochs, experiment.network))
    lesson.run = RunRecord(History(), "running" if running else "paused")
    state.set_network(trainer.network, f"initialised: {settings.init}, seed {settings.seed}", settings, keep_run=True,
                      new=True)
    st.session_state["job"] = TrainingJob(trainer, pace(), start=running)


def _interval(epochs: int, network) -> int:
    """Epochs between the weight snapshots of a run's animation."""
    return snapshot_interval(epochs, sum(w.size for w in network.weights))


def _restored(lesson: Lesson) -> Trainer:
    """The lesson's paused run as a Trainer again (after a reload, say): same split, weights, history, frames."""
    experiment = prepare(lesson.dataset, lesson.settings)
    trainer = experiment.trainer(snapshots_every=_interval(lesson.settings.epochs, lesson.network))
    trainer.network, trainer.velocity = lesson.network.copy(), lesson.velocity
    trainer.history = head(lesson.run.history, len(lesson.run.history))
    trainer.epoch = len(trainer.history)
    trainer.weight_snapshots = list(lesson.run.frames)
    return trainer


def frames_until(trainer: Trainer, progress: Progress) -> list:
    """The run's weight snapshots up to the published epoch, ending with that epoch's own weights."""
    frames = [frame for frame in list(trainer.weight_snapshots) if frame[0] <= progress.epoch]
    if progress.epoch and (not frames or frames[-1][0] < progress.epoch):
        frames.append((progress.epoch, [w.copy() for w in progress.network.weights]))
    return frames


def can_resume(lesson: Lesson) -> bool:
    run = lesson.run
    return run is not None and run.status in ("paused", "running") and lesson.epochs_trained < lesson.settings.epochs


def pause() -> None:
    current = job()
    if current is not None:
        record(current.pause())


def resume() -> None:
    lesson, current = state.lesson(), job()
    if current is not None and current.alive:
        current.resume()
        return _running(lesson)
    if current is not None:  # its thread ended (paused and unwatched): the lesson takes its last state first
        record(current.progress())
    if can_resume(lesson):
        st.session_state["job"] = TrainingJob(_restored(lesson), pace())
    _running(lesson)


def _running(lesson: Lesson) -> None:
    if lesson.run is not None:
        lesson.run.status = "running"


def step(epochs: int = 1) -> None:
    """``epochs`` more epochs of the lesson's run, then paused (a fresh run if there is none to go on)."""
    lesson, current = state.lesson(), job()
    if current is None or not current.alive:
        if can_resume(lesson):
            current = TrainingJob(_restored(lesson), pace(), start=False)
            st.session_state["job"] = current
        else:
            start(running=False)
            current = job()
    record(current.step(epochs))


def let_go() -> None:
    """Record the run's state (paused) and let its worker go, before the lesson's network is changed by
    hand: Resume then trains on from the lesson's weights (a kept worker would go on with its own copy)."""
    current = job()
    if current is not None:
        record(current.pause())
        state.stop_job()


def retune(settings: ExperimentSettings) -> None:
    """New learning settings (rate, penalties, momentum, length) for the lesson, keeping its network
    and run: a running job is paused and recorded, then goes on with them."""
    lesson, current = state.lesson(), job()
    was_running = current is not None and current.progress().status == "running"
    let_go()
    lesson.settings, lesson.draft = settings, None
    run = lesson.run
    more = run is not None and run.status == "finished" and run.stop_reason is None and \
        lesson.epochs_trained < settings.epochs  # more epochs than the finished run had: it can go on
    if run is not None and (run.status == "running" or more):
        run.status = "paused"
    if was_running and can_resume(lesson):
        resume()
    state.save()


def stop() -> None:
    current = job()
    if current is not None:
        record(current.stop())


def reset() -> None:
    state.stop_job()
    state.lesson().run = None
    state.save()


def set_pace(name: str) -> None:
    st.session_state["train_pace"] = name
    if job() is not None:
        job().set_pace(PACES[name])


def record(progress: Progress) -> None:
    """Put the run's state into the lesson and save a snapshot."""
    lesson, current = state.lesson(), job()
    if current is None or lesson.run is None:
        return
    lesson.network, lesson.velocity = progress.network, progress.velocity
    lesson.epochs_trained = progress.epoch
    lesson.run = RunRecord(head(current.trainer.history, progress.n_history), progress.status, progress.stop_reason,
                           progress.compute_seconds, frames_until(current.trainer, progress))
    words = f"trained {progress.epoch} epochs on {lesson.dataset.name}"
    lesson.made = (lesson.made[:1] + [words])[-12:]
    st.session_state["recorded"] = (id(current), progress.status, progress.epoch)
    state.save()


def keep_up() -> Progress | None:
    """Called on every run of the Train page's live part: the latest progress, recorded into the
    lesson when the run has ended or paused, and every few seconds while it goes on."""
    current = job()
    if current is None:
        return None
    progress = current.progress()
    last = st.session_state.get("recorded")
    settled = progress.status != "running"
    due = time.monotonic() - st.session_state.get("saved_at", 0.0) > state.PROGRESS_SAVE_SECONDS
    if (settled and last != (id(current), progress.status, progress.epoch)) or (not settled and due):
        record(progress)
    return progress
