"""The training loop as one plain function over flat arrays — the source that core/fast.py compiles.

This is the readable engine's arithmetic (forward.py → backward.py → update.py) written out with
explicit loops, in exactly the same order: z = b, then z += w_i · x_i input by input; deltas from
the pre-update weights; steps (η · δ_j) · x_i; the same optional penalty and momentum. numba
compiles it to machine code; without numba the very same function runs as plain Python on lists,
like the tutorial's own loops.

Layout: the weights of all layers lie in one flat array, layer l from ``w_start[l]``, one row of
``sizes[l] + 1`` numbers per neuron with the bias last (the tutorial's layout). Activations and
deltas lie in ``acts`` and ``deltas``, layer l (0 = the inputs) from ``act_start[l]``.
"""
from __future__ import annotations

import math

from .jit import numba

if numba is not None:  # lets the compiled loop call these helpers; they stay plain functions too
    from numba.extending import register_jitable as _jitable
else:
    def _jitable(function):
        return function

SIGMOID, TANH, RELU, LINEAR, SOFTMAX = 0, 1, 2, 3, 4
CODES = {"sigmoid": SIGMOID, "tanh": TANH, "relu": RELU, "linear": LINEAR, "softmax": SOFTMAX}
EXP_LIMIT = 709.782712893384  # above this e^x is not a finite double (plain Python would raise)
COMPILED = numba is not None  # numba runs loops over array views fastest; plain Python, list indexing


@_jitable
def exp(x):
    """e^x, infinite past the largest double (as numpy gives) instead of raising OverflowError."""
    if x > EXP_LIMIT:
        return math.inf
    return math.exp(x)


@_jitable
def tanh(x):
    """tanh x (the C library's)."""
    return math.tanh(x)


@_jitable
def log(x):
    """ln x; −inf at 0 and NaN below it (as numpy gives) instead of raising ValueError."""
    if x > 0.0:
        return math.log(x)
    return -math.inf if x == 0.0 else math.nan


@_jitable
def transfer(code, z):
    """f(z) for one neuron (softmax is applied to the whole layer by the loop)."""
    if code == SIGMOID:
        return 1.0 / (1.0 + exp(-z))
    if code == TANH:
        return tanh(z)
    if code == RELU:
        return z if (z > 0.0 or z != z) else 0.0  # NaN stays NaN, as numpy's maximum gives
    return z


@_jitable
def derivative(code, output):
    """f′ written in terms of the output, as activations.py does."""
    if code == SIGMOID:
        return output * (1.0 - output)
    if code == TANH:
        return 1.0 - output * output
    if code == RELU:
        return 1.0 if output > 0.0 else 0.0
    return 1.0


@_jitable
def take_step(flat, velocity, p, d, momentum):
    """w ← w − d, or with momentum v ← β · v − d, w ← w + v."""
    if momentum != 0.0:
        velocity[p] = momentum * velocity[p] - d
        flat[p] = flat[p] + velocity[p]
    else:
        flat[p] = flat[p] - d


@_jitable
def penalised(d, w, learning_rate, l1, l2):
    """d + η · (λ₁ · sign w + λ₂ · w): a weight's step with its penalty (regularisation.py)."""
    penalty = 0.0
    if l1 != 0.0:
        penalty += l1 * (1.0 if w > 0.0 else (-1.0 if w < 0.0 else 0.0))
    if l2 != 0.0:
        penalty += l2 * w
    return d + learning_rate * penalty


def train_epochs(flat, w_start, sizes, act_start, n_layers, hidden_code, output_code,
                 features, targets, orders, n_epochs, n_rows,
                 learning_rate, batch_size, l1, l2, momentum, velocity, measure,
                 sse_out, loss_out, gradient_out,
                 acts, deltas, step_sum, gradient_sum, backup, backup_velocity):
    """Train one epoch per block of ``n_rows`` entries of ``orders`` (row indices, visiting order).

    Per epoch e it writes the tutorial's error Σ_rows Σ_j (t_j − o_j)² to ``sse_out[e]``, the summed
    loss to ``loss_out[e]`` and each layer's mean |∂E/∂w| over the epoch's updates to
    ``gradient_out[e · n_layers + l]`` (if ``measure``; cross-validation skips it). Returns how many epochs ended with finite numbers: an epoch
    that makes a number infinite or NaN is undone (weights and velocity) and training stops there.
    """
    penalty = l1 != 0.0 or l2 != 0.0
    plain = not penalty and momentum == 0.0
    # loop-invariant tests and constants as local names: plain Python finds locals fastest
    compiled = COMPILED
    c_exp = math.exp
    exp_limit = EXP_LIMIT
    softmax = output_code == SOFTMAX
    sigmoid_output = output_code == SIGMOID
    sigmoid_hidden = hidden_code == SIGMOID
    n_in0 = sizes[0]
    n_out = sizes[n_layers]
    out0 = act_start[n_layers]
    n_weights = w_start[n_layers]
    step = batch_size if 0 < batch_size < n_rows else n_rows
    online = step == 1
    for e in range(n_epochs):
        for p in range(n_weights):
            backup[p] = flat[p]
            backup_velocity[p] = velocity[p]
        for l in range(n_layers):
            gradient_out[e * n_layers + l] = 0.0
        sum_error = 0.0
        sum_loss = 0.0
        n_updates = 0
        for start in range(0, n_rows, step):
            stop = start + step if start + step < n_rows else n_rows
            if step > 1:
                for p in range(n_weights):
                    step_sum[p] = 0.0
                    gradient_sum[p] = 0.0
            for r in range(start, stop):
                row = orders[e * n_rows + r]
                first = row * n_in0
                t0 = row * n_out
                # forward: z = b + Σ w_i x_i, output = f(z), layer by layer
                for i in range(n_in0):
                    acts[i] = features[first + i]
                for l in range(n_layers):
                    n_in = sizes[l]
                    code = output_code if l == n_layers - 1 else hidden_code
                    sigmoid = code == SIGMOID
                    a_in = act_start[l]
                    x = acts[a_in:a_in + n_in]  # slices: views in numba, short copies in plain Python
                    base = w_start[l]
                    for a in range(act_start[l + 1], act_start[l + 2]):
                        z = flat[base + n_in]
                        if compiled:  # the same sum, in the form each runs fastest
                            for w, x_i in zip(flat[base:base + n_in], x):
                                z += w * x_i
                        else:
                            for i in range(n_in):
                                z += flat[base + i] * x[i]
                        if sigmoid:  # written out: the common case, no call in plain Python
                            acts[a] = 1.0 / (1.0 + (c_exp(-z) if -z <= exp_limit else math.inf))
                        else:
                            acts[a] = z if code == SOFTMAX else transfer(code, z)
                        base += n_in + 1
                if softmax:  # p_j = e^(z_j − max z) / Σ_k e^(z_k − max z)
                    top = acts[out0]
                    for j in range(1, n_out):
                        if acts[out0 + j] > top:
                            top = acts[out0 + j]
                    total = 0.0
                    for j in range(n_out):
                        acts[out0 + j] = exp(acts[out0 + j] - top)
                        total += acts[out0 + j]
                    for j in range(n_out):
                        acts[out0 + j] = acts[out0 + j] / total
                # the error of this row
                row_error = 0.0
                row_loss = 0.0
                for j in range(n_out):
                    o = acts[out0 + j]
                    diff = targets[t0 + j] - o
                    row_error += diff * diff
                    if softmax:
                        row_loss += targets[t0 + j] * log(o if o > 1e-300 else 1e-300)
                sum_error += row_error
                sum_loss += -row_loss if softmax else row_error
                # backward: output deltas, then each hidden layer's from the layer above
                for j in range(n_out):
                    o = acts[out0 + j]
                    error = o - targets[t0 + j]
                    if softmax:
                        deltas[out0 + j] = error
                    else:
                        deltas[out0 + j] = error * (o * (1.0 - o) if sigmoid_output else derivative(output_code, o))
                for l in range(n_layers - 2, -1, -1):
                    n = sizes[l + 1]
                    d0 = act_start[l + 1]
                    d1 = d0 + n
                    for p in range(d0, d1):
                        deltas[p] = 0.0
                    base = w_start[l + 1] - d0  # weight k's index minus its delta's: indices stay aligned
                    for k in range(act_start[l + 2], act_start[l + 3]):
                        dk = deltas[k]
                        for p in range(d0, d1):
                            deltas[p] += flat[base + p] * dk
                        base += n + 1
                    for p in range(d0, d1):
                        o = acts[p]
                        deltas[p] = deltas[p] * (o * (1.0 - o) if sigmoid_hidden else derivative(hidden_code, o))
                # update (online) or accumulate (batch): steps (η · δ_j) · x_i
                for l in range(n_layers):
                    n_in = sizes[l]
                    a_in = act_start[l]
                    d0 = act_start[l + 1]
                    x = acts[a_in:a_in + n_in]
                    if online and measure:  # |∂E/∂w_ji| = |δ_j|·|x_i|: the layer's mean, no second loop
                        sum_delta = 0.0
                        sum_input = 1.0
                        for j in range(sizes[l + 1]):
                            sum_delta += abs(deltas[d0 + j])
                        for i in range(n_in):
                            sum_input += abs(acts[a_in + i])
                        gradient_out[e * n_layers + l] += sum_delta * sum_input / (sizes[l + 1] * (n_in + 1))
                    for j in range(sizes[l + 1]):
                        base = w_start[l] + j * (n_in + 1)
                        s = learning_rate * deltas[d0 + j]
                        if online and plain:  # the tutorial's update: w ← w − (η · δ) · x
                            for i in range(n_in):
                                flat[base + i] -= s * x[i]
                            flat[base + n_in] -= s
                        elif online:
                            for i in range(n_in):
                                d = s * acts[a_in + i]
                                if penalty:
                                    d = penalised(d, flat[base + i], learning_rate, l1, l2)
                                take_step(flat, velocity, base + i, d, momentum)
                            take_step(flat, velocity, base + n_in, s, momentum)
                        else:
                            for i in range(n_in):
                                step_sum[base + i] += s * acts[a_in + i]
                            step_sum[base + n_in] += s
                            if measure:
                                for i in range(n_in):
                                    gradient_sum[base + i] += deltas[d0 + j] * acts[a_in + i]
                                gradient_sum[base + n_in] += deltas[d0 + j]
                if online:
                    n_updates += 1
            if step > 1:  # the batch's mean step, then the update
                count = stop - start
                for l in range(n_layers):
                    n_in = sizes[l]
                    total = 0.0
                    for j in range(sizes[l + 1]):
                        base = w_start[l] + j * (n_in + 1)
                        for i in range(n_in + 1):
                            if measure:
                                total += abs(gradient_sum[base + i] / count)
                            d = step_sum[base + i] / count
                            if penalty and i < n_in:
                                d = penalised(d, flat[base + i], learning_rate, l1, l2)
                            take_step(flat, velocity, base + i, d, momentum)
                    gradient_out[e * n_layers + l] += total / (sizes[l + 1] * (n_in + 1))
                n_updates += 1
        finite = math.isfinite(sum_error) and math.isfinite(sum_loss)
        for p in range(n_weights):
            if not finite:
                break
            finite = math.isfinite(flat[p]) and math.isfinite(velocity[p])
        if not finite:
            for p in range(n_weights):
                flat[p] = backup[p]
                velocity[p] = backup_velocity[p]
            return e
        sse_out[e] = sum_error
        loss_out[e] = sum_loss
        for l in range(n_layers):
            gradient_out[e * n_layers + l] = gradient_out[e * n_layers + l] / n_updates
    return n_epochs
