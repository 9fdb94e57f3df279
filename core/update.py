"""Weight update: the tutorial's update_weights(), as a pure function."""
from __future__ import annotations

import numpy as np

from .backward import Gradients
from .forward import ForwardTrace
from .network import Network

Array = np.ndarray


def weight_changes(trace: ForwardTrace, gradients: Gradients, learning_rate: float) -> list[Array]:
    """Δw_ji = −η · δ_j · x_i and Δb_j = −η · δ_j (averaged over the rows of a batch).

    For one row the product is taken in the tutorial's order, (η · δ_j) · x_i.
    """
    changes = []
    for delta, inputs in zip(gradients.deltas, trace.inputs):
        step = learning_rate * delta
        if step.ndim == 1:
            changes.append(-np.hstack([step[:, None] * inputs[None, :], step[:, None]]))
        else:
            rows = step.shape[0]
            changes.append(-np.hstack([step.T @ inputs / rows, step.mean(axis=0)[:, None]]))
    return changes


def update(network: Network, trace: ForwardTrace, gradients: Gradients,
           learning_rate: float) -> Network:
    """A new network with w ← w + Δw for every weight and bias; ``network`` is left unchanged."""
    new = network.copy()
    with np.errstate(over="ignore", invalid="ignore"):
        new_weights = [w + dw for w, dw in zip(network.weights, weight_changes(trace, gradients, learning_rate))]
    # bypass validation: a diverging update may produce inf/NaN, which training detects and reports
    new.weights = new_weights
    return new
