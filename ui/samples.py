"""The sample a page shows: a row of the lesson's data, or the tutorial's worked example."""
from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
import streamlit as st

from core import Network, Pass, walk_through

from . import state

TOY = "toy"
TOY_INPUT, TOY_TARGET = np.array([1.0, 0.0]), np.array([0.0, 1.0])


@dataclass
class Sample:
    """One sample ready for the network: its inputs, target vector, and how to describe it."""

    network: Network
    inputs: np.ndarray
    target: np.ndarray
    raw: np.ndarray | None
    label: str
    description: str
    feature_names: list[str]  # the network's inputs (derived features for 2-D data)
    class_names: list[str]


def data_row(row: int) -> Sample:
    data, experiment = state.dataset(), state.experiment()
    row = max(0, min(int(row), data.n_rows - 1))
    target = data.targets(np.array([row]))[0]
    label = f"{float(data.labels[row]):.6g}" if data.is_regression else data.class_names[int(data.labels[row])]
    held = "validation" if row in set(experiment.validation_rows.tolist()) else "training"
    return Sample(state.network(), experiment.inputs[row], target, data.features[row], label,
                  f"row {row} of {data.name} ({held} row)", experiment.input_names,
                  data.class_names if not data.is_regression else ["predicted value"])


def toy_sample() -> Sample:
    """The tutorial's 2-1-2 network (its published weights, or as updated in this lesson) on [1, 0]."""
    return Sample(state.lesson().toy_network, TOY_INPUT, TOY_TARGET, None, "class 2",
                  "the tutorial's worked example: input [1, 0], expected [0, 1]",
                  ["x₁", "x₂"], ["output 1", "output 2"])


def current_step_sample() -> Sample:
    step = state.lesson().step
    return toy_sample() if step.source == TOY else data_row(step.row)


def random_row() -> int:
    return random.randrange(state.dataset().n_rows)


def training_set() -> tuple[np.ndarray, np.ndarray]:
    """(inputs, targets) of the lesson's training rows, as the network sees them."""
    experiment = state.experiment()
    rows = experiment.train_rows
    return experiment.inputs[rows], state.dataset().targets(rows)


def _arrays_key(arrays) -> tuple:
    return tuple(np.asarray(a).tobytes() for a in arrays) if arrays is not None else ()


def step_extras() -> dict:
    """What the step-through's update takes besides the learning rate: the lesson's penalties, momentum
    and velocity for a row of the data; nothing for the tutorial's example."""
    lesson = state.lesson()
    if lesson.step.source == TOY:
        return {}
    settings = lesson.settings
    return dict(l1=settings.l1, l2=settings.l2, momentum=settings.momentum, velocity=lesson.velocity)


def current_walk(network: Network | None = None) -> tuple[Sample, Pass]:
    """The step-through's sample and its walk-through (core.walk_through) — on ``network`` if given (a
    weight nudged by hand), else on the sample's own — computed once per (network, sample, learning
    rate, digits, penalties) and kept in the session: a click that only moves to the next step reuses it."""
    lesson = state.lesson()
    step, sample = lesson.step, current_step_sample()
    extras = step_extras()
    net = network if network is not None else sample.network
    key = (_arrays_key(net.weights), net.activation, net.output_activation, _arrays_key([sample.inputs, sample.target]),
           step.learning_rate, step.digits, sample.description, sample.label, tuple(sample.feature_names), tuple(sample.class_names),
           tuple((k, v) for k, v in extras.items() if k != "velocity"), _arrays_key(extras.get("velocity")))
    cached = st.session_state.get("_walk")
    if cached is None or cached[0] != key:
        walk = walk_through(net, sample.inputs, sample.target, step.learning_rate, sample.feature_names,
                            sample.class_names, digits=step.digits, **extras)
        cached = (key, sample, walk)
        st.session_state["_walk"] = cached
    return cached[1], cached[2]
