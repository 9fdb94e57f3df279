"""Training by gradient descent: the tutorial's train_network(), driven one chunk of epochs at a time.

``batch_size`` 1 is the tutorial's online stochastic gradient descent (one update per row, rows
in order); N > 1 averages the gradient over N rows; 0 (or ≥ the number of rows) is full batch.
A ``Trainer`` keeps its state between calls, so a UI can run a few epochs, draw, and come back.
Both paths — the readable one below (forward → backward → update per row) and the compiled loop in
fast.py — do the same arithmetic and give the same numbers.
"""
from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field, fields

import numpy as np

from . import fast
from .backward import backward
from .diagnosis import stall_advice
from .evaluation import evaluate
from .forward import forward
from .limits import MAX_ORDER_ENTRIES, MAX_SNAPSHOT_VALUES
from .losses import loss_value, squared_error
from .network import Network
from .update import apply_update

STALL_EPOCHS = 10
ANIMATION_FRAMES = 60  # weight snapshots kept for a run's animation, at most (plus the start)


def snapshot_interval(epochs: int, n_weights: int) -> int:
    """Epochs between two weight snapshots: at most ANIMATION_FRAMES of them, and at most
    MAX_SNAPSHOT_VALUES numbers in all (but at least two snapshots: the start and the end)."""
    frames = max(2, min(ANIMATION_FRAMES, MAX_SNAPSHOT_VALUES // max(n_weights, 1)))
    return max(1, math.ceil(epochs / frames))


@dataclass(frozen=True)
class TrainingConfig:
    """Hyperparameters; the defaults are the tutorial's case study (no penalty, no momentum, no
    early stopping — the tutorial has none of them)."""

    learning_rate: float = 0.3
    epochs: int = 500
    batch_size: int = 1
    shuffle: bool = False
    seed: int = 1
    l1: float = 0.0
    l2: float = 0.0
    momentum: float = 0.0
    early_stopping: bool = False

    def __post_init__(self) -> None:
        for name in ("learning_rate", "l1", "l2"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value >= 0):
                raise ValueError(f"{name.replace('_', ' ')} must be a finite number ≥ 0, got {value!r:.40}")
        if not (isinstance(self.momentum, (int, float)) and 0 <= self.momentum < 1):
            raise ValueError(f"momentum must be a number in [0, 1), got {self.momentum!r:.40}")
        if int(self.epochs) != self.epochs or self.epochs < 1:
            raise ValueError(f"epochs must be a whole number ≥ 1, got {self.epochs!r:.40}")
        if int(self.batch_size) != self.batch_size or self.batch_size < 0:
            raise ValueError(f"batch size must be a whole number ≥ 0 (0 = full batch), got {self.batch_size!r:.40}")


@dataclass
class History:
    """Per-epoch records. ``sse`` is the tutorial's printed error: Σ over rows of Σ_j (t_j − o_j)²,
    accumulated during the epoch; ``loss`` is the mean per-row loss over the same pass;
    ``gradient`` holds each layer's mean |∂E/∂w| over the epoch's updates. Accuracy belongs to
    classification, R² and the mean absolute error to regression."""

    epoch: list[int] = field(default_factory=list)
    sse: list[float] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    validation_accuracy: list[float] = field(default_factory=list)
    validation_loss: list[float] = field(default_factory=list)
    train_r2: list[float] = field(default_factory=list)
    validation_r2: list[float] = field(default_factory=list)
    validation_mae: list[float] = field(default_factory=list)
    gradient: list[list[float]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.epoch)

    def columns(self) -> dict[str, list]:
        """Every recorded series by name (empty ones left out); gradients one column per layer."""
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "gradient" and getattr(self, f.name)}
        for l in range(len(self.gradient[0]) if self.gradient else 0):
            out[f"mean_abs_gradient_layer_{l + 1}"] = [g[l] for g in self.gradient]
        return out

    def to_csv(self) -> str:
        columns = self.columns()
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for i in range(len(self.epoch)):
            writer.writerow([repr(column[i]) if i < len(column) else "" for column in columns.values()])
        return out.getvalue()


def epoch_order(n_rows: int, epoch: int, config: TrainingConfig) -> np.ndarray:
    """Rows in dataset order (the tutorial), or shuffled afresh each epoch from (seed, epoch)."""
    if not config.shuffle:
        return np.arange(n_rows)
    return np.random.default_rng([config.seed, epoch]).permutation(n_rows)


def train_epoch(network: Network, features: np.ndarray, targets: np.ndarray, order: np.ndarray,
                config: TrainingConfig, velocity: list[np.ndarray] | None = None
                ) -> tuple[Network, list[np.ndarray] | None, float, float, list[float]]:
    """One pass over the rows in ``order``: forward, record the error, backward, update.

    Returns the updated network and velocity, the tutorial's sum of squared errors, the summed loss
    and each layer's mean |∂E/∂w| over the epoch's updates.
    """
    sum_error = 0.0
    sum_loss = 0.0
    gradient_sums = np.zeros(len(network.weights))
    step = config.batch_size if 0 < config.batch_size < len(order) else len(order)
    n_updates = 0
    for start in range(0, len(order), step):
        rows = order[start:start + step]
        x, t = (features[rows[0]], targets[rows[0]]) if step == 1 else (features[rows], targets[rows])
        trace = forward(network, x)
        for row_error, row_loss in zip(np.atleast_1d(squared_error(trace.output, t)),
                                       np.atleast_1d(loss_value(network.loss, trace.output, t))):
            sum_error += float(row_error)  # row by row, in order, as the compiled loop adds them
            sum_loss += float(row_loss)
        gradients = backward(network, trace, t)
        gradient_sums += [float(np.mean(np.abs(g))) for g in gradients.weight_gradients]
        result = apply_update(network, trace, gradients, config.learning_rate, config.l1, config.l2,
                              config.momentum, velocity)
        network, velocity = result.network, result.velocity
        n_updates += 1
    return network, velocity, sum_error, sum_loss, (gradient_sums / n_updates).tolist()


def all_finite(arrays: list[np.ndarray] | None) -> bool:
    return arrays is None or all(np.all(np.isfinite(a)) for a in arrays)


class Trainer:
    """A training run that can be advanced a chunk of epochs at a time, paused and stopped.

    ``labels`` are class indices (``n_classes`` > 0) or target values (regression, ``n_classes`` 0).
    ``history`` grows by one record per epoch; ``network`` is always the latest finite network.
    An update that makes a number infinite or NaN always stops training, with ``stop_reason``, and
    the network from the end of the previous epoch is kept. With ``config.early_stopping`` training
    also stops when the error stalls or keeps climbing, the same on every path. With
    ``snapshots_every`` N > 0, ``weight_snapshots`` keeps (epoch, weights) at epoch 0 and every N-th
    epoch (for an animation of the run); the chunks of epochs are cut at those epochs.
    """

    def __init__(self, network: Network, features: np.ndarray, labels: np.ndarray,
                 config: TrainingConfig | None = None,
                 validation: tuple[np.ndarray, np.ndarray] | None = None,
                 track_metrics: bool = True, use_fast: bool = True, n_classes: int | None = None,
                 init: str = "", snapshots_every: int = 0) -> None:
        self.config = config or TrainingConfig()
        self.network = network.copy()
        self.initial_network = network.copy()
        self.features = np.asarray(features, dtype=float)
        self.n_classes = network.n_outputs if n_classes is None else n_classes
        self.labels = np.asarray(labels, dtype=np.int64 if self.n_classes else float)
        if self.features.ndim != 2 or self.features.shape[1] != network.n_inputs:
            raise ValueError(f"the network takes {network.n_inputs} inputs, the data has "
                             f"{self.features.shape[-1]} feature columns")
        if self.n_classes and self.labels.size and self.labels.max() >= network.n_outputs:
            raise ValueError(f"the data has {int(self.labels.max()) + 1} classes, the network "
                             f"{network.n_outputs} outputs")
        if not self.n_classes and network.n_outputs != 1:
            raise ValueError(f"predicting one value needs one output neuron, the network has {network.n_outputs}")
        self.targets = self._targets(self.labels)
        self.validation = validation if validation is not None and len(validation[1]) else None
        self.track_metrics = track_metrics
        self.use_fast = use_fast
        self.init = init or network.init
        self.velocity: list[np.ndarray] | None = None
        self.epoch = 0
        self.history = History()
        self.stop_reason: str | None = None
        self.snapshots_every = int(snapshots_every)
        self.weight_snapshots: list[tuple[int, list[np.ndarray]]] = (
            [(0, [w.copy() for w in self.network.weights])] if self.snapshots_every > 0 else [])

    def _targets(self, labels: np.ndarray) -> np.ndarray:
        if not self.n_classes:
            return labels.astype(float)[:, None]
        return np.eye(self.network.n_outputs)[labels]

    @property
    def done(self) -> bool:
        return self.stop_reason is not None or self.epoch >= self.config.epochs

    def stop(self, reason: str = "stopped before the last epoch") -> None:
        if not self.done:
            self.stop_reason = reason

    def _train_chunk(self, n_epochs: int) -> tuple[list[float], list[float], list[list[float]]]:
        """Train up to ``n_epochs`` epochs; stop at the first one that produces inf/NaN (undone)."""
        cfg = self.config
        orders = np.array([epoch_order(len(self.labels), self.epoch + e, cfg) for e in range(n_epochs)])
        if self.use_fast:
            network, velocity, sse, loss, gradients, _ = fast.train_epochs(
                self.network, self.features, self.targets, orders, cfg.learning_rate, cfg.batch_size,
                cfg.l1, cfg.l2, cfg.momentum, self.velocity, measure=self.track_metrics)
            self.network, self.velocity = network, velocity
            return sse.tolist(), loss.tolist(), gradients.tolist()
        errors, losses, gradients = [], [], []
        for order in orders:
            with np.errstate(over="ignore", invalid="ignore"):
                network, velocity, sum_error, sum_loss, layer_gradients = train_epoch(
                    self.network, self.features, self.targets, order, cfg, self.velocity)
            if not (all_finite(network.weights) and all_finite(velocity)
                    and math.isfinite(sum_error) and math.isfinite(sum_loss)):
                break
            self.network, self.velocity = network, velocity
            errors.append(sum_error)
            losses.append(sum_loss)
            gradients.append(layer_gradients)
        return errors, losses, gradients

    def run(self, n_epochs: int | None = None) -> None:
        """Train ``n_epochs`` more epochs (all remaining ones if None), stopping early on divergence
        (always) or on a stalled or climbing error (with ``early_stopping``)."""
        remaining = self.config.epochs - self.epoch
        n = remaining if n_epochs is None else min(int(n_epochs), remaining)
        one_at_a_time = self.track_metrics or self.config.early_stopping
        while n > 0 and not self.done:
            # row orders are drawn a chunk at a time: never more than MAX_ORDER_ENTRIES indices at once
            chunk = 1 if one_at_a_time else min(n, max(MAX_ORDER_ENTRIES // max(len(self.labels), 1), 1))
            if self.snapshots_every > 0:  # a chunk ends at the next snapshot's epoch at the latest
                chunk = min(chunk, self.snapshots_every - self.epoch % self.snapshots_every)
            errors, losses, gradients = self._train_chunk(chunk)
            for sum_error, sum_loss, layer_gradients in zip(errors, losses, gradients):
                self.epoch += 1
                self._record(sum_error, sum_loss, layer_gradients)
            if self.snapshots_every > 0 and errors and self.epoch % self.snapshots_every == 0:
                self.weight_snapshots.append((self.epoch, [w.copy() for w in self.network.weights]))
            n -= len(errors)
            if len(errors) < chunk:
                self.stop_reason = (
                    f"diverged in epoch {self.epoch + 1}: the weights grew beyond what a float can hold "
                    f"(inf/NaN) — the steps overshoot. Try a smaller learning rate than "
                    f"{self.config.learning_rate:g}."
                )
            elif self.config.early_stopping:
                self.stop_reason = self._early_stop()

    def _early_stop(self) -> str | None:
        """The reason to stop after this epoch, if the error has stalled or keeps climbing."""
        sse = self.history.sse
        if len(sse) < STALL_EPOCHS or self.config.learning_rate == 0:
            return None
        recent = sse[-STALL_EPOCHS:]
        top = max(recent)
        if top - min(recent) <= 1e-9 * top and top > 0.01 * len(self.labels):
            return (f"stalled at epoch {self.epoch}: the error has not changed for {STALL_EPOCHS} epochs — "
                    f"{stall_advice(self.network, self.initial_network, self.features, self.init, self.config.learning_rate)}.")
        if len(sse) >= 2 * STALL_EPOCHS and min(recent) > 2.0 * min(sse[:-STALL_EPOCHS]):
            return (f"unstable at epoch {self.epoch}: for {STALL_EPOCHS} epochs the error has stayed above "
                    f"twice its lowest value — the steps overshoot the minimum. "
                    f"Try a smaller learning rate than {self.config.learning_rate:g}.")
        return None

    def _record(self, sum_error: float, sum_loss: float, layer_gradients: list[float]) -> None:
        h = self.history
        h.epoch.append(self.epoch)
        h.sse.append(sum_error)
        h.loss.append(sum_loss / max(len(self.labels), 1))
        h.gradient.append(layer_gradients)
        if not self.track_metrics:
            return
        train = evaluate(self.network, self.features, self.labels, self.n_classes)
        if self.n_classes:
            h.train_accuracy.append(train.accuracy)
        else:
            h.train_r2.append(train.r2)
        if self.validation is not None:
            held = evaluate(self.network, *self.validation, self.n_classes)
            h.validation_loss.append(held.loss)
            if self.n_classes:
                h.validation_accuracy.append(held.accuracy)
            else:
                h.validation_r2.append(held.r2)
                h.validation_mae.append(held.mae)

    def accuracy(self, features: np.ndarray, labels: np.ndarray) -> float:
        return evaluate(self.network, features, labels, self.n_classes).accuracy

    def snapshots(self, every: int = 10):
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
