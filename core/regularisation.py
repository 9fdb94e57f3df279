"""Weight penalties (L1, L2): the extra loss they add and the extra gradient they give.

Only weights are penalised, never biases (the last column of each layer):

    E_total = E + λ₁ · Σ|w| + (λ₂ / 2) · Σ w²
    ∂E_total/∂w = ∂E/∂w + λ₁ · sign(w) + λ₂ · w

The penalty applies at every update (each row for online training, each batch otherwise), so the
loss that one update descends is E on those rows plus the penalty.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

Array = np.ndarray


def penalty(weights: Sequence[Array], l1: float = 0.0, l2: float = 0.0) -> float:
    """λ₁ · Σ|w| + (λ₂ / 2) · Σ w² over every weight of every layer (biases excluded)."""
    total = 0.0
    for w in weights:
        body = np.asarray(w)[:, :-1]
        if l1:
            total += l1 * float(np.sum(np.abs(body)))
        if l2:
            total += 0.5 * l2 * float(np.sum(body * body))
    return total


def penalty_gradient(w: Array, l1: float = 0.0, l2: float = 0.0) -> Array:
    """λ₁ · sign(w) + λ₂ · w for one layer's table, with 0 in the bias column."""
    grad = np.zeros_like(np.asarray(w, dtype=float))
    body = np.asarray(w, dtype=float)[:, :-1]
    if l1:
        grad[:, :-1] += l1 * np.sign(body)
    if l2:
        grad[:, :-1] += l2 * body
    return grad
