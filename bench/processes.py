"""Whole processes, start to ``Mean Accuracy: 93.333%``, in the environments a user may have.

- normal: numba with its on-disk cache warm (a first run fills it, then the runs are timed);
- first run: numba with an empty cache (NUMBA_CACHE_DIR a fresh folder each time: it compiles);
- no C compiler: PATH holds only the venv's bin and a folder with a ``python`` link (no cc, gcc or
  clang), first with an empty numba cache, then from the second run on;
- no numba: BACKPROP_LAB_NO_JIT=1, the kernel as plain Python;
- and the tutorial's plain-Python program, bench/plain_python.py.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

from bench.case_study import Times

ROOT = Path(__file__).resolve().parent.parent
REPRODUCE = [sys.executable, "-m", "core", "reproduce"]
PLAIN_PYTHON = [sys.executable, str(ROOT / "bench" / "plain_python.py")]
COMPILERS = ("cc", "gcc", "clang")

# Runs a command and reports its wall time, CPU time and peak memory. A small launcher, because a child's
# peak memory starts at its parent's size when it is forked (and the benchmark's process is large).
LAUNCHER = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
            "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
            "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
            "print(time.perf_counter() - t, u.ru_utime + u.ru_stime, u.ru_maxrss, r.returncode)")


def environment(**changes: str | None) -> dict[str, str]:
    """This process's environment without BACKPROP_LAB_NO_JIT and NUMBA_CACHE_DIR, then ``changes``
    (None removes a variable)."""
    env = {k: v for k, v in os.environ.items() if k not in ("BACKPROP_LAB_NO_JIT", "NUMBA_CACHE_DIR")}
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall and CPU seconds of one run of ``command`` and its peak resident memory (KiB)."""
    out = subprocess.run([sys.executable, "-c", LAUNCHER, *command], cwd=ROOT, env=env, capture_output=True,
                         text=True)
    wall, cpu, kib, code = out.stdout.split()
    if code != "0":
        raise SystemExit(f"{' '.join(command)} failed (exit {code}) in the benchmark's environment")
    return float(wall), float(cpu), int(kib)


def runs(command: list[str], repeats: int, env: Callable[[], dict[str, str]]) -> tuple[Times, int]:
    """``repeats`` runs, each in ``env()`` (called afresh for each run): times and the peak memory."""
    times, peak = Times(), 0
    for _ in range(repeats):
        wall, cpu, kib = run_once(command, env())
        times.wall.append(wall)
        times.cpu.append(cpu)
        peak = max(peak, kib)
    return times, peak


def no_compiler_path(folder: Path) -> str:
    """A PATH with only the venv's bin and ``folder`` holding a ``python`` link; checked, in a child
    process, to find no C compiler."""
    (folder / "python").symlink_to(sys.executable)
    path = os.pathsep.join([str(Path(sys.executable).parent), str(folder)])
    probe = "import shutil, sys; print([c for c in sys.argv[1:] if shutil.which(c)])"
    found = subprocess.run([str(folder / "python"), "-c", probe, *COMPILERS], env=environment(PATH=path),
                           capture_output=True, text=True, check=True).stdout.strip()
    if found != "[]" or any(shutil.which(c, path=path) for c in COMPILERS):
        raise SystemExit(f"the no-compiler PATH still finds a C compiler: {found}")
    return path


def measure(repeats: int, slow_repeats: int) -> dict[str, tuple[Times, int]]:
    """Times and peak memory (KiB) of each environment above, keyed by name."""
    results: dict[str, tuple[Times, int]] = {}
    with tempfile.TemporaryDirectory(prefix="backprop-lab-bench-") as tmp:
        folder = Path(tmp)
        fresh = iter(range(10**6))

        def empty_cache(**changes: str) -> Callable[[], dict[str, str]]:
            return lambda: environment(NUMBA_CACHE_DIR=str(folder / f"cache-{next(fresh)}"), **changes)

        run_once(REPRODUCE, environment())  # fills numba's own cache, if it was empty
        results["normal"] = runs(REPRODUCE, repeats, environment)
        results["first run"] = runs(REPRODUCE, slow_repeats, empty_cache())
        (folder / "bin").mkdir()
        path = no_compiler_path(folder / "bin")
        results["no compiler, first run"] = runs(REPRODUCE, slow_repeats, empty_cache(PATH=path))
        warm_cache = environment(PATH=path, NUMBA_CACHE_DIR=str(folder / "no-compiler-cache"))
        run_once(REPRODUCE, warm_cache)  # the first run: fills the cache
        results["no compiler"] = runs(REPRODUCE, repeats, lambda: warm_cache)
        results["no numba"] = runs(REPRODUCE, slow_repeats, lambda: environment(BACKPROP_LAB_NO_JIT="1"))
        results["plain Python"] = runs(PLAIN_PYTHON, slow_repeats, environment)
    return results
