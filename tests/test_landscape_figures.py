"""The landscape and neuron-map figures draw exactly what core's forward pass gives at each grid point."""
import math

import numpy as np
import plotly.graph_objects as go

from ui.figures.spec import numbers
import pytest

from core import (ExperimentSettings, History, Plane, forward, initialise, landscape, neuron_map, neuron_name,
                  playground, prepare)
from ui.figures import colors
from ui.figures.charts import r2_figure
from ui.figures.landscape import (DISCRETE_STRENGTH, change_figure, landscape_figure, map_placement,
                                  neuron_map_figure, neuron_maps_figure, region_strength)

SPOTS = [(0, 0), (0, 49), (49, 0), (17, 31), (49, 49), (8, 40)]


@pytest.fixture(scope="module")
def spiral():
    """A 7-8-8-2 tanh network on the spiral with every input feature, trained 20 epochs."""
    data = playground.generate("spiral", 120, 0.1, seed=2)
    settings = ExperimentSettings(hidden=(8, 8), activation="tanh", init="xavier", learning_rate=0.05, epochs=20,
                                  features=("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin x1", "sin x2"),
                                  normalisation="zscore")
    experiment = prepare(data, settings)
    trainer = experiment.trainer()
    trainer.run()
    view = landscape(trainer.network, Plane.data(), ((-6, 6), (-6, 6)), experiment.to_inputs, 50)
    mask = np.isin(np.arange(data.n_rows), experiment.train_rows)
    return data, experiment, trainer.network, view, mask


def point_output(experiment, network, view, a, b):
    """core's forward pass at grid point (xs[b], ys[a]), on its own."""
    return forward(network, experiment.to_inputs(np.array([[view.xs[b], view.ys[a]]]))[0])


def test_regions_are_the_predicted_class_shaded_by_the_top_output(spiral):
    data, experiment, network, view, mask = spiral
    fig = landscape_figure(view, data.features, data.labels, mask, data.class_names,
                           output_activation=network.output_activation)
    regions = fig.data[0]
    z, confidence = np.asarray(regions.z), np.asarray(regions.customdata)
    assert z.shape == (50, 50) and list(regions.x) == view.xs.tolist() and list(regions.y) == view.ys.tolist()
    for a, b in SPOTS:
        trace = point_output(experiment, network, view, a, b)
        assert math.floor(z[a, b]) == int(np.argmax(trace.output))  # colour: the class
        assert confidence[a, b] == trace.output.max()  # hover: the top output, every digit
        strength = (trace.output.max() + 1) / 2  # tanh outputs range over [−1, 1]
        assert z[a, b] - math.floor(z[a, b]) == pytest.approx(0.999 * strength, abs=1e-12)
    assert len(np.unique(np.floor(z))) == 2  # both classes have a region
    scale = regions.colorscale
    assert regions.zmin == 0 and regions.zmax == 2 and scale[0][0] == 0 and scale[-1][0] == 1


def test_discretised_regions_have_one_shade_per_class(spiral):
    data, _, network, view, mask = spiral
    z = np.asarray(landscape_figure(view, data.features, data.labels, mask, data.class_names, discretise=True).data[0].z)
    assert np.array_equal(z, view.predicted + 0.999 * DISCRETE_STRENGTH)


def test_strength_spans_what_the_output_activation_can_give(spiral):
    view = spiral[3]
    view_soft = type(view)(view.xs, view.ys, view.outputs, view.hidden, view.predicted,
                           np.full(view.predicted.shape, 0.5), view.task)
    assert np.all(region_strength(view_soft, "softmax", 2) == 0.0)  # 1/k: no more than a guess
    view_soft.confidence = np.full(view.predicted.shape, 1.0)
    assert np.all(region_strength(view_soft, "softmax", 4) == 1.0)
    view_soft.confidence = np.linspace(-3, 5, 2500).reshape(50, 50)  # linear outputs: the view's own range
    strength = region_strength(view_soft, "linear", 2)
    assert strength.min() == 0.0 and strength.max() == 1.0


def test_training_rows_are_filled_validation_rows_hollow_and_every_row_is_clickable(spiral):
    data, _, _, view, mask = spiral
    fig = landscape_figure(view, data.features, data.labels, mask, data.class_names)
    points = [t for t in fig.data if t.type == "scatter" and t.customdata is not None]
    seen = np.concatenate([np.asarray(t.customdata) for t in points])
    assert sorted(seen.tolist()) == list(range(data.n_rows))
    for t in points:
        rows = np.asarray(t.customdata)
        assert np.array_equal(np.asarray(t.x), data.features[rows, 0]) and np.array_equal(np.asarray(t.y),
                                                                                         data.features[rows, 1])
        held = not mask[rows[0]]
        assert all(mask[r] != held for r in rows)  # one kind of row per trace
        assert t.marker.symbol == ("circle-open" if held else "circle")
        assert len(set(data.labels[rows])) == 1 and t.marker.color == colors.class_color(int(data.labels[rows[0]]))


def test_regression_draws_the_predicted_surface_and_targets_on_one_scale():
    data = playground.generate("bump", 80, 0.0, seed=3)
    experiment = prepare(data, ExperimentSettings(hidden=(6,), activation="tanh", init="xavier"))
    network = experiment.network
    view = landscape(network, Plane.data(), ((-6, 6), (-6, 6)), experiment.to_inputs, 50, task="regression")
    mask = np.isin(np.arange(data.n_rows), experiment.train_rows)
    fig = landscape_figure(view, data.features, data.labels, mask, [])
    surface = fig.data[0]
    assert surface.name == "surface"
    for a, b in SPOTS:
        assert np.asarray(surface.z)[a, b] == point_output(experiment, network, view, a, b).output[0]
    low = min(view.predicted.min(), data.labels.min())
    high = max(view.predicted.max(), data.labels.max())
    assert (surface.zmin, surface.zmax) == (low, high)
    rows = [t for t in fig.data if t.type == "scatter"]
    assert {t.name for t in rows} == {"rows", "rows (validation)"}
    for t in rows:
        assert np.array_equal(np.asarray(t.marker.color), data.labels[np.asarray(t.customdata)])
        assert (t.marker.cmin, t.marker.cmax) == (low, high)


def test_every_neurons_map_is_drawn_from_the_forward_pass(spiral):
    data, experiment, network, view, _ = spiral
    fig = neuron_maps_figure(view, network, experiment.input_names, data.class_names)
    maps = [t for t in fig.data if t.type == "heatmap"]
    sizes = network.layer_sizes
    assert len(maps) == sum(sizes) == 7 + 8 + 8 + 2
    n_layers = len(network.weights)
    names = [neuron_name(l, j, n_layers, experiment.input_names, data.class_names)
             for l in range(n_layers + 1) for j in range(sizes[l])]
    assert [t.name for t in maps] == names
    captions = {a.text for a in fig.layout.annotations}
    assert set(names) <= captions and {"<b>Inputs</b>", "<b>Hidden 1</b>", "<b>Outputs</b>"} <= captions
    stride = 2  # 50 grid points a side, drawn as 25
    for t in maps:
        l, j = t.customdata
        z = np.asarray(t.z)
        assert z.shape == (25, 25)
        expected = view.inputs[..., j] if l == 0 else neuron_map(view, l - 1, j)
        assert np.array_equal(z, expected[::stride, ::stride].astype(np.float32))
        a, b = 12, 20  # grid point (xs[40], ys[24])
        trace = point_output(experiment, network, view, a * stride, b * stride)
        value = trace.inputs[0][j] if l == 0 else trace.outputs[l - 1][j]
        assert z[a, b] == np.float32(value)


def test_maps_are_laid_out_like_the_network(spiral):
    data, experiment, network, view, _ = spiral
    fig = neuron_maps_figure(view, network, experiment.input_names, data.class_names)
    maps = [t for t in fig.data if t.type == "heatmap"]
    placed = {tuple(t.customdata): map_placement(t) for t in maps}
    lefts = [sorted({round(placed[(l, j)][0], 9) for j in range(n)}) for l, n in enumerate(network.layer_sizes)]
    assert all(len(column) == 1 for column in lefts)  # one column per layer…
    assert [c[0] for c in lefts] == sorted(c[0] for c in lefts)  # …left to right
    for l, n in enumerate(network.layer_sizes):
        bottoms = [placed[(l, j)][1] for j in range(n)]
        assert bottoms == sorted(bottoms, reverse=True)  # the first neuron at the top
        assert all(b - a >= 1.0 for a, b in zip(bottoms[1:], bottoms[:-1]))  # no overlap
    assert all(dx == pytest.approx(1 / 25) and dy == pytest.approx(1 / 25) for _, _, dx, dy in placed.values())


def test_weights_are_drawn_beneath_the_maps_one_segment_each(spiral):
    data, experiment, network, view, _ = spiral
    fig = neuron_maps_figure(view, network, experiment.input_names, data.class_names)
    assert fig.layout.shapes and all(s.layer == "below" for s in fig.layout.shapes)
    segments = sum(s.path.count("M") for s in fig.layout.shapes)
    assert segments == sum(w[:, :-1].size for w in network.weights)
    positive = sum(s.path.count("M") for s in fig.layout.shapes if s.line.color == colors.POSITIVE)
    assert positive == sum(int((w[:, :-1] >= 0).sum()) for w in network.weights)
    hidden_only = neuron_maps_figure(view, network, include_inputs=False)
    assert len([t for t in hidden_only.data if t.type == "heatmap"]) == 8 + 8 + 2
    assert sum(s.path.count("M") for s in hidden_only.layout.shapes) == 8 * 8 + 8 * 2


def test_one_neuron_large(spiral):
    data, experiment, network, view, _ = spiral
    fig = neuron_map_figure(view, network, 2, 5, experiment.input_names, data.class_names, points=data.features)
    assert np.array_equal(np.asarray(fig.data[0].z), neuron_map(view, 1, 5))
    assert fig.data[0].zmin == -1 and fig.data[0].zmax == 1  # tanh's range
    assert "hidden 2·6" in fig.layout.title.text and len(fig.data[1].x) == data.n_rows


def test_change_figure_is_the_difference_of_two_forward_passes(spiral):
    data, experiment, network, view, _ = spiral
    other = initialise(network.layer_sizes, "tanh", scheme="xavier", seed=9)
    after = landscape(other, Plane.data(), ((-6, 6), (-6, 6)), experiment.to_inputs, 50)
    z = np.asarray(change_figure(view, after, 1, data.class_names[1], data.features[3]).data[0].z)
    for a, b in SPOTS:
        before_o = point_output(experiment, network, view, a, b).output[1]
        after_o = point_output(experiment, other, view, a, b).output[1]
        assert z[a, b] == after_o - before_o


def test_names_from_a_file_are_escaped(spiral):
    data, experiment, network, view, mask = spiral
    hostile = ["<b>A</b>", "<img src=x>"]
    fig = landscape_figure(view, data.features, data.labels, mask, hostile, axis_titles=("<i>x</i>", "y"))
    assert all("<b>" not in (t.name or "") and "<img" not in (t.name or "") for t in fig.data)
    assert "&lt;i&gt;" in fig.layout.xaxis.title.text
    maps = neuron_maps_figure(view, network, experiment.input_names, hostile)
    assert not any("<img" in a.text for a in maps.layout.annotations)
    long = neuron_maps_figure(view, network, experiment.input_names, ["a very long class name", "b"])
    assert "a very long c…" in {a.text for a in long.layout.annotations}  # shortened under its map…
    assert "a very long class name" in {t.name for t in long.data}  # …and whole on hover


def test_r2_chart_shows_r2_and_the_mean_absolute_error():
    history = History(epoch=[1, 2, 3], sse=[3, 2, 1], loss=[1, 0.5, 0.2], train_r2=[-4.0, 0.5, 0.9],
                      validation_r2=[-3.0, 0.4, 0.8], validation_mae=[0.9, 0.4, 0.2])
    fig = go.Figure(r2_figure(history, 10))
    assert [t.name for t in fig.data] == ["training R²", "validation R²", "validation mean |error|"]
    assert list(numbers(fig.data[1].y)) == [-3.0, 0.4, 0.8] and fig.data[2].yaxis == "y2"
    assert fig.layout.yaxis.range[0] == pytest.approx(-1.05) and fig.layout.yaxis.range[1] > 1
    assert "R²" in fig.layout.title.text and "ccuracy" not in fig.layout.title.text
