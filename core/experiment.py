"""One experiment set-up: (dataset, settings) → the inputs, the split, the first network, the run.

The CLI's ``train``, the Train page, cross-validation and the benchmark all start here, so the same
settings give the same numbers everywhere. The defaults are the tutorial's case study, stated once.

Normalisation is fitted on the training rows only by default, so nothing of the validation rows
leaks into training. The tutorial normalises the whole dataset before splitting it (its validation
rows' minimum and maximum shape the training inputs); ``normalise_on="all rows"`` does that, and
``TUTORIAL`` — what "Reproduce the tutorial" runs — uses it.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, fields, replace
from typing import Any, Sequence

import numpy as np

from .data import Dataset
from .features import FeatureMap
from .init import initialise
from .limits import quote
from .network import Network
from .preprocessing import Normaliser, fit_normaliser, train_validation_split
from .training import Trainer, TrainingConfig

NORMALISE_ON: tuple[str, ...] = ("training rows", "all rows")


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


@dataclass(frozen=True)
class ExperimentSettings:
    """Everything that decides a run. The defaults are the tutorial's: a 5-neuron sigmoid hidden
    layer, its [0, 1) initialisation with seed 1, learning rate 0.3, 500 epochs of online updates in
    row order, min-max normalisation; plus a seeded, stratified 20 % validation share."""

    hidden: tuple[int, ...] = (5,)
    activation: str = "sigmoid"
    output_activation: str = ""  # "" = the hidden activation with squared error; "softmax" = cross-entropy
    init: str = "tutorial"
    seed: int = 1
    learning_rate: float = 0.3
    epochs: int = 500
    batch_size: int = 1  # 1 = online (the tutorial), 0 = full batch
    shuffle: bool = False
    l1: float = 0.0
    l2: float = 0.0
    momentum: float = 0.0
    early_stopping: bool = False
    normalisation: str = "minmax"
    normalise_on: str = "training rows"
    validation_share: float = 0.2
    features: tuple[str, ...] = ()  # input features of 2-D data (core.features); () = the columns as they are

    def __post_init__(self) -> None:
        object.__setattr__(self, "hidden", parse_hidden(self.hidden))
        object.__setattr__(self, "features", tuple(self.features))
        if self.normalise_on not in NORMALISE_ON:
            raise ValueError(f"normalise on {self.normalise_on!r:.40}? choose {' or '.join(NORMALISE_ON)}")
        if not 0.0 <= self.validation_share < 1.0:
            raise ValueError(f"validation share must be in [0, 1), got {self.validation_share!r:.40}")
        self.training_config()  # refuses bad hyperparameters now, with their message

    def training_config(self) -> TrainingConfig:
        return TrainingConfig(self.learning_rate, self.epochs, self.batch_size, self.shuffle, self.seed,
                              self.l1, self.l2, self.momentum, self.early_stopping)

    def changed(self, **changes: Any) -> "ExperimentSettings":
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["hidden"], out["features"] = list(self.hidden), list(self.features)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ExperimentSettings":
        """Settings from ``to_dict()``'s output; unknown keys are refused, missing ones take defaults."""
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise ValueError(f"unknown setting {unknown[0]!r:.40}")
        return cls(**data)

    def describe(self) -> str:
        hidden = "-".join(map(str, self.hidden)) or "none"
        extras = [f"{name} {getattr(self, name):g}" for name in ("l1", "l2", "momentum") if getattr(self, name)]
        return ", ".join([f"hidden {hidden} {self.activation}" + (" → softmax" if self.output_activation else ""),
                          f"{self.init} init, seed {self.seed}", f"lr {self.learning_rate:g}",
                          f"{self.epochs} epochs", "online" if self.batch_size == 1 else
                          ("full batch" if self.batch_size == 0 else f"batches of {self.batch_size}"),
                          *(["shuffled"] if self.shuffle else []), *extras,
                          f"{self.normalisation} on {self.normalise_on}"])


TUTORIAL = ExperimentSettings(normalise_on="all rows")


@dataclass
class Experiment:
    """A run ready to go: which rows train and validate, what the network sees, where it starts."""

    dataset: Dataset
    settings: ExperimentSettings
    feature_map: FeatureMap
    normaliser: Normaliser
    train_rows: np.ndarray
    validation_rows: np.ndarray
    inputs: np.ndarray  # the network's inputs for every row of the dataset
    network: Network  # the initial network

    @property
    def input_names(self) -> list[str]:
        return list(self.dataset.feature_names) if self.feature_map.is_identity else list(self.feature_map.names)

    def to_inputs(self, raw: np.ndarray) -> np.ndarray:
        """Raw feature rows → what the network sees: the input features, then the normalisation."""
        return self.normaliser.apply(self.feature_map.apply(np.atleast_2d(np.asarray(raw, dtype=float))))

    def trainer(self, track_metrics: bool = True, snapshots_every: int = 0) -> Trainer:
        """A Trainer for this run (``snapshots_every``: see Trainer; ``snapshot_interval`` suits an animation)."""
        d, rows, held = self.dataset, self.train_rows, self.validation_rows
        return Trainer(self.network, self.inputs[rows], d.labels[rows], self.settings.training_config(),
                       validation=(self.inputs[held], d.labels[held]), track_metrics=track_metrics,
                       n_classes=d.n_classes if not d.is_regression else 0, init=self.settings.init,
                       snapshots_every=snapshots_every)


def feature_map_of(dataset: Dataset, settings: ExperimentSettings) -> FeatureMap:
    return FeatureMap(settings.features) if settings.features else FeatureMap.identity(dataset.n_features)


def split(dataset: Dataset, settings: ExperimentSettings) -> tuple[np.ndarray, np.ndarray]:
    """Training and validation rows: seeded, stratified by class (random for regression)."""
    if dataset.is_regression:
        order = np.random.default_rng(settings.seed).permutation(dataset.n_rows)
        held = int(round(settings.validation_share * dataset.n_rows))
        return np.sort(order[held:]), np.sort(order[:held])
    return train_validation_split(dataset.labels, settings.validation_share, settings.seed)


def prepare(dataset: Dataset, settings: ExperimentSettings = TUTORIAL,
            rows: tuple[np.ndarray, np.ndarray] | None = None, rng: random.Random | None = None) -> Experiment:
    """Set up a run of ``settings`` on ``dataset``: raises ValueError naming what does not fit.

    ``rows`` gives the (training, validation) rows instead of the seeded split; ``rng`` continues a
    shared random generator for the initial weights (the tutorial's cross-validation does this).
    """
    if dataset.n_features < 2 and settings.features:
        raise ValueError("input features such as x₁² need 2-D data")
    feature_map = feature_map_of(dataset, settings)
    raw = feature_map.apply(dataset.features)
    train_rows, validation_rows = rows if rows is not None else split(dataset, settings)
    train_rows, validation_rows = np.asarray(train_rows, dtype=np.int64), np.asarray(validation_rows, dtype=np.int64)
    fitted_on = raw[train_rows] if settings.normalise_on == "training rows" else raw
    normaliser = fit_normaliser(fitted_on, settings.normalisation)
    sizes = [raw.shape[1], *settings.hidden, dataset.n_outputs]
    output = "linear" if dataset.is_regression else settings.output_activation  # a value: a linear output, SSE
    network = initialise(sizes, settings.activation, output, settings.init, settings.seed, rng=rng)
    return Experiment(dataset, settings, feature_map, normaliser, train_rows, validation_rows,
                      normaliser.apply(raw), network)
