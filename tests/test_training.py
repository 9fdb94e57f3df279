"""Training: batch modes, shuffling, the readable and compiled paths, divergence, incremental runs."""
import os

import numpy as np
import pytest

from core import (ACTIVATION_NAMES, Trainer, TrainingConfig, initialise, load_seeds, normalise,
                  train, train_validation_split)
from core import fast


@pytest.fixture(scope="module")
def seeds():
    d = load_seeds()
    return normalise(d.features), d.labels


@pytest.mark.skipif(not fast.AVAILABLE and not os.environ.get("CI"), reason=fast.NOTICE)
@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@pytest.mark.parametrize("output", ["", "softmax"])
@pytest.mark.parametrize("batch_size", [1, 7, 0])
def test_compiled_path_gives_the_readable_paths_numbers(seeds, activation, output, batch_size):
    x, y = seeds
    net = initialise([7, 4, 3, 3], activation, output, "xavier", seed=3)
    cfg = TrainingConfig(learning_rate=0.05, epochs=4, batch_size=batch_size, shuffle=True, seed=2)
    slow = train(net, x, y, cfg, use_fast=False)
    quick = train(net, x, y, cfg, use_fast=True)
    assert quick.use_fast and not slow.use_fast
    for a, b in zip(slow.network.weights, quick.network.weights):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
    np.testing.assert_allclose(slow.history.sse, quick.history.sse, rtol=1e-12)
    np.testing.assert_allclose(slow.history.loss, quick.history.loss, rtol=1e-12)
    assert slow.history.train_accuracy == quick.history.train_accuracy


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
def test_too_large_a_learning_rate_stops_with_a_reason(seeds, activation, word):
    x, y = seeds
    t = train(initialise([7, 5, 3], activation), x, y, TrainingConfig(learning_rate=50, epochs=200))
    assert t.epoch < 200 and word in t.stop_reason and "smaller learning rate than 50" in t.stop_reason


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


def test_without_a_compiler_training_falls_back_with_a_notice(monkeypatch, tmp_path, seeds):
    monkeypatch.setenv("BACKPROP_LAB_CACHE", str(tmp_path))
    monkeypatch.setattr(fast, "_compiler", lambda: None)
    library, notice = fast._build()
    assert library is None and "readable numpy path" in notice and notice.count("\n") == 0
    monkeypatch.setattr(fast, "AVAILABLE", False)
    x, y = seeds
    t = train(initialise([7, 5, 3]), x, y, TrainingConfig(epochs=2))
    assert not t.use_fast and t.epoch == 2


@pytest.mark.skipif(not fast.AVAILABLE and not os.environ.get("CI"), reason=fast.NOTICE)
def test_the_compiled_loop_is_built_once_and_reused(monkeypatch, tmp_path):
    monkeypatch.setenv("BACKPROP_LAB_CACHE", str(tmp_path))
    first, notice = fast._build()
    assert first is not None, notice
    assert len(list(tmp_path.glob("kernel-*"))) == 1

    def no_compiler():
        raise AssertionError("the cached library should have been loaded, not rebuilt")

    monkeypatch.setattr(fast, "_compiler", no_compiler)
    again, _ = fast._build()
    assert again is not None


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
