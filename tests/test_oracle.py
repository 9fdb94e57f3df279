"""The numpy engine against the plain-Python oracle on random small networks and data."""
import random

import numpy as np
import pytest

import oracle
from core import Trainer, TrainingConfig, forward, initialise, kfold_indices, walk_through


def _random_case(seed):
    rng = random.Random(seed)
    sizes = [rng.randint(1, 4)] + [rng.randint(1, 4) for _ in range(rng.randint(1, 3))] + [rng.randint(2, 3)]
    data = [[rng.uniform(-2, 2) for _ in range(sizes[0])] + [rng.randrange(sizes[-1])]
            for _ in range(rng.randint(3, 12))]
    return sizes, data


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("use_fast", [False, True])
def test_online_training_matches_the_oracle(seed, use_fast):
    sizes, data = _random_case(seed)
    network = initialise(sizes, seed=seed)
    reference = oracle.from_weights([w.tolist() for w in network.weights])
    errors = oracle.train_network(reference, [list(r) for r in data], 0.4, 7, sizes[-1])
    features = np.array([r[:-1] for r in data])
    labels = np.array([r[-1] for r in data])
    trainer = Trainer(network, features, labels, TrainingConfig(learning_rate=0.4, epochs=7),
                      use_fast=use_fast)
    trainer.run()
    np.testing.assert_allclose(trainer.history.sse, errors, rtol=1e-12)
    for ours, theirs in zip(trainer.network.weights, oracle.to_weights(reference)):
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_one_step_matches_the_oracle(seed):
    sizes, data = _random_case(seed + 100)
    network = initialise(sizes, seed=seed)
    row = data[0]
    reference = oracle.from_weights([w.tolist() for w in network.weights])
    outputs = oracle.forward_propagate(reference, row)
    expected = [0.0] * sizes[-1]
    expected[row[-1]] = 1.0
    oracle.backward_propagate_error(reference, expected)
    deltas = [[n["delta"] for n in layer] for layer in reference]
    oracle.update_weights(reference, row, 0.5)
    walk = walk_through(network, row[:-1], expected, 0.5)
    assert walk.trace.output.tolist() == outputs
    for ours, theirs in zip(walk.gradients.deltas, deltas):
        assert ours.tolist() == theirs
    for ours, theirs in zip(walk.updated.weights, oracle.to_weights(reference)):
        assert ours.tolist() == theirs


def test_batch_forward_matches_row_by_row():
    network = initialise([4, 3, 3], seed=3)
    rows = np.random.default_rng(0).normal(size=(9, 4))
    batch = forward(network, rows).output
    for i, row in enumerate(rows):
        assert batch[i].tolist() == forward(network, row).output.tolist()


@pytest.mark.parametrize("n_rows,k,seed", [(210, 5, 1), (10, 3, 7), (17, 4, 2)])
def test_kfold_split_matches_the_tutorial(n_rows, k, seed):
    folds = kfold_indices(n_rows, k, random.Random(seed))
    assert folds == oracle.cross_validation_split(random.Random(seed), list(range(n_rows)), k)
    assert all(len(f) == n_rows // k for f in folds)
    assert len({i for f in folds for i in f}) == k * (n_rows // k)
