"""The session's lesson — one home for everything a page shows — saved as snapshots and kept in the URL.

Every page calls ``init_state()`` first (``page_setup`` does). It is idempotent: a page opened
directly by URL, before any other ran, finds the lesson its ``?lesson=`` id names (or a fresh one).
Whenever the lesson changes in a way worth keeping, ``save()`` writes an immutable snapshot and puts
its id in the address bar, so a reload restores it, a link gives its receiver an own copy, and the
browser's back and forward move between earlier states.
"""
from __future__ import annotations

import time
from typing import Any, Callable

import numpy as np
import streamlit as st

from core import Dataset, Experiment, ExperimentSettings, Network, load_seeds, prepare
from core.limits import check_hidden
from storage import SnapshotError, SnapshotStore, open_store

from . import lesson as lessons
from .lesson import Lesson

LESSON_PARAM = "lesson"
PROGRESS_SAVE_SECONDS = 5.0  # a training run in progress is saved this often
# A rerun asked for moments after a save can still carry the id that save replaced: the click or timer tick
# left the browser before the new address arrived. Such an id is no Back press; it must not undo the save.
STALE_SECONDS = 3.0


@st.cache_resource(show_spinner=False)
def store() -> SnapshotStore:
    """The lesson store, one per server process ($BACKPROP_LAB_DB or the user's data folder)."""
    return open_store()


@st.cache_data(show_spinner=False)
def _bundled_seeds() -> Dataset:
    return load_seeds()


def seeds() -> Dataset:
    """The bundled seeds data (read from disk once per server)."""
    return _bundled_seeds()


def hidden_sizes(text: str) -> tuple[int, ...]:
    """"5,4" → (5, 4), within the app's limits (core.limits)."""
    from core import parse_hidden

    return check_hidden(parse_hidden(text))


# -- the session ------------------------------------------------------------------------------------
def init_state() -> None:
    """Find this session's lesson: the one it has, the one the URL names, or a fresh one."""
    ss = st.session_state
    ss.setdefault("notice", None)
    wanted = st.query_params.get(LESSON_PARAM)
    if "lesson" not in ss:
        ss["lesson"], ss["lesson_id"] = None, None
        if wanted:
            _open(wanted)
        if ss["lesson"] is None:
            ss["lesson"] = lessons.fresh(seeds())
            save()
    elif wanted and wanted != ss["lesson_id"] and wanted in ss.setdefault("visited", []) and not _stale(wanted):
        _open(wanted)  # the browser's back or forward: an earlier state of this session
    if st.query_params.get(LESSON_PARAM) != ss["lesson_id"] and ss["lesson_id"]:
        st.query_params[LESSON_PARAM] = ss["lesson_id"]


def _open(snapshot_id: str) -> None:
    """Make the snapshot ``snapshot_id`` this session's lesson; a clear notice and no change if it can't."""
    ss = st.session_state
    try:
        snapshot = store().load(snapshot_id)
        opened = lessons.from_snapshot(snapshot.doc, snapshot.arrays)
    except (SnapshotError, ValueError) as err:
        ss["notice"] = f"The lesson in this link could not be opened: {err}. Starting afresh."
        return
    ss["lesson"], ss["lesson_id"] = opened, snapshot_id
    _remember(snapshot_id)


def _stale(snapshot_id: str) -> bool:
    """Was ``snapshot_id`` replaced by a newer save less than STALE_SECONDS ago (an address in flight)?"""
    replaced = st.session_state.get("replaced_at", {}).get(snapshot_id)
    return replaced is not None and time.monotonic() - replaced < STALE_SECONDS


def _remember(snapshot_id: str) -> None:
    visited = st.session_state.setdefault("visited", [])
    visited.append(snapshot_id)
    del visited[:-200]


def lesson() -> Lesson:
    return st.session_state["lesson"]


def save() -> str:
    """Write the lesson as a new snapshot and put its id in the URL."""
    doc, arrays, summary = lessons.to_snapshot(lesson())
    try:
        snapshot_id = store().save(doc, arrays, summary)
    except (SnapshotError, ValueError) as err:
        st.session_state["notice"] = f"This state of the lesson could not be saved: {err}"
        return st.session_state.get("lesson_id") or ""
    replaced = st.session_state.setdefault("replaced_at", {})
    if st.session_state.get("lesson_id"):
        replaced[st.session_state["lesson_id"]] = time.monotonic()
        for old in list(replaced)[:-200]:
            del replaced[old]
    st.session_state["lesson_id"] = snapshot_id
    st.session_state["saved_at"] = time.monotonic()
    _remember(snapshot_id)
    st.query_params[LESSON_PARAM] = snapshot_id
    return snapshot_id


def link(base_url: str = "") -> str:
    """The address of this lesson, for "copy link"."""
    return f"{base_url}?{LESSON_PARAM}={st.session_state.get('lesson_id', '')}"


# -- what pages read ----------------------------------------------------------------------------------
def dataset() -> Dataset:
    return lesson().dataset


def network() -> Network:
    return lesson().network


def experiment() -> Experiment:
    """The lesson's data as its network sees it: feature map, split, normalisation (computed once per
    change of data or settings)."""
    current = lesson()
    key = (id(current.dataset), current.settings)
    cached = st.session_state.get("_experiment")
    if cached is None or cached[0] != key:
        cached = (key, prepare(current.dataset, current.settings))
        st.session_state["_experiment"] = cached
    return cached[1]


def inputs() -> np.ndarray:
    """What the network sees for every row of the data."""
    return experiment().inputs


def pop_notice() -> str | None:
    notice = st.session_state.get("notice")
    st.session_state["notice"] = None
    return notice


# -- what changes the lesson ---------------------------------------------------------------------------
def set_network(network: Network, made: str, settings: ExperimentSettings | None = None,
                velocity: list[np.ndarray] | None = None, keep_run: bool = False, new: bool = False) -> None:
    """Make ``network`` the lesson's network and save. ``made`` says how, in words: it is added to how
    the network came to be, or (``new``) starts that story afresh."""
    current = lesson()
    if settings is not None:
        current.settings = settings
    current.network, current.velocity = network, velocity
    current.made = [made] if new else (current.made + [made])[-12:]
    if current.selection is not None and not current.selection.fits(network):
        current.selection = None  # the picked weight is not in the new network
    if not keep_run:
        current.run, current.epochs_trained = None, 0
    save()


def reinitialise(settings: ExperimentSettings) -> None:
    """A fresh network made by ``settings`` on the lesson's data."""
    network = prepare(dataset(), settings).network
    stop_job()  # a run of the old network has nothing left to train
    lesson().draft = None  # the Train page's settings follow the new network's
    set_network(network, f"initialised: {settings.init}, seed {settings.seed}", settings, new=True)


def set_dataset(new: Dataset, source: dict[str, Any]) -> None:
    """Use ``new`` on every page: the network is rebuilt for its inputs and outputs, runs are cleared."""
    stop_job()
    current = lesson()
    settings = current.settings
    if settings.features and new.n_features != 2:
        settings = settings.changed(features=())
    fresh = lessons.fresh(new, source, settings)
    for kept in ("presentation", "theme", "cv_runs", "toy_network"):
        setattr(fresh, kept, getattr(current, kept))
    fresh.step.source = current.step.source
    st.session_state["lesson"] = fresh
    st.session_state["notice"] = (f"Now using {new.describe()}. The network was re-initialised to "
                                  f"{fresh.network.describe()} to fit its inputs and outputs.")
    save()


def stop_job() -> None:
    job = st.session_state.pop("job", None)
    if job is not None:
        job.stop("stopped: the data changed")


def changed(update: Callable[[Lesson], None]) -> Callable[[Any], None]:
    """A widget's on-change: apply ``update`` to the lesson with the new value, then save."""
    def apply(value: Any) -> None:
        update(lesson(), value)
        save()
    return apply


def bound(key: str, value: Any, on_change: Callable[[Any], None]) -> dict[str, Any]:
    """Arguments for a widget that shows ``value`` (read from the lesson) and reports changes.

    Streamlit forgets a widget's state when its page is left; here the lesson holds the value and the
    widget (keyed ``_w_<key>``) is re-seeded from it on every run:
    ``st.number_input("Row", **bound("step_row", lesson.step.row, changed(set_row)))``.
    """
    widget_key = f"_w_{key}"
    st.session_state[widget_key] = value

    def report() -> None:
        on_change(st.session_state[widget_key])

    return {"key": widget_key, "on_change": report}


def persist(key: str, default: Any, then: Callable[[], None] | None = None) -> dict[str, Any]:
    """Arguments for a widget whose value lives in the session (not the lesson) under ``key``."""
    if key not in st.session_state:
        st.session_state[key] = default

    def copy(value: Any) -> None:
        st.session_state[key] = value
        if then is not None:
            then()

    return bound(key, st.session_state[key], copy)
