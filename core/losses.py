"""Loss functions: the tutorial's sum of squared errors, and cross-entropy for softmax outputs."""
from __future__ import annotations

import numpy as np

from . import libm

Array = np.ndarray


def one_hot(labels: Array | int, n_classes: int) -> Array:
    """Target vector(s): 1 at the class index, 0 elsewhere (the tutorial's ``expected``)."""
    labels = np.asarray(labels, dtype=int)
    out = np.zeros(labels.shape + (n_classes,), dtype=float)
    np.put_along_axis(out, labels[..., None], 1.0, axis=-1)
    return out


def squared_error(output: Array, target: Array) -> Array:
    """The tutorial's per-row error: Σ_j (t_j − o_j)².  Its gradient is that of ½·Σ(o − t)²."""
    diff = target - output
    return np.sum(diff * diff, axis=-1)


def cross_entropy(output: Array, target: Array) -> Array:
    """−Σ_j t_j · ln p_j  for softmax probabilities p (clipped away from 0)."""
    return -np.sum(target * libm.log(np.maximum(output, 1e-300)), axis=-1)


def loss_value(loss: str, output: Array, target: Array) -> Array:
    """Per-row loss for ``loss`` in {"sse", "cross_entropy"}."""
    if loss == "cross_entropy":
        return cross_entropy(output, target)
    return squared_error(output, target)


def output_error(output: Array, target: Array) -> Array:
    """The tutorial's output error: output − expected (for both losses)."""
    return output - target


def loss_change(before: float, after: float) -> str:
    """"down", "up" or "unchanged": how one update moved the loss on its sample."""
    if after < before:
        return "down"
    return "up" if after > before else "unchanged"
