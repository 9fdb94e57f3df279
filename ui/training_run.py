"""A training run in the session: built from the Train page's settings, advanced a chunk per tick."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import streamlit as st

from core import Trainer, TrainingConfig, initialise, train_validation_split

from . import state
from .state import hidden_sizes


@dataclass
class TrainSettings:
    """The Train page's hyperparameters; the defaults are the tutorial's."""

    hidden: str = "5"
    activation: str = "sigmoid"
    output_activation: str = ""
    learning_rate: float = 0.3
    epochs: int = 500
    batch_size: int = 1
    shuffle: bool = False
    init: str = "tutorial"
    seed: int = 1
    normalisation: str = "minmax"
    validation_share: float = 0.2


@dataclass
class Run:
    """A Trainer plus what the page needs around it: which rows validate, and wall-clock time."""

    trainer: Trainer
    settings: TrainSettings
    train_rows: np.ndarray
    validation_rows: np.ndarray
    started: float = field(default_factory=time.perf_counter)
    compute_seconds: float = 0.0


def start(settings: TrainSettings) -> Run:
    """Initialise a fresh network from ``settings`` and set up its training run (ValueError if invalid)."""
    hidden = hidden_sizes(settings.hidden)
    config = TrainingConfig(settings.learning_rate, settings.epochs, settings.batch_size, settings.shuffle,
                            settings.seed)
    st.session_state["normalisation"] = settings.normalisation
    data = state.dataset()
    features = state.normalised_features()
    train_rows, validation_rows = train_validation_split(data.labels, settings.validation_share, settings.seed)
    network = initialise([data.n_features, *hidden, data.n_classes], settings.activation,
                         settings.output_activation, settings.init, settings.seed)
    trainer = Trainer(network, features[train_rows], data.labels[train_rows], config,
                      validation=(features[validation_rows], data.labels[validation_rows]))
    state.set_network(trainer.network)
    return Run(trainer, settings, train_rows, validation_rows)


def advance(run: Run, epochs: int) -> None:
    """Train ``epochs`` more epochs and publish the new weights as the session's network."""
    began = time.perf_counter()
    run.trainer.run(epochs)
    run.compute_seconds += time.perf_counter() - began
    state.set_network(run.trainer.network)
