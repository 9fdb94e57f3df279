"""Benchmark: the tutorial's case study and the app's clicks, timed side by side with their peers.

    python -m bench                 # print the table (about five minutes: the slow peers dominate)
    python -m bench --write-readme  # and put it in README.md's performance section

Every figure is the median of several runs, with the spread (min–max). Numbers, not timed tests:
CI machines are too noisy to assert speed.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bench import plain_python  # noqa: E402
from core import (Trainer, TrainingConfig, cross_validate, fast, initialise,  # noqa: E402
                  kfold_indices, load_seeds, normalise)

README = ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def timed(function: Callable[[], object], repeats: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeats):
        began = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - began)
    return times, result


def spread(times: list[float], unit: float = 1e3, digits: int = 1) -> str:
    """"median (min–max)" in milliseconds by default."""
    f = f"{{:.{digits}f}}"
    return f"{f.format(statistics.median(times) * unit)} ({f.format(min(times) * unit)}–{f.format(max(times) * unit)})"


@contextlib.contextmanager
def readable_path_only() -> Iterator[None]:
    saved = fast.AVAILABLE
    fast.AVAILABLE = False
    try:
        yield
    finally:
        fast.AVAILABLE = saved


# Runs a command and reports its wall time and peak memory. A small launcher, because a child's peak
# memory starts at its parent's size when it is forked (and this benchmark's process is large).
LAUNCHER = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
            "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
            "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)")


def process(command: list[str], repeats: int) -> tuple[list[float], int]:
    """Wall time of each run of ``command`` and its peak resident memory (KiB)."""
    times, peak = [], 0
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", LAUNCHER, *command], cwd=ROOT, capture_output=True, text=True)
        seconds, kib, code = out.stdout.split()
        if code != "0":
            raise SystemExit(f"{' '.join(command)} failed")
        times.append(float(seconds))
        peak = max(peak, int(kib))
    return times, peak


def sklearn_case_study(features: np.ndarray, labels: np.ndarray) -> float | None:
    """scikit-learn's MLPClassifier with the tutorial's settings: 5 logistic hidden units, plain SGD,
    batch size 1, lr 0.3, no momentum, no regularisation, no shuffling, 500 epochs, the same folds.
    (Its output layer is softmax with log-loss: the closest it offers to the tutorial's.)"""
    try:
        import warnings

        from sklearn.exceptions import ConvergenceWarning
        from sklearn.neural_network import MLPClassifier
    except ImportError:
        return None
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


def app_latency(clicks: int) -> tuple[list[float], list[float]]:
    """Server time of a Next click on the step-through page and of a 10-epoch Train tick (AppTest)."""
    from streamlit.testing.v1 import AppTest

    step = AppTest.from_file(str(ROOT / "pages" / "2_Step_through.py"), default_timeout=120).run()
    next_times = []
    for _ in range(clicks):
        if step.button(key="step_next").disabled:
            step.button(key="step_reset").click().run()
        began = time.perf_counter()
        step.button(key="step_next").click().run()
        next_times.append(time.perf_counter() - began)
    train = AppTest.from_file(str(ROOT / "pages" / "3_Train.py"), default_timeout=120).run()
    train.button(key="train_start").click().run()
    tick_times = []
    for _ in range(clicks):
        began = time.perf_counter()
        train.run()
        tick_times.append(time.perf_counter() - began)
    return next_times, tick_times


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    compiler = subprocess.run(["cc", "--version"], capture_output=True, text=True).stdout.splitlines()[:1]
    return (f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, numpy {np.__version__}"
            f"{', ' + compiler[0] if compiler else ''}; {date.today().isoformat()}")


def run(repeats: int, slow_repeats: int, clicks: int) -> str:
    data = load_seeds()
    features = normalise(data.features)
    rows = [list(features[i]) + [int(data.labels[i])] for i in range(data.n_rows)]
    if not fast.AVAILABLE:
        print(f"note: {fast.NOTICE}", file=sys.stderr)
    print("case study: compiled loop …", file=sys.stderr)
    cross_validate(data)  # build/load the compiled loop before timing
    fast_times, fast_result = timed(lambda: cross_validate(data), repeats)
    print("case study: per-sample numpy …", file=sys.stderr)
    with readable_path_only():
        numpy_times, numpy_result = timed(lambda: cross_validate(data), slow_repeats)
    print("case study: plain Python …", file=sys.stderr)
    plain_times, plain_scores = timed(lambda: plain_python.case_study([list(r) for r in rows]), slow_repeats)
    print("case study: scikit-learn …", file=sys.stderr)
    sk_times, sk_accuracy = timed(lambda: sklearn_case_study(features, data.labels), slow_repeats)

    fast_median = statistics.median(fast_times)
    lines = [
        f"Machine: {machine()}.",
        "",
        "| tutorial case study: 5 folds × 500 epochs × 168 rows, online | time, ms: median (min–max) | "
        "mean accuracy | × the compiled loop |",
        "| --- | --- | --- | --- |",
        f"| Backprop Lab, compiled loop (`core/kernel.c`) | {spread(fast_times)} | {fast_result.mean:.3f}% | 1 |",
        f"| Backprop Lab, readable per-sample numpy path | {spread(numpy_times, digits=0)} | "
        f"{numpy_result.mean:.3f}% | {statistics.median(numpy_times) / fast_median:.0f} |",
        f"| plain Python, the tutorial's lists and loops | {spread(plain_times, digits=0)} | "
        f"{sum(plain_scores) / len(plain_scores):.3f}% | {statistics.median(plain_times) / fast_median:.0f} |",
    ]
    if sk_accuracy is None:
        lines.append("| scikit-learn `MLPClassifier` (batch size 1) | not installed | | |")
    else:
        lines.append(f"| scikit-learn `MLPClassifier`, SGD, batch size 1 | {spread(sk_times, digits=0)} | "
                     f"{sk_accuracy:.3f}% | {statistics.median(sk_times) / fast_median:.0f} |")

    print("whole processes …", file=sys.stderr)
    ours, our_peak = process([sys.executable, "-m", "core", "reproduce"], repeats)
    theirs, their_peak = process([sys.executable, str(ROOT / "bench" / "plain_python.py")], slow_repeats)
    lines += [
        "",
        "| whole process, start to `Mean Accuracy: 93.333%` | time, s: median (min–max) | peak memory |",
        "| --- | --- | --- |",
        f"| `python -m core reproduce` | {spread(ours, 1, 2)} | {our_peak / 1024:.0f} MiB |",
        f"| `python bench/plain_python.py` | {spread(theirs, 1, 2)} | {their_peak / 1024:.0f} MiB |",
        f"| plain Python ÷ Backprop Lab | {statistics.median(theirs) / statistics.median(ours):.1f}× | |",
    ]

    print("full batch …", file=sys.stderr)

    def full_batch(use_fast: bool) -> Trainer:
        trainer = Trainer(initialise([7, 5, 3]), features, data.labels, TrainingConfig(epochs=500, batch_size=0),
                          track_metrics=False, use_fast=use_fast)
        trainer.run()
        return trainer

    batch_fast, _ = timed(lambda: full_batch(True), repeats)
    batch_numpy, _ = timed(lambda: full_batch(False), max(2, slow_repeats))
    print("app clicks …", file=sys.stderr)
    next_times, tick_times = app_latency(clicks)
    lines += [
        "",
        "| other measurements | time, ms: median (min–max) |",
        "| --- | --- |",
        f"| 500 full-batch epochs on the 210 seeds rows, compiled loop | {spread(batch_fast)} |",
        f"| 500 full-batch epochs, readable numpy path | {spread(batch_numpy)} |",
        f"| step-through page: one Next click, server time (AppTest, {clicks} clicks) | {spread(next_times)} |",
        f"| Train page: one tick (10 epochs, charts and graph redrawn), server time ({clicks} ticks) | "
        f"{spread(tick_times)} |",
    ]
    # The targets were set on a machine where the plain-Python loop takes about 5 s; scale the
    # absolute ones by how fast this machine runs that same loop.
    scale = statistics.median(plain_times) / 5.0
    checks = [
        ("case study training, compiled loop", fast_median * 1e3, 50 * scale, "ms"),
        ("500 full-batch epochs, compiled loop", statistics.median(batch_fast) * 1e3, 20 * scale, "ms"),
        ("step-through Next click", statistics.median(next_times) * 1e3, 100, "ms"),
        ("Train tick", statistics.median(tick_times) * 1e3, 100, "ms"),
    ]
    ratio = statistics.median(theirs) / statistics.median(ours)
    lines += [
        "",
        f"Targets: the plain-Python loop takes {statistics.median(plain_times):.1f} s here against about 5 s "
        f"where the targets were set, so the absolute ones scale by {scale:.2f}.",
        "",
        "| target | measured | limit | met |",
        "| --- | --- | --- | --- |",
        *[f"| {name} | {value:.0f} {unit} | ≤ {limit:.0f} {unit} | {'yes' if value <= limit else 'no'} |"
          for name, value, limit, unit in checks],
        f"| whole process vs plain Python | {ratio:.1f}× faster | ≥ 10× | {'yes' if ratio >= 10 else 'no'} |",
    ]
    return "\n".join(lines)


def write_readme(table: str) -> None:
    text = README.read_text()
    block = f"{START}\n{table}\n{END}"
    if START in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    else:
        text += f"\n{block}\n"
    README.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="runs of each fast measurement")
    parser.add_argument("--slow-repeats", type=int, default=2, help="runs of each slow peer (seconds each)")
    parser.add_argument("--clicks", type=int, default=20, help="clicks and ticks timed in the app")
    parser.add_argument("--write-readme", action="store_true", help="put the table in README.md")
    args = parser.parse_args()
    table = run(args.repeats, args.slow_repeats, args.clicks)
    print(table)
    if args.write_readme:
        write_readme(table)
        print(f"\nwritten to {README}", file=sys.stderr)


if __name__ == "__main__":
    main()
