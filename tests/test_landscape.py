"""PCA, planes through the input space, and the network's landscape over them."""
import numpy as np
import pytest

from core import (FeatureMap, Plane, bounds_of, fit_normaliser, forward, initialise, landscape, landscape_grid,
                  landscape_on, load_seeds, neuron_map, output_change, pca, plane_for, playground, predict)


def correlated_rows(n=300, seed=0):
    rng = np.random.default_rng(seed)
    mix = np.array([[3.0, 1.0, 0.0, 0.5], [0.0, 1.5, 0.2, 0.0], [0.0, 0.0, 0.3, 0.1], [0.0, 0.0, 0.0, 0.05]])
    return rng.normal(size=(n, 4)) @ mix + np.array([10.0, -2.0, 0.5, 100.0])


def test_pca_matches_the_covariance_eigenvectors():
    x = correlated_rows()
    result = pca(x)
    values, vectors = np.linalg.eigh(np.cov(x.T, bias=True))
    top = vectors[:, ::-1][:, :2].T
    for k in range(2):
        assert abs(result.components[k] @ top[k]) == pytest.approx(1.0, abs=1e-10)
    assert np.allclose(result.explained_variance_ratio, values[::-1][:2] / values.sum(), atol=1e-12)
    assert np.allclose(result.mean, x.mean(axis=0))
    assert np.allclose(result.components @ result.components.T, np.eye(2), atol=1e-12)


def test_first_component_explains_at_least_any_single_axis():
    for seed in range(3):
        x = correlated_rows(seed=seed)
        share_of_axes = x.var(axis=0) / x.var(axis=0).sum()
        result = pca(x)
        assert result.explained_variance_ratio[0] >= share_of_axes.max()
        assert result.explained_variance_ratio.sum() >= np.sort(share_of_axes)[-2:].sum()


def test_component_signs_are_deterministic():
    x = correlated_rows()
    for components in (pca(x).components, pca(-x).components, pca(x, standardise=True).components):
        biggest = components[np.arange(2), np.argmax(np.abs(components), axis=1)]
        assert np.all(biggest > 0)
    assert np.allclose(pca(x).components, pca(-x).components)


def test_standardised_pca_is_the_pca_of_z_scores():
    x = correlated_rows()
    z = (x - x.mean(axis=0)) / x.std(axis=0)
    a, b = pca(x, standardise=True), pca(z)
    assert np.allclose(a.components, b.components) and np.allclose(a.explained_variance_ratio, b.explained_variance_ratio)
    assert np.allclose(a.project(x), b.project(z))


def test_pca_refuses_too_little_data():
    with pytest.raises(ValueError, match="at least 2 rows of at least 2 features"):
        pca(np.ones((5, 1)))
    assert np.array_equal(pca(np.ones((5, 3))).explained_variance_ratio, [0.0, 0.0])


@pytest.mark.parametrize("standardise", [False, True])
def test_principal_plane_round_trips(standardise):
    x = correlated_rows()
    components = pca(x, standardise)
    plane = Plane.principal(components)
    points = np.random.default_rng(1).uniform(-5, 5, (50, 2))
    assert np.allclose(plane.from_raw(plane.to_raw(points)), points, atol=1e-10)
    assert np.allclose(plane.to_raw(points), components.lift(points))
    assert np.allclose(plane.from_raw(x), components.project(x))
    assert plane.axis_titles[0].startswith("PC1 (") and "% of variance" in plane.axis_titles[1]


def test_feature_plane_holds_the_other_features_at_their_means():
    means = np.array([1.0, 2.0, 3.0, 4.0])
    plane = Plane.features(3, 1, means, ["a", "b", "c", "d"])
    points = np.array([[10.0, 20.0], [-1.0, 0.5]])
    assert plane.to_raw(points).tolist() == [[1.0, 20.0, 3.0, 10.0], [1.0, 0.5, 3.0, -1.0]]
    assert np.array_equal(plane.from_raw(plane.to_raw(points)), points)
    assert plane.from_raw(np.array([[9.0, 8.0, 7.0, 6.0]])).tolist() == [[6.0, 8.0]]
    assert plane.axis_titles == ("d", "b") and plane.n_features == 4


def test_data_plane_is_the_data_itself():
    plane = Plane.data(["x₁", "x₂"])
    points = np.array([[1.5, -2.0], [0.0, 6.0]])
    assert np.array_equal(plane.to_raw(points), points) and np.array_equal(plane.from_raw(points), points)
    assert plane.kind == "data" and plane.axis_titles == ("x₁", "x₂")
    with pytest.raises(ValueError, match="needs 2-D data, this data has 3 features"):
        Plane.data(["a", "b", "c"])


@pytest.mark.parametrize("i,j", [(0, 0), (0, 4), (-1, 1)])
def test_feature_plane_needs_two_different_features(i, j):
    with pytest.raises(ValueError, match="two different features among 4"):
        Plane.features(i, j, np.zeros(4))


def test_bounds_have_a_five_percent_margin():
    points = np.array([[0.0, -1.0], [10.0, 1.0], [5.0, 0.0]])
    assert bounds_of(points) == ((-0.5, 10.5), (-1.1, 1.1))
    assert bounds_of(np.array([[2.0, 3.0]])) == ((1.0, 3.0), (2.0, 4.0))
    plane = Plane.features(0, 2, np.zeros(3))
    assert plane.bounds(np.array([[0.0, 9.0, -1.0], [10.0, 9.0, 1.0]])) == ((-0.5, 10.5), (-1.1, 1.1))


# --- the landscape ---------------------------------------------------------------------------

def spiral_setup():
    """A 4-8-8-2 softmax network on the spiral with x₁, x₂, x₁², sin x₂, min-max normalised."""
    data = playground.generate("spiral", 200, 0.1, seed=1)
    features = FeatureMap(("x1", "x2", "x1^2", "sin x2"))
    normaliser = fit_normaliser(features.apply(data.features))
    network = initialise([4, 8, 8, 2], activation="tanh", output_activation="softmax", scheme="xavier", seed=3)

    def to_inputs(raw):
        return normaliser.apply(features.apply(raw))

    return data, network, to_inputs


GRID_SPOTS = [(0, 0), (0, 29), (29, 0), (12, 17), (29, 29), (5, 21)]


def test_landscape_equals_forward_on_each_grid_point():
    data, network, to_inputs = spiral_setup()
    view = landscape(network, Plane.data(data.feature_names), ((-6, 6), (-5, 4)), to_inputs, resolution=30)
    assert view.xs.tolist() == np.linspace(-6, 6, 30).tolist() and view.ys.tolist() == np.linspace(-5, 4, 30).tolist()
    assert view.outputs.shape == (30, 30, 2) and [h.shape for h in view.hidden] == [(30, 30, 8), (30, 30, 8)]
    for a, b in GRID_SPOTS:
        row = to_inputs(np.array([[view.xs[b], view.ys[a]]]))[0]
        trace = forward(network, row)
        assert np.array_equal(view.outputs[a, b], trace.output)
        for layer in range(2):
            assert np.array_equal(view.hidden[layer][a, b], trace.outputs[layer])
            assert np.array_equal(neuron_map(view, layer, 5)[a, b], trace.outputs[layer][5])
        assert neuron_map(view, 2, 1)[a, b] == trace.output[1]


def test_neuron_maps_are_the_traces_hidden_outputs():
    data, network, to_inputs = spiral_setup()
    view = landscape(network, Plane.data(), ((-6, 6), (-6, 6)), to_inputs, resolution=20)
    gx, gy = np.meshgrid(view.xs, view.ys)
    trace = forward(network, to_inputs(np.column_stack([gx.ravel(), gy.ravel()])))
    for layer in range(2):
        assert np.array_equal(view.hidden[layer].reshape(-1, 8), trace.outputs[layer])
        for j in (0, 7):
            assert np.array_equal(neuron_map(view, layer, j).ravel(), trace.outputs[layer][:, j])


def test_predicted_class_and_confidence_agree_with_the_outputs():
    data, network, to_inputs = spiral_setup()
    view = landscape(network, Plane.data(), ((-6, 6), (-6, 6)), to_inputs, resolution=25)
    assert view.task == "classification"
    assert np.array_equal(view.predicted, np.argmax(view.outputs, axis=-1))
    assert np.array_equal(view.confidence, np.take_along_axis(view.outputs, view.predicted[..., None], -1)[..., 0])
    assert np.all(view.confidence >= 0.5) and np.all(view.confidence <= 1.0)  # softmax over 2 classes
    gx, gy = np.meshgrid(view.xs, view.ys)
    points = np.column_stack([gx.ravel(), gy.ravel()])
    assert np.array_equal(view.predicted.ravel(), predict(network, to_inputs(points)))
    assert len(np.unique(view.predicted)) == 2


def test_regression_landscape_gives_the_value():
    network = initialise([2, 8, 8, 1], activation="tanh", output_activation="linear", scheme="xavier", seed=2)
    view = landscape(network, Plane.data(), ((-6, 6), (-6, 6)), resolution=10)
    assert view.task == "regression" and view.confidence is None
    assert np.array_equal(view.predicted, view.outputs[..., 0])
    assert view.predicted[3, 7] == forward(network, np.array([view.xs[7], view.ys[3]])).output[0]


def test_landscape_through_a_principal_plane_of_seven_features():
    seeds = load_seeds()
    normaliser = fit_normaliser(seeds.features)
    network = initialise([7, 5, 3], seed=1)
    plane = Plane.principal(pca(seeds.features, standardise=True))
    bounds = plane.bounds(seeds.features)
    view = landscape(network, plane, bounds, normaliser.apply, resolution=15)
    a, b = 4, 11
    raw = plane.to_raw(np.array([[view.xs[b], view.ys[a]]]))
    assert np.array_equal(view.outputs[a, b], forward(network, normaliser.apply(raw)[0]).output)
    on_plane = plane.from_raw(seeds.features)
    assert bounds[0][0] < on_plane[:, 0].min() and on_plane[:, 1].max() < bounds[1][1]


@pytest.mark.parametrize("kwargs,message", [
    ({"resolution": 1}, "resolution must be between 2 and 500, got 1"),
    ({"resolution": 20.5}, "resolution must be between"),
    ({"bounds": ((1, 1), (0, 1))}, "low < high on each axis"),
    ({"bounds": ((0, float("inf")), (0, 1))}, "finite"),
    ({"bounds": (0, 1)}, r"bounds must be \(\(x low, x high\)"),
    ({"task": "regression"}, "a regression network needs 1 output, this one has 2"),
    ({"task": "ranking"}, "unknown task 'ranking'"),
])
def test_bad_landscape_arguments(kwargs, message):
    network = initialise([2, 3, 2], seed=1)
    args = {"bounds": ((-1, 1), (-1, 1)), **kwargs}
    with pytest.raises(ValueError, match=message):
        landscape(network, Plane.data(), **args)


def test_one_output_network_cannot_be_a_classifier():
    with pytest.raises(ValueError, match="a classifier needs one output per class"):
        landscape(initialise([2, 3, 1], seed=1), Plane.data(), ((-1, 1), (-1, 1)), task="classification")


def test_neuron_map_refuses_missing_neurons():
    view = landscape(initialise([2, 3, 2], seed=1), Plane.data(), ((-1, 1), (-1, 1)), resolution=4)
    with pytest.raises(ValueError, match="layers 0 to 1"):
        neuron_map(view, 2, 0)
    with pytest.raises(ValueError, match="layer 0 has 3 neurons, there is no neuron 3"):
        neuron_map(view, 0, 3)


def test_benchmark_reports_a_time():
    from bench.landscape import measure

    result = measure(repeats=3, resolution=10)
    assert result["network"] == "2-8-8-1, tanh" and result["resolution"] == 10
    assert 0 < result["min_ms"] <= result["median_ms"] <= result["max_ms"]


# --- a grid computed once, networks run over it -------------------------------------------------

def test_a_grid_computed_once_gives_the_same_landscape_to_every_network():
    data, network, to_inputs = spiral_setup()
    plane, bounds = Plane.data(), ((-6, 6), (-6, 6))
    where = landscape_grid(plane, bounds, to_inputs, 20)
    for seed in (3, 4):
        net = initialise([4, 8, 8, 2], activation="tanh", output_activation="softmax", scheme="xavier", seed=seed)
        fresh, reused = landscape(net, plane, bounds, to_inputs, 20), landscape_on(net, where)
        for name in ("xs", "ys", "outputs", "predicted", "confidence", "inputs"):
            assert np.array_equal(getattr(fresh, name), getattr(reused, name)), name
    assert where.resolution == 20 and where.inputs.shape == (400, 4)
    a, b = 7, 13  # the input maps: the network's inputs at each point
    assert np.array_equal(reused.inputs[a, b], to_inputs(np.array([[reused.xs[b], reused.ys[a]]]))[0])


def test_plane_for_each_kind():
    seeds = load_seeds()
    assert plane_for(seeds.features, seeds.feature_names).kind == "principal"
    principal = plane_for(seeds.features, seeds.feature_names, "principal", standardise=False)
    assert np.allclose(principal.from_raw(seeds.features), pca(seeds.features).project(seeds.features))
    chosen = plane_for(seeds.features, seeds.feature_names, "features", 2, 5)
    assert chosen.axis_titles == ("compactness", "asymmetry coefficient")
    assert chosen.to_raw(np.array([[0.5, 7.0]]))[0].tolist() == [
        *seeds.features.mean(axis=0)[:2], 0.5, *seeds.features.mean(axis=0)[3:5], 7.0, seeds.features.mean(axis=0)[6]]
    square = playground.generate("xor", 40, 0.0, 1)
    assert plane_for(square.features, square.feature_names).kind == "data"
    with pytest.raises(ValueError, match="unknown plane 'sideways'"):
        plane_for(seeds.features, seeds.feature_names, "sideways")
    with pytest.raises(ValueError, match="at least 2 features"):
        plane_for(np.ones((4, 1)), ["a"])


def test_output_ranges_cover_every_activation():
    from core import OUTPUT_ACTIVATION_NAMES, output_range

    assert [output_range(a) for a in ("sigmoid", "tanh", "softmax")] == [(0, 1), (-1, 1), (0, 1)]
    assert output_range("relu") == (0, np.inf) and output_range("linear") == (-np.inf, np.inf)
    assert all(output_range(a)[0] < output_range(a)[1] for a in OUTPUT_ACTIVATION_NAMES)
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        output_range("swish")


def test_output_change_is_after_minus_before_on_one_grid():
    data, network, to_inputs = spiral_setup()
    other = initialise([4, 8, 8, 2], activation="tanh", output_activation="softmax", scheme="xavier", seed=8)
    where = landscape_grid(Plane.data(), ((-6, 6), (-6, 6)), to_inputs, 12)
    before, after = landscape_on(network, where), landscape_on(other, where)
    change = output_change(before, after)
    a, b = 3, 9
    row = where.inputs[a * 12 + b]
    assert np.array_equal(change[a, b], forward(other, row).output - forward(network, row).output)
    with pytest.raises(ValueError, match="same grid"):
        output_change(before, landscape(other, Plane.data(), ((-5, 5), (-6, 6)), to_inputs, 12))
