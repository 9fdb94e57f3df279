"""The numbers the tutorial publishes, pinned."""
import numpy as np
import pytest

from core import (TUTORIAL, ForwardTrace, Trainer, TrainingConfig, backward,
                  cross_validate, forward, load_seeds, toy_network, tutorial_network)

CONTRIVED = np.array([
    [2.7810836, 2.550537003, 0], [1.465489372, 2.362125076, 0], [3.396561688, 4.400293529, 0],
    [1.38807019, 1.850220317, 0], [3.06407232, 3.005305973, 0], [7.627531214, 2.759262235, 1],
    [5.332441248, 2.088626775, 1], [6.922596716, 1.77106367, 1], [8.675418651, -0.242068655, 1],
    [7.673756466, 3.508563011, 1],
])
TUTORIAL_SSE = [6.350, 5.531, 5.221, 4.951, 4.519, 4.173, 3.835, 3.506, 3.192, 2.898,
                2.626, 2.377, 2.153, 1.953, 1.774, 1.614, 1.472, 1.346, 1.233, 1.132]


def test_tutorial_initialisation_of_a_2_1_2_network():
    net = tutorial_network(2, 1, 2, seed=1)
    assert net.weights[0].tolist() == [[0.13436424411240122, 0.8474337369372327, 0.763774618976614]]
    assert net.weights[1].tolist() == [[0.2550690257394217, 0.49543508709194095],
                                       [0.4494910647887381, 0.651592972722763]]


def test_forward_on_the_worked_example():
    trace = forward(toy_network(), np.array([1.0, 0.0]))
    assert trace.outputs[0].tolist() == [0.7105668883115941]
    assert trace.output.tolist() == [0.6629970129852887, 0.7253160725279748]


def test_backward_deltas_of_the_worked_example():
    # the tutorial's backward example stores these outputs on the neurons
    net = toy_network()
    trace = ForwardTrace(inputs=[np.array([1.0, 0.0]), np.array([0.7105668883115941])],
                         weighted_sums=[np.zeros(1), np.zeros(2)],
                         outputs=[np.array([0.7105668883115941]),
                                  np.array([0.6213859615555266, 0.6573693455986976])])
    grads = backward(net, trace, np.array([0.0, 1.0]))
    assert grads.deltas[0][0] == pytest.approx(0.0005348048046610517, abs=1e-18)
    assert grads.deltas[1][0] == pytest.approx(0.14619064683582808, abs=1e-17)
    assert grads.deltas[1][1] == pytest.approx(-0.0771723774346327, abs=1e-17)


@pytest.mark.parametrize("use_fast", [False, True])
def test_training_on_the_contrived_dataset(use_fast):
    net = tutorial_network(2, 2, 2, seed=1)
    trainer = Trainer(net, CONTRIVED[:, :2], CONTRIVED[:, 2].astype(int),
                      TrainingConfig(learning_rate=0.5, epochs=20), use_fast=use_fast)
    trainer.run()
    assert [round(e, 3) for e in trainer.history.sse] == TUTORIAL_SSE
    hidden, output = trainer.network.weights
    np.testing.assert_allclose(hidden, [[-1.4688375095432327, 1.850887325439514, 1.0858178629550297],
                                        [0.37711098142462157, -0.0625909894552989, 0.2765123702642716]],
                               rtol=0, atol=1e-12)
    np.testing.assert_allclose(output, [[2.515394649397849, -0.3391927502445985, -0.9671565426390275],
                                        [-2.5584149848484263, 1.0036422106209202, 0.42383086467582715]],
                               rtol=0, atol=1e-12)


def test_seeds_case_study_mean_accuracy_is_93_333():
    result = cross_validate(load_seeds(), TUTORIAL)
    assert f"{result.mean:.3f}" == "93.333"
    assert result.tutorial_text().endswith("Mean Accuracy: 93.333%")
    assert len(result.scores) == 5 and all(f.n_test == 42 for f in result.folds)
