"""k-fold cross-validation, exactly as the tutorial's evaluate_algorithm() runs it.

One ``random.Random(seed)`` is shared: first the folds are drawn, then each fold's network is
initialised from the same generator in turn — that is what the tutorial's global ``seed(1)`` does,
and why its case study prints 93.333%.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Iterator, Sequence

import numpy as np

from .data import Dataset
from .forward import predict
from .init import initialise
from .limits import quote
from .metrics import accuracy, zero_rule_accuracy
from .preprocessing import kfold_indices, normalise
from .training import Trainer, TrainingConfig


@dataclass
class CrossValidationSettings:
    """The tutorial's case study by default."""

    n_folds: int = 5
    learning_rate: float = 0.3
    epochs: int = 500
    hidden: tuple[int, ...] = (5,)
    activation: str = "sigmoid"
    output_activation: str = ""
    batch_size: int = 1
    seed: int = 1
    normalisation: str = "minmax"
    init: str = "tutorial"

    def check(self, dataset: Dataset) -> None:
        """Raise ValueError if these settings cannot run on ``dataset``."""
        if self.n_folds < 2:
            raise ValueError(f"cross-validation needs at least 2 folds, got {self.n_folds}")
        if dataset.n_rows // self.n_folds < 1:
            raise ValueError(f"{dataset.n_rows} rows cannot fill {self.n_folds} folds")
        TrainingConfig(learning_rate=self.learning_rate, epochs=self.epochs, batch_size=self.batch_size)

    def describe(self) -> str:
        hidden = "-".join(map(str, self.hidden)) or "none"
        return (f"k={self.n_folds}, lr={self.learning_rate:g}, epochs={self.epochs}, hidden={hidden}, "
                f"{self.activation}, batch={self.batch_size or 'full'}, seed={self.seed}")


@dataclass
class FoldResult:
    fold: int
    accuracy: float
    baseline: float
    n_train: int
    n_test: int
    stop_reason: str | None = None


@dataclass
class CrossValidationResult:
    settings: CrossValidationSettings
    folds: list[FoldResult] = field(default_factory=list)

    @property
    def scores(self) -> list[float]:
        return [f.accuracy for f in self.folds]

    @property
    def baselines(self) -> list[float]:
        return [f.baseline for f in self.folds]

    @property
    def mean(self) -> float:
        """The tutorial's sum(scores) / len(scores)."""
        return sum(self.scores) / float(len(self.scores))

    @property
    def std(self) -> float:
        return float(np.std(self.scores))

    @property
    def baseline_mean(self) -> float:
        return sum(self.baselines) / float(len(self.baselines))

    def tutorial_text(self) -> str:
        """The lines the tutorial prints: ``Scores: [...]`` and ``Mean Accuracy: 93.333%``."""
        return f"Scores: {self.scores}\nMean Accuracy: {self.mean:.3f}%"


def iter_cross_validation(dataset: Dataset, settings: CrossValidationSettings | None = None
                          ) -> Iterator[FoldResult]:
    """Train and test one fold at a time, yielding each fold's result as soon as it is known."""
    s = settings or CrossValidationSettings()
    s.check(dataset)
    features = normalise(dataset.features, s.normalisation)  # whole dataset, once, as the tutorial
    rng = random.Random(s.seed)
    folds = kfold_indices(dataset.n_rows, s.n_folds, rng)
    config = TrainingConfig(learning_rate=s.learning_rate, epochs=s.epochs, batch_size=s.batch_size)
    sizes = [dataset.n_features, *s.hidden, dataset.n_classes]
    for i, test_rows in enumerate(folds):
        train_rows = [row for j, fold in enumerate(folds) if j != i for row in fold]
        network = initialise(sizes, s.activation, s.output_activation, s.init, seed=s.seed, rng=rng)
        trainer = Trainer(network, features[train_rows], dataset.labels[train_rows], config,
                          track_metrics=False)
        trainer.run()
        actual = dataset.labels[test_rows]
        predicted = predict(trainer.network, features[test_rows])
        yield FoldResult(i + 1, accuracy(actual, predicted),
                         zero_rule_accuracy(dataset.labels[train_rows], actual, dataset.n_classes),
                         len(train_rows), len(test_rows), trainer.stop_reason)


def cross_validate(dataset: Dataset, settings: CrossValidationSettings | None = None
                   ) -> CrossValidationResult:
    """Run every fold and collect the scores."""
    s = settings or CrossValidationSettings()
    return CrossValidationResult(s, list(iter_cross_validation(dataset, s)))


def parse_hidden(text: str | Sequence[int]) -> tuple[int, ...]:
    """"5" → (5,), "5,4" → (5, 4), "" or "0" → () (no hidden layer)."""
    if not isinstance(text, str):
        sizes = tuple(int(s) for s in text)
    else:
        parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
        try:
            sizes = tuple(int(p) for p in parts)
        except ValueError:
            raise ValueError(f"hidden layer sizes must be whole numbers separated by commas, "
                             f"got {quote(text)}") from None
        if sizes == (0,):
            sizes = ()
    if any(s < 1 for s in sizes):
        raise ValueError(f"every hidden layer needs at least one neuron, got {quote(text)}")
    return sizes
