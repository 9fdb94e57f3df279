"""Training by gradient descent: the tutorial's train_network(), driven one chunk of epochs at a time.

``batch_size`` 1 is the tutorial's online stochastic gradient descent (one update per row, rows
in order); N > 1 averages the gradient over N rows; 0 (or ≥ the number of rows) is full batch.
A ``Trainer`` keeps its state between calls, so a UI can run a few epochs, draw, and come back.
"""
from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field, fields
from typing import Iterator

import numpy as np

from . import fast
from .backward import backward
from .forward import forward, predict
from .limits import MAX_ORDER_ENTRIES
from .losses import loss_value, one_hot, squared_error
from .metrics import accuracy
from .network import Network
from .update import update


STALL_EPOCHS = 10


@dataclass
class TrainingConfig:
    """Hyperparameters; the defaults are the tutorial's case study."""

    learning_rate: float = 0.3
    epochs: int = 500
    batch_size: int = 1
    shuffle: bool = False
    seed: int = 1

    def __post_init__(self) -> None:
        if not (isinstance(self.learning_rate, (int, float)) and math.isfinite(self.learning_rate)
                and self.learning_rate >= 0):
            raise ValueError(f"learning rate must be a finite number ≥ 0, got {self.learning_rate}")
        if int(self.epochs) != self.epochs or self.epochs < 1:
            raise ValueError(f"epochs must be a whole number ≥ 1, got {self.epochs}")
        if int(self.batch_size) != self.batch_size or self.batch_size < 0:
            raise ValueError(f"batch size must be a whole number ≥ 0 (0 = full batch), got {self.batch_size}")


@dataclass
class History:
    """Per-epoch records. ``sse`` is the tutorial's printed error: Σ over rows of Σ_j (t_j − o_j)²,
    accumulated during the epoch; ``loss`` is the mean per-row loss over the same pass."""

    epoch: list[int] = field(default_factory=list)
    sse: list[float] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    validation_accuracy: list[float] = field(default_factory=list)
    validation_loss: list[float] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.epoch)

    def to_csv(self) -> str:
        names = [f.name for f in fields(self)]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names)
        columns = [getattr(self, name) for name in names]
        for i in range(len(self.epoch)):
            writer.writerow([column[i] if i < len(column) else "" for column in columns])
        return out.getvalue()


def epoch_order(n_rows: int, epoch: int, config: TrainingConfig) -> np.ndarray:
    """Rows in dataset order (the tutorial), or shuffled afresh each epoch from (seed, epoch)."""
    if not config.shuffle:
        return np.arange(n_rows)
    return np.random.default_rng([config.seed, epoch]).permutation(n_rows)


def train_epoch(network: Network, features: np.ndarray, targets: np.ndarray, order: np.ndarray,
                learning_rate: float, batch_size: int) -> tuple[Network, float, float]:
    """One pass over the rows in ``order``: forward, record the error, backward, update.

    Returns the updated network, the tutorial's sum of squared errors and the summed loss.
    """
    sum_error = 0.0
    sum_loss = 0.0
    step = batch_size if 0 < batch_size < len(order) else len(order)
    for start in range(0, len(order), step):
        rows = order[start:start + step]
        x, t = (features[rows[0]], targets[rows[0]]) if step == 1 else (features[rows], targets[rows])
        trace = forward(network, x)
        sum_error += float(np.sum(squared_error(trace.output, t)))
        sum_loss += float(np.sum(loss_value(network.loss, trace.output, t)))
        network = update(network, trace, backward(network, trace, t), learning_rate)
    return network, sum_error, sum_loss


def all_finite(network: Network) -> bool:
    return all(np.all(np.isfinite(w)) for w in network.weights)


class Trainer:
    """A training run that can be advanced a chunk of epochs at a time, paused and stopped.

    ``history`` grows by one record per epoch; ``network`` is always the latest finite network.
    If an update makes a weight infinite or NaN, training stops with ``stop_reason`` and the
    network from the end of the previous epoch is kept.
    """

    def __init__(self, network: Network, features: np.ndarray, labels: np.ndarray,
                 config: TrainingConfig | None = None,
                 validation: tuple[np.ndarray, np.ndarray] | None = None,
                 track_metrics: bool = True, use_fast: bool = True) -> None:
        self.config = config or TrainingConfig()
        self.network = network.copy()
        self.features = np.asarray(features, dtype=float)
        self.labels = np.asarray(labels, dtype=np.int64)
        if self.features.shape[1] != network.n_inputs:
            raise ValueError(f"the network takes {network.n_inputs} inputs, the data has "
                             f"{self.features.shape[1]} feature columns")
        if self.labels.size and self.labels.max() >= network.n_outputs:
            raise ValueError(f"the data has {int(self.labels.max()) + 1} classes, the network "
                             f"{network.n_outputs} outputs")
        self.targets = one_hot(self.labels, network.n_outputs)
        self.validation = validation if validation is not None and len(validation[1]) else None
        self.track_metrics = track_metrics
        self.use_fast = use_fast and fast.supports(self.network, self.config.batch_size)
        self.epoch = 0
        self.history = History()
        self.stop_reason: str | None = None

    @property
    def done(self) -> bool:
        return self.stop_reason is not None or self.epoch >= self.config.epochs

    def stop(self, reason: str = "stopped before the last epoch") -> None:
        if not self.done:
            self.stop_reason = reason

    def _train_chunk(self, n_epochs: int) -> tuple[Network, list[float], list[float], int]:
        """Train up to ``n_epochs`` epochs; stop at the first one that produces inf/NaN (undone)."""
        cfg = self.config
        orders = np.array([epoch_order(len(self.labels), self.epoch + e, cfg) for e in range(n_epochs)])
        if self.use_fast:
            network, sse, loss, done = fast.train_epochs(self.network, self.features, self.targets,
                                                         orders, cfg.learning_rate, cfg.batch_size)
            return network, sse.tolist(), loss.tolist(), done
        network, errors, losses = self.network, [], []
        for order in orders:
            with np.errstate(over="ignore", invalid="ignore"):
                candidate, sum_error, sum_loss = train_epoch(network, self.features, self.targets, order,
                                                             cfg.learning_rate, cfg.batch_size)
            if not (all_finite(candidate) and math.isfinite(sum_error) and math.isfinite(sum_loss)):
                break
            network = candidate
            errors.append(sum_error)
            losses.append(sum_loss)
        return network, errors, losses, len(errors)

    def run(self, n_epochs: int | None = None) -> None:
        """Train ``n_epochs`` more epochs (all remaining ones if None), stopping early on divergence."""
        remaining = self.config.epochs - self.epoch
        n = remaining if n_epochs is None else min(int(n_epochs), remaining)
        while n > 0 and not self.done:
            chunk = 1 if self.track_metrics else min(n, max(MAX_ORDER_ENTRIES // max(len(self.labels), 1), 1))
            network, errors, losses, done = self._train_chunk(chunk)
            self.network = network
            for sum_error, sum_loss in zip(errors, losses):
                self.epoch += 1
                self._record(sum_error, sum_loss)
            n -= done
            if self.track_metrics and self._stalled():
                self.stop_reason = (
                    f"stalled at epoch {self.epoch}: the error has not changed for {STALL_EPOCHS} epochs. "
                    f"The neurons saturated or died (f′(z) ≈ 0 for every row), so the weights no longer "
                    f"move. Try a smaller learning rate than {self.config.learning_rate:g}."
                )
            elif self.track_metrics and self._unstable():
                self.stop_reason = (
                    f"unstable at epoch {self.epoch}: for {STALL_EPOCHS} epochs the error has stayed above "
                    f"twice its lowest value — the steps overshoot the minimum. "
                    f"Try a smaller learning rate than {self.config.learning_rate:g}."
                )
            elif done < chunk:
                self.stop_reason = (
                    f"diverged in epoch {self.epoch + 1}: the weights grew beyond what a float can hold "
                    f"(inf/NaN). Try a smaller learning rate than {self.config.learning_rate:g}."
                )

    def _stalled(self) -> bool:
        """True when the last STALL_EPOCHS epoch errors are equal (to 1e-9) and far from zero."""
        recent = self.history.sse[-STALL_EPOCHS:]
        if len(recent) < STALL_EPOCHS or self.config.learning_rate == 0:
            return False
        top = max(recent)
        return top - min(recent) <= 1e-9 * top and top > 0.01 * len(self.labels)

    def _unstable(self) -> bool:
        """True when each of the last STALL_EPOCHS epoch errors is over twice the best one before them."""
        sse = self.history.sse
        if len(sse) < 2 * STALL_EPOCHS:
            return False
        return min(sse[-STALL_EPOCHS:]) > 2.0 * min(sse[:-STALL_EPOCHS])

    def _record(self, sum_error: float, sum_loss: float) -> None:
        h = self.history
        h.epoch.append(self.epoch)
        h.sse.append(sum_error)
        h.loss.append(sum_loss / max(len(self.labels), 1))
        if not self.track_metrics:
            return
        h.train_accuracy.append(self.accuracy(self.features, self.labels))
        if self.validation is not None:
            x_val, y_val = self.validation
            output = forward(self.network, x_val).output
            h.validation_accuracy.append(accuracy(y_val, np.argmax(output, axis=-1)))
            targets = one_hot(y_val, self.network.n_outputs)
            h.validation_loss.append(float(np.mean(loss_value(self.network.loss, output, targets))))

    def accuracy(self, features: np.ndarray, labels: np.ndarray) -> float:
        return accuracy(labels, predict(self.network, features))

    def snapshots(self, every: int = 10) -> Iterator["Trainer"]:
        """Yield this trainer after every ``every`` epochs until training is done."""
        while not self.done:
            self.run(every)
            yield self


def train(network: Network, features: np.ndarray, labels: np.ndarray,
          config: TrainingConfig | None = None, **kwargs) -> Trainer:
    """Train to the end in one call and return the finished Trainer."""
    trainer = Trainer(network, features, labels, config, **kwargs)
    trainer.run()
    return trainer
