"""The fast training path: core/kernel.py compiled by numba, or run as plain Python without it.

numba ships prebuilt wheels for Windows, macOS and Linux, so no C compiler is needed. The kernel is
compiled once (``cache=True`` keeps the machine code on disk for the next process), without
fast-math, so it does the readable engine's arithmetic in the same order; ``nogil=True`` lets several
sessions train on several cores at once. ``warm()`` compiles (or loads) it ahead of the first run;
a server calls it in the background at start-up.

Without numba (or with ``BACKPROP_LAB_NO_JIT=1``) the same kernel runs as plain Python on lists —
the tutorial's own kind of loop, never slower than it — and ``NOTICE`` says so in one line.
"""
from __future__ import annotations

import threading

import numpy as np

from . import kernel
from .network import Network

from .jit import NOTICE, numba  # noqa: F401  (NOTICE: the one-line notice pages and the CLI show)

JIT = numba is not None
_compiled = numba.njit(cache=True, nogil=True, error_model="numpy")(kernel.train_epochs) if JIT else None
_ready = threading.Event()
_warm_lock = threading.Lock()


def ready() -> bool:
    """True once the compiled loop is loaded (always True on the plain-Python path)."""
    return not JIT or _ready.is_set()


def warm() -> None:
    """Compile the kernel (or load it from numba's disk cache) by training a tiny network once."""
    if ready():
        return
    with _warm_lock:
        if _ready.is_set():
            return
        tiny = Network([np.zeros((1, 2)), np.zeros((1, 2))])
        train_epochs(tiny, np.zeros((1, 1)), np.zeros((1, 1)), np.zeros((1, 1), dtype=np.int64),
                     0.0, 1, _waiting=False)
        _ready.set()


def warm_in_background() -> threading.Thread:
    """Start ``warm()`` on a daemon thread (a server does this once, at start-up)."""
    thread = threading.Thread(target=warm, name="backprop-lab-jit-warmup", daemon=True)
    thread.start()
    return thread


def _flat(weights: list[np.ndarray]) -> np.ndarray:
    return np.concatenate([w.ravel() for w in weights]).astype(np.float64)


def train_epochs(network: Network, features: np.ndarray, targets: np.ndarray, orders: np.ndarray,
                 learning_rate: float, batch_size: int, l1: float = 0.0, l2: float = 0.0,
                 momentum: float = 0.0, velocity: list[np.ndarray] | None = None, measure: bool = True,
                 *, _waiting: bool = True
                 ) -> tuple[Network, list[np.ndarray] | None, np.ndarray, np.ndarray, np.ndarray, int]:
    """Train one epoch per row of ``orders`` (row indices in visiting order).

    Returns the new network, the new velocity (None without momentum), per-epoch sum of squared
    errors, summed loss and per-layer mean |∂E/∂w| (epochs × layers; zeros unless ``measure``), and the
    number of epochs
    completed: fewer than asked if an epoch made a number infinite or NaN (that epoch is undone).
    """
    if _waiting and JIT and not _ready.is_set():
        warm()
    n_layers = len(network.weights)
    sizes = np.array(network.layer_sizes, dtype=np.int64)
    w_start = np.zeros(n_layers + 1, dtype=np.int64)
    w_start[1:] = np.cumsum([w.size for w in network.weights])
    act_start = np.zeros(len(sizes) + 1, dtype=np.int64)
    act_start[1:] = np.cumsum(sizes)
    flat = _flat(network.weights)
    v = _flat(velocity) if velocity is not None else np.zeros_like(flat)
    orders = np.ascontiguousarray(orders, dtype=np.int64)
    n_epochs, n_rows = orders.shape
    n_acts = int(act_start[-1])
    arrays = [flat, w_start, sizes, act_start]
    data = [np.ascontiguousarray(features, dtype=np.float64).ravel(),
            np.ascontiguousarray(targets, dtype=np.float64).ravel(), orders.ravel()]
    outputs = [np.zeros(n_epochs), np.zeros(n_epochs), np.zeros(n_epochs * n_layers)]
    scratch = [np.zeros(n_acts), np.zeros(n_acts), np.zeros(flat.size), np.zeros(flat.size),
               np.zeros(flat.size), np.zeros(flat.size)]
    codes = (kernel.CODES[network.activation], kernel.CODES[network.output_activation])
    settings = (float(learning_rate), int(batch_size), float(l1), float(l2), float(momentum))
    measured = bool(measure)
    if JIT:
        done = _compiled(*arrays, n_layers, *codes, *data, n_epochs, n_rows, *settings, v, measured, *outputs,
                         *scratch)
    else:  # plain Python is fastest on lists
        lists = [a.tolist() for a in arrays + data]
        v_list, out_lists = v.tolist(), [o.tolist() for o in outputs]
        done = kernel.train_epochs(*lists[:4], n_layers, *codes, *lists[4:], n_epochs, n_rows, *settings,
                                   v_list, measured, *out_lists, *[s.tolist() for s in scratch])
        flat[:], v[:] = lists[0], v_list
        outputs = [np.array(o) for o in out_lists]
    new = network.copy()
    new.weights = [flat[w_start[l]:w_start[l + 1]].reshape(w.shape).copy() for l, w in enumerate(network.weights)]
    new_velocity = None
    if momentum:
        new_velocity = [v[w_start[l]:w_start[l + 1]].reshape(w.shape).copy() for l, w in enumerate(network.weights)]
    sse, loss, gradients = outputs
    return new, new_velocity, sse[:done], loss[:done], gradients.reshape(n_epochs, n_layers)[:done], int(done)
