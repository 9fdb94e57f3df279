"""Playground's input features: what the network is given instead of (or besides) x₁ and x₂.

A ``FeatureMap`` turns each raw 2-D point (x₁, x₂) into the chosen features, in the chosen order:
x₁, x₂, x₁², x₂², x₁·x₂, sin x₁, sin x₂. For data that is not 2-D, ``FeatureMap.identity(d)``
(ids "x1" … "xd") passes the d columns through as they are; "x<k>" always means raw column k.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import numpy as np

Array = np.ndarray

FEATURES: tuple[str, ...] = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin x1", "sin x2")
MAX_COLUMNS = 64
_COLUMN = re.compile(r"x([1-9][0-9]*)")
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")

# id → (display name, LaTeX, one plain sentence, the formula on the raw columns)
_DERIVED: dict[str, tuple[str, str, str, Callable[[Array], Array]]] = {
    "x1^2": ("x₁²", "x_1^2", "x₁ squared: lets one neuron draw a boundary that bends",
             lambda raw: raw[:, 0] ** 2),
    "x2^2": ("x₂²", "x_2^2", "x₂ squared: lets one neuron draw a boundary that bends",
             lambda raw: raw[:, 1] ** 2),
    "x1*x2": ("x₁·x₂", r"x_1 x_2", "x₁ times x₂: positive where both have the same sign, "
              "so one neuron can tell the quadrants apart (XOR)", lambda raw: raw[:, 0] * raw[:, 1]),
    "sin x1": ("sin x₁", r"\sin x_1", "the sine of x₁: rises and falls as x₁ grows, "
               "so one neuron can draw stripes", lambda raw: np.sin(raw[:, 0])),
    "sin x2": ("sin x₂", r"\sin x_2", "the sine of x₂: rises and falls as x₂ grows, "
               "so one neuron can draw stripes", lambda raw: np.sin(raw[:, 1])),
}


def _column(feature_id: str) -> int | None:
    """0-based raw column of an id "x<k>", else None."""
    match = _COLUMN.fullmatch(feature_id)
    return int(match.group(1)) - 1 if match else None


@dataclass(frozen=True)
class FeatureMap:
    """The features the network sees, as ids from ``FEATURES`` (or "x<k>" for raw column k)."""

    ids: tuple[str, ...]

    def __post_init__(self) -> None:
        ids = (self.ids,) if isinstance(self.ids, str) else tuple(self.ids)
        object.__setattr__(self, "ids", ids)
        if not ids:
            raise ValueError("choose at least one input feature")
        for feature_id in ids:
            column = _column(feature_id) if isinstance(feature_id, str) else None
            if feature_id not in _DERIVED and (column is None or column >= MAX_COLUMNS):
                raise ValueError(f"unknown input feature {str(feature_id)[:60]!r}; "
                                 f"choose from {', '.join(FEATURES)}")
        repeated = sorted({f for f in ids if ids.count(f) > 1})
        if repeated:
            raise ValueError(f"input feature {repeated[0]!r} is chosen twice; choose each at most once")

    @classmethod
    def identity(cls, n_features: int) -> "FeatureMap":
        """Use the data's ``n_features`` columns as they are."""
        if not 1 <= n_features <= MAX_COLUMNS:
            raise ValueError(f"the data needs between 1 and {MAX_COLUMNS} columns, got {n_features}")
        return cls(tuple(f"x{k + 1}" for k in range(n_features)))

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def n_columns(self) -> int:
        """Raw columns the map reads: the highest "x<k>" used, and 2 for any derived feature."""
        return max(2 if f in _DERIVED else _column(f) + 1 for f in self.ids)

    @property
    def is_identity(self) -> bool:
        return self.ids == tuple(f"x{k + 1}" for k in range(len(self.ids)))

    @property
    def names(self) -> list[str]:
        """Display names, e.g. ["x₁", "x₁²", "sin x₂"]."""
        return [self.name(i) for i in range(len(self.ids))]

    def name(self, i: int) -> str:
        feature_id = self.ids[i]
        if feature_id in _DERIVED:
            return _DERIVED[feature_id][0]
        return "x" + str(_column(feature_id) + 1).translate(_SUBSCRIPTS)

    def latex(self, i: int) -> str:
        """E.g. ``x_1^2``, ``\\sin x_1``, ``x_{12}``."""
        feature_id = self.ids[i]
        if feature_id in _DERIVED:
            return _DERIVED[feature_id][1]
        k = _column(feature_id) + 1
        return f"x_{k}" if k < 10 else f"x_{{{k}}}"

    def explain(self, i: int) -> str:
        """One plain sentence on what feature i lets a single neuron do."""
        feature_id = self.ids[i]
        if feature_id in _DERIVED:
            return _DERIVED[feature_id][2]
        return f"{self.name(i)} as it is: one neuron can draw a straight boundary across it"

    def apply(self, raw: Array) -> Array:
        """(n, columns) raw rows → (n, len(ids)) features, in the order of ``ids``."""
        raw = np.asarray(raw, dtype=float)
        if raw.ndim != 2 or raw.shape[1] < self.n_columns:
            raise ValueError(f"the features need rows of {self.n_columns} raw values, got shape {raw.shape}")
        if self.is_identity and raw.shape[1] == len(self.ids):
            return raw.copy()
        columns = [_DERIVED[f][3](raw) if f in _DERIVED else raw[:, _column(f)] for f in self.ids]
        return np.column_stack(columns)
