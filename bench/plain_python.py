"""The tutorial's case study as a plain-Python program (lists and loops), the benchmark's reference.

Run as a process beside ``python -m core reproduce``: both load the CSV, normalise, split into 5 folds
with random.seed(1), train 5 networks online for 500 epochs and print the mean accuracy.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import oracle  # noqa: E402  (the tests' independent plain-Python oracle)


def load(path: Path) -> list[list]:
    rows = [[float(v) for v in line.split(",")] for line in path.read_text().splitlines() if line.strip()]
    classes = sorted({r[-1] for r in rows})
    lookup = {c: i for i, c in enumerate(classes)}
    for r in rows:
        r[-1] = lookup[r[-1]]
    return rows


def normalise(rows: list[list]) -> None:
    columns = list(zip(*rows))
    minmax = [(min(c), max(c)) for c in columns]
    for r in rows:
        for i in range(len(r) - 1):
            r[i] = (r[i] - minmax[i][0]) / (minmax[i][1] - minmax[i][0])


def case_study(rows: list[list], n_folds: int = 5, l_rate: float = 0.3, n_epoch: int = 500,
               n_hidden: int = 5, seed: int = 1) -> list[float]:
    rng = random.Random(seed)
    folds = oracle.cross_validation_split(rng, rows, n_folds)
    scores = []
    for i, fold in enumerate(folds):
        train = [row for j, f in enumerate(folds) if j != i for row in f]
        network = oracle.initialize_network(rng, len(rows[0]) - 1, n_hidden, 3)
        oracle.train_network(network, train, l_rate, n_epoch, 3)
        correct = sum(oracle.predict(network, row) == row[-1] for row in fold)
        scores.append(correct / float(len(fold)) * 100.0)
    return scores


if __name__ == "__main__":
    data = load(ROOT / "data" / "seeds_dataset.csv")
    normalise(data)
    scores = case_study(data)
    print(f"Scores: {scores}")
    print(f"Mean Accuracy: {sum(scores) / len(scores):.3f}%")
