"""Choosing the sample a page shows: a row of the session's data, or the tutorial's worked example."""
from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
import streamlit as st

from core import Network, one_hot, toy_network

from . import state

TOY = "toy"


@dataclass
class Sample:
    """One sample ready for the network: normalised input, target vector, and how to describe it."""

    network: Network
    inputs: np.ndarray
    target: np.ndarray
    raw: np.ndarray | None
    label: str
    description: str
    feature_names: list[str]
    class_names: list[str]


def data_row(row: int) -> Sample:
    data = state.dataset()
    row = max(0, min(int(row), data.n_rows - 1))
    x = state.normalised_features()[row]
    label = int(data.labels[row])
    return Sample(state.network(), x, one_hot(label, data.n_classes), data.features[row],
                  data.class_names[label], f"row {row} of {data.name}", data.feature_names, data.class_names)


def toy_sample() -> Sample:
    """The tutorial's 2-1-2 network (its published weights, or as updated in this session) on [1, 0]."""
    net = st.session_state.setdefault("toy_network", toy_network())
    return Sample(net, np.array([1.0, 0.0]), np.array([0.0, 1.0]), None, "class 2",
                  "the tutorial's worked example: input [1, 0], expected [0, 1]",
                  ["x₁", "x₂"], ["output 1", "output 2"])


def random_row() -> int:
    return random.randrange(state.dataset().n_rows)
