"""The session's state: one dataset and one network per browser session, shared by every page.

Every page calls ``init_state()`` first; it is idempotent, so a page opened directly by URL
(before ``app.py`` ever ran in this session) finds everything it needs.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import streamlit as st

from core import Dataset, Network, initialise, load_seeds, parse_hidden
from core.limits import MAX_HIDDEN_LAYERS, MAX_NEURONS, check_hidden  # noqa: F401 (re-exported for the pages)
from core.preprocessing import Normaliser, fit_normaliser


def hidden_sizes(text: str) -> tuple[int, ...]:
    """"5,4" → (5, 4), within core.limits: at most 4 hidden layers of at most 64 neurons."""
    return check_hidden(parse_hidden(text))


@dataclass(frozen=True)
class NetworkSettings:
    """How the session's network is made: the tutorial's 5 hidden sigmoid neurons, seed 1."""

    hidden: tuple[int, ...] = (5,)
    activation: str = "sigmoid"
    output_activation: str = ""  # "" = same as hidden (squared error); "softmax" = cross-entropy
    init: str = "tutorial"
    seed: int = 1


DEFAULTS: dict[str, Callable[[], Any]] = {
    "presentation": lambda: False,
    "normalisation": lambda: "minmax",
    "net_settings": NetworkSettings,
    "network_version": lambda: 0,
    "notice": lambda: None,
    "graph_sample": lambda: 0,
    "trainer": lambda: None,
    "train_running": lambda: False,
    "cv_runs": list,
}


@st.cache_data(show_spinner=False)
def _bundled_seeds() -> Dataset:
    return load_seeds()


def seeds() -> Dataset:
    """The bundled seeds data (read from disk once per server)."""
    return _bundled_seeds()


def init_state() -> None:
    """Create whatever session state is missing; never overwrite what exists."""
    state = st.session_state
    for key, make in DEFAULTS.items():
        if key not in state:
            state[key] = make()
    if "dataset" not in state:
        state["dataset"] = seeds()
    if "network" not in state:
        state["network"] = build_network(state["net_settings"], state["dataset"])


def build_network(settings: NetworkSettings, dataset: Dataset) -> Network:
    sizes = [dataset.n_features, *settings.hidden, dataset.n_classes]
    return initialise(sizes, settings.activation, settings.output_activation, settings.init, settings.seed)


def dataset() -> Dataset:
    return st.session_state["dataset"]


def network() -> Network:
    return st.session_state["network"]


def set_network(new: Network) -> None:
    """Make ``new`` the session's network; every page shows it from the next render on."""
    st.session_state["network"] = new
    st.session_state["network_version"] += 1


def reinitialise(settings: NetworkSettings) -> None:
    st.session_state["net_settings"] = settings
    set_network(build_network(settings, dataset()))


def set_dataset(new: Dataset) -> None:
    """Use ``new`` on every page; the network is rebuilt for its inputs and classes, runs are cleared."""
    st.session_state["dataset"] = new
    st.session_state["trainer"] = None
    st.session_state["train_running"] = False
    st.session_state["graph_sample"] = 0
    st.session_state.pop("step_sample", None)
    reinitialise(st.session_state["net_settings"])
    st.session_state["notice"] = (
        f"Now using {new.describe()}. The network was re-initialised to "
        f"{network().describe()} to fit its inputs and classes."
    )


def normaliser() -> Normaliser:
    """Normalisation of the whole dataset, once, as the tutorial does."""
    return fit_normaliser(dataset().features, st.session_state["normalisation"])


def normalised_features() -> np.ndarray:
    return normaliser().apply(dataset().features)


def pop_notice() -> str | None:
    notice = st.session_state.get("notice")
    st.session_state["notice"] = None
    return notice


def persist(key: str, default: Any, then: Callable[[], None] | None = None) -> dict[str, Any]:
    """Widget arguments that keep its value under ``key`` across page switches.

    Streamlit forgets a widget's state when its page is left; the value lives under ``key``
    and the widget (keyed ``_w_<key>``) is re-seeded from it on every run:
    ``st.number_input("Learning rate", **persist("lr", 0.3))``. ``then`` runs after a change.
    """
    widget_key = f"_w_{key}"
    if key not in st.session_state:
        st.session_state[key] = default
    st.session_state[widget_key] = st.session_state[key]

    def copy() -> None:
        st.session_state[key] = st.session_state[widget_key]
        if then is not None:
            then()

    return {"key": widget_key, "on_change": copy}
