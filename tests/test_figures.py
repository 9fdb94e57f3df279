"""Figure builders, tested without Streamlit."""
import math

import numpy as np
import plotly.graph_objects as go
import pytest

from apptest import decoded

from core import (TUTORIAL, CrossValidationResult, ExperimentSettings, History, Network, forward, initialise,
                  load_seeds, prepare, toy_network, walk_through)
from core.crossval import FoldResult
from ui.figures import colors
from ui.figures.charts import MAX_POINTS, decimate, folds_figure, training_figure, weights_heatmap
from ui.figures.charts import confusion_figure as confusion_spec
from ui.figures import network_graph
from ui.figures.charts import accuracy_figure as accuracy_spec
from ui.figures.charts import loss_figure as loss_spec
from ui.figures.network_graph import node_font, node_text, view_at_step, view_of_trace


def checked(spec: dict) -> go.Figure:
    """A builder's plain dict, checked against plotly's schema (go.Figure validates every property)."""
    return go.Figure(decoded(spec))


def network_figure(*args, **kwargs) -> go.Figure:
    return checked(network_graph.network_figure(*args, **kwargs))


def loss_figure(*args, **kwargs) -> go.Figure:
    return checked(loss_spec(*args, **kwargs))


def accuracy_figure(*args, **kwargs) -> go.Figure:
    return checked(accuracy_spec(*args, **kwargs))


def confusion_figure(*args, **kwargs) -> go.Figure:
    return checked(confusion_spec(*args, **kwargs))


def trace_named(fig, name):
    matches = [t for t in fig.data if t.name == name]
    assert matches, f"no trace named {name!r}"
    return matches[0]


@pytest.mark.parametrize("sizes", [[2, 1, 2], [7, 5, 3], [4, 3], [3, 6, 4, 5, 2], [7, 12, 3], [7, 13, 3], [7, 64, 3]])
def test_every_node_and_edge_is_drawn_up_to_a_columns_worth_and_the_rest_is_counted(sizes):
    """A layer of at most DRAWN_PER_LAYER neurons is drawn whole; a larger one shows its first neurons and
    "N more" in its last slot, with the edges between drawn neurons only (64 neurons would be a blob)."""
    net = initialise(sizes, "tanh", scheme="xavier", seed=2)
    fig = network_figure(net, [f"f{i}" for i in range(sizes[0])], [f"c{i}" for i in range(sizes[-1])])
    shown = [n if n <= network_graph.DRAWN_PER_LAYER else network_graph.DRAWN_PER_LAYER - 1 for n in sizes]
    edges = sum(a * b for a, b in zip(shown, shown[1:]))
    ids = list(trace_named(fig, "weights").customdata)  # every drawn edge clickable, named by its weight
    assert set(ids) == {f"w:{l},{j},{k}" for l in range(1, len(sizes)) for j in range(shown[l])
                        for k in range(shown[l - 1])} and len(ids) == 3 * edges
    drawn = sum(int(np.isfinite(np.asarray(t.x, dtype=float)).sum()) // 2 for t in fig.data
                if t.name.endswith("weights") and t.mode == "lines")
    assert drawn == edges
    assert len(trace_named(fig, "neurons").x) == sum(shown)
    notes = [a.text for a in fig.layout.annotations if "more" in a.text]
    assert notes == [f"⋮<br>{n - s} more" for n, s in zip(sizes, shown) if s < n]
    y = np.asarray(trace_named(fig, "neurons").y, dtype=float)
    assert y.max() - y.min() <= network_graph.DRAWN_PER_LAYER - 1  # the column's slots, never more


def test_edge_colour_follows_the_sign_of_the_weight():
    net = Network([np.array([[0.5, -2.0, 0.1]]), np.array([[3.0, 0.0], [-1.0, 0.0]])])
    fig = network_figure(net)
    positive = [t for t in fig.data if t.name == "positive weights"]
    negative = [t for t in fig.data if t.name == "negative weights"]
    assert all(t.line.color == colors.POSITIVE for t in positive)
    assert all(t.line.color == colors.NEGATIVE for t in negative)
    assert sum(len(t.x) // 3 for t in positive) == 2 and sum(len(t.x) // 3 for t in negative) == 2
    # thicker for a larger |w|: the 3.0 edge (hidden → output 1) is the widest, the 0.5 edge the thinnest

    def width_of(x0, y0, x1, y1):
        for t in positive + negative:
            for i in range(0, len(t.x), 3):
                if (t.x[i], t.y[i], t.x[i + 1], t.y[i + 1]) == (x0, y0, x1, y1):
                    return t.line.width
        raise AssertionError("edge not drawn")

    widths = {w: width_of(*xy) for w, xy in {3.0: (1.0, 0.0, 2.0, 0.5), 0.5: (0.0, 0.5, 1.0, 0.0),
                                             -2.0: (0.0, -0.5, 1.0, 0.0)}.items()}
    assert widths[0.5] < widths[-2.0] < widths[3.0]


def test_hover_text_carries_exact_values():
    net = toy_network()
    fig = network_figure(net, ["x1", "x2"], ["a", "b"], view_of_trace(forward(net, np.array([1.0, 0.0]))))
    weights_hover = " ".join(trace_named(fig, "weights").hovertext)
    assert "w = 0.13436424411240122" in weights_hover and "w = 0.4494910647887381" in weights_hover
    neurons_hover = " ".join(trace_named(fig, "neurons").hovertext)
    assert "output o = 0.7105668883115941" in neurons_hover
    assert "bias b = 0.763774618976614" in neurons_hover
    assert "weighted sum z = 0.8981388630890152" in neurons_hover


def test_step_view_highlights_the_active_neuron_and_hides_what_is_not_computed():
    net = toy_network()
    walk = walk_through(net, [1, 0], [0, 1], 0.5)
    first = network_figure(net, view=view_at_step(walk, 0))
    ring = trace_named(first, "active")
    assert (ring.x[0], ring.y[0]) == (1.0, 0.0)  # hidden neuron 1
    assert len(trace_named(first, "not computed yet").x) == 2  # both outputs still empty
    glow = trace_named(first, "highlight")
    assert int(np.isfinite(np.asarray(glow.x, dtype=float)).sum()) == 2 * 2  # its two incoming connections
    # backward on the hidden neuron: the connections it feeds are highlighted, deltas known
    backward_index = next(i for i, s in enumerate(walk.steps) if s.phase == "backward" and s.layer == 1)
    view = view_at_step(walk, backward_index)
    assert set(view.deltas) == {(1, 0), (2, 0), (2, 1)}
    assert view.deltas[(1, 0)] == walk.gradients.deltas[0][0]
    # last update step: every neuron updated, the new weights drawn
    view = view_at_step(walk, len(walk.steps) - 1)
    assert view.updated == {(1, 0), (2, 0), (2, 1)}
    assert view.weights[1].tolist() == walk.updated.weights[1].tolist()
    assert len(view_at_step(walk, 0).values) == 3  # inputs and the one computed neuron


def _history(n, nan_at=None):
    h = History()
    for e in range(1, n + 1):
        h.epoch.append(e)
        h.sse.append(100.0 / e)
        h.loss.append(1.0 / e)
        h.train_accuracy.append(min(100.0, 30 + e))
        h.validation_accuracy.append(min(100.0, 25 + e))
        h.validation_loss.append(1.2 / e)
    if nan_at is not None:
        h.loss[nan_at] = float("nan")
    return h


def test_charts_grow_with_the_history_and_thin_only_what_is_drawn():
    small = loss_figure(_history(40))
    assert len(small.data[0].x) == 40 and len(small.data) == 2  # training and validation
    big = _history(5000)
    fig = accuracy_figure(big, 5000)
    assert len(fig.data[0].x) <= MAX_POINTS + 1 and fig.data[0].x[-1] == 5000
    assert len(big.epoch) == 5000  # the history itself is untouched
    assert loss_figure(big, "sse").data[0].y[0] == 100.0


def test_no_nan_reaches_a_chart():
    fig = loss_figure(_history(10, nan_at=4))
    assert fig.data[0].y[4] is None
    assert all(v is None or math.isfinite(v) for v in fig.data[0].y)


def test_decimate_keeps_first_and_last():
    idx = decimate(12345, 600)
    assert idx[0] == 0 and idx[-1] == 12344 and len(idx) <= 601
    assert decimate(10).tolist() == list(range(10))


def test_confusion_matrix_has_class_names_on_both_axes():
    fig = confusion_figure(np.array([[5, 1], [0, 7]]), ["Kama", "Rosa"])
    heat = fig.data[0]
    assert list(heat.x) == ["Kama", "Rosa"] and list(heat.y) == ["Kama", "Rosa"]
    assert [list(row) for row in heat.z] == [[5, 1], [0, 7]]
    assert fig.layout.xaxis.title.text == "predicted" and fig.layout.yaxis.title.text == "true"


def test_folds_figure_shows_bars_mean_and_baseline():
    result = CrossValidationResult(TUTORIAL, 2, [FoldResult(i, s, 30.0, list(range(42)), 168)
                                                 for i, s in enumerate([90.0, 95.0], 1)])
    fig = folds_figure(result)
    assert list(fig.data[0].y) == [90.0, 95.0]
    lines = sorted(shape.y0 for shape in fig.layout.shapes)
    assert lines == [30.0, 92.5]


def test_weights_heatmap_has_the_bias_column_last():
    net = toy_network()
    fig = weights_heatmap(net, 1, ["h1"], ["a", "b"])
    assert list(fig.data[0].x) == ["h1", "bias"] and fig.data[0].z.tolist() == net.weights[1].tolist()


def test_the_loss_slice_draws_the_tangent_with_the_gradients_slope_and_the_step():
    from ui.figures.loss_slice import loss_slice_figure

    values = np.linspace(-1, 3, 41)
    fig = loss_slice_figure(values, (values - 1) ** 2, None, weight=2.0, loss=1.0, gradient=2.0, after=-0.4,
                            loss_after=1.96, name="w[1] <b>x</b> → hidden 1·1")
    tangent = trace_named(fig, "tangent: slope ∂E/∂w")
    assert (tangent.y[1] - tangent.y[0]) / (tangent.x[1] - tangent.x[0]) == pytest.approx(2.0)
    assert tangent.y[0] + 2.0 * (2.0 - tangent.x[0]) == pytest.approx(1.0)  # through (w, E(w))
    arrow = fig.layout.annotations[0]
    assert (arrow.ax, arrow.ay, arrow.x, arrow.y) == (2.0, 1.0, -0.4, 1.96)
    assert "goes up: the step overshoots" in fig.layout.title.text and "<b>x</b>" not in fig.layout.title.text
    assert [t.name for t in fig.data if t.name.startswith("mean E")] == []  # no training curve given


def test_the_relative_error_histogram_counts_every_weight_exact_ones_at_the_floor():
    from core.gradcheck import gradient_check
    from ui.figures.gradcheck import FLOOR, log_relative_errors, relative_error_histogram

    check = gradient_check(toy_network(), [1.0, 0.0], [0.0, 1.0])
    logs = log_relative_errors(check)
    assert len(relative_error_histogram(check).data[0].x) == len(check.rows) == len(logs)
    assert all(FLOOR <= v < -5 for v in logs)  # every gradient agrees; an exact 0 would sit at the floor


def test_the_gradient_chart_is_log_scaled_with_one_line_per_layer():
    from ui.figures.charts import gradient_figure

    history = History()
    history.epoch, history.gradient = [1, 2], [[1e-7, 0.0, 0.02], [2e-7, 1e-3, 0.03]]
    fig = checked(gradient_figure(history, 3, 10))
    assert fig.layout.yaxis.type == "log"
    assert [t.name for t in fig.data] == ["hidden layer 1", "hidden layer 2", "output layer"]
    assert list(fig.data[1].y) == [None, 1e-3]  # a log scale has no 0: a gap


def test_fold_strips_show_which_rows_each_fold_holds_out():
    from ui.figures.folds import fold_loss_figure, fold_strip_figure, holdings

    result = CrossValidationResult(TUTORIAL, 2, [FoldResult(1, 90.0, 50.0, [0, 3], 2, [0.5, 0.4]),
                                                 FoldResult(2, 80.0, 50.0, [1, 2], 2, [0.6, 0.3])])
    grid = holdings(result, 5)
    assert grid[:, :4].tolist() == [[1, 0, 0, 1], [0, 2, 2, 0]] and np.isnan(grid[:, 4]).all()  # row 4: no fold
    assert len(fold_strip_figure(result, 5).data[0].y) == 2
    assert [list(t.y) for t in fold_loss_figure(result).data] == [[0.5, 0.4], [0.6, 0.3]]
def test_training_figure_puts_loss_and_accuracy_side_by_side_in_one_chart():
    history = _history(40)
    fig = checked(training_figure(history, "loss", 500))
    loss, accuracy = loss_figure(history, "loss", 500), accuracy_figure(history, 500)
    assert [t.name for t in fig.data] == [t.name for t in loss.data] + [t.name for t in accuracy.data]
    assert [list(t.y) for t in fig.data] == [list(t.y) for t in loss.data] + [list(t.y) for t in accuracy.data]
    assert {t.xaxis for t in fig.data[2:]} == {"x2"} and fig.layout.xaxis.domain[1] < fig.layout.xaxis2.domain[0]
    assert fig.layout.yaxis2.range == (0, 101)


def test_the_largest_allowed_network_draws_in_well_under_a_megabyte():
    import json

    from core.limits import MAX_HIDDEN_LAYERS, MAX_NEURONS
    net = initialise([7] + [MAX_NEURONS] * MAX_HIDDEN_LAYERS + [3], "sigmoid", seed=1)
    spec = network_graph.network_figure(net, [f"f{i}" for i in range(7)], ["a", "b", "c"],
                                        view_of_trace(forward(net, np.full(7, 0.5))))
    size = len(json.dumps(spec))
    assert size < 600_000, size
    fig = checked(spec)
    assert not [t for t in fig.data if t.name == "weights"]  # no per-weight hover this large
    edges = sum(int(np.isfinite(np.asarray(t.x, dtype=float)).sum()) // 2 for t in fig.data
                if t.name.endswith("weights") and t.mode == "lines")
    shown = network_graph.drawn(MAX_NEURONS)
    assert edges == 7 * shown + shown * shown * (MAX_HIDDEN_LAYERS - 1) + shown * 3  # every drawn weight


@pytest.mark.parametrize("value", [0.313, 0.00637, 0.000408, -0.0574, 1.7986, 123.456, 12345.6, 1e-9, -3.2e-7,
                                   0.0, 0.99999, 1.91e-05, 1e300, -1e-300, 7.5e-308])
def test_a_neurons_value_fits_inside_it_and_still_says_what_it_is(value):
    shown = node_text(value)
    assert len(shown.lstrip("-")) <= 6, shown
    assert float(shown) == pytest.approx(value, rel=0.06, abs=1e-300), shown  # 2 significant digits at least
    for size in (20, 46, 58):
        font = node_font(shown, size, 17)
        assert 0.56 * len(shown) * font <= 0.86 * size + 1e-9 and font <= 17


def test_weight_labels_never_overlap_each_other_or_a_neuron_and_the_rest_are_counted():
    """Each label sits on its edge where no other label and no neuron is, at the width the graph is drawn at
    least (ASSUMED_WIDTH); labels that cannot be placed are counted under the graph."""
    data = load_seeds()
    experiment = prepare(data, ExperimentSettings())
    net = experiment.network
    spec = network_graph.network_figure(net, experiment.input_names, data.class_names,
                                        view_of_trace(forward(net, experiment.inputs[0])), weight_labels=True,
                                        height=560)
    labels = [a for a in spec["layout"]["annotations"] if a.get("name") == "weight label"]
    x_range = spec["layout"]["xaxis"]["range"]
    x_px = (network_graph.ASSUMED_WIDTH - 20) / (x_range[1] - x_range[0])
    y_range = spec["layout"]["yaxis"]["range"]
    y_px = (560 - 20) / (y_range[1] - y_range[0])
    font = labels[0]["font"]["size"]
    boxes = [(a["x"] * x_px, a["y"] * y_px, 0.28 * font * len(a["text"]) + 1, font / 2 + 1) for a in labels]
    for i, (x, y, w, h) in enumerate(boxes):
        for x2, y2, w2, h2 in boxes[i + 1:]:
            assert abs(x - x2) >= w + w2 or abs(y - y2) >= h + h2, (labels[i]["text"], x, y, x2, y2)
    neurons = [t for t in spec["data"] if t.get("name") == "neurons"][0]
    radius = neurons["marker"]["size"] / 2
    for x, y, w, h in boxes:
        for nx, ny in zip(neurons["x"], neurons["y"]):
            assert abs(x - nx * x_px) >= w + radius or abs(y - ny * y_px) >= h + radius
    weights = sum(w[:, :-1].size for w in net.weights)
    assert 20 < len(labels) <= weights  # most are shown ...
    note = [a["text"] for a in spec["layout"]["annotations"] if "weights labelled" in a["text"]]
    assert note == ([f"{len(labels)} of {weights} weights labelled: the others' labels would overlap, or their "
                     "neurons are not drawn — hover a connection for its value"] if len(labels) < weights else [])
    shown = {a["text"] for a in labels}
    assert all(network_graph._fmt(w) in shown for w in sorted(np.concatenate([w[:, :-1].ravel() for w in net.weights]),
                                                              key=abs)[-5:])  # ... the largest always
