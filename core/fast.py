"""The training loop compiled with numba: the same arithmetic as the readable engine, in the same order.

The readable path (forward.py, backward.py, update.py) is what the step-through shows; this module
runs the very same steps — bias first then inputs in order, (η·δ)·x updates — as one compiled loop,
so training gives the same weights to the last few bits, about a hundred times faster.
If numba is missing, ``AVAILABLE`` is False, ``NOTICE`` says so in one line, and training falls
back to the readable path.
"""
from __future__ import annotations

import math

import numpy as np

from .network import Network

try:  # pragma: no cover - exercised by whichever environment runs the tests
    from numba import njit
    AVAILABLE = True
    NOTICE = ""
except ImportError:  # pragma: no cover
    AVAILABLE = False
    NOTICE = "numba is not installed: training uses the readable numpy path (slower, same numbers)."

    def njit(*args, **kwargs):  # type: ignore[no-redef]
        def wrap(function):
            return function
        return wrap

ACTIVATION_CODES = {"sigmoid": 0, "tanh": 1, "relu": 2, "linear": 3, "softmax": 4}


def supports(network: Network, batch_size: int) -> bool:
    """True when the compiled loop can train this network (numba present)."""
    return AVAILABLE


@njit(cache=True)
def _transfer(code, z):
    if code == 0:
        return 1.0 / (1.0 + math.exp(-z))
    if code == 1:
        return math.tanh(z)
    if code == 2:
        return z if z > 0.0 else 0.0
    return z


@njit(cache=True)
def _derivative(code, output):
    if code == 0:
        return output * (1.0 - output)
    if code == 1:
        return 1.0 - output * output
    if code == 2:
        return 1.0 if output > 0.0 else 0.0
    return 1.0


@njit(cache=True)
def _train(flat, w_start, sizes, act_start, hidden_code, output_code, features, targets, orders,
           learning_rate, batch_size, sse_out, loss_out):
    """Train len(orders) epochs in place on ``flat``; return how many finished with finite numbers."""
    n_layers = sizes.shape[0] - 1
    n_rows = orders.shape[1]
    acts = np.zeros(act_start[-1])
    deltas = np.zeros(act_start[-1])
    step_sum = np.zeros(flat.shape[0])
    backup = flat.copy()
    step = batch_size if 0 < batch_size < n_rows else n_rows
    n_out = sizes[n_layers]
    out0 = act_start[n_layers]
    for e in range(orders.shape[0]):
        backup[:] = flat
        sum_error = 0.0
        sum_loss = 0.0
        for start in range(0, n_rows, step):
            stop = min(start + step, n_rows)
            if step > 1:
                step_sum[:] = 0.0
            for r in range(start, stop):
                row = orders[e, r]
                # forward: z = b + Σ w·x, output = f(z), layer by layer
                for i in range(sizes[0]):
                    acts[i] = features[row, i]
                for l in range(n_layers):
                    n_in = sizes[l]
                    code = output_code if l == n_layers - 1 else hidden_code
                    for j in range(sizes[l + 1]):
                        base = w_start[l] + j * (n_in + 1)
                        z = flat[base + n_in]
                        for i in range(n_in):
                            z += flat[base + i] * acts[act_start[l] + i]
                        acts[act_start[l + 1] + j] = z if code == 4 else _transfer(code, z)
                if output_code == 4:  # softmax over the output layer
                    top = acts[out0]
                    for j in range(1, n_out):
                        top = max(top, acts[out0 + j])
                    total = 0.0
                    for j in range(n_out):
                        acts[out0 + j] = math.exp(acts[out0 + j] - top)
                        total += acts[out0 + j]
                    for j in range(n_out):
                        acts[out0 + j] = acts[out0 + j] / total
                # the error of this row
                row_error = 0.0
                row_loss = 0.0
                for j in range(n_out):
                    diff = targets[row, j] - acts[out0 + j]
                    row_error += diff * diff
                    if output_code == 4:
                        row_loss += targets[row, j] * math.log(max(acts[out0 + j], 1e-300))
                sum_error += row_error
                sum_loss += -row_loss if output_code == 4 else row_error
                # backward: output delta, then hidden deltas from the layer above
                for j in range(n_out):
                    error = acts[out0 + j] - targets[row, j]
                    if output_code == 4:
                        deltas[out0 + j] = error
                    else:
                        deltas[out0 + j] = error * _derivative(output_code, acts[out0 + j])
                for l in range(n_layers - 2, -1, -1):
                    n_next_in = sizes[l + 1]
                    for j in range(sizes[l + 1]):
                        error = 0.0
                        for k in range(sizes[l + 2]):
                            error += flat[w_start[l + 1] + k * (n_next_in + 1) + j] * deltas[act_start[l + 2] + k]
                        deltas[act_start[l + 1] + j] = error * _derivative(hidden_code, acts[act_start[l + 1] + j])
                # update (online) or accumulate (batch): Δw = −(η·δ)·x, Δb = −η·δ
                for l in range(n_layers):
                    n_in = sizes[l]
                    for j in range(sizes[l + 1]):
                        base = w_start[l] + j * (n_in + 1)
                        s = learning_rate * deltas[act_start[l + 1] + j]
                        if step == 1:
                            for i in range(n_in):
                                flat[base + i] -= s * acts[act_start[l] + i]
                            flat[base + n_in] -= s
                        else:
                            for i in range(n_in):
                                step_sum[base + i] += s * acts[act_start[l] + i]
                            step_sum[base + n_in] += s
            if step > 1:
                count = stop - start
                for p in range(flat.shape[0]):
                    flat[p] -= step_sum[p] / count
        finite = math.isfinite(sum_error) and math.isfinite(sum_loss)
        for p in range(flat.shape[0]):
            if not math.isfinite(flat[p]):
                finite = False
                break
        if not finite:
            flat[:] = backup
            return e
        sse_out[e] = sum_error
        loss_out[e] = sum_loss
    return orders.shape[0]


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
    n_epochs = orders.shape[0]
    sse, loss = np.zeros(n_epochs), np.zeros(n_epochs)
    done = _train(flat, w_start, sizes, act_start, ACTIVATION_CODES[network.activation],
                  ACTIVATION_CODES[network.output_activation], np.ascontiguousarray(features, dtype=float),
                  np.ascontiguousarray(targets, dtype=float), np.ascontiguousarray(orders, dtype=np.int64),
                  float(learning_rate), int(batch_size), sse, loss)
    new = network.copy()
    new.weights = [flat[w_start[l]:w_start[l + 1]].reshape(w.shape).copy()
                   for l, w in enumerate(network.weights)]
    return new, sse[:done], loss[:done], int(done)
