"""Training: batch modes, shuffling, the readable and compiled paths, divergence, incremental runs."""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core import (ACTIVATION_NAMES, Trainer, TrainingConfig, initialise, load_seeds, normalise,
                  train, train_validation_split)

ROOT = Path(__file__).resolve().parent.parent
EXTRAS = {"plain": {}, "penalty and momentum": dict(l1=0.001, l2=0.01, momentum=0.5)}


@pytest.fixture(scope="module")
def seeds():
    d = load_seeds()
    return normalise(d.features), d.labels


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@pytest.mark.parametrize("output", ["", "softmax"])
@pytest.mark.parametrize("batch_size", [1, 7, 0])
@pytest.mark.parametrize("extras", list(EXTRAS))
def test_fast_path_gives_the_readable_paths_numbers_to_the_last_bit(seeds, activation, output, batch_size, extras):
    x, y = seeds
    net = initialise([7, 4, 3, 3], activation, output, "xavier", seed=3)
    cfg = TrainingConfig(learning_rate=0.05, epochs=4, batch_size=batch_size, shuffle=True, seed=2, **EXTRAS[extras])
    slow = train(net, x, y, cfg, use_fast=False)
    quick = train(net, x, y, cfg, use_fast=True)
    assert quick.use_fast and not slow.use_fast and quick.epoch == slow.epoch == 4
    for a, b in zip(slow.network.weights, quick.network.weights):
        np.testing.assert_array_equal(a, b)
    assert slow.history.sse == quick.history.sse and slow.history.loss == quick.history.loss
    assert slow.history.train_accuracy == quick.history.train_accuracy
    np.testing.assert_allclose(slow.history.gradient, quick.history.gradient, rtol=1e-12)
    if cfg.momentum:
        for a, b in zip(slow.velocity, quick.velocity):
            np.testing.assert_array_equal(a, b)


NO_JIT_SCRIPT = """
import json, sys
from core import fast, initialise, load_seeds, normalise, train, TrainingConfig
d = load_seeds()
cases = json.loads(sys.argv[1])
out = {"jit": fast.JIT, "notice": fast.NOTICE, "weights": []}
for activation, output, batch, extras in cases:
    t = train(initialise([7, 4, 3], activation, output, "xavier", seed=3), normalise(d.features), d.labels,
              TrainingConfig(learning_rate=0.05, epochs=3, batch_size=batch, shuffle=True, seed=2, **extras))
    out["weights"].append([w.tolist() for w in t.network.weights])
print(json.dumps(out))
"""


def test_without_numba_the_same_loop_runs_as_plain_python_with_the_same_numbers(seeds):
    cases = [(a, o, b, e) for a in ACTIVATION_NAMES for o in ("", "softmax") for b in (1, 0)
             for e in EXTRAS.values()]
    done = subprocess.run([sys.executable, "-c", NO_JIT_SCRIPT, json.dumps(cases)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={"BACKPROP_LAB_NO_JIT": "1", "PATH": "", "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["jit"] is False and "numba is not available" in result["notice"] and "\n" not in result["notice"]
    x, y = seeds
    for (activation, output, batch, extras), weights in zip(cases, result["weights"]):
        t = train(initialise([7, 4, 3], activation, output, "xavier", seed=3), x, y,
                  TrainingConfig(learning_rate=0.05, epochs=3, batch_size=batch, shuffle=True, seed=2, **extras))
        assert weights == [w.tolist() for w in t.network.weights], (activation, output, batch, extras)


def test_training_learns_the_seeds(seeds):
    x, y = seeds
    train_rows, val_rows = train_validation_split(y, 0.2, 1)
    t = train(initialise([7, 5, 3]), x[train_rows], y[train_rows], TrainingConfig(),
              validation=(x[val_rows], y[val_rows]))
    h = t.history
    assert len(h) == 500 and h.epoch[-1] == 500 and t.stop_reason is None
    assert h.sse[-1] < h.sse[0] / 4
    assert h.train_accuracy[-1] > 90 and h.validation_accuracy[-1] > 85
    assert len(h.validation_loss) == 500


def test_incremental_runs_equal_one_run(seeds):
    x, y = seeds
    cfg = TrainingConfig(epochs=30)
    whole = train(initialise([7, 5, 3]), x, y, cfg)
    stepped = Trainer(initialise([7, 5, 3]), x, y, cfg)
    seen = [len(s.history) for s in stepped.snapshots(every=7)]
    assert seen == [7, 14, 21, 28, 30]
    assert stepped.network.same_weights(whole.network)
    assert stepped.history.sse == whole.history.sse


def test_stop_and_no_further_training(seeds):
    x, y = seeds
    t = Trainer(initialise([7, 5, 3]), x, y, TrainingConfig(epochs=50))
    t.run(5)
    t.stop("stopped by the user")
    t.run(10)
    assert t.epoch == 5 and t.done and t.stop_reason == "stopped by the user"


@pytest.mark.parametrize("use_fast", [False, True])
def test_divergence_stops_with_a_reason_and_finite_weights(seeds, use_fast):
    x, y = seeds
    t = train(initialise([7, 5, 3], "linear"), x, y, TrainingConfig(learning_rate=50, epochs=20),
              use_fast=use_fast)
    assert t.stop_reason and "diverged" in t.stop_reason and "smaller learning rate" in t.stop_reason
    assert all(np.all(np.isfinite(w)) for w in t.network.weights)
    assert all(np.isfinite(t.history.sse))


@pytest.mark.parametrize("activation,word", [("sigmoid", "unstable"), ("tanh", "stalled")])
def test_early_stopping_stops_a_too_large_learning_rate_the_same_on_every_path(seeds, activation, word):
    x, y = seeds
    cfg = TrainingConfig(learning_rate=50, epochs=200, early_stopping=True)
    runs = [train(initialise([7, 5, 3], activation), x, y, cfg, track_metrics=metrics, use_fast=fast_path)
            for metrics in (True, False) for fast_path in (True, False)]
    assert runs[0].epoch < 200 and word in runs[0].stop_reason
    assert "smaller learning rate than 50" in runs[0].stop_reason
    assert {(t.epoch, t.stop_reason) for t in runs} == {(runs[0].epoch, runs[0].stop_reason)}


def test_early_stopping_is_off_by_default_as_in_the_tutorial(seeds):
    x, y = seeds
    t = train(initialise([7, 5, 3]), x, y, TrainingConfig(learning_rate=50, epochs=60), track_metrics=False)
    assert not TrainingConfig().early_stopping and t.epoch == 60 and t.stop_reason is None


def test_a_network_saturated_from_the_start_is_blamed_on_its_initialisation(seeds):
    x, y = seeds
    t = train(initialise([7, 64, 64, 64, 64, 3]), x, y, TrainingConfig(epochs=40, early_stopping=True),
              track_metrics=False)
    assert "stalled" in t.stop_reason and "saturated" in t.stop_reason and "Xavier" in t.stop_reason
    assert "learning rate" not in t.stop_reason


def test_learning_rate_zero_changes_nothing(seeds):
    x, y = seeds
    net = initialise([7, 5, 3])
    t = train(net, x, y, TrainingConfig(learning_rate=0, epochs=15))
    assert t.network.same_weights(net) and t.stop_reason is None


def test_shuffle_is_seeded(seeds):
    x, y = seeds
    cfg = TrainingConfig(epochs=3, shuffle=True, seed=5)
    a = train(initialise([7, 5, 3]), x, y, cfg)
    b = train(initialise([7, 5, 3]), x, y, cfg)
    c = train(initialise([7, 5, 3]), x, y, TrainingConfig(epochs=3))
    assert a.network.same_weights(b.network) and not a.network.same_weights(c.network)


@pytest.mark.parametrize("bad", [dict(learning_rate=-1), dict(learning_rate=float("nan")),
                                 dict(epochs=0), dict(batch_size=-2), dict(epochs=1.5)])
def test_bad_config_is_refused(bad):
    with pytest.raises(ValueError):
        TrainingConfig(**bad)


def test_history_csv(seeds):
    x, y = seeds
    t = train(initialise([7, 5, 3]), x, y, TrainingConfig(epochs=3))
    lines = t.history.to_csv().splitlines()
    assert lines[0].startswith("epoch,sse,loss,train_accuracy") and len(lines) == 4


def test_deep_and_wide_networks_train(seeds):
    x, y = seeds
    for sizes in ([7, 3], [7, 64, 3], [7, 5, 5, 5, 5, 3]):
        t = train(initialise(sizes, "tanh", "softmax", "xavier"), x, y, TrainingConfig(0.05, 5))
        assert t.epoch == 5 and np.isfinite(t.history.loss).all()


def test_row_orders_are_drawn_a_bounded_number_at_a_time(seeds, monkeypatch):
    # cross-validation trains without per-epoch metrics, all epochs in one go; the epochs × rows order
    # table once took 8 GB at 10,000 epochs × 100,000 rows. Drawn in bounded chunks, the numbers stay the same.
    import tracemalloc

    x, y = seeds
    net = initialise([7, 3, 3], "sigmoid", "", "tutorial", seed=1)
    cfg = TrainingConfig(learning_rate=0.3, epochs=1000, shuffle=True, seed=5)
    whole = train(net, x, y, cfg, track_metrics=False)
    monkeypatch.setattr("core.training.MAX_ORDER_ENTRIES", 10 * len(y))
    tracemalloc.start()
    try:
        chunked = train(net, x, y, cfg, track_metrics=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert chunked.network.same_weights(whole.network) and chunked.epoch == 1000
    assert peak < 1000 * len(y) * 8 / 4, peak  # well under one table of every epoch's order
