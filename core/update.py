"""Weight update: the tutorial's update_weights(), as a pure function, with optional extras.

The tutorial's rule is w ← w − η · δ · x (and b ← b − η · δ). Two common extras are optional and
off by default, so the tutorial's numbers come out to the last bit:

    weight penalty:  d = (η · δ) · x + η · (λ₁ · sign w + λ₂ · w)     (biases: d = η · δ)
    momentum β:      v ← β · v − d,  w ← w + v                       (without momentum: w ← w − d)
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .backward import Gradients, per_weight
from .forward import ForwardTrace
from .network import Network
from .regularisation import penalty_gradient

Array = np.ndarray


@dataclass(frozen=True)
class Update:
    """The network after one update, the step d each weight took, and the new velocity (momentum)."""

    network: Network
    steps: list[Array]
    velocity: list[Array] | None


def weight_steps(network: Network, trace: ForwardTrace, gradients: Gradients, learning_rate: float,
                 l1: float = 0.0, l2: float = 0.0) -> list[Array]:
    """d = (η · δ_j) · x_i (+ η · (λ₁ · sign w + λ₂ · w) on weights), averaged over a batch's rows."""
    steps = []
    for w, delta, inputs in zip(network.weights, gradients.deltas, trace.inputs):
        step = per_weight(learning_rate * delta, inputs)
        if l1 or l2:
            step = step + learning_rate * penalty_gradient(w, l1, l2)
        steps.append(step)
    return steps


def apply_update(network: Network, trace: ForwardTrace, gradients: Gradients, learning_rate: float,
                 l1: float = 0.0, l2: float = 0.0, momentum: float = 0.0,
                 velocity: list[Array] | None = None) -> Update:
    """One update of every weight and bias; ``network`` and ``velocity`` are left unchanged."""
    steps = weight_steps(network, trace, gradients, learning_rate, l1, l2)
    new = network.copy()
    with np.errstate(over="ignore", invalid="ignore"):
        if momentum:
            old = velocity if velocity is not None else [np.zeros_like(w) for w in network.weights]
            new_velocity = [momentum * v - d for v, d in zip(old, steps)]
            new_weights = [w + v for w, v in zip(network.weights, new_velocity)]
        else:
            new_velocity = None
            new_weights = [w - d for w, d in zip(network.weights, steps)]
    # bypass validation: a diverging update may produce inf/NaN, which training detects and reports
    new.weights = new_weights
    return Update(new, steps, new_velocity)


def update(network: Network, trace: ForwardTrace, gradients: Gradients, learning_rate: float,
           l1: float = 0.0, l2: float = 0.0) -> Network:
    """The tutorial's update_weights(): a new network with w ← w − d for every weight and bias."""
    return apply_update(network, trace, gradients, learning_rate, l1, l2).network
