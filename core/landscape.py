"""What a network has learnt, seen in the input space: its outputs over a plane of inputs.

A ``Plane`` maps 2-D points p = (p₁, p₂) to raw feature rows: raw = origin + p₁·u + p₂·v. It is
the data's own two features (2-D data), two chosen features with the others held at their means,
or the first two principal components. ``landscape()`` evaluates the network on a grid over the
plane in one batched forward pass, keeping every hidden neuron's map as well.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from .data import TASKS
from .forward import forward
from .network import Network

Array = np.ndarray
Bounds = tuple[tuple[float, float], tuple[float, float]]  # ((x low, x high), (y low, y high))
MAX_RESOLUTION = 500


@dataclass(frozen=True, eq=False)
class PCA:
    """Principal components of (optionally standardised) rows.

    Rows are centred and divided by ``scale`` (1s unless standardised): s = (x − mean) / scale.
    ``components`` (2, d) are the top two right singular vectors of the centred s — the
    eigenvectors of its covariance — each signed so that its largest-|loading| entry is positive.
    ``explained_variance_ratio[k]`` = σ_k² / Σ σ_i².
    """

    mean: Array
    scale: Array
    components: Array
    explained_variance_ratio: Array

    def project(self, rows: Array) -> Array:
        """(n, d) rows → (n, 2) scores: ((x − mean) / scale) · componentsᵀ."""
        return ((np.asarray(rows, dtype=float) - self.mean) / self.scale) @ self.components.T

    def lift(self, points: Array) -> Array:
        """(n, 2) scores → (n, d) rows on the plane: mean + (p · components) · scale."""
        return self.mean + (np.asarray(points, dtype=float) @ self.components) * self.scale


def pca(features: Array, standardise: bool = False) -> PCA:
    """The first two principal components of ``features`` (n, d), by SVD of the centred rows.

    ``standardise`` divides each column by its standard deviation first, so that columns measured
    on large scales (e.g. area next to compactness) do not dominate.
    """
    x = np.asarray(features, dtype=float)
    if x.ndim != 2 or x.shape[0] < 2 or x.shape[1] < 2:
        raise ValueError(f"principal components need at least 2 rows of at least 2 features, got shape {x.shape}")
    mean = x.mean(axis=0)
    scale = x.std(axis=0) if standardise else np.ones(x.shape[1])
    scale = np.where(scale > 0, scale, 1.0)
    _, sigma, vt = np.linalg.svd((x - mean) / scale, full_matrices=False)
    components = vt[:2].copy()
    rows = np.arange(2)
    components *= np.sign(components[rows, np.argmax(np.abs(components), axis=1)])[:, None]
    variance = sigma ** 2
    total = variance.sum()
    ratio = variance[:2] / total if total > 0 else np.zeros(2)
    return PCA(mean, scale, components, ratio)


def bounds_of(points: Array, margin: float = 0.05) -> Bounds:
    """Each axis from min − margin·range to max + margin·range (± 1 where the range is 0)."""
    points = np.asarray(points, dtype=float)
    low, high = points.min(axis=0), points.max(axis=0)
    pad = np.where(high > low, margin * (high - low), 1.0)
    return ((float(low[0] - pad[0]), float(high[0] + pad[0])),
            (float(low[1] - pad[1]), float(high[1] + pad[1])))


@dataclass(frozen=True, eq=False)
class Plane:
    """A plane in the raw feature space: raw = origin + points · basis, points = (raw − origin) · dual.

    ``basis`` is (2, d), ``dual`` (d, 2) with basis · dual = I, so from_raw(to_raw(p)) = p.
    ``kind`` is "data" (the data's own two features), "features" or "principal".
    """

    kind: str
    origin: Array
    basis: Array
    dual: Array
    axis_titles: tuple[str, str]

    @classmethod
    def data(cls, feature_names: Sequence[str] = ("x₁", "x₂")) -> "Plane":
        """The input space of 2-D data itself."""
        if len(feature_names) != 2:
            raise ValueError(f"the data's own plane needs 2-D data, this data has {len(feature_names)} features")
        plane = cls.features(0, 1, np.zeros(2), feature_names)
        return cls("data", plane.origin, plane.basis, plane.dual, plane.axis_titles)

    @classmethod
    def features(cls, i: int, j: int, means: Array, feature_names: Sequence[str] | None = None) -> "Plane":
        """Features i (across) and j (up) vary; every other feature is held at ``means``."""
        means = np.asarray(means, dtype=float)
        d = means.shape[0] if means.ndim == 1 else 0
        if means.ndim != 1 or not np.all(np.isfinite(means)):
            raise ValueError("the means must be one finite number per feature")
        if not (0 <= i < d and 0 <= j < d) or i == j:
            raise ValueError(f"choose two different features among {d}, got {i + 1} and {j + 1}")
        names = list(feature_names) if feature_names is not None else [f"feature {k + 1}" for k in range(d)]
        basis = np.zeros((2, d))
        basis[0, i] = basis[1, j] = 1.0
        origin = means.copy()
        origin[[i, j]] = 0.0
        return cls("features", origin, basis, basis.T.copy(), (names[i], names[j]))

    @classmethod
    def principal(cls, pca: PCA) -> "Plane":
        """The plane of the first two principal components, through the data's mean."""
        titles = tuple(f"PC{k + 1} ({100 * r:.0f} % of variance)" for k, r in enumerate(pca.explained_variance_ratio))
        return cls("principal", pca.mean, pca.components * pca.scale, (pca.components / pca.scale).T, titles)

    @property
    def n_features(self) -> int:
        return int(self.origin.shape[0])

    def to_raw(self, points: Array) -> Array:
        """(n, 2) plane points → (n, d) raw feature rows."""
        return self.origin + np.asarray(points, dtype=float) @ self.basis

    def from_raw(self, rows: Array) -> Array:
        """(n, d) raw rows → (n, 2): where each row falls on the plane (its two chosen features,
        or its principal-component scores)."""
        return (np.asarray(rows, dtype=float) - self.origin) @ self.dual

    def bounds(self, rows: Array, margin: float = 0.05) -> Bounds:
        """Bounds that show all of ``rows`` on the plane, with a ``margin`` share to spare."""
        return bounds_of(self.from_raw(rows), margin)


@dataclass
class Landscape:
    """The network over a resolution × resolution grid of the plane.

    Arrays are indexed [row, column] = [y index, x index], as heatmaps draw them: ``outputs[a, b]``
    is the output at the point (xs[b], ys[a]).
    - ``outputs`` (res, res, n_outputs): the output layer's activations.
    - ``hidden``: one (res, res, neurons) array per hidden layer, each neuron's output.
    - ``predicted`` (res, res): the class index argmaxₖ oₖ for classification, or the output value o₁
      for regression.
    - ``confidence`` (res, res): for classification the largest output maxₖ oₖ — with softmax the
      top class's probability; with sigmoid outputs the top neuron's output in (0, 1) (the outputs
      need not sum to 1); with tanh, relu or linear outputs the raw value. None for regression.
    - ``inputs`` (res, res, n_inputs): what the network was given at each point (its input features,
      normalised), the maps of its input layer.
    """

    xs: Array
    ys: Array
    outputs: Array
    hidden: list[Array]
    predicted: Array
    confidence: Array | None
    task: str = "classification"
    inputs: Array | None = None


def _check_bounds(bounds: Bounds) -> Bounds:
    try:
        (x_low, x_high), (y_low, y_high) = [[float(v) for v in axis] for axis in bounds]
    except (TypeError, ValueError):
        raise ValueError("bounds must be ((x low, x high), (y low, y high))") from None
    if not all(np.isfinite([x_low, x_high, y_low, y_high])) or x_low >= x_high or y_low >= y_high:
        raise ValueError(f"bounds must be finite with low < high on each axis, got "
                         f"({x_low:g}, {x_high:g}), ({y_low:g}, {y_high:g})")
    return (x_low, x_high), (y_low, y_high)


def _task_of(network: Network, task: str | None) -> str:
    task = task or ("regression" if network.n_outputs == 1 else "classification")
    if task not in TASKS:
        raise ValueError(f"unknown task {str(task)[:60]!r}; choose one of {', '.join(TASKS)}")
    if task == "classification" and network.n_outputs < 2:
        raise ValueError("a classifier needs one output per class (at least two); this network has 1 output")
    if task == "regression" and network.n_outputs != 1:
        raise ValueError(f"a regression network needs 1 output, this one has {network.n_outputs}")
    return task


def grid(bounds: Bounds, resolution: int) -> tuple[Array, Array, Array]:
    """xs, ys (resolution evenly spaced values each) and the (resolution², 2) points, y-major."""
    (x_low, x_high), (y_low, y_high) = _check_bounds(bounds)
    whole = isinstance(resolution, (int, np.integer)) and not isinstance(resolution, bool)
    if not whole or not 2 <= resolution <= MAX_RESOLUTION:
        raise ValueError(f"resolution must be between 2 and {MAX_RESOLUTION}, got {str(resolution)[:60]}")
    xs, ys = np.linspace(x_low, x_high, resolution), np.linspace(y_low, y_high, resolution)
    gx, gy = np.meshgrid(xs, ys)
    return xs, ys, np.column_stack([gx.ravel(), gy.ravel()])


@dataclass(frozen=True, eq=False)
class Grid:
    """The grid points of a landscape and the network's inputs there: ``inputs`` (res², n_inputs),
    y-major, is to_inputs(plane.to_raw(points)) — the same for every network on the same data."""

    xs: Array
    ys: Array
    inputs: Array

    @property
    def resolution(self) -> int:
        return int(self.xs.shape[0])


def landscape_grid(plane: Plane, bounds: Bounds, to_inputs: Callable[[Array], Array] | None = None,
                   resolution: int = 50) -> Grid:
    """A resolution × resolution grid over ``bounds`` of ``plane``, turned into network inputs.

    ``to_inputs`` turns raw feature rows into the network's inputs (e.g. a feature map, then a
    normaliser); by default they are used as they are.
    """
    xs, ys, points = grid(bounds, resolution)
    raw = plane.to_raw(points)
    return Grid(xs, ys, raw if to_inputs is None else np.asarray(to_inputs(raw), dtype=float))


def landscape_on(network: Network, where: Grid, task: str | None = None) -> Landscape:
    """The network's outputs on the points of ``where``, in one batched forward pass. ``task``
    defaults to regression for a network with one output, classification otherwise."""
    task = _task_of(network, task)
    trace = forward(network, where.inputs)
    shape = (where.resolution, where.resolution)
    outputs = trace.output.reshape(shape + (-1,))
    hidden = [out.reshape(shape + (-1,)) for out in trace.outputs[:-1]]
    inputs = where.inputs.reshape(shape + (-1,))
    if task == "regression":
        return Landscape(where.xs, where.ys, outputs, hidden, outputs[..., 0].copy(), None, task, inputs)
    return Landscape(where.xs, where.ys, outputs, hidden, np.argmax(outputs, axis=-1), outputs.max(axis=-1),
                     task, inputs)


def landscape(network: Network, plane: Plane, bounds: Bounds,
              to_inputs: Callable[[Array], Array] | None = None, resolution: int = 50,
              task: str | None = None) -> Landscape:
    """The network's outputs over ``bounds`` of ``plane``: ``landscape_on`` a fresh ``landscape_grid``."""
    task = _task_of(network, task)
    return landscape_on(network, landscape_grid(plane, bounds, to_inputs, resolution), task)


def output_change(before: Landscape, after: Landscape) -> Array:
    """(res, res, n_outputs): after.outputs − before.outputs — how the output moved at every point of
    the same grid, e.g. from one update of the weights."""
    if (before.outputs.shape != after.outputs.shape or not np.array_equal(before.xs, after.xs)
            or not np.array_equal(before.ys, after.ys)):
        raise ValueError("the two landscapes must cover the same grid with the same outputs")
    return after.outputs - before.outputs


PLANE_KINDS: tuple[str, ...] = ("data", "features", "principal")


def plane_for(features: Array, feature_names: Sequence[str], kind: str = "auto", i: int = 0, j: int = 1,
              standardise: bool = True) -> Plane:
    """The plane to see ``features`` (n, d) through: "data" (2-D data itself), "features" (columns i
    and j vary, the others held at their means over the rows), "principal" (the first two principal
    components, of the standardised columns if ``standardise``). "auto": "data" for 2-D data,
    "principal" otherwise."""
    x = np.asarray(features, dtype=float)
    if x.ndim != 2 or x.shape[0] < 1 or x.shape[1] < 2:
        raise ValueError(f"a plane needs rows of at least 2 features, got shape {x.shape}")
    if kind == "auto":
        kind = "data" if x.shape[1] == 2 else "principal"
    if kind == "data":
        return Plane.data(feature_names)
    if kind == "features":
        return Plane.features(i, j, x.mean(axis=0), feature_names)
    if kind == "principal":
        return Plane.principal(pca(x, standardise))
    raise ValueError(f"unknown plane {str(kind)[:60]!r}; choose one of auto, {', '.join(PLANE_KINDS)}")


def neuron_map(view: Landscape, layer: int, j: int) -> Array:
    """(res, res) output of neuron j of layer ``layer`` (0-based, as network.weights: the last is
    the output layer)."""
    maps = view.hidden + [view.outputs]
    if not 0 <= layer < len(maps):
        raise ValueError(f"layer {layer} does not exist; the network has layers 0 to {len(maps) - 1}")
    if not 0 <= j < maps[layer].shape[-1]:
        raise ValueError(f"layer {layer} has {maps[layer].shape[-1]} neurons, there is no neuron {j}")
    return maps[layer][..., j]
