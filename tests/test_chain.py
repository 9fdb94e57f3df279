"""The why of every weight: the chain rule in numbers, the gradient check, and their CLI."""
import dataclasses
import json

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

import core.gradcheck
from core import ACTIVATION_NAMES, ForwardTrace, backward, forward, initialise, model_io, toy_network, update, walk_through
from core.chain import gradient_table, loss_slice, neuron_story, slice_range, weight_story, with_weight
from core.cli import main
from core.gradcheck import format_report, gradient_check, numerical_gradient, objective

X, T = np.array([1.0, 0.0]), np.array([0.0, 1.0])
HIDDEN_OUTPUT = 0.7105668883115941  # the tutorial's hidden output for the worked example
# the tutorial's backward example: the outputs it stores and the deltas it publishes (its error is
# t − o, so its deltas are these with the opposite sign)
PUBLISHED_OUTPUTS = [0.6213859615555266, 0.6573693455986976]
PUBLISHED_DELTAS = [[0.0005348048046610517], [0.14619064683582808, -0.0771723774346327]]


def agrees(check, a, b, tol=1e-6):
    """Within tol relative, or within the finite difference's rounding noise (see core.gradcheck)."""
    return abs(a - b) <= tol * max(abs(a), abs(b), 1e-12) or abs(a - b) <= check.noise


# -- the tutorial's worked example -----------------------------------------------------------------
def test_gradients_are_the_published_deltas_times_x():
    walk = walk_through(toy_network(), X, T, 0.5)
    trace = ForwardTrace(inputs=[X, np.array([HIDDEN_OUTPUT])], weighted_sums=[np.zeros(1), np.zeros(2)],
                         outputs=[np.array([HIDDEN_OUTPUT]), np.array(PUBLISHED_OUTPUTS)])
    published = dataclasses.replace(walk, trace=trace, gradients=backward(walk.network, trace, T))
    table = gradient_table(published)
    (dh,), (do1, do2) = PUBLISHED_DELTAS
    assert table["gradients"] == [[[dh * 1.0, dh * 0.0, dh]],
                                  [[do1 * HIDDEN_OUTPUT, do1], [do2 * HIDDEN_OUTPUT, do2]]]
    o1, o2 = PUBLISHED_OUTPUTS
    assert table["factors"][1] == [{"dE_do": o1 - 0.0, "f_prime": o1 * (1.0 - o1), "delta": do1},
                                   {"dE_do": o2 - 1.0, "f_prime": o2 * (1.0 - o2), "delta": do2}]
    assert table["factors"][0][0]["delta"] == dh


def test_story_of_the_first_weight_in_the_worked_example():
    story = weight_story(toy_network(), X, T, layer=1, j=0, i=0, learning_rate=0.5)
    assert story.name == "w[1] input 1 → hidden 1·1" and story.loss == "½·Σ(o − t)²"
    assert story.output == HIDDEN_OUTPUT and story.x == 1.0 and not story.is_output
    assert [term.name for term in story.terms] == ["output 1", "output 2"]
    assert story.terms[0].product + story.terms[1].product == story.error  # the sum backward() makes
    assert story.derivative == HIDDEN_OUTPUT * (1.0 - HIDDEN_OUTPUT)
    assert story.delta == story.error * story.derivative
    assert story.gradient == story.data_gradient == story.delta * 1.0
    assert story.new_weight == 0.1330083452127821  # core.update's number (pinned in test_cli)
    assert story.relative_error < 1e-6 and story.kink == ""
    assert story.path == (((0, 0), (1, 0)), ((1, 0), (2, 0)), ((1, 0), (2, 1)))
    text = "\n".join(story.text())
    assert "dE/do = sum(w_kj * delta_k) = 0.013185728350915155" in text
    assert "= 0.1330083452127821" in text
    latex = story.latex()
    assert all("&" in line for line in latex)
    assert any(r"\underbrace" in line and r"\text{output 2}" in line for line in latex)


def test_story_of_an_output_weight_and_a_bias():
    story = weight_story(toy_network(), X, T, layer=2, j=1, i=0, learning_rate=0.5)
    assert story.is_output and story.terms == () and story.target == 1.0
    assert story.error == story.output - story.target
    assert story.delta == story.error * story.derivative
    assert story.gradient == story.delta * HIDDEN_OUTPUT
    assert story.new_weight == walk_through(toy_network(), X, T, 0.5).updated.weights[1][1, 0]
    bias = weight_story(toy_network(), X, T, layer=2, j=1, i=1, learning_rate=0.5)
    assert bias.is_bias and bias.x == 1.0 and bias.name == "b[2] → output 2"
    assert bias.nodes == ((2, 1),)


def test_softmax_story_says_delta_is_p_minus_t():
    network = initialise([3, 2, 3], "tanh", "softmax", "xavier", 4)
    x, t = np.array([0.2, -0.4, 0.9]), np.array([0.0, 0.0, 1.0])
    story = weight_story(network, x, t, layer=2, j=2, i=1, learning_rate=0.1, class_names=["a", "b", "c"])
    assert story.loss == "cross-entropy" and story.derivative is None and story.softmax
    assert story.delta == story.output - 1.0 and story.name == "w[2] hidden 1·2 → c"
    assert story.text()[1] == "dE/dw = dE/dz * dz/dw = delta * x"
    assert any("softmax with cross-entropy" in line for line in story.text())
    assert gradient_table(network, x, t)["factors"][1][2] == {"dE_dz": story.delta, "delta": story.delta}


def test_a_long_sum_is_broken_over_lines():
    network = initialise([2, 3, 5], "sigmoid", seed=2)
    latex = weight_story(network, X, np.eye(5)[1], layer=1, j=0, i=1, learning_rate=0.3).latex()
    sum_lines = [line for line in latex if r"\underbrace" in line]
    assert len(sum_lines) == 2 and sum_lines[0].count(r"\underbrace") == 3
    assert sum_lines[1].startswith(r"&\quad + ")


def test_neuron_story_tells_every_incoming_weight():
    story = neuron_story(toy_network(), X, T, layer=1, j=0, learning_rate=0.5, feature_names=["kernel", "width"])
    assert [w.name for w in story.weights] == ["w[1] kernel → hidden 1·1", "w[1] width → hidden 1·1",
                                               "b[1] → hidden 1·1"]
    assert story.delta == story.weights[0].delta and story.output == HIDDEN_OUTPUT
    assert story.weights[1].gradient == 0.0  # its input is 0
    assert len(story.text()) > 3 * 10 and len(story.latex()) > 3 * 10


def test_new_weights_are_core_updates_to_the_last_bit():
    network = initialise([7, 5, 3], seed=1)
    x, t, lr = np.random.default_rng(0).uniform(0, 1, 7), np.eye(3)[1], 0.3
    trace = forward(network, x)
    gradients = backward(network, trace, t)
    updated = update(network, trace, gradients, lr)
    naive_differs = 0
    for layer, w in enumerate(network.weights, start=1):
        for j in range(w.shape[0]):
            for story in neuron_story(network, x, t, layer, j, lr).weights:
                assert story.new_weight == updated.weights[layer - 1][j, story.input], story.name
                naive_differs += story.new_weight != story.weight - lr * story.gradient
    assert naive_differs  # w − η·(δ·x) is not always core's w + (−(η·δ)·x): this test can tell


def test_penalty_joins_the_gradient_and_the_update():
    network = toy_network()
    story = weight_story(network, X, T, layer=2, j=0, i=0, learning_rate=0.5, l1=0.01, l2=0.1)
    w = network.weights[1][0, 0]
    assert story.penalty_gradient == 0.01 * 1.0 + 0.1 * w
    assert story.gradient == story.data_gradient + story.penalty_gradient
    assert story.new_weight == walk_through(network, X, T, 0.5, l1=0.01, l2=0.1).updated.weights[1][0, 0]
    plain = walk_through(network, X, T, 0.5).updated.weights[1][0, 0]
    assert story.new_weight == pytest.approx(plain - 0.5 * story.penalty_gradient, rel=1e-15)
    bias = weight_story(network, X, T, layer=2, j=0, i=1, learning_rate=0.5, l1=0.01, l2=0.1)
    assert bias.penalty_gradient == 0.0 and bias.gradient == bias.data_gradient
    assert "  + 0 (biases are not penalised)" in bias.text()
    assert story.relative_error < 1e-6 and bias.relative_error < 1e-6


def test_bad_indices_and_rates_are_one_line_errors():
    with pytest.raises(ValueError, match="layer 3 does not exist"):
        weight_story(toy_network(), X, T, 3, 0, 0, 0.5)
    with pytest.raises(ValueError, match="layer 1 has inputs 0 to 1 and the bias 2, not 3"):
        numerical_gradient(toy_network(), X, T, 1, 0, 3)
    with pytest.raises(ValueError, match="learning rate"):
        weight_story(toy_network(), X, T, 1, 0, 0, -1.0)
    with pytest.raises(ValueError, match="the target has 3 values"):
        gradient_check(toy_network(), X, [0, 1, 0])


# -- gradient check --------------------------------------------------------------------------------
def test_numerical_gradient_leaves_the_network_alone():
    network = toy_network()
    before = [w.copy() for w in network.weights]
    value = numerical_gradient(network, X, T, 2, 0, 0)
    assert network.same_weights(dataclasses.replace(network, weights=before))
    assert value == pytest.approx(0.10525963500454542, rel=1e-6)  # δ·x of output 1's first weight


def test_gradient_check_rows_are_worst_first_and_named():
    check = gradient_check(toy_network(), X, T, feature_names=["kernel length", "width"])
    errors = [row.relative_error for row in check.rows]
    assert errors == sorted(errors, reverse=True) and check.worst is check.rows[0]
    assert len(check.rows) == 7 and check.passed() and check.max_relative_error < 1e-7
    assert {row.name for row in check.rows} >= {"w[1] kernel length → hidden 1·1", "b[2] → output 2"}
    report = format_report(check, limit=3).splitlines()
    assert report[2].startswith(check.worst.name) and report[-1].startswith("PASSED")
    assert "4 more" in report[5]


def test_gradient_check_fails_a_wrong_backward(monkeypatch):
    real = core.gradcheck.backward

    def off_by_a_little(network, trace, target):
        gradients = real(network, trace, target)
        gradients.deltas[0] = gradients.deltas[0] * (1 + 1e-4)
        return gradients

    monkeypatch.setattr(core.gradcheck, "backward", off_by_a_little)
    check = gradient_check(toy_network(), X, T)
    assert not check.passed() and check.worst.layer == 1
    assert format_report(check).splitlines()[-1].startswith("FAILED: 2 of 7")


def test_kinks_are_marked_not_failed():
    relu = initialise([2, 2, 2], "relu", seed=3)
    relu.weights[0][0] = [1.0, 1.0, -1.0]  # z = 1 + 0 − 1 = 0: on relu's kink
    check = gradient_check(relu, X, T)
    kinks = [row for row in check.rows if row.kink]
    assert kinks and all(row.kink.startswith("relu kink") for row in kinks) and check.passed()

    near_zero = toy_network()
    near_zero.weights[1][0, 0] = 3e-7  # |w| < eps: the central difference of λ₁·|w| is λ₁·w/eps
    check = gradient_check(near_zero, X, T, l1=0.5)
    row = next(r for r in check.rows if r.name == "w[2] hidden 1·1 → output 1")
    assert row.kink == "l1 kink: |w| < eps" and row.relative_error > 1e-3 and check.passed()
    assert [r.name for r in check.rows if r.kink] == [row.name]

    saturated = initialise([2, 2], "sigmoid", "softmax", seed=1)
    saturated.weights[0][:] = [[900.0, 0.0, 0.0], [-900.0, 0.0, 0.0]]  # p of class 2 underflows to 0
    check = gradient_check(saturated, X, T)
    assert check.passed() and all(r.kink.startswith("cross-entropy clipped") for r in check.rows)


# -- random networks against central differences ---------------------------------------------------
@settings(max_examples=100, deadline=None)
@given(
    hidden=st.lists(st.integers(1, 4), min_size=1, max_size=3),
    n_in=st.integers(1, 4),
    n_out=st.integers(2, 4),
    activation=st.sampled_from(ACTIVATION_NAMES),
    softmax=st.booleans(),
    penalty=st.sampled_from([(0.0, 0.0), (0.01, 0.0), (0.0, 0.05), (0.02, 0.03)]),
    seed=st.integers(0, 10_000),
)
def test_every_gradient_agrees_with_central_differences(hidden, n_in, n_out, activation, softmax, penalty, seed):
    l1, l2 = penalty
    network = initialise([n_in, *hidden, n_out], activation, "softmax" if softmax else "",
                         ["tutorial", "xavier", "he"][seed % 3], seed)
    rng = np.random.default_rng(seed)
    x, t = rng.uniform(-1, 1, n_in), np.eye(n_out)[rng.integers(n_out)]
    if activation == "relu":  # keep clear of the kink at z = 0, as tests/test_gradients.py does
        assume(all(np.all(np.abs(z) >= 1e-4) for z in forward(network, x).weighted_sums))
    assume(not l1 or all(np.all(np.abs(w[:, :-1]) >= 1e-4) for w in network.weights))  # |w|'s kink

    check = gradient_check(network, x, t, l1, l2)
    assert check.passed() and not any(row.kink for row in check.rows)
    for row in check.rows:
        assert agrees(check, row.backprop, row.numeric), row

    table = gradient_table(network, x, t, l1, l2)
    assert [np.shape(g) for g in table["gradients"]] == [w.shape for w in network.weights]
    by_index = {(r.layer, r.neuron, r.input): r for r in check.rows}
    for (layer, j, i), row in by_index.items():
        assert table["gradients"][layer - 1][j][i] == row.backprop

    layer = int(rng.integers(1, len(network.weights) + 1))
    j, i = (int(rng.integers(n)) for n in network.weights[layer - 1].shape)
    lr = 0.3
    story = weight_story(network, x, t, layer, j, i, lr, l1, l2)
    assert story.gradient == by_index[(layer, j, i)].backprop
    assert agrees(check, story.gradient, story.numeric)
    trace = forward(network, x)
    core_new = update(network, trace, backward(network, trace, t), lr, l1, l2).weights[layer - 1][j, i]
    assert story.new_weight == core_new

    h = 1e-6
    w = story.weight
    below, above = loss_slice(network, x, t, layer, j, i, [w - h, w + h], l1, l2)
    assert agrees(check, (above - below) / ((w + h) - (w - h)), story.gradient)
    low, high = slice_range(w, story.gradient, lr)
    assert low < min(w, story.new_weight) and max(w, story.new_weight) < high


def test_loss_slice_over_the_training_set_is_the_mean_loss():
    network = initialise([3, 4, 2], "tanh", "softmax", "xavier", 5)
    rng = np.random.default_rng(1)
    rows, targets = rng.normal(size=(6, 3)), np.eye(2)[[0, 1, 1, 0, 1, 0]]
    w = network.weights[0][2, 1]
    values = loss_slice(network, rows, targets, 1, 2, 1, [w - 1e-6, w, w + 1e-6])
    assert values[1] == objective(network, rows, targets)
    mean_gradient = backward(network, forward(network, rows), targets).weight_gradients[0][2, 1]
    assert (values[2] - values[0]) / ((w + 1e-6) - (w - 1e-6)) == pytest.approx(mean_gradient, rel=1e-6)
    assert network.weights[0][2, 1] == w


def test_slice_range_holds_both_ends_of_a_big_step():
    assert slice_range(0.5, -40.0, 0.5) == (-19.5, 40.5)  # after = 20.5, pad = the step, 20
    assert slice_range(0.5, 0.0, 0.5) == (-0.5, 1.5)
    with pytest.raises(ValueError):
        slice_range(0.5, float("nan"), 0.5)


# -- command line ----------------------------------------------------------------------------------
@pytest.fixture
def toy_model(tmp_path):
    path = tmp_path / "toy.json"
    model_io.save(toy_network(), path)
    return str(path)


def test_gradcheck_prints_worst_first_and_passes(toy_model, capsys):
    assert main(["gradcheck", "--model", toy_model, "--input=1,0", "--target=0,1", "--l2", "0.1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    errors = [float(line.split()[-1]) for line in lines[2:9]]
    assert len(errors) == 7 and errors == sorted(errors, reverse=True) and errors[0] > 0
    assert lines[-1].startswith("PASSED")


def test_gradcheck_exits_1_when_backprop_is_wrong(toy_model, capsys, monkeypatch):
    real = core.gradcheck.backward

    def flipped(network, trace, target):
        gradients = real(network, trace, target)
        gradients.deltas[-1] = -gradients.deltas[-1]
        return gradients

    monkeypatch.setattr(core.gradcheck, "backward", flipped)
    assert main(["gradcheck", "--model", toy_model, "--input=1,0", "--target=0,1"]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out.splitlines()[2] and out.splitlines()[-1].startswith("FAILED")


def test_step_json_has_gradients_shaped_like_the_weights(toy_model, capsys):
    assert main(["step", "--model", toy_model, "--input=1,0", "--target=0,1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    shapes = [np.shape(layer["weights"]) for layer in data["updated_model"]["layers"]]
    assert [np.shape(g) for g in data["gradients"]] == shapes == [(1, 3), (2, 2)]
    assert data["gradients"][1][1][0] == -0.03888649175724997
    assert [len(f) for f in data["factors"]] == [1, 2] and data["factors"][0][0]["f_prime"] > 0


def test_step_text_prints_the_factors(toy_model, capsys):
    assert main(["step", "--model", toy_model, "--input=1,0", "--target=0,1"]) == 0
    out = capsys.readouterr().out
    assert "hidden 1·1: dE/do = sum(w_kj * delta_k) = 0.013185728350915155" in out
    assert "output 2: dE/do = output - target = -0.2746839274720252" in out


@pytest.mark.parametrize("args,message", [
    (["--input=1,0,5", "--target=0,1"], "the network takes 2 inputs, the input has 3 values"),
    (["--input=1,0", "--target=1"], "the network has 2 outputs, the target has 1 value"),
    (["--input=1,0", "--target=0,1", "--eps", "0"], "--eps: expected a step in (0, 1]"),
    (["--input=1,0", "--target=0,1", "--l1", "-1"], "--l1: expected a finite number ≥ 0"),
    (["--input=1,0", "--target=0,1", "--limit", "x"], "--limit: expected a whole number"),
    (["--input=1,a", "--target=0,1"], "--input: expected numbers separated by commas"),
])
def test_gradcheck_bad_arguments_exit_2_with_one_line(toy_model, capsys, args, message):
    assert main(["gradcheck", "--model", toy_model, *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], captured.err


def test_with_weight_sets_one_weight_on_a_copy():
    network = toy_network()
    moved = with_weight(network, 2, 1, 1, 0.5)  # the bias of output 2
    assert moved.weights[1][1, 1] == 0.5 and network.weights[1][1, 1] != 0.5
    changed = [(l, idx) for l, (a, b) in enumerate(zip(network.weights, moved.weights))
               for idx in zip(*np.nonzero(a != b))]
    assert changed == [(1, (1, 1))]
    for bad in (float("nan"), float("inf"), "1", True):
        with pytest.raises(ValueError, match="finite number"):
            with_weight(network, 1, 0, 0, bad)
    with pytest.raises(ValueError, match="layer 2 has neurons 0 to 1, not 2"):
        with_weight(network, 2, 2, 0, 1.0)


def test_latex_sections_are_the_story_in_order_each_result_on_its_own_line():
    story = weight_story(initialise([2, 3, 5], "sigmoid", seed=2), X, np.eye(5)[1], layer=1, j=0, i=1,
                         learning_rate=0.3)
    sections = story.latex_sections()
    assert list(sections) == ["why", "delta", "input", "gradient", "check", "update", "sign"]
    assert [line for part in sections.values() for line in part] == story.latex()
    assert sections["delta"][-1] == f"&= {story.delta!r}" and sections["gradient"][-1] == f"&= {story.gradient!r}"
    assert sections["update"][-1] == f"&= {story.new_weight!r}"
    one_per_line = story.latex_sections(per_line=1)["delta"]
    assert sum(r"\underbrace" in line for line in one_per_line) == 5 == len(story.terms)
    with pytest.raises(ValueError, match="at least 1"):
        story.latex(per_line=0)
