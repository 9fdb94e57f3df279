"""Backpropagated gradients against central finite differences, for every activation and loss."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from core import ACTIVATION_NAMES, Trainer, TrainingConfig, backward, forward, initialise
from core.losses import loss_value
from core.regularisation import penalty


def objective(network, x, t):
    """The function the deltas are the gradient of: ½·Σ(o − t)² or the cross-entropy."""
    out = forward(network, x).output
    value = loss_value(network.loss, out, t)
    return float(value) * (0.5 if network.loss == "sse" else 1.0)


def check_gradients(network, x, t, eps=1e-6):
    grads = backward(network, forward(network, x), t).weight_gradients
    for l, w in enumerate(network.weights):
        for idx in np.ndindex(w.shape):
            saved = w[idx]
            w[idx] = saved + eps
            plus = objective(network, x, t)
            w[idx] = saved - eps
            minus = objective(network, x, t)
            w[idx] = saved
            numeric = (plus - minus) / (2 * eps)
            assert grads[l][idx] == pytest.approx(numeric, rel=1e-4, abs=1e-7), (l, idx)


@settings(max_examples=40, deadline=None)
@given(
    hidden=st.lists(st.integers(1, 4), min_size=0, max_size=3),
    n_in=st.integers(1, 4),
    n_out=st.integers(2, 4),
    activation=st.sampled_from(ACTIVATION_NAMES),
    softmax=st.booleans(),
    scheme=st.sampled_from(["tutorial", "xavier", "he"]),
    seed=st.integers(0, 10_000),
)
def test_gradients_match_finite_differences(hidden, n_in, n_out, activation, softmax, scheme, seed):
    network = initialise([n_in, *hidden, n_out], activation, "softmax" if softmax else "", scheme, seed)
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, n_in)
    t = np.eye(n_out)[rng.integers(n_out)]
    if activation == "relu":  # keep clear of the kink at z = 0, where relu has no derivative
        zs = forward(network, x).weighted_sums
        if any(np.any(np.abs(z) < 1e-4) for z in zs):
            return
    check_gradients(network, x, t)


def test_batch_gradient_is_the_mean_of_row_gradients():
    network = initialise([3, 4, 2], "tanh", "softmax", "xavier", 5)
    rows = np.random.default_rng(1).normal(size=(6, 3))
    targets = np.eye(2)[[0, 1, 1, 0, 1, 0]]
    batch = backward(network, forward(network, rows), targets).weight_gradients
    single = [backward(network, forward(network, r), t).weight_gradients for r, t in zip(rows, targets)]
    for l in range(2):
        np.testing.assert_allclose(batch[l], np.mean([g[l] for g in single], axis=0), atol=1e-14)


def penalised_objective(network, x, t, l1, l2):
    """The loss one training update descends: E on its rows (the mean for a batch) plus the penalty."""
    out = forward(network, x).output
    values = np.atleast_1d(loss_value(network.loss, out, t)) * (0.5 if network.loss == "sse" else 1.0)
    return float(np.mean(values)) + penalty(network.weights, l1, l2)


@settings(max_examples=30, deadline=None)
@given(
    hidden=st.lists(st.integers(1, 3), min_size=0, max_size=2),
    activation=st.sampled_from(ACTIVATION_NAMES),
    softmax=st.booleans(),
    rows=st.sampled_from([1, 3]),  # one row: an online update; three: one batch update
    penalised=st.booleans(),
    use_fast=st.booleans(),
    seed=st.integers(0, 10_000),
)
def test_the_update_training_applies_is_minus_eta_times_the_finite_difference_gradient(
        hidden, activation, softmax, rows, penalised, use_fast, seed):
    network = initialise([3, *hidden, 3], activation, "softmax" if softmax else "", "xavier", seed)
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (rows, 3))
    labels = rng.integers(3, size=rows)
    l1, l2 = (0.01, 0.05) if penalised else (0.0, 0.0)
    if activation == "relu" and any(np.any(np.abs(z) < 1e-4) for z in forward(network, x).weighted_sums):
        return  # relu has no derivative at z = 0
    if l1 and any(np.any(np.abs(w[:, :-1]) < 1e-4) for w in network.weights):
        return  # |w| has no derivative at w = 0
    eta = 0.01
    trainer = Trainer(network, x, labels, TrainingConfig(learning_rate=eta, epochs=1, batch_size=0 if rows > 1 else 1,
                                                         l1=l1, l2=l2), use_fast=use_fast)
    trainer.run()
    t = np.eye(3)[labels]
    for l, (before, after) in enumerate(zip(network.weights, trainer.network.weights)):
        applied = -(after - before) / eta
        for idx in np.ndindex(before.shape):
            probe = network.copy()
            probe.weights[l][idx] += 1e-6
            plus = penalised_objective(probe, x, t, l1, l2)
            probe.weights[l][idx] -= 2e-6
            minus = penalised_objective(probe, x, t, l1, l2)
            assert applied[idx] == pytest.approx((plus - minus) / 2e-6, rel=1e-4, abs=1e-7), (l, idx)
