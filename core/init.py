"""Initial weights.

``tutorial`` reproduces the tutorial's initialize_network(): Python's ``random()`` drawn
layer by layer, neuron by neuron, each neuron's input weights then its bias, uniform in [0, 1).
Every scheme draws from a ``random.Random``, so the same seed always gives the same network —
and, as in the tutorial, one generator can be shared with the cross-validation split.
"""
from __future__ import annotations

import math
import random
from typing import Sequence

import numpy as np

from .network import Network

INIT_SCHEMES: tuple[str, ...] = ("tutorial", "xavier", "he")


def _draw_layer(rng: random.Random, n_neurons: int, n_inputs: int, scheme: str) -> list[list[float]]:
    rows = []
    for _ in range(n_neurons):
        if scheme == "tutorial":
            rows.append([rng.random() for _ in range(n_inputs + 1)])
        elif scheme == "xavier":
            # Glorot uniform: U(−a, a), a = √(6 / (fan_in + fan_out)); bias 0
            a = math.sqrt(6.0 / (n_inputs + n_neurons))
            rows.append([rng.uniform(-a, a) for _ in range(n_inputs)] + [0.0])
        else:
            # He normal: N(0, 2 / fan_in); bias 0
            sd = math.sqrt(2.0 / n_inputs)
            rows.append([rng.gauss(0.0, sd) for _ in range(n_inputs)] + [0.0])
    return rows


def initialise(layer_sizes: Sequence[int], activation: str = "sigmoid", output_activation: str = "",
               scheme: str = "tutorial", seed: int | None = 1,
               rng: random.Random | None = None) -> Network:
    """Make a network with ``layer_sizes`` = [inputs, hidden…, outputs].

    Pass ``rng`` to continue drawing from a shared generator (the tutorial's global ``random``),
    otherwise a fresh ``random.Random(seed)`` is used.
    """
    if scheme not in INIT_SCHEMES:
        raise ValueError(f"unknown initialisation {scheme!r}; choose one of {', '.join(INIT_SCHEMES)}")
    sizes = [int(s) for s in layer_sizes]
    if len(sizes) < 2:
        raise ValueError("layer sizes need at least an input and an output layer")
    if any(s < 1 for s in sizes):
        raise ValueError(f"every layer needs at least one neuron, got {sizes}")
    if rng is None:
        rng = random.Random(seed)
    weights = []
    for l in range(1, len(sizes)):
        weights.append(np.array(_draw_layer(rng, sizes[l], sizes[l - 1], scheme)))
    label = f"{scheme}, seed {seed}" if seed is not None else scheme
    return Network(weights, activation, output_activation, init=label)


def tutorial_network(n_inputs: int, n_hidden: int, n_outputs: int, seed: int = 1) -> Network:
    """The tutorial's initialize_network(n_inputs, n_hidden, n_outputs) after ``seed(seed)``."""
    return initialise([n_inputs, n_hidden, n_outputs], scheme="tutorial", seed=seed)


def toy_network() -> Network:
    """The tutorial's 2-1-2 worked example, with its published weights."""
    return Network(
        [np.array([[0.13436424411240122, 0.8474337369372327, 0.763774618976614]]),
         np.array([[0.2550690257394217, 0.49543508709194095],
                   [0.4494910647887381, 0.651592972722763]])],
        init="tutorial's worked example",
    )
