"""Why training stopped moving: saturated or dead neurons, told apart from a plain plateau.

A sigmoid neuron whose output sits at 0 or 1 has slope f′ = o(1 − o) ≈ 0, so its delta — and every
weight behind it — stops changing. The tutorial's initialisation draws every weight from [0, 1), all
positive: with many inputs per neuron the sums z grow large and the outputs saturate before
training starts. A relu neuron that outputs 0 for every row is "dead": its slope is 0 everywhere.
"""
from __future__ import annotations

import numpy as np

from .activations import get_activation
from .forward import forward
from .network import Network

FLAT_SLOPE = 1e-3  # |f′| below this counts as saturated
MOSTLY = 0.9  # share of (row, neuron) pairs that makes a layer saturated


def _layer_name(layer: int, n_layers: int) -> str:
    return "the output layer" if layer == n_layers - 1 else f"hidden layer {layer + 1}"


def saturation(network: Network, features: np.ndarray) -> str | None:
    """A sentence naming the first saturated or dead layer on ``features``, or None if none is."""
    trace = forward(network, np.asarray(features, dtype=float))
    n_layers = len(network.weights)
    for l, output in enumerate(trace.outputs):
        name = network.activation_of(l)
        if name in ("linear", "softmax"):
            continue
        if name == "relu":
            dead = np.all(output <= 0.0, axis=0)
            if dead.mean() >= MOSTLY:
                return (f"{dead.sum()} of {dead.size} neurons in {_layer_name(l, n_layers)} are dead: relu "
                        f"gives 0 for every row, so their slope is 0 and nothing behind them learns")
            continue
        slope = np.abs(get_activation(name).derivative(output))
        flat = slope < FLAT_SLOPE
        if flat.mean() >= MOSTLY:
            typical = float(np.median(output))
            return (f"{_layer_name(l, n_layers)} is saturated: its {name} outputs sit at ≈ {typical:.3g} for "
                    f"{100 * flat.mean():.0f}% of rows and neurons, where the slope f′ is below {FLAT_SLOPE:g}, "
                    f"so the deltas are ≈ 0 and the weights stop moving")
    return None


def stall_advice(network: Network, initial: Network, features: np.ndarray, init: str,
                 learning_rate: float) -> str:
    """What to try when the error has stopped changing, naming the real cause where it is visible:
    neurons saturated from the start (the initialisation), saturated or dead by now (the steps were
    too large), or neither (a plateau)."""
    cause = saturation(network, features)
    if cause is None:
        return ("the gradient is ≈ 0 here (a plateau or a minimum). Try another seed, a different learning rate "
                "or more hidden neurons")
    if saturation(initial, features) is None:
        return (f"{cause}. They were not at the start: steps this large drove the weights there — "
                f"try a smaller learning rate than {learning_rate:g}")
    if "dead" in cause:
        return f"{cause}; they were dead from the start. Try He initialisation"
    hint = (" (the tutorial's initialisation draws every weight from [0, 1), all positive, so wide layers start "
            "saturated)") if init.startswith("tutorial") else ""
    return f"{cause}; it was saturated from the start. Try a centred initialisation such as Xavier{hint}, or fewer neurons per layer"
