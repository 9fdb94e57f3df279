"""Two-dimensional toy data in the style of TensorFlow Playground, drawn from a seed.

Every point lies in Playground's square [−6, 6] × [−6, 6]. Classification kinds put the same
number of points (±1) in each class, by construction; regression kinds draw the points uniformly
and give each a target in [−1, 1]. ``noise`` (0–0.5) is a share of the data's scale added as
Gaussian noise: σ = noise · 5 on the coordinates (the shapes fill a radius of about 5), or
σ = noise · 1 on a regression target. Points pushed past the square's edge are folded back in.

The shape and the noise come from two separate streams of the seed, so for one seed, changing the
noise only moves the same points further from where they were.
"""
from __future__ import annotations

import math
import operator
from typing import Callable

import numpy as np

from .data import Dataset

KINDS: tuple[str, ...] = ("circle", "xor", "gaussians", "spiral", "blobs")
REGRESSION_KINDS: tuple[str, ...] = ("plane", "bump")
DOMAIN: tuple[float, float] = (-6.0, 6.0)
FEATURE_NAMES = ["x₁", "x₂"]
RADIUS = 5.0  # the classification shapes fill a disc or square of about this half-width
MIN_POINTS, MAX_POINTS = 10, 2000
MAX_NOISE = 0.5

Array = np.ndarray
Rng = np.random.Generator

TITLES = {"circle": "Circle", "xor": "XOR", "gaussians": "Two Gaussians", "spiral": "Spiral",
          "blobs": "Three blobs", "plane": "Plane", "bump": "Bump"}

CLASS_NAMES = {"circle": ["inside", "outside"],
               "xor": ["same signs", "opposite signs"],
               "gaussians": ["lower left", "upper right"],
               "spiral": ["spiral A", "spiral B"],
               "blobs": ["top", "lower left", "lower right"]}

DESCRIPTIONS = {
    "circle": "A disc of one class inside a ring of the other: no straight line can separate them.",
    "xor": "Four squares where opposite corners share a class (x₁·x₂ > 0 or < 0): the classic XOR problem.",
    "gaussians": "Two round clouds, lower left and upper right: one straight line separates them.",
    "spiral": "Two spirals wound round each other: the hardest shape here, it needs several layers "
              "or sine features.",
    "blobs": "Three round clouds around the centre: three classes, each cut off from the others by "
             "straight lines.",
    "plane": "A target that rises evenly from the lower-left corner to the upper-right: "
             "t = (x₁ + x₂) / 12.",
    "bump": "A target that is a hill at the centre, falling to −1 far away: "
            "t = 2·exp(−(x₁² + x₂²) / 18) − 1.",
}


def class_sizes(n_points: int, n_classes: int) -> list[int]:
    """Balanced class sizes: n // k each, the first n mod k classes one more."""
    return [n_points // n_classes + (c < n_points % n_classes) for c in range(n_classes)]


def _polar(radius: Array, angle: Array) -> Array:
    """(r sin θ, r cos θ), Playground's way round."""
    return np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])


def _circle(rng: Rng, sizes: list[int]) -> list[Array]:
    """Inside: r ~ U(0, 2.5); outside: r ~ U(3.5, 5); angle ~ U(0, 2π)."""
    inside = _polar(rng.uniform(0.0, 0.5 * RADIUS, sizes[0]), rng.uniform(0.0, 2 * math.pi, sizes[0]))
    outside = _polar(rng.uniform(0.7 * RADIUS, RADIUS, sizes[1]), rng.uniform(0.0, 2 * math.pi, sizes[1]))
    return [inside, outside]


def _xor(rng: Rng, sizes: list[int]) -> list[Array]:
    """|x₁|, |x₂| ~ U(0.3, 5); same signs (quadrants 1, 3) or opposite signs (quadrants 2, 4)."""
    groups = []
    for cls, n in enumerate(sizes):
        size = rng.uniform(0.3, RADIUS, (n, 2))
        sign = rng.choice([-1.0, 1.0], n)
        groups.append(size * np.column_stack([sign, sign if cls == 0 else -sign]))
    return groups


def _clouds(rng: Rng, sizes: list[int], centres: Array) -> list[Array]:
    """Gaussian clouds, σ = 1, around ``centres``."""
    return [centre + rng.normal(0.0, 1.0, (n, 2)) for centre, n in zip(centres, sizes)]


def _gaussians(rng: Rng, sizes: list[int]) -> list[Array]:
    return _clouds(rng, sizes, np.array([[-2.0, -2.0], [2.0, 2.0]]))


def _blobs(rng: Rng, sizes: list[int]) -> list[Array]:
    """Three clouds on a circle of radius 3.5, at 0°, 120° and 240° from the top."""
    angles = np.deg2rad([0.0, 240.0, 120.0])  # top, lower left, lower right
    return _clouds(rng, sizes, _polar(np.full(3, 3.5), angles))


def _spiral(rng: Rng, sizes: list[int]) -> list[Array]:
    """u ~ U(0, 1): r = 5u, θ = 1.75 · 2π · u + δ, with δ = 0 for spiral A and π for spiral B."""
    groups = []
    for cls, n in enumerate(sizes):
        u = rng.uniform(0.0, 1.0, n)
        groups.append(_polar(RADIUS * u, 1.75 * 2 * math.pi * u + cls * math.pi))
    return groups


SHAPES: dict[str, Callable[[Rng, list[int]], list[Array]]] = {
    "circle": _circle, "xor": _xor, "gaussians": _gaussians, "spiral": _spiral, "blobs": _blobs}


def plane_target(points: Array) -> Array:
    """t = (x₁ + x₂) / 12, in [−1, 1] on the domain."""
    return (points[:, 0] + points[:, 1]) / 12.0


def bump_target(points: Array) -> Array:
    """t = 2 · exp(−(x₁² + x₂²) / 18) − 1: 1 at the centre, about −0.96 in the corners."""
    return 2.0 * np.exp(-(points[:, 0] ** 2 + points[:, 1] ** 2) / 18.0) - 1.0


TARGETS: dict[str, Callable[[Array], Array]] = {"plane": plane_target, "bump": bump_target}


def fold_into_domain(values: Array) -> Array:
    """Reflect values off the domain's edges (as a mirror would) until they lie inside it."""
    low, high = DOMAIN
    width = high - low
    t = np.mod(values - low, 2 * width)
    return low + np.where(t > width, 2 * width - t, t)


def _unknown_kind(kind: object) -> ValueError:
    return ValueError(f"unknown data kind {str(kind)[:60]!r}; choose one of {', '.join(KINDS + REGRESSION_KINDS)}")


def _check(kind: str, n_points: int, noise: float, seed: int) -> tuple[int, float, int]:
    if kind not in KINDS + REGRESSION_KINDS:
        raise _unknown_kind(kind)
    try:
        n_points, seed = operator.index(n_points), operator.index(seed)
        noise = float(noise)
    except (TypeError, ValueError):
        raise ValueError("n_points and seed must be whole numbers and noise a number") from None
    if not MIN_POINTS <= n_points <= MAX_POINTS:
        raise ValueError(f"n_points must be between {MIN_POINTS} and {MAX_POINTS}, got {n_points}")
    if not 0.0 <= noise <= MAX_NOISE:
        raise ValueError(f"noise must be between 0 and {MAX_NOISE} (0–50 %), got {noise}")
    if seed < 0:
        raise ValueError(f"seed must be a whole number ≥ 0, got {seed}")
    return n_points, noise, seed


def dataset_name(kind: str, n_points: int, noise: float, seed: int) -> str:
    """E.g. "Spiral (200 points, noise 10 %, seed 1)"."""
    return f"{TITLES[kind]} ({n_points} points, noise {round(noise * 100, 1):g} %, seed {seed})"


def generate(kind: str, n_points: int = 200, noise: float = 0.0, seed: int = 1) -> Dataset:
    """``n_points`` points of data ``kind`` (see ``KINDS``, ``REGRESSION_KINDS``), rows shuffled."""
    n_points, noise, seed = _check(kind, n_points, noise, seed)
    shape_rng, noise_rng = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
    name = dataset_name(kind, n_points, noise, seed)
    if kind in REGRESSION_KINDS:
        points = shape_rng.uniform(*DOMAIN, (n_points, 2))
        target = TARGETS[kind](points) + noise * noise_rng.standard_normal(n_points)
        return Dataset(points, target, list(FEATURE_NAMES), [], name, task="regression")
    names = CLASS_NAMES[kind]
    groups = SHAPES[kind](shape_rng, class_sizes(n_points, len(names)))
    points = np.concatenate(groups)
    labels = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
    order = shape_rng.permutation(n_points)
    points = fold_into_domain(points + noise * RADIUS * noise_rng.standard_normal(points.shape))
    return Dataset(points[order], labels[order], list(FEATURE_NAMES), list(names), name)


def describe(kind: str) -> str:
    """One line in plain words on what data ``kind`` looks like."""
    try:
        return DESCRIPTIONS[kind]
    except KeyError:
        raise _unknown_kind(kind) from None
