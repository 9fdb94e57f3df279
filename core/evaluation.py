"""How well a network does on some rows: the numbers every page, the CLI and the history share.

Classification: accuracy, the confusion matrix, per-class precision and recall, the misclassified
rows. Regression (one linear output): R², the mean absolute error. Both: the mean loss per row.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .forward import forward
from .losses import loss_value, one_hot
from .metrics import accuracy, confusion_matrix, mean_absolute_error, precision_recall, r_squared
from .network import Network


@dataclass
class Evaluation:
    """The network's predictions on ``rows`` (indices into the dataset) and what they score."""

    rows: np.ndarray
    actual: np.ndarray
    predicted: np.ndarray  # class indices, or predicted values for regression
    loss: float  # mean per-row loss: Σ_j (t_j − o_j)², or the cross-entropy for softmax
    accuracy: float = float("nan")
    counts: np.ndarray | None = None  # counts[i, j]: rows of true class i predicted as j
    r2: float = float("nan")
    mae: float = float("nan")

    @property
    def is_regression(self) -> bool:
        return self.counts is None

    @property
    def precision_recall(self) -> tuple[np.ndarray, np.ndarray]:
        return precision_recall(self.counts)

    @property
    def wrong(self) -> np.ndarray:
        """Positions (into ``rows``) of the misclassified rows."""
        return np.flatnonzero(self.actual != self.predicted)


def evaluate(network: Network, features: np.ndarray, labels: np.ndarray, n_classes: int,
             rows: np.ndarray | None = None) -> Evaluation:
    """Score ``network`` on ``features[rows]``; ``n_classes`` 0 means regression (``labels`` are values)."""
    rows = np.arange(len(labels)) if rows is None else np.asarray(rows)
    x, actual = np.asarray(features)[rows], np.asarray(labels)[rows]
    if len(rows) == 0:
        return Evaluation(rows, actual, actual, float("nan"))
    output = forward(network, x).output
    if n_classes == 0:
        predicted = output[:, 0]
        loss = float(np.mean(loss_value(network.loss, output, actual[:, None].astype(float))))
        return Evaluation(rows, actual, predicted, loss, r2=r_squared(actual, predicted),
                          mae=mean_absolute_error(actual, predicted))
    predicted = np.argmax(output, axis=-1)
    loss = float(np.mean(loss_value(network.loss, output, one_hot(actual, network.n_outputs))))
    return Evaluation(rows, actual, predicted, loss, accuracy(actual, predicted),
                      confusion_matrix(actual, predicted, n_classes))
