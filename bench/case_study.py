"""The tutorial's case study (5 folds × 500 epochs × 168 rows, online), timed in one process.

    python -m bench.case_study --repeats 2    # prints {"jit": …, "wall": […], "cpu": […], "mean": …}

The benchmark runs this as a child process with BACKPROP_LAB_NO_JIT=1 to time the plain-Python
fallback (numba is chosen once, at import). In-process it also times the readable per-sample numpy
path, the tutorial's own lists and loops, and scikit-learn's MLPClassifier as a peer.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import plain_python  # noqa: E402
from core import Trainer, cross_validate, fast, kfold_indices, load_seeds, normalise  # noqa: E402


@dataclass
class Times:
    """Seconds of each run: on the clock, and of this process's CPU (which other work on a busy
    machine inflates far less)."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)


def timed(function: Callable[[], object], repeats: int) -> tuple[Times, object]:
    """Times of each of ``repeats`` calls, and the last call's result."""
    times, result = Times(), None
    for _ in range(repeats):
        began, cpu = time.perf_counter(), time.process_time()
        result = function()
        times.wall.append(time.perf_counter() - began)
        times.cpu.append(time.process_time() - cpu)
    return times, result


@contextlib.contextmanager
def readable_path_only() -> Iterator[None]:
    """Every Trainer made inside trains on the readable per-sample numpy path (``use_fast=False``)."""
    original = Trainer.__init__

    def readable(self: Trainer, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)
        self.use_fast = False

    Trainer.__init__ = readable
    try:
        yield
    finally:
        Trainer.__init__ = original


def ours(repeats: int, readable: bool = False) -> tuple[Times, float]:
    """Times of ``cross_validate`` on the seeds data and its mean accuracy: the fast path (numba, warmed
    up first; or its plain-Python fallback) or, with ``readable``, the per-sample numpy path."""
    data = load_seeds()
    if readable:
        with readable_path_only():
            times, result = timed(lambda: cross_validate(data), repeats)
        return times, result.mean
    if fast.JIT:
        fast.warm()
        cross_validate(data)  # a warm-up run: numba's dispatch, caches
    times, result = timed(lambda: cross_validate(data), repeats)
    return times, result.mean


def tutorial_rows() -> tuple[np.ndarray, np.ndarray, list[list]]:
    """The seeds data min-max normalised on all rows, as features and labels and as the tutorial's rows
    (Python floats: numpy's float64 scalars would make the plain-Python loop ~35% slower)."""
    data = load_seeds()
    features = normalise(data.features)
    rows = [features[i].tolist() + [int(data.labels[i])] for i in range(data.n_rows)]
    return features, data.labels, rows


def plain(repeats: int) -> tuple[Times, float]:
    """The tutorial's lists and loops (bench/plain_python.py) on the same rows and folds."""
    _, _, rows = tutorial_rows()
    times, scores = timed(lambda: plain_python.case_study([list(r) for r in rows]), repeats)
    return times, sum(scores) / len(scores)


def sklearn(repeats: int) -> tuple[Times, float] | None:
    """scikit-learn's MLPClassifier with the tutorial's settings: 5 logistic hidden units, plain SGD,
    batch size 1, lr 0.3, no momentum, no regularisation, no shuffling, 500 epochs, the same folds.
    (Its output layer is softmax with log-loss: the closest it offers to the tutorial's.) None if
    scikit-learn is not installed."""
    try:
        import warnings

        from sklearn.exceptions import ConvergenceWarning
        from sklearn.neural_network import MLPClassifier
    except ImportError:
        return None
    features, labels, _ = tutorial_rows()

    def run() -> float:
        folds = kfold_indices(len(labels), 5, random.Random(1))
        scores = []
        for i, test in enumerate(folds):
            train = [r for j, f in enumerate(folds) if j != i for r in f]
            model = MLPClassifier(hidden_layer_sizes=(5,), activation="logistic", solver="sgd", batch_size=1,
                                  learning_rate_init=0.3, momentum=0.0, alpha=0.0, max_iter=500, shuffle=False,
                                  tol=0.0, n_iter_no_change=10**9, random_state=1)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                model.fit(features[train], labels[train])
            scores.append(float(np.mean(model.predict(features[test]) == labels[test]) * 100))
        return sum(scores) / len(scores)

    times, mean = timed(run, repeats)
    return times, mean


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.case_study", description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    times, mean = ours(args.repeats)
    print(json.dumps({"jit": fast.JIT, "wall": times.wall, "cpu": times.cpu, "mean": mean}))


if __name__ == "__main__":
    main()
