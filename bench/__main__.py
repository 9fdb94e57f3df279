"""Benchmark: the tutorial's case study, whole processes, the app's clicks and the store, with their peers.

    python -m bench                 # print the tables (about five minutes: the slow peers dominate)
    python -m bench --write-readme  # and put them in README.md's performance section

Every figure is the median of several runs, with the spread (min–max), unless it says one run.
Numbers, not timed tests: CI machines are too noisy to assert speed. The targets were set on a
machine where the tutorial's plain-Python loop takes about 5 s; the absolute ones are scaled by how
fast this machine runs that same loop.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import statistics
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import app_clicks, case_study, landscape, pause, processes, store  # noqa: E402
from bench.case_study import Times, timed  # noqa: E402
from core import Trainer, TrainingConfig, fast, initialise, load_seeds, normalise  # noqa: E402

README = ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
REFERENCE_SECONDS = 5.0  # the plain-Python loop where the targets were set
UPLOAD_BYTES = 5 * 2**20


def median(times: list[float]) -> float:
    return statistics.median(times)


def spread(times: list[float], unit: float = 1e3, digits: int = 1) -> str:
    """"median (min–max)", in milliseconds by default; "(one run)" for a single time."""
    f = f"{{:.{digits}f}}"
    if len(times) == 1:
        return f"{f.format(times[0] * unit)} (one run)"
    return f"{f.format(median(times) * unit)} ({f.format(min(times) * unit)}–{f.format(max(times) * unit)})"


def ms(summary: dict[str, float]) -> str:
    """bench.store's {"median", "min", "max"} in ms as "median (min–max)"."""
    return f"{summary['median']:.2f} ({summary['min']:.2f}–{summary['max']:.2f})"


def versus(reference: float, value: float) -> str:
    """How ``value`` seconds compare with ``reference`` seconds: "3.2× faster" or "1.5× slower"."""
    ratio = reference / value
    return f"{ratio:.1f}× faster" if ratio >= 1 else f"{1 / ratio:.1f}× slower"


@dataclass
class Target:
    name: str
    measured: float  # on the clock
    limit: float
    unit: str
    at_most: bool = True  # False: the measured value must be at least the limit
    why_not: str = ""  # the reason, shown if it is not met
    cpu: tuple[float, float] | None = None  # (measured, limit) on CPU time, shown beside a miss

    def meets(self, value: float, limit: float) -> bool:
        return value <= limit if self.at_most else value >= limit

    @property
    def met(self) -> bool:
        return self.meets(self.measured, self.limit)

    def _format(self, value: float) -> str:
        return f"{value:.1f}×" if self.unit == "×" else f"{value:.3g} {self.unit}"

    def row(self) -> str:
        cpu_met = self.cpu is None or self.meets(*self.cpu)
        on_cpu = "" if self.cpu is None else f"on CPU time {self._format(self.cpu[0])} against {self._format(self.cpu[1])}"
        if self.met:  # the clock decides; CPU time is shown when it disagrees
            verdict = "yes" if cpu_met else f"yes on the clock; no {on_cpu}"
        else:
            reasons = [self.why_not] if self.why_not else []
            if on_cpu:
                reasons.append(f"{on_cpu}: {'met' if cpu_met else 'not met either'}")
            verdict = "no: " + "; ".join(reasons) if reasons else "no"
        return (f"| {self.name} | {self._format(self.measured)} | {'≤' if self.at_most else '≥'} "
                f"{self._format(self.limit)} | {verdict} |")


def fallback_case_study(repeats: int) -> tuple[Times, float]:
    """The case study with BACKPROP_LAB_NO_JIT=1, in a child process (numba is chosen at import)."""
    out = subprocess.run([sys.executable, "-m", "bench.case_study", "--repeats", str(repeats)], cwd=ROOT,
                         env=processes.environment(BACKPROP_LAB_NO_JIT="1"), capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"the plain-Python fallback failed: {out.stderr.strip()[-300:]}")
    result = json.loads(out.stdout.splitlines()[-1])
    if result["jit"]:
        raise SystemExit("BACKPROP_LAB_NO_JIT=1 did not turn numba off")
    return Times(result["wall"], result["cpu"]), result["mean"]


def full_batch(use_fast: bool) -> Trainer:
    """500 full-batch epochs of the tutorial's 7-5-3 network on the 210 normalised seeds rows."""
    data = load_seeds()
    trainer = Trainer(initialise([7, 5, 3]), normalise(data.features), data.labels,
                      TrainingConfig(epochs=500, batch_size=0), track_metrics=False, use_fast=use_fast)
    trainer.run()
    return trainer


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    numba = f"numba {fast.numba.__version__}" if fast.JIT else "numba not available"
    return (f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, numpy {np.__version__}, "
            f"{numba}; {date.today().isoformat()}")


def load_average() -> float:
    """Processes wanting a core, averaged over the last minute (0 where the system does not say)."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0


def busy_reason(loads: list[float]) -> str:
    """Why a time target may be missed here: other work on the machine, if the load says so."""
    cores = os.cpu_count() or 1
    if max(loads) <= cores:
        return ""
    return (f"measured on a busy machine (load average up to {max(loads):.1f} on {cores} cores); "
            "rerun on an idle one")


LOADS: list[float] = []  # the load average as each part of the run begins


def log(message: str) -> None:
    LOADS.append(load_average())
    print(message, file=sys.stderr, flush=True)


def run(repeats: int, slow_repeats: int, clicks: int) -> str:
    if not fast.JIT:
        raise SystemExit(f"numba is needed for the benchmark's fast path: {fast.NOTICE}")
    log("case study: numba …")
    numba, numba_mean = case_study.ours(repeats)
    log("case study: plain-Python fallback (BACKPROP_LAB_NO_JIT=1) …")
    fallback, fallback_mean = fallback_case_study(slow_repeats)
    log("case study: readable per-sample numpy path (about a minute) …")
    readable, readable_mean = case_study.ours(1, readable=True)
    log("case study: the tutorial's plain-Python loop …")
    plain, plain_mean = case_study.plain(slow_repeats)
    log("case study: scikit-learn …")
    peer = case_study.sklearn(slow_repeats)
    scale = median(plain.wall) / REFERENCE_SECONDS

    def study_row(label: str, times: Times, mean: float, digits: int) -> str:
        compared = "1" if times is plain else versus(median(plain.cpu), median(times.cpu))
        return (f"| {label} | {spread(times.wall, digits=digits)} | {median(times.cpu) * 1e3:.{digits}f} | "
                f"{mean:.3f}% | {compared} |")

    lines = [
        "| tutorial case study: 5 folds × 500 epochs × 168 rows, online | time, ms: median (min–max) | "
        "CPU, ms | mean accuracy | vs the plain-Python loop (CPU) |",
        "| --- | --- | --- | --- | --- |",
        study_row("Backprop Lab, numba (`core/kernel.py` compiled; after a warm-up)", numba, numba_mean, 1),
        study_row("Backprop Lab without numba: the same kernel as plain Python (`BACKPROP_LAB_NO_JIT=1`)",
                  fallback, fallback_mean, 0),
        study_row("Backprop Lab, readable per-sample numpy path (`use_fast=False`)", readable, readable_mean, 0),
        study_row("plain Python, the tutorial's lists and loops (`bench/plain_python.py`)", plain, plain_mean, 0),
        study_row("scikit-learn `MLPClassifier`, SGD, batch size 1", *peer, 0) if peer else
        "| scikit-learn `MLPClassifier`, SGD, batch size 1 | not installed | | | |",
    ]

    log("whole processes: normal, empty numba cache, no C compiler, no numba, plain Python …")
    proc = processes.measure(repeats, slow_repeats)
    theirs = proc["plain Python"][0]
    labels = {
        "normal": "`python -m core reproduce`, numba cache warm (second run on)",
        "first run": "the same, first run: empty numba cache (compiles)",
        "no compiler, first run": "no C compiler on the PATH, first run (empty numba cache)",
        "no compiler": "no C compiler on the PATH, second run on",
        "no numba": "no numba (`BACKPROP_LAB_NO_JIT=1`): the kernel as plain Python",
        "plain Python": "`python bench/plain_python.py`",
    }
    lines += ["", "| whole process, start to `Mean Accuracy: 93.333%` | time, s: median (min–max) | CPU, s | "
              "peak memory | vs `plain_python.py` (time; CPU) |", "| --- | --- | --- | --- | --- |"]
    for key, label in labels.items():
        times, peak = proc[key]
        compared = "1" if key == "plain Python" else \
            f"{versus(median(theirs.wall), median(times.wall))}; {versus(median(theirs.cpu), median(times.cpu))}"
        lines.append(f"| {label} | {spread(times.wall, 1, 2)} | {median(times.cpu):.2f} | {peak / 1024:.0f} MiB | "
                     f"{compared} |")

    log("full batch …")
    batch_fast, _ = timed(lambda: full_batch(True), repeats)
    batch_readable, _ = timed(lambda: full_batch(False), max(2, slow_repeats))
    log("snapshot store …")
    saved = store.measure(200)
    upload = store.measure(50, UPLOAD_BYTES)
    log("landscape …")
    land = landscape.measure()
    log("app clicks …")
    next_times, tick_times = app_clicks.measure(clicks)
    log("Pause and Stop …")
    held = pause.measure()
    slowest_hold = max(max(taken) for taken in held.values())
    lines += [
        "", "| other measurements | time, ms: median (min–max) |", "| --- | --- |",
        f"| 500 full-batch epochs on the 210 seeds rows, numba | {spread(batch_fast.wall)} |",
        f"| 500 full-batch epochs, readable numpy path | {spread(batch_readable.wall)} |",
        f"| snapshot save, default lesson ({saved['snapshot_kb']:.0f} KB; {saved['runs']} saves) | "
        f"{ms(saved['save_ms'])} |",
        f"| snapshot load, default lesson | {ms(saved['load_ms'])} |",
        f"| snapshot save, lesson with a 5 MB upload: first save (the upload not stored yet) | "
        f"{ms(upload['first_save_ms'])} |",
        f"| snapshot save, lesson with a 5 MB upload: the saves that follow (stored once already; "
        f"{upload['runs']} saves, {upload['db_mb']:.0f} MB file) | {ms(upload['save_ms'])} |",
        f"| snapshot load, lesson with a 5 MB upload | {ms(upload['load_ms'])} |",
        f"| 50×50 decision landscape, {land['network']} ({land['repeats']} runs) | "
        f"{land['median_ms']:.2f} ({land['min_ms']:.2f}–{land['max_ms']:.2f}) |",
        f"| step-through page: one Next click, server time (AppTest, {clicks} clicks) | {spread(next_times)} |",
        f"| Train page: one tick of the live fragment while training (progress, metrics, charts, graph; "
        f"{clicks} ticks) | {spread(tick_times)} |",
        *[f"| Train: Pause or Stop, call to a held run, pace \"{pace}\" (5 pauses, 1 stop) | "
          f"{median(taken):.1f} ({min(taken):.1f}–{max(taken):.1f}) |" for pace, taken in held.items()],
    ]

    loads = LOADS + [load_average()]
    busy = busy_reason(loads)
    first_compile = median(proc["first run"][0].wall) - median(proc["normal"][0].wall)
    no_compiler, no_compiler_first, no_numba = (proc[k][0] for k in ("no compiler", "no compiler, first run",
                                                                      "no numba"))
    cpu_scale = median(plain.cpu) / REFERENCE_SECONDS
    targets = [
        Target("case study training, numba", median(numba.wall) * 1e3, 50 * scale, "ms",
               why_not=busy or "numba keeps the engine's exact order of operations (no fast-math): each "
                               "neuron's sum is one chain of dependent additions",
               cpu=(median(numba.cpu) * 1e3, 50 * cpu_scale)),
        Target("without a C compiler: `reproduce` from the second run on, vs `plain_python.py`",
               median(theirs.wall) / median(no_compiler.wall), 4.0, "×", at_most=False, why_not=busy,
               cpu=(median(theirs.cpu) / median(no_compiler.cpu), 4.0)),
        Target("without a C compiler: `reproduce`'s first run (empty numba cache)",
               median(no_compiler_first.wall), median(theirs.wall), "s",
               why_not=busy or f"numba's first compile takes about {first_compile:.1f} s here",
               cpu=(median(no_compiler_first.cpu), median(theirs.cpu))),
        Target("no numba: `reproduce` (the kernel as plain Python)", median(no_numba.wall), median(theirs.wall), "s",
               why_not=busy or "the kernel as plain Python is slower than the tutorial's own loop",
               cpu=(median(no_numba.cpu), median(theirs.cpu))),
        Target("500 full-batch epochs, numba", median(batch_fast.wall) * 1e3, 20 * scale, "ms", why_not=busy,
               cpu=(median(batch_fast.cpu) * 1e3, 20 * cpu_scale)),
        Target("snapshot save, default lesson", saved["save_ms"]["median"], 10.0, "ms", why_not=busy),
        Target("50×50 landscape, 2-8-8-1", land["median_ms"], landscape.TARGET_MS, "ms", why_not=busy),
        Target("step-through Next click", median(next_times) * 1e3, 100.0, "ms", why_not=busy),
        Target("Train live-fragment tick", median(tick_times) * 1e3, 100.0, "ms", why_not=busy),
        Target("Pause or Stop takes hold, slowest at any pace", slowest_hold, pause.TARGET_MS, "ms", why_not=busy),
    ]
    head = (f"Machine: {machine()}; load average {min(loads):.1f}–{max(loads):.1f} during the run "
            f"({os.cpu_count()} keeps every core busy). CPU: the process's own CPU time, which other work "
            "on a busy machine inflates far less than the clock.")
    return "\n".join([
        head, "", *lines, "",
        f"Targets: the plain-Python loop takes {median(plain.wall):.1f} s here against about "
        f"{REFERENCE_SECONDS:g} s where the targets were set, so the case-study and full-batch limits scale by "
        f"{scale:.2f}; the others are absolute.",
        "",
        "| target | measured | limit | met |",
        "| --- | --- | --- | --- |",
        *[t.row() for t in targets],
    ])


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
    parser.add_argument("--slow-repeats", type=int, default=2, help="runs of each slow one (seconds each)")
    parser.add_argument("--clicks", type=int, default=20, help="clicks and ticks timed in the app")
    parser.add_argument("--write-readme", action="store_true", help="put the tables in README.md")
    args = parser.parse_args()
    table = run(args.repeats, args.slow_repeats, args.clicks)
    print(table)
    if args.write_readme:
        write_readme(table)
        log(f"\nwritten to {README}")


if __name__ == "__main__":
    main()
