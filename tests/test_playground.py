"""Playground's toy data generators and input features."""
import math

import numpy as np
import pytest

from core import FEATURES, FeatureMap, playground
from core.playground import KINDS, REGRESSION_KINDS, describe, generate

ALL_KINDS = KINDS + REGRESSION_KINDS


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_same_seed_same_data_other_seed_other_data(kind):
    a, b, c = generate(kind, 150, 0.2, seed=4), generate(kind, 150, 0.2, seed=4), generate(kind, 150, 0.2, seed=5)
    assert np.array_equal(a.features, b.features) and np.array_equal(a.labels, b.labels)
    assert not np.allclose(a.features, c.features)
    assert not np.allclose(generate(kind, 150, 0.0, 4).features, generate(kind, 150, 0.0, 5).features)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n_points", [10, 101, 200])
def test_classes_are_balanced_and_points_in_the_domain(kind, n_points):
    d = generate(kind, n_points, noise=0.5, seed=2)
    assert d.task == "classification" and d.n_rows == n_points and d.feature_names == ["x₁", "x₂"]
    counts = d.class_counts()
    assert counts.sum() == n_points and counts.max() - counts.min() <= 1
    assert d.n_classes == (3 if kind == "blobs" else 2) and all(d.class_names)
    assert d.features.min() >= -6.0 and d.features.max() <= 6.0
    assert d.labels.dtype.kind == "i"


def test_rows_are_shuffled_not_sorted_by_class():
    labels = generate("circle", 200, 0.0, 1).labels
    assert np.count_nonzero(np.diff(labels)) > 20


@pytest.mark.parametrize("kind", KINDS)
def test_noise_only_moves_the_same_points_further(kind):
    clean = generate(kind, 300, 0.0, seed=7)
    moved = [np.linalg.norm(generate(kind, 300, noise, 7).features - clean.features, axis=1).mean()
             for noise in (0.05, 0.2, 0.5)]
    assert np.array_equal(generate(kind, 300, 0.3, 7).labels, clean.labels)
    assert 0 < moved[0] < moved[1] < moved[2]
    assert moved[0] == pytest.approx(0.05 * 5 * math.sqrt(math.pi / 2), rel=0.1)  # E|N(0, σ²I₂)| = σ√(π/2)


def test_shapes_are_what_their_names_say():
    circle = generate("circle", 400, 0.0, 3)
    radius = np.linalg.norm(circle.features, axis=1)
    assert radius[circle.labels == 0].max() <= 2.5 and radius[circle.labels == 1].min() >= 3.5
    xor = generate("xor", 400, 0.0, 3)
    product = xor.features[:, 0] * xor.features[:, 1]
    assert np.all((product > 0) == (xor.labels == 0))
    assert np.all(np.abs(xor.features) >= 0.3)
    gauss = generate("gaussians", 400, 0.0, 3)
    assert np.allclose(gauss.features[gauss.labels == 1].mean(axis=0), [2, 2], atol=0.3)
    blobs = generate("blobs", 600, 0.0, 3)
    centres = np.array([blobs.features[blobs.labels == c].mean(axis=0) for c in range(3)])
    assert np.allclose(centres, [[0, 3.5], [-3.03, -1.75], [3.03, -1.75]], atol=0.3)
    spiral = generate("spiral", 400, 0.0, 3)
    a = spiral.features[spiral.labels == 0]
    assert np.allclose(np.linalg.norm(a, axis=1) / 5 * 3.5 * math.pi % (2 * math.pi),
                       np.arctan2(a[:, 0], a[:, 1]) % (2 * math.pi), atol=1e-9)
    b = spiral.features[spiral.labels == 1]
    assert np.allclose(np.linalg.norm(b, axis=1) / 5 * 3.5 * math.pi % (2 * math.pi),
                       (np.arctan2(b[:, 0], b[:, 1]) - math.pi) % (2 * math.pi), atol=1e-9)


def test_regression_targets():
    plane = generate("plane", 300, 0.0, 1)
    assert plane.task == "regression" and plane.class_names == [] and plane.n_outputs == 1
    assert np.allclose(plane.labels, plane.features.sum(axis=1) / 12)
    assert plane.targets().shape == (300, 1)
    bump = generate("bump", 300, 0.0, 1)
    r2 = (bump.features ** 2).sum(axis=1)
    assert np.allclose(bump.labels, 2 * np.exp(-r2 / 18) - 1)
    assert bump.labels.min() >= -1 and bump.labels.max() <= 1 and np.ptp(bump.labels) > 1.5
    noisy = generate("bump", 300, 0.3, 1)
    assert np.array_equal(noisy.features, bump.features)
    assert np.std(noisy.labels - bump.labels) == pytest.approx(0.3, rel=0.2)


def test_name_and_descriptions():
    assert generate("spiral", 200, 0.1, 1).name == "Spiral (200 points, noise 10 %, seed 1)"
    assert generate("xor", 50, 0.125, 9).name == "XOR (50 points, noise 12.5 %, seed 9)"
    for kind in ALL_KINDS:
        text = describe(kind)
        assert text and "\n" not in text and len(text) < 140
    with pytest.raises(ValueError, match="unknown data kind 'moons'"):
        describe("moons")


@pytest.mark.parametrize("kwargs,message", [
    ({"kind": "moons"}, "unknown data kind 'moons'; choose one of circle"),
    ({"kind": "circle", "n_points": 9}, "n_points must be between 10 and 2000, got 9"),
    ({"kind": "circle", "n_points": 2001}, "got 2001"),
    ({"kind": "circle", "n_points": 20.5}, "whole numbers"),
    ({"kind": "circle", "noise": 0.6}, "noise must be between 0 and 0.5"),
    ({"kind": "circle", "noise": -0.1}, "noise must be between"),
    ({"kind": "circle", "noise": float("nan")}, "noise must be between"),
    ({"kind": "plane", "noise": "lots"}, "noise a number"),
    ({"kind": "circle", "seed": -1}, "seed must be a whole number"),
])
def test_bad_arguments_are_refused_in_one_line(kwargs, message):
    with pytest.raises(ValueError, match=message) as err:
        generate(**kwargs)
    assert "\n" not in str(err.value)


def test_fold_into_domain_mirrors_at_the_edges():
    assert playground.fold_into_domain(np.array([7.0, -6.5, 19.0, 3.0])).tolist() == [5.0, -5.5, -5.0, 3.0]


# --- input features --------------------------------------------------------------------------

def test_every_feature_by_hand():
    raw = np.array([[1.0, 2.0], [-3.0, 0.5], [0.0, -2.0]])
    out = FeatureMap(FEATURES).apply(raw)
    assert out.shape == (3, 7)
    assert out[0].tolist() == [1.0, 2.0, 1.0, 4.0, 2.0, math.sin(1.0), math.sin(2.0)]
    assert out[1].tolist() == [-3.0, 0.5, 9.0, 0.25, -1.5, math.sin(-3.0), math.sin(0.5)]
    assert out[2].tolist() == [0.0, -2.0, 0.0, 4.0, -0.0, 0.0, math.sin(-2.0)]


def test_features_come_in_the_chosen_order():
    fm = FeatureMap(("sin x2", "x1*x2", "x1"))
    assert fm.apply(np.array([[2.0, 3.0]])).tolist() == [[math.sin(3.0), 6.0, 2.0]]
    assert fm.names == ["sin x₂", "x₁·x₂", "x₁"]
    assert [fm.latex(i) for i in range(3)] == [r"\sin x_2", "x_1 x_2", "x_1"]
    assert len(fm) == 3 and fm.n_columns == 2 and not fm.is_identity


def test_names_latex_and_explanations():
    fm = FeatureMap(FEATURES)
    assert fm.names == ["x₁", "x₂", "x₁²", "x₂²", "x₁·x₂", "sin x₁", "sin x₂"]
    assert fm.latex(2) == "x_1^2" and fm.latex(5) == r"\sin x_1"
    assert fm.explain(2) == "x₁ squared: lets one neuron draw a boundary that bends"
    sentences = [fm.explain(i) for i in range(len(fm))]
    assert len(set(sentences)) == len(sentences) and all("\n" not in s for s in sentences)


def test_identity_passes_any_number_of_columns_through():
    raw = np.arange(21.0).reshape(3, 7)
    fm = FeatureMap.identity(7)
    assert fm.is_identity and fm.n_columns == 7
    assert np.array_equal(fm.apply(raw), raw)
    assert fm.names[6] == "x₇" and FeatureMap.identity(12).latex(11) == "x_{12}"
    assert FeatureMap.identity(2) == FeatureMap(("x1", "x2"))
    with pytest.raises(ValueError, match="rows of 7 raw values"):
        fm.apply(raw[:, :6])


@pytest.mark.parametrize("ids,message", [
    ((), "at least one input feature"),
    (("x1", "cos x1"), "unknown input feature 'cos x1'; choose from x1, x2, x1\\^2"),
    (("x1", "x0"), "unknown input feature 'x0'"),
    (("x1^2", "x2", "x1^2"), "'x1\\^2' is chosen twice"),
])
def test_bad_feature_choices_are_refused(ids, message):
    with pytest.raises(ValueError, match=message):
        FeatureMap(ids)


def test_derived_features_need_2d_rows():
    with pytest.raises(ValueError, match="rows of 2 raw values"):
        FeatureMap(("x1^2",)).apply(np.ones((4, 1)))
