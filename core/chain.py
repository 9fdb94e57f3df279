"""The chain rule in numbers: why one weight's gradient is what it is, factor by factor.

For weight w_ji of layer l (neuron j, input i; i = the number of inputs for the bias) on one sample:

    ∂E/∂w_ji = ∂E/∂o_j · ∂o_j/∂z_j · ∂z_j/∂w_ji = δ_j · x_i

    output neuron:  ∂E/∂o_j = o_j − t_j                 (E = ½·Σ(o − t)²)
    hidden neuron:  ∂E/∂o_j = Σ_k w_kj · δ_k            (k over the next layer)
    ∂o_j/∂z_j = f′(o_j),  δ_j = ∂E/∂o_j · f′(o_j),  ∂z_j/∂w_ji = x_i  (1 for the bias)
    softmax output with cross-entropy: δ_j = ∂E/∂z_j = p_j − t_j directly

plus λ₁·sign(w) + λ₂·w with a weight penalty, then the update w ← w − η·∂E/∂w.

Every number is read from core.forward, core.backward, core.update and core.regularisation (the
derivatives f′ from the same function backward() uses), never recomputed another way; the
finite-difference check comes from core.gradcheck.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .activations import get_activation
from .backward import Gradients, backward
from .forward import ForwardTrace, forward
from .gradcheck import as_sample, central_difference, objective_along, relative_error
from .names import check_weight_index, is_bias, node_name, weight_name
from .network import Network
from .regularisation import penalty_gradient
from .steps import Pass, aligned_sum, full, significant, term
from .update import update

Array = np.ndarray
Node = tuple[int, int]  # (layer, neuron) as the graph counts: 0 = inputs, 1 = first hidden layer, …
Edge = tuple[Node, Node]  # (source, target); a bias's source is (layer − 1, inputs of that layer)

LOSS_NAMES = {"sse": "½·Σ(o − t)²", "cross_entropy": "cross-entropy"}


# -- the numbers, once per sample --------------------------------------------------------------------
@dataclass
class _Numbers:
    """forward, backward (and, given a learning rate, update) on one sample, from core."""

    network: Network
    x: Array
    t: Array
    trace: ForwardTrace
    gradients: Gradients
    updated: Network | None

    @classmethod
    def of(cls, network: Network, x, t, learning_rate: float | None = None, l1: float = 0.0,
           l2: float = 0.0) -> "_Numbers":
        x, t = as_sample(network, x, t)
        if x.ndim != 1:
            raise ValueError(f"the chain rule is told for one sample; got {x.shape[0]} rows")
        trace = forward(network, x)
        gradients = backward(network, trace, t)
        updated = None if learning_rate is None else update(network, trace, gradients, learning_rate, l1, l2)
        return cls(network, x, t, trace, gradients, updated)

    def derivative(self, layer: int) -> Array | None:
        """f′(o) for every neuron of ``layer`` (1 = first hidden), as backward() takes it; None for a
        softmax output (with cross-entropy its δ is p − t directly)."""
        if layer == len(self.network.weights) and self.network.output_activation == "softmax":
            return None
        return get_activation(self.network.activation_of(layer - 1)).derivative(self.trace.outputs[layer - 1])

    def factors(self, layer: int) -> list[dict[str, float]]:
        """Per neuron of ``layer``: ∂E/∂o (output) or Σ_k w_kj·δ_k (hidden), f′, δ — or, for a softmax
        output, ∂E/∂z = p − t = δ."""
        l, error, delta = layer - 1, self.gradients.errors[layer - 1], self.gradients.deltas[layer - 1]
        derivative = self.derivative(layer)
        if derivative is None:
            return [{"dE_dz": float(error[j]), "delta": float(delta[j])} for j in range(len(delta))]
        name = "dE_do" if l == len(self.network.weights) - 1 else "backpropagated_error"
        return [{name: float(error[j]), "f_prime": float(derivative[j]), "delta": float(delta[j])}
                for j in range(len(delta))]


def _check_rate(learning_rate: float) -> float:
    if not (isinstance(learning_rate, (int, float)) and np.isfinite(learning_rate) and learning_rate >= 0):
        raise ValueError(f"learning rate must be a finite number ≥ 0, got {learning_rate!r}")
    return float(learning_rate)


# -- one weight ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ErrorTerm:
    """One term w_kj · δ_k of a hidden neuron's back-propagated error."""

    neuron: int  # k, from 0, in the next layer
    name: str  # k's name, e.g. "output 1" or "hidden 2·3"
    weight: float  # w_kj
    delta: float  # δ_k
    product: float  # w_kj · δ_k as backward() adds it


@dataclass(frozen=True)
class WeightStory:
    """∂E/∂w for one weight, factor by factor, with the finite-difference check and the update.

    ``error`` is backward()'s error of neuron j: o_j − t_j (= ∂E/∂o_j) for an output neuron,
    Σ_k w_kj·δ_k (= ∂E/∂o_j, the sum of ``terms``) for a hidden one, p_j − t_j (= ∂E/∂z_j) for a
    softmax output, where ``derivative`` is None.
    """

    layer: int  # 1 = first hidden layer
    neuron: int  # j, from 0
    input: int  # i, from 0; the number of inputs of the layer for the bias
    name: str
    neuron_name: str
    input_name: str  # "bias" for the bias
    loss: str  # "½·Σ(o − t)²" or "cross-entropy"
    activation: str
    is_output: bool
    weight: float
    x: float  # x_i, 1 for the bias
    z: float
    output: float
    target: float | None  # t_j for an output neuron
    error: float
    derivative: float | None  # f′(o_j); None for softmax with cross-entropy
    delta: float
    terms: tuple[ErrorTerm, ...]  # hidden neurons only
    data_gradient: float  # δ_j · x_i, from core.backward
    l1: float
    l2: float
    penalty_gradient: float  # λ₁·sign(w) + λ₂·w (0 for a bias), from core.regularisation
    gradient: float  # data_gradient + penalty_gradient
    numeric: float  # the central difference
    eps: float
    relative_error: float
    kink: str  # why the central difference is no derivative here ("" if it is)
    learning_rate: float
    new_weight: float  # core.update's value
    path: tuple[Edge, ...]  # the weight's own edge, then for a hidden neuron j → every k

    @property
    def is_bias(self) -> bool:
        return self.input_name == "bias"

    @property
    def softmax(self) -> bool:
        return self.derivative is None

    @property
    def nodes(self) -> tuple[Node, ...]:
        """The neurons on ``path``, each once (a bias's source is no neuron of the graph)."""
        bias_source = self.path[0][0] if self.is_bias else None
        return tuple(dict.fromkeys(node for edge in self.path for node in edge if node != bias_source))

    def text(self, digits: int | None = None) -> list[str]:
        return _TextStory(self, digits).lines()

    def latex(self, digits: int | None = 6, per_line: int = 3) -> list[str]:
        """Aligned LaTeX lines, each result with every digit on a line of its own (narrow enough for a
        column); a hidden neuron's sum Σ w_kj·δ_k is broken after ``per_line`` terms."""
        return _LatexStory(self, digits, per_line).lines()

    def latex_sections(self, digits: int | None = 6, per_line: int = 3) -> dict[str, list[str]]:
        """``latex()`` in its parts, in order: "why" (E and ∂E/∂w = δ·x), "delta" (δ factor by factor),
        "input" (∂z/∂w = x), "gradient" (δ·x in numbers, plus a penalty), "check" (the central
        difference), "update" (w ← w − η·∂E/∂w) and "sign" (the tutorial's sign, if no penalty)."""
        return _LatexStory(self, digits, per_line).sections()


def _path(network: Network, layer: int, j: int, i: int) -> tuple[Edge, ...]:
    path: list[Edge] = [((layer - 1, i), (layer, j))]
    if layer < len(network.weights):
        path += [((layer, j), (layer + 1, k)) for k in range(network.weights[layer].shape[0])]
    return tuple(path)


def _story(numbers: _Numbers, layer: int, j: int, i: int, learning_rate: float, l1: float, l2: float,
           eps: float, feature_names, class_names) -> WeightStory:
    network, trace, gradients = numbers.network, numbers.trace, numbers.gradients
    check_weight_index(network, layer, j, i)
    l, n_layers = layer - 1, len(network.weights)
    is_output = layer == n_layers
    bias = is_bias(network, layer, i)
    derivative = numbers.derivative(layer)
    terms: tuple[ErrorTerm, ...] = ()
    if not is_output:
        above, deltas_above = network.weights[layer], gradients.deltas[layer]
        terms = tuple(ErrorTerm(k, node_name(network, layer + 1, k, feature_names, class_names),
                                float(above[k, j]), float(deltas_above[k]), float(above[k, j] * deltas_above[k]))
                      for k in range(above.shape[0]))
    data_gradient = float(gradients.weight_gradients[l][j, i])
    penalty = float(penalty_gradient(network.weights[l], l1, l2)[j, i]) if (l1 or l2) else 0.0
    gradient = data_gradient + penalty if (l1 or l2) else data_gradient
    numeric, kink = central_difference(network, numbers.x, numbers.t, layer, j, i, eps, l1, l2, trace)
    new_weight = float(numbers.updated.weights[l][j, i])  # core.update: w − ((η·δ)·x + η·penalty)
    return WeightStory(
        layer=layer, neuron=j, input=i, name=weight_name(network, layer, j, i, feature_names, class_names),
        neuron_name=node_name(network, layer, j, feature_names, class_names),
        input_name="bias" if bias else node_name(network, layer - 1, i, feature_names, class_names),
        loss=LOSS_NAMES[network.loss], activation=network.activation_of(l), is_output=is_output,
        weight=float(network.weights[l][j, i]), x=1.0 if bias else float(trace.inputs[l][i]),
        z=float(trace.weighted_sums[l][j]), output=float(trace.outputs[l][j]),
        target=float(numbers.t[j]) if is_output else None, error=float(gradients.errors[l][j]),
        derivative=None if derivative is None else float(derivative[j]), delta=float(gradients.deltas[l][j]),
        terms=terms, data_gradient=data_gradient, l1=float(l1), l2=float(l2), penalty_gradient=penalty,
        gradient=gradient, numeric=numeric, eps=eps, relative_error=relative_error(gradient, numeric),
        kink=kink, learning_rate=learning_rate, new_weight=new_weight, path=_path(network, layer, j, i),
    )


def weight_story(network: Network, x: Sequence[float] | Array, t: Sequence[float] | Array, layer: int,
                 j: int, i: int, learning_rate: float, l1: float = 0.0, l2: float = 0.0,
                 feature_names: Sequence[str] | None = None, class_names: Sequence[str] | None = None,
                 eps: float = 1e-6) -> WeightStory:
    """∂E/∂w_ji of ``layer`` (1 = first hidden layer; i = number of inputs for the bias) on one
    sample, factor by factor, its central-difference check, and the update with ``learning_rate``."""
    learning_rate = _check_rate(learning_rate)
    numbers = _Numbers.of(network, x, t, learning_rate, l1, l2)
    return _story(numbers, layer, j, i, learning_rate, l1, l2, eps, feature_names, class_names)


# -- one neuron ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NeuronStory:
    """A neuron's z, output, error, f′ and δ, and the story of every incoming weight (bias last)."""

    layer: int
    neuron: int
    name: str
    z: float
    output: float
    error: float
    derivative: float | None
    delta: float
    weights: tuple[WeightStory, ...]

    def text(self, digits: int | None = None) -> list[str]:
        lines = [f"{self.name}: z = {full(self.z)}, output = {full(self.output)}, delta = {full(self.delta)}"]
        for story in self.weights:
            lines += ["", *story.text(digits)]
        return lines

    def latex(self, digits: int | None = 6) -> list[str]:
        sub = f"^{{({self.layer})}}_{{{self.neuron + 1}}}"
        lines = [f"z{sub} &= {full(self.z)}", f"o{sub} &= {full(self.output)}", f"\\delta{sub} &= {full(self.delta)}"]
        for story in self.weights:
            lines += ["\\\\[4pt]", *story.latex(digits)]
        return lines


def neuron_story(network: Network, x: Sequence[float] | Array, t: Sequence[float] | Array, layer: int,
                 j: int, learning_rate: float, l1: float = 0.0, l2: float = 0.0,
                 feature_names: Sequence[str] | None = None, class_names: Sequence[str] | None = None,
                 eps: float = 1e-6) -> NeuronStory:
    """Neuron j of ``layer`` on one sample: its numbers and the story of each incoming weight."""
    learning_rate = _check_rate(learning_rate)
    numbers = _Numbers.of(network, x, t, learning_rate, l1, l2)
    check_weight_index(network, layer, j, 0)
    stories = tuple(_story(numbers, layer, j, i, learning_rate, l1, l2, eps, feature_names, class_names)
                    for i in range(network.weights[layer - 1].shape[1]))
    first = stories[0]
    return NeuronStory(layer, j, first.neuron_name, first.z, first.output, first.error, first.derivative,
                       first.delta, stories)


# -- one weight set by hand -------------------------------------------------------------------------
def with_weight(network: Network, layer: int, j: int, i: int, value: float) -> Network:
    """A copy of ``network`` with w_ji of ``layer`` (i = number of inputs for the bias) set to
    ``value``; ``network`` is not changed."""
    check_weight_index(network, layer, j, i)
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)) or not np.isfinite(value):
        raise ValueError(f"a weight must be a finite number, got {str(value)[:60]!r}")
    moved = network.copy()
    moved.weights[layer - 1][j, i] = float(value)
    return moved


# -- the loss along one weight ---------------------------------------------------------------------
def loss_slice(network: Network, x: Sequence[float] | Array, t: Sequence[float] | Array, layer: int, j: int,
               i: int, values: Sequence[float] | Array, l1: float = 0.0, l2: float = 0.0) -> Array:
    """E (+ penalty) with w_ji of ``layer`` set to each of ``values``, every other weight fixed; for
    a 2-D x (the whole training set) the mean loss over its rows."""
    return objective_along(network, x, t, layer, j, i, np.asarray(values, dtype=float).ravel(), l1, l2)[0]


def slice_range(current: float, gradient: float, learning_rate: float) -> tuple[float, float]:
    """A range of weights for a loss-slice plot holding the current value w and the value after one
    step, w − η·∂E/∂w, with room on both sides: at least ±1 around them, or the step's size."""
    after = current - learning_rate * gradient
    if not all(np.isfinite(v) for v in (current, gradient, learning_rate, after)):
        raise ValueError("the weight, its gradient and the learning rate must be finite numbers")
    low, high = min(current, after), max(current, after)
    pad = max(high - low, 1.0)
    return low - pad, high + pad


# -- every gradient, for `python -m core step --json` ----------------------------------------------
def gradient_table(source: Pass | Network, x: Sequence[float] | Array | None = None,
                   t: Sequence[float] | Array | None = None, l1: float = 0.0, l2: float = 0.0) -> dict:
    """{"gradients": per layer, per neuron [∂E/∂w for each input…, ∂E/∂b] (the model's weights'
    shape), "factors": per layer, per neuron its chain-rule factors} from a walk-through (``Pass``)
    or from a network and one sample."""
    if isinstance(source, Pass):
        numbers = _Numbers(source.network, source.sample, source.target, source.trace, source.gradients, None)
    else:
        numbers = _Numbers.of(source, x, t)
    network = numbers.network
    gradients = [g + penalty_gradient(w, l1, l2) if (l1 or l2) else g
                 for g, w in zip(numbers.gradients.weight_gradients, network.weights)]
    return {"gradients": [g.tolist() for g in gradients],
            "factors": [numbers.factors(layer) for layer in range(1, len(network.weights) + 1)]}


def format_factors(table: dict, network: Network, feature_names: Sequence[str] | None = None,
                   class_names: Sequence[str] | None = None) -> list[str]:
    """One plain-text line per neuron: its chain-rule factors and its gradients."""
    labels = {"dE_do": "dE/do = output - target", "backpropagated_error": "dE/do = sum(w_kj * delta_k)",
              "f_prime": "f'(output)", "delta": "delta", "dE_dz": "delta = dE/dz = output - target (softmax)"}
    lines = []
    for layer, (factors, grads) in enumerate(zip(table["factors"], table["gradients"]), start=1):
        for j, (f, g) in enumerate(zip(factors, grads)):
            parts = [f"{labels[key]} = {full(value)}" for key, value in f.items() if key != "delta" or "dE_dz" not in f]
            lines.append(f"{node_name(network, layer, j, feature_names, class_names)}: " + ", ".join(parts)
                         + "; dE/dw = delta * x = [" + ", ".join(full(v) for v in g[:-1])
                         + f"], dE/db = {full(g[-1])}")
    return lines


# -- rendering -------------------------------------------------------------------------------------
class _TextStory:
    def __init__(self, story: WeightStory, digits: int | None) -> None:
        self.s, self.f = story, full if digits is None else significant(digits)

    def t(self, value: float) -> str:
        return term(self.f, value)

    def lines(self) -> list[str]:
        s, t = self.s, self.t
        lines = [f"{s.name} = {full(s.weight)}   (E = {s.loss})",
                 "dE/dw = " + ("dE/dz" if s.softmax else "dE/do * do/dz") + " * dz/dw = delta * x"]
        if s.softmax:
            lines.append(f"delta = dE/dz = p - t = {t(s.output)} - {t(s.target)} = {full(s.delta)}"
                         "   (softmax with cross-entropy: delta = p - t directly)")
        else:
            if s.is_output:
                lines.append(f"dE/do = o - t = {t(s.output)} - {t(s.target)} = {full(s.error)}")
            else:
                for path in s.terms:
                    lines.append(f"  w({s.neuron_name} -> {path.name}) * delta({path.name}) = {t(path.weight)}"
                                 f" * {t(path.delta)} = {full(path.product)}")
                lines.append(f"dE/do = sum(w_kj * delta_k) = {full(s.error)}")
            lines.append(f"do/dz = {s.activation}'(o) = {get_activation(s.activation).derivative_text(t(s.output))}"
                         f" = {full(s.derivative)}")
            lines.append(f"delta = dE/do * do/dz = {t(s.error)} * {t(s.derivative)} = {full(s.delta)}")
        lines.append("dz/dw = 1 (bias)" if s.is_bias else f"dz/dw = x = {full(s.x)} ({s.input_name})")
        lines.append(f"dE/dw = delta * x = {t(s.delta)} * {t(s.x)} = {full(s.data_gradient)}")
        if s.l1 or s.l2:
            lines.append("  + 0 (biases are not penalised)" if s.is_bias else
                         f"  + l1 * sign(w) + l2 * w = {t(s.l1)} * {t(np.sign(s.weight))} + {t(s.l2)} * {t(s.weight)}"
                         f" = {full(s.penalty_gradient)}")
            lines.append(f"  = {full(s.gradient)}")
        lines.append(f"finite difference (E(w + eps) - E(w - eps)) / 2eps = {full(s.numeric)}, relative error "
                     f"{s.relative_error:.3e}" + (f" ({s.kink})" if s.kink else ""))
        lines.append(f"update: w <- w - lr * dE/dw = {t(s.weight)} - {t(s.learning_rate)} * {t(s.gradient)}"
                     f" = {full(s.new_weight)}")
        if not (s.l1 or s.l2):
            lines.append(TUTORIAL_SIGN)
        return lines


#: "Which sign?": the tutorial's error is t − o, so its delta is −δ and its update adds.
TUTORIAL_SIGN = ("(the tutorial writes error = t - o, so its delta is -delta and its update adds: "
                 "w + lr * (-delta) * x, the same new weight)")


class _LatexStory:
    def __init__(self, story: WeightStory, digits: int | None, per_line: int = 3) -> None:
        if per_line < 1:
            raise ValueError(f"terms per line must be at least 1, got {per_line}")
        self.s, self.f, self.per_line = story, full if digits is None else significant(digits), per_line
        s = story
        self.sub = f"^{{({s.layer})}}_{{{s.neuron + 1}}}"
        self.w = (f"b{self.sub}" if s.is_bias else f"w^{{({s.layer})}}_{{{s.neuron + 1},{s.input + 1}}}")

    def t(self, value: float) -> str:
        return term(self.f, value)

    def lines(self) -> list[str]:
        return [line for part in self.sections().values() for line in part]

    def sections(self) -> dict[str, list[str]]:
        s, sub, w, t = self.s, self.sub, self.w, self.t
        o, z, d = f"o{sub}", f"z{sub}", f"\\delta{sub}"
        dw = f"\\frac{{\\partial E}}{{\\partial {w}}}"
        why, delta = [f"E &= {_LOSS_LATEX[s.loss]}"], []
        if s.softmax:
            why.append(f"{dw} &= \\frac{{\\partial E}}{{\\partial {z}}}\\,\\frac{{\\partial {z}}}{{\\partial {w}}}"
                       f" = {d} \\cdot x")
            delta += [f"{d} &= p_{{{s.neuron + 1}}} - t_{{{s.neuron + 1}}} = {t(s.output)} - {t(s.target)}",
                      f"&= {full(s.delta)}",
                      "&\\quad\\text{(softmax with cross-entropy: } \\delta = p - t \\text{ directly)}"]
        else:
            why.append(f"{dw} &= \\frac{{\\partial E}}{{\\partial {o}}}\\,\\frac{{\\partial {o}}}{{\\partial {z}}}"
                       f"\\,\\frac{{\\partial {z}}}{{\\partial {w}}} = {d} \\cdot x")
            de_do = f"\\frac{{\\partial E}}{{\\partial {o}}}"
            if s.is_output:
                delta += [f"{de_do} &= {o} - t_{{{s.neuron + 1}}} = {t(s.output)} - {t(s.target)}",
                          f"&= {full(s.error)}"]
            else:
                terms = [f"\\underbrace{{{t(term.weight)} \\times {t(term.delta)}}}_{{\\text{{{_escape(term.name)}}}}}"
                         for term in s.terms]
                sum_lines = aligned_sum(terms, self.per_line)
                delta += [f"{de_do} &= \\textstyle\\sum_k w^{{({s.layer + 1})}}_{{k,{s.neuron + 1}}}"
                          f"\\,\\delta^{{({s.layer + 1})}}_k", f"&= {sum_lines[0]}", *sum_lines[1:],
                          f"&= {full(s.error)}"]
            delta += [f"\\frac{{\\partial {o}}}{{\\partial {z}}} &= f'({o}) = "
                      f"{get_activation(s.activation).derivative_latex(self.f(s.output))}", f"&= {full(s.derivative)}",
                      f"{d} &= {de_do}\\,\\frac{{\\partial {o}}}{{\\partial {z}}} = {t(s.error)} \\times "
                      f"{t(s.derivative)}", f"&= {full(s.delta)}"]
        source = "1 \\quad\\text{(bias)}" if s.is_bias else f"x = {full(s.x)}\\quad\\text{{({_escape(s.input_name)})}}"
        gradient = [f"{dw} &= {d} \\cdot x = {t(s.delta)} \\times {t(s.x)}", f"&= {full(s.data_gradient)}"]
        if s.l1 or s.l2:
            gradient += ["&\\quad + 0 \\quad\\text{(biases are not penalised)}" if s.is_bias else
                         f"&\\quad + \\lambda_1 \\operatorname{{sign}}(w) + \\lambda_2 w = {t(s.l1)} \\times "
                         f"{t(np.sign(s.weight))} + {t(s.l2)} \\times {t(s.weight)}", f"&\\quad\\phantom{{+}} = {full(s.penalty_gradient)}",
                         f"&= {full(s.gradient)}"]
        note = f"\\quad\\text{{({_escape(s.kink)})}}" if s.kink else ""
        check = [f"\\frac{{E(w + \\varepsilon) - E(w - \\varepsilon)}}{{2\\varepsilon}} &= {full(s.numeric)}",
                 f"&\\quad\\text{{relative error {s.relative_error:.2e}}}{note}"]
        step = [f"{w} &\\leftarrow w - \\eta\\,{dw}",
                f"&= {t(s.weight)} - {t(s.learning_rate)} \\times {t(s.gradient)}", f"&= {full(s.new_weight)}"]
        sign = [] if (s.l1 or s.l2) else [
            "&\\quad\\text{(the tutorial's error is } t - o \\text{, so its delta is } -\\delta"
            "\\text{ and its update adds } \\eta\\,(-\\delta)\\,x \\text{: the same new weight)}"]
        return {"why": why, "delta": delta, "input": [f"\\frac{{\\partial {z}}}{{\\partial {w}}} &= {source}"],
                "gradient": gradient, "check": check, "update": step, "sign": sign}


_LOSS_LATEX = {"½·Σ(o − t)²": "\\tfrac{1}{2}\\textstyle\\sum_j (o_j - t_j)^2",
               "cross-entropy": "-\\textstyle\\sum_j t_j \\ln p_j"}


def _escape(text: str) -> str:
    """Plain text safe inside \\text{…} (a middle dot as math: KaTeX's text fonts lack it)."""
    text = text.replace("\\", " ").replace("^", " ").replace("~", " ")
    for char in "{}$&#_%":
        text = text.replace(char, "\\" + char)
    return text.replace("·", "$\\cdot$")
