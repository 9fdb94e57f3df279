"""k-fold cross-validation, exactly as the tutorial's evaluate_algorithm() runs it.

One ``random.Random(seed)`` is shared: first the folds are drawn, then each fold's network is
initialised from the same generator in turn — that is what the tutorial's global ``seed(1)`` does,
and why its case study prints 93.333%. Each fold trains a fresh network on the other folds and is
scored on its own rows only, never on rows it trained on.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Callable, Iterator

import numpy as np

from .data import Dataset
from .evaluation import evaluate
from .experiment import TUTORIAL, ExperimentSettings, prepare
from .metrics import r_squared, zero_rule_accuracy
from .preprocessing import kfold_indices

CHUNK_EPOCHS = 25  # how often a fold checks whether it should stop


@dataclass
class FoldResult:
    """One fold: the rows it held out, its score on them, and how its training went.

    ``score`` is the accuracy in % (classification) or R² (regression); ``baseline`` the same for the
    zero rule (always the training rows' most common class, or their mean value).
    """

    fold: int
    score: float
    baseline: float
    test_rows: list[int]
    n_train: int
    loss: list[float] = field(default_factory=list)  # mean training loss per epoch
    counts: list[list[int]] | None = None  # confusion matrix on the held-out rows
    stop_reason: str | None = None

    @property
    def n_test(self) -> int:
        return len(self.test_rows)

    @property
    def accuracy(self) -> float:
        return self.score


@dataclass
class CrossValidationResult:
    settings: ExperimentSettings
    n_folds: int
    folds: list[FoldResult] = field(default_factory=list)
    stopped: bool = False

    @property
    def scores(self) -> list[float]:
        return [f.score for f in self.folds]

    @property
    def baselines(self) -> list[float]:
        return [f.baseline for f in self.folds]

    @property
    def mean(self) -> float:
        """The tutorial's sum(scores) / len(scores)."""
        return sum(self.scores) / float(len(self.scores))

    @property
    def std(self) -> float:
        """Spread of the fold scores (population standard deviation)."""
        return float(np.std(self.scores))

    @property
    def baseline_mean(self) -> float:
        return sum(self.baselines) / float(len(self.baselines))

    def describe(self) -> str:
        return f"k={self.n_folds}, {self.settings.describe()}"

    def tutorial_text(self) -> str:
        """The lines the tutorial prints: ``Scores: [...]`` and ``Mean Accuracy: 93.333%``."""
        return f"Scores: {self.scores}\nMean Accuracy: {self.mean:.3f}%"


def check(dataset: Dataset, n_folds: int) -> None:
    if n_folds < 2:
        raise ValueError(f"cross-validation needs at least 2 folds, got {n_folds}")
    if dataset.n_rows // n_folds < 1:
        raise ValueError(f"{dataset.n_rows} rows cannot fill {n_folds} folds")


def iter_cross_validation(dataset: Dataset, settings: ExperimentSettings = TUTORIAL, n_folds: int = 5,
                          should_stop: Callable[[], bool] | None = None) -> Iterator[FoldResult]:
    """Train and test one fold at a time, yielding each fold's result as soon as it is known.

    ``should_stop`` is asked every few epochs; when it says yes the fold stops part-way, is yielded
    with ``stop_reason`` "stopped by the user", and no further fold runs.
    """
    check(dataset, n_folds)
    rng = random.Random(settings.seed)
    folds = kfold_indices(dataset.n_rows, n_folds, rng)
    for i, test_rows in enumerate(folds):
        train_rows = [row for j, fold in enumerate(folds) if j != i for row in fold]
        experiment = prepare(dataset, settings, (train_rows, test_rows), rng)
        trainer = experiment.trainer(track_metrics=False)
        while not trainer.done:
            if should_stop is not None and should_stop():
                trainer.stop("stopped by the user")
                break
            trainer.run(CHUNK_EPOCHS)
        held = evaluate(trainer.network, experiment.inputs, dataset.labels,
                        0 if dataset.is_regression else dataset.n_classes, np.asarray(test_rows))
        train_labels, test_labels = dataset.labels[train_rows], dataset.labels[test_rows]
        if dataset.is_regression:
            score = held.r2
            baseline = r_squared(test_labels, np.full(len(test_rows), float(np.mean(train_labels))))
        else:
            score = held.accuracy
            baseline = zero_rule_accuracy(train_labels, test_labels, dataset.n_classes)
        yield FoldResult(i + 1, score, baseline, list(test_rows), len(train_rows), list(trainer.history.loss),
                         None if held.counts is None else held.counts.tolist(), trainer.stop_reason)
        if trainer.stop_reason == "stopped by the user":
            return


def cross_validate(dataset: Dataset, settings: ExperimentSettings = TUTORIAL, n_folds: int = 5,
                   should_stop: Callable[[], bool] | None = None) -> CrossValidationResult:
    """Run every fold and collect the scores."""
    result = CrossValidationResult(settings, n_folds)
    for fold in iter_cross_validation(dataset, settings, n_folds, should_stop):
        result.folds.append(fold)
        result.stopped = fold.stop_reason == "stopped by the user"
    return result
