"""The lesson's training run: started from the Train page's settings, computed by a TrainingJob,
recorded into the lesson (and a snapshot) when it pauses, stops, finishes — and every few seconds."""
from __future__ import annotations

import time
from dataclasses import fields

import streamlit as st

from core import History, Trainer, prepare

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


def start() -> None:
    """A fresh network made by the draft settings, trained on a worker from now on."""
    lesson = state.lesson()
    settings = lesson.draft or lesson.settings
    state.stop_job()
    trainer = prepare(lesson.dataset, settings).trainer()
    lesson.run = RunRecord(History(), "running")
    state.set_network(trainer.network, f"initialised: {settings.init}, seed {settings.seed}", settings, keep_run=True)
    lesson.made = lesson.made[-1:]
    st.session_state["job"] = TrainingJob(trainer, pace())


def _restored(lesson: Lesson) -> Trainer:
    """The lesson's paused run as a Trainer again (after a reload, say): same split, weights, history."""
    experiment = prepare(lesson.dataset, lesson.settings)
    trainer = experiment.trainer()
    trainer.network, trainer.velocity = lesson.network.copy(), lesson.velocity
    trainer.history = head(lesson.run.history, len(lesson.run.history))
    trainer.epoch = len(trainer.history)
    return trainer


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
                           progress.compute_seconds)
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
