"""Normalisation and splitting of a dataset, including the tutorial's k-fold split."""
from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

NORMALISATIONS: tuple[str, ...] = ("minmax", "zscore", "none")


@dataclass
class Normaliser:
    """x' = (x − offset) / scale per column: min-max has offset = min, scale = max − min;
    z-score has offset = mean, scale = standard deviation.  A constant column maps to 0."""

    method: str
    offset: np.ndarray
    scale: np.ndarray

    def apply(self, features: np.ndarray) -> np.ndarray:
        """x' = (x − offset) / scale; a ValueError if a result is not finite (x far outside the
        range the normaliser was fitted on)."""
        with np.errstate(over="ignore", invalid="ignore"):
            out = (np.asarray(features, dtype=float) - self.offset) / self.scale
        _refuse_non_finite(out, "normalising gives a value too large for a float")
        return out

    def to_json(self) -> dict:
        return {"method": self.method, "offset": self.offset.tolist(), "scale": self.scale.tolist()}


def _refuse_non_finite(values: np.ndarray, problem: str) -> None:
    """ValueError naming the first column of ``values`` (rows × columns, or one row) that is not finite."""
    bad = ~np.isfinite(values)
    if bad.any():
        column = int(np.flatnonzero(bad.any(axis=tuple(range(bad.ndim - 1))))[0]) + 1
        raise ValueError(f"column {column}: {problem}")


def fit_normaliser(features: np.ndarray, method: str = "minmax") -> Normaliser:
    """Learn the normalisation of ``features`` (the tutorial: min-max over the whole dataset).

    A ValueError if an offset or scale is not finite: values that are not finite, or so far apart
    (near ±1e308) that max − min, the mean or the standard deviation overflows.
    """
    features = np.asarray(features, dtype=float)
    columns = features.shape[1]
    with np.errstate(over="ignore", invalid="ignore"):
        if method == "minmax":
            offset = features.min(axis=0)
            scale = features.max(axis=0) - offset
        elif method == "zscore":
            offset = features.mean(axis=0)
            scale = features.std(axis=0)
        elif method == "none":
            offset, scale = np.zeros(columns), np.ones(columns)
        else:
            raise ValueError(f"unknown normalisation {method!r}; choose one of {', '.join(NORMALISATIONS)}")
    what = "max − min" if method == "minmax" else "the mean or standard deviation"
    _refuse_non_finite(np.stack([offset, scale]), f"cannot normalise: {what} is not a finite number "
                                                  "(values not finite, or too far apart)")
    scale = np.where(scale > 0, scale, 1.0)
    return Normaliser(method, offset, scale)


def normalise(features: np.ndarray, method: str = "minmax") -> np.ndarray:
    """Normalise ``features`` with statistics taken from ``features`` themselves."""
    return fit_normaliser(features, method).apply(features)


def kfold_indices(n_rows: int, n_folds: int, rng: random.Random) -> list[list[int]]:
    """The tutorial's cross_validation_split(), on row indices.

    Fold size = n_rows // n_folds; each fold is filled by popping ``rng.randrange(len(pool))``
    from the rows not yet used. Rows left over at the end are in no fold.
    """
    if n_folds < 2:
        raise ValueError(f"cross-validation needs at least 2 folds, got {n_folds}")
    fold_size = n_rows // n_folds
    if fold_size < 1:
        raise ValueError(f"{n_rows} rows cannot fill {n_folds} folds")
    pool = list(range(n_rows))
    folds = []
    for _ in range(n_folds):
        fold = []
        while len(fold) < fold_size:
            fold.append(pool.pop(rng.randrange(len(pool))))
        folds.append(fold)
    return folds


def train_validation_split(labels: np.ndarray, validation_share: float,
                           seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Stratified split: about ``validation_share`` of each class goes to validation (at least one
    row of every class stays in training). Both index arrays keep the dataset's row order."""
    if not 0.0 <= validation_share < 1.0:
        raise ValueError(f"validation share must be in [0, 1), got {validation_share}")
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    validation = []
    for cls in np.unique(labels):
        rows = np.flatnonzero(labels == cls)
        take = min(int(round(validation_share * len(rows))), len(rows) - 1)
        validation.extend(rng.permutation(rows)[:take].tolist())
    is_validation = np.zeros(len(labels), dtype=bool)
    is_validation[validation] = True
    return np.flatnonzero(~is_validation), np.flatnonzero(is_validation)
