"""Gradient check: every backpropagated ∂E/∂w against a central finite difference.

E is the loss that backward() differentiates, plus the weight penalty:

    E = ½·Σ_j (o_j − t_j)²   (the tutorial's squared error; its gradient is exactly δ_j · x_i)
    E = −Σ_j t_j · ln p_j    (cross-entropy, for a softmax output)
    E_total = mean of E over the rows + λ₁·Σ|w| + (λ₂/2)·Σw²   (biases are never penalised)

and the estimate for one weight is the central difference (E(w + ε) − E(w − ε)) / 2ε.

The relative error of a row is |a − b| / max(|a|, |b|, 1e-12) for the backprop value a and the
estimate b. A row passes if that is at most ``tol`` (1e-6), or — where no finite difference can do
better — if it is excused:

* rounding: E is only known to its rounding error, about ε_mach·S with S = |E| + Σ_j |∂E/∂z_j|·
  (|b_j| + Σ_i |w_ji·x_i|) + … (the sizes the forward pass adds up, weighted by how much E feels
  them), so the estimate carries an absolute error of about ε_mach·S/ε (≈ 1e-10 for a small network
  with ε = 1e-6). A tiny gradient (≲ 1e-4) cannot be checked to 1e-6 relative; it passes if
  |a − b| ≤ ``noise`` = ROUNDING·ε_mach·S/ε, which the report prints.
* kinks: relu has no derivative at z = 0 and |w| none at w = 0. If moving the weight by ±ε moves
  a relu neuron's z across 0 (or onto it), or l1 > 0 and |w| < ε, the difference quotient is not a
  derivative; the row is marked with the reason and not held to the tolerance.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .backward import Gradients, backward
from .forward import ForwardTrace, forward
from .losses import loss_value
from .names import check_weight_index, is_bias, weight_name
from .network import Network
from .regularisation import penalty, penalty_gradient

Array = np.ndarray

#: How many ε_mach·S the rounding of E may amount to: on 2,400 random networks (every activation,
#: softmax or not, inputs up to ±10, weights up to ×5) |backprop − numeric|·ε/(ε_mach·S) stayed
#: below 0.85; 8 leaves a margin.
ROUNDING = 8.0
TOLERANCE = 1e-6
CLIP = 1e-300  # core.losses.cross_entropy takes ln max(p, 1e-300)


def _loss(network: Network, trace: ForwardTrace, t: Array, l1: float, l2: float) -> float:
    per_row = loss_value(network.loss, trace.output, t)
    scale = 0.5 if network.loss == "sse" else 1.0  # ½·Σ(o − t)²: the loss whose gradient is δ·x
    return scale * float(np.mean(per_row)) + penalty(network.weights, l1, l2)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def as_sample(network: Network, x: Sequence[float] | Array, t: Sequence[float] | Array) -> tuple[Array, Array]:
    """x and t as float arrays: one row (1-D) or many (2-D), checked against the network's sizes."""
    x, t = np.asarray(x, dtype=float), np.asarray(t, dtype=float)
    if x.ndim not in (1, 2) or x.shape[-1] != network.n_inputs:
        size = _count(x.shape[-1], "value") if x.ndim == 1 else f"shape {x.shape}"
        raise ValueError(f"the network takes {network.n_inputs} inputs, the input has {size}")
    if t.shape != x.shape[:-1] + (network.n_outputs,):
        size = _count(t.shape[-1], "value") if t.ndim == 1 else f"shape {t.shape}"
        raise ValueError(f"the network has {network.n_outputs} outputs, the target has {size}")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(t))):
        raise ValueError("the input and the target must be finite numbers")
    return x, t


def objective(network: Network, x: Sequence[float] | Array, t: Sequence[float] | Array,
              l1: float = 0.0, l2: float = 0.0) -> float:
    """E = ½·Σ(o − t)² or −Σ t·ln p (the mean over rows if x is 2-D) + λ₁·Σ|w| + (λ₂/2)·Σw²."""
    x, t = as_sample(network, x, t)
    return _loss(network, forward(network, x), t, l1, l2)


def _kink(network: Network, t: Array, base: ForwardTrace, moved: Sequence[ForwardTrace]) -> str:
    """Why E has no derivative between the moved weights: a relu z reaching or crossing 0, or a
    softmax probability so small that the cross-entropy is clipped ("" if neither)."""
    for l, z in enumerate(base.weighted_sums):
        if network.activation_of(l) != "relu":
            continue
        side = np.sign(z)
        if any(np.any(np.sign(m.weighted_sums[l]) != side) for m in moved):
            return "relu kink: a z crosses 0 within ±eps"
    if network.loss == "cross_entropy":
        if any(np.any((t > 0) & (trace.output <= CLIP)) for trace in (base, *moved)):
            return "cross-entropy clipped: a target's p ≤ 1e-300"
    return ""


def objective_along(network: Network, x: Array, t: Array, layer: int, j: int, i: int,
                    values: Sequence[float], l1: float = 0.0, l2: float = 0.0) -> tuple[Array, list[ForwardTrace]]:
    """E with w_ji of ``layer`` set to each of ``values`` (every other weight as it is), and the
    forward traces; on a copy — ``network`` is not changed."""
    check_weight_index(network, layer, j, i)
    x, t = as_sample(network, x, t)
    moved = network.copy()
    table = moved.weights[layer - 1]
    losses, traces = [], []
    for value in values:
        table[j, i] = value
        traces.append(forward(moved, x))
        losses.append(_loss(moved, traces[-1], t, l1, l2))
    return np.array(losses, dtype=float), traces


def central_difference(network: Network, x: Array, t: Array, layer: int, j: int, i: int, eps: float,
                        l1: float, l2: float, base: ForwardTrace | None = None) -> tuple[float, str]:
    """(E(w + ε) − E(w − ε)) / (w⁺ − w⁻), and why it is no derivative ("" if it is one)."""
    if not (np.isfinite(eps) and eps > 0):
        raise ValueError(f"the finite-difference step must be a number > 0, got {eps!r}")
    check_weight_index(network, layer, j, i)
    w = float(network.weights[layer - 1][j, i])
    (plus, minus), traces = objective_along(network, x, t, layer, j, i, (w + eps, w - eps), l1, l2)
    step = (w + eps) - (w - eps)  # the step the floating-point weights really took
    kink = _kink(network, t, base if base is not None else forward(network, x), traces)
    if not kink and l1 and not is_bias(network, layer, i) and abs(w) < eps:
        kink = "l1 kink: |w| < eps"
    return float(plus - minus) / step, kink


def _rounding(network: Network, trace: ForwardTrace, gradients: Gradients, target: Array, loss: float) -> float:
    """First-order size of the rounding error in E: ε_mach · (|E| + Σ_j |∂E/∂z_j|·(|b_j| + Σ_i |w_ji·x_i|)
    + Σ_j |e_j|·|o_j| [+ Σ_j t_j for cross-entropy]), with ∂E/∂z_j = δ_j and e_j = backward's error
    (mean over rows)."""
    total = abs(loss)
    if network.loss == "cross_entropy":  # ln p_j with p_j rounded by ε_mach·p_j: t_j·ε_mach each
        total += float(np.sum(target)) / (1 if target.ndim == 1 else target.shape[0])
    for w, x, delta, error, out in zip(network.weights, trace.inputs, gradients.deltas, gradients.errors,
                                       trace.outputs):
        size = np.abs(x) @ np.abs(w[:, :-1]).T + np.abs(w[:, -1])
        rows = 1 if delta.ndim == 1 else delta.shape[0]
        total += float(np.sum(np.abs(delta) * size) + np.sum(np.abs(error * out))) / rows
    return np.finfo(float).eps * total


def numerical_gradient(network: Network, x: Sequence[float] | Array, t: Sequence[float] | Array,
                       layer: int, j: int, i: int, eps: float = 1e-6, l1: float = 0.0,
                       l2: float = 0.0) -> float:
    """∂E/∂w_ji of ``layer`` (1 = first hidden layer; i = number of inputs for the bias) estimated
    as (E(w + ε) − E(w − ε)) / 2ε; ``network`` is not changed."""
    x, t = as_sample(network, x, t)
    return central_difference(network, x, t, layer, j, i, eps, l1, l2)[0]


def relative_error(a: float, b: float) -> float:
    """|a − b| / max(|a|, |b|, 1e-12)."""
    return abs(a - b) / max(abs(a), abs(b), 1e-12)


@dataclass(frozen=True)
class GradientRow:
    """One weight: backprop's ∂E/∂w, the central difference, and how far apart they are."""

    layer: int  # 1 = first hidden layer
    neuron: int  # j, from 0
    input: int  # i, from 0; the number of inputs of the layer for the bias
    name: str  # e.g. "w[1] kernel length → hidden 1·2"
    backprop: float
    numeric: float
    relative_error: float
    kink: str = ""  # why the difference quotient is no derivative here ("" if it is one)

    @property
    def difference(self) -> float:
        return abs(self.backprop - self.numeric)


@dataclass(frozen=True)
class GradientCheck:
    """Every weight's row, worst relative error first; ``noise`` is the absolute rounding floor."""

    rows: tuple[GradientRow, ...]
    loss: float
    eps: float
    noise: float

    @property
    def worst(self) -> GradientRow:
        return self.rows[0]

    @property
    def max_relative_error(self) -> float:
        return self.rows[0].relative_error

    def row_passes(self, row: GradientRow, tol: float = TOLERANCE) -> bool:
        """Within ``tol`` relative, within the rounding floor absolute, or at a kink."""
        return row.relative_error <= tol or row.difference <= self.noise or bool(row.kink)

    def failures(self, tol: float = TOLERANCE) -> list[GradientRow]:
        return [row for row in self.rows if not self.row_passes(row, tol)]

    def passed(self, tol: float = TOLERANCE) -> bool:
        return not self.failures(tol)


def gradient_check(network: Network, x: Sequence[float] | Array, t: Sequence[float] | Array,
                   l1: float = 0.0, l2: float = 0.0, eps: float = 1e-6,
                   feature_names: Sequence[str] | None = None,
                   class_names: Sequence[str] | None = None) -> GradientCheck:
    """Backprop's gradient (core.backward + the penalty's) against the central difference, for every
    weight and bias; rows sorted worst relative error first."""
    x, t = as_sample(network, x, t)
    trace = forward(network, x)
    gradients = backward(network, trace, t)
    grads = gradients.weight_gradients
    rows = []
    for l, w in enumerate(network.weights, start=1):
        analytic = grads[l - 1] + penalty_gradient(w, l1, l2) if (l1 or l2) else grads[l - 1]
        for j, i in np.ndindex(w.shape):
            numeric, kink = central_difference(network, x, t, l, j, i, eps, l1, l2, trace)
            a = float(analytic[j, i])
            rows.append(GradientRow(l, j, i, weight_name(network, l, j, i, feature_names, class_names), a,
                                    numeric, relative_error(a, numeric), kink))
    rows.sort(key=lambda r: (-np.nan_to_num(r.relative_error, nan=np.inf), r.layer, r.neuron, r.input))
    loss = _loss(network, trace, t, l1, l2)
    noise = ROUNDING * _rounding(network, trace, gradients, t, loss) / eps
    return GradientCheck(tuple(rows), loss, eps, noise)


def format_report(check: GradientCheck, limit: int = 20, tol: float = TOLERANCE) -> str:
    """Plain text, worst first: one line per weight (at most ``limit``), then the verdict."""
    shown = check.rows[:limit]
    width = max([len("weight")] + [len(r.name) for r in shown])
    lines = [f"Gradient check: {len(check.rows)} weights and biases, E = {check.loss!r}, eps = {check.eps!r}",
             f"{'weight':<{width}}  {'backprop':>24}  {'finite difference':>24}  {'relative error':>14}"]
    for r in shown:
        note = "" if check.row_passes(r, tol) else "  FAIL"
        if r.kink:
            note = f"  ({r.kink})"
        elif r.relative_error > tol and r.difference <= check.noise:
            note = "  (within rounding noise)"
        lines.append(f"{r.name:<{width}}  {r.backprop!r:>24}  {r.numeric!r:>24}  {r.relative_error:>14.3e}{note}")
    if len(check.rows) > limit:
        lines.append(f"… {len(check.rows) - limit} more, all with smaller relative errors")
    failures = check.failures(tol)
    lines.append(f"Tolerance: relative error ≤ {tol:g}, or |backprop − finite difference| ≤ {check.noise:.3g} "
                 f"(the rounding noise of E, {ROUNDING:g}·ε_mach·S/eps), or a kink within ±eps")
    lines.append(f"PASSED: worst relative error {check.max_relative_error:.3e}" if not failures else
                 f"FAILED: {len(failures)} of {len(check.rows)} outside the tolerance")
    return "\n".join(lines)
