"""Accuracy, confusion matrix, per-class precision and recall, and the zero-rule baseline."""
from __future__ import annotations

import numpy as np


def accuracy(actual: np.ndarray, predicted: np.ndarray) -> float:
    """Percentage of rows predicted correctly (the tutorial's accuracy_metric())."""
    actual, predicted = np.asarray(actual), np.asarray(predicted)
    if actual.size == 0:
        return float("nan")
    return float(np.sum(actual == predicted)) / float(actual.size) * 100.0


def confusion_matrix(actual: np.ndarray, predicted: np.ndarray, n_classes: int) -> np.ndarray:
    """counts[i, j] = rows of true class i predicted as class j."""
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (np.asarray(actual), np.asarray(predicted)), 1)
    return counts


def precision_recall(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """precision_j = TP_j / predicted_j, recall_j = TP_j / actual_j (NaN where undefined)."""
    true_positive = np.diag(counts).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = true_positive / counts.sum(axis=0)
        recall = true_positive / counts.sum(axis=1)
    return precision, recall


def zero_rule_class(train_labels: np.ndarray, n_classes: int) -> int:
    """The most common class in the training rows (ties → the lowest class index)."""
    return int(np.argmax(np.bincount(np.asarray(train_labels), minlength=n_classes)))


def zero_rule_accuracy(train_labels: np.ndarray, test_labels: np.ndarray, n_classes: int) -> float:
    """Accuracy of always predicting the training rows' most common class."""
    guess = zero_rule_class(train_labels, n_classes)
    return accuracy(test_labels, np.full(len(test_labels), guess))


def r_squared(actual: np.ndarray, predicted: np.ndarray) -> float:
    """R² = 1 − Σ(t − y)² / Σ(t − mean t)²: 1 is perfect, 0 is no better than predicting the mean."""
    actual, predicted = np.asarray(actual, dtype=float), np.asarray(predicted, dtype=float)
    if actual.size == 0:
        return float("nan")
    spread = float(np.sum((actual - actual.mean()) ** 2))
    residual = float(np.sum((actual - predicted) ** 2))
    return 1.0 - residual / spread if spread > 0 else float("nan")


def mean_absolute_error(actual: np.ndarray, predicted: np.ndarray) -> float:
    """Mean of |t − y| over the rows."""
    actual, predicted = np.asarray(actual, dtype=float), np.asarray(predicted, dtype=float)
    return float(np.mean(np.abs(actual - predicted))) if actual.size else float("nan")
