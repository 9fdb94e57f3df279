"""The training loop compiled: kernel.c, built once by the system's C compiler and loaded with ctypes.

The readable path (forward.py, backward.py, update.py) is what the step-through shows; kernel.c runs
the very same steps — bias first then inputs in order, (η·δ)·x updates, no fused multiply-adds — as
one compiled loop, so training gives the same weights to the last few bits, about a hundred times
faster. The library is built on first use into a cache folder (keyed by the source's hash, so a second
process only loads it). Without a C compiler ``AVAILABLE`` is False, ``NOTICE`` says so in one line,
and training uses the readable path.
"""
from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import numpy as np

from .network import Network

SOURCE = Path(__file__).with_name("kernel.c")
ACTIVATION_CODES = {"sigmoid": 0, "tanh": 1, "relu": 2, "linear": 3, "softmax": 4}
FLAGS = ["-O3", "-fPIC", "-shared", "-ffp-contract=off", "-fno-fast-math", "-std=c99"]


def cache_dir() -> Path:
    """$BACKPROP_LAB_CACHE, else the user's cache folder."""
    if os.environ.get("BACKPROP_LAB_CACHE"):
        return Path(os.environ["BACKPROP_LAB_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache")
    return Path(base) / "backprop-lab"


def _compiler() -> str | None:
    if sys.platform == "darwin" and subprocess.run(["xcode-select", "-p"], capture_output=True).returncode:
        return None  # calling cc would pop up Apple's installer
    configured = (sysconfig.get_config_var("CC") or "").split()
    for name in (configured[:1] or []) + ["cc", "gcc", "clang"]:
        if shutil.which(name):
            return name
    return None


def _build() -> tuple[ctypes.CDLL | None, str]:
    source = SOURCE.read_bytes()
    digest = hashlib.sha256(source + " ".join(FLAGS).encode()).hexdigest()[:16]
    suffix = ".dylib" if sys.platform == "darwin" else ".so"
    library = cache_dir() / f"kernel-{digest}{suffix}"
    try:
        if not library.exists():
            compiler = _compiler()
            if compiler is None:
                return None, "no C compiler found: training uses the readable numpy path (slower, same numbers)."
            library.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=library.parent) as tmp:
                built = Path(tmp) / library.name
                result = subprocess.run([compiler, *FLAGS, "-o", str(built), str(SOURCE), "-lm"],
                                        capture_output=True, text=True, timeout=120)
                if result.returncode != 0:
                    first = (result.stderr.strip().splitlines() or ["unknown error"])[0]
                    return None, f"compiling the training loop failed ({first}): using the readable numpy path."
                os.replace(built, library)  # atomic: a concurrent process sees all or nothing
        return ctypes.CDLL(str(library)), ""
    except (OSError, subprocess.SubprocessError) as err:
        return None, f"the compiled training loop is unavailable ({err}): using the readable numpy path."


_LIBRARY, NOTICE = _build()
AVAILABLE = _LIBRARY is not None

if AVAILABLE:
    _doubles = np.ctypeslib.ndpointer(np.float64, flags="C_CONTIGUOUS")
    _longs = np.ctypeslib.ndpointer(np.int64, flags="C_CONTIGUOUS")
    _kernel = _LIBRARY.train_epochs
    _kernel.restype = ctypes.c_long
    _kernel.argtypes = [_doubles, ctypes.c_long, _longs, _longs, _longs, ctypes.c_long, ctypes.c_int, ctypes.c_int,
                        _doubles, _doubles, _longs, ctypes.c_long, ctypes.c_long, ctypes.c_double, ctypes.c_long,
                        _doubles, _doubles, _doubles, _doubles, _doubles, _doubles]


def supports(network: Network, batch_size: int) -> bool:
    """True when the compiled loop can train this network (it can train any, once built)."""
    return AVAILABLE


def train_epochs(network: Network, features: np.ndarray, targets: np.ndarray, orders: np.ndarray,
                 learning_rate: float, batch_size: int) -> tuple[Network, np.ndarray, np.ndarray, int]:
    """Train one epoch per row of ``orders`` (row indices in visiting order).

    Returns the new network, per-epoch sum of squared errors and summed loss, and the number of
    epochs completed: fewer than asked if an epoch made a number infinite or NaN (that epoch is undone).
    """
    sizes = np.array(network.layer_sizes, dtype=np.int64)
    w_start = np.zeros(len(network.weights) + 1, dtype=np.int64)
    w_start[1:] = np.cumsum([w.size for w in network.weights])
    act_start = np.zeros(len(sizes) + 1, dtype=np.int64)
    act_start[1:] = np.cumsum(sizes)
    flat = np.concatenate([w.ravel() for w in network.weights])
    orders = np.ascontiguousarray(orders, dtype=np.int64)
    n_epochs, n_rows = orders.shape
    sse, loss = np.zeros(n_epochs), np.zeros(n_epochs)
    scratch = [np.zeros(int(act_start[-1])), np.zeros(int(act_start[-1])), np.zeros(flat.size), np.zeros(flat.size)]
    done = _kernel(flat, flat.size, w_start, sizes, act_start, len(network.weights),
                   ACTIVATION_CODES[network.activation], ACTIVATION_CODES[network.output_activation],
                   np.ascontiguousarray(features, dtype=np.float64), np.ascontiguousarray(targets, dtype=np.float64),
                   orders, n_epochs, n_rows, float(learning_rate), int(batch_size), sse, loss, *scratch)
    new = network.copy()
    new.weights = [flat[w_start[l]:w_start[l + 1]].reshape(w.shape).copy() for l, w in enumerate(network.weights)]
    return new, sse[:done], loss[:done], int(done)
