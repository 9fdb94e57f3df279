"""One forward pass, backward pass and update on one sample, as a sequence of small steps.

The numbers come from forward(), backward() and apply_update(); this module only walks through them
neuron by neuron and writes each computation out — as LaTeX for the step-through page and as
plain text for ``python -m core step`` — so the page and the CLI show the same sequence.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from .activations import get_activation
from .backward import Gradients, backward
from .forward import ForwardTrace, forward
from .losses import loss_change, loss_value
from .network import Network
from .names import neuron_name
from .typeset import width
from .update import Update, apply_update

PHASES: tuple[str, ...] = ("forward", "error", "backward", "update")
STEP_LEARNING_RATE = 0.5  # the tutorial's worked example trains with 0.5
LINE_EM = 20.0  # a long sum is broken over aligned lines at most about this wide (em), where it can be
Formatter = Callable[[float], str]


@dataclass(frozen=True)
class Step:
    """One step of the walk-through.

    ``layer`` counts like the graph's columns (0 = inputs, 1 = first hidden layer, …);
    ``neuron`` is None for a step about the whole layer (the error, a softmax).
    """

    phase: str
    layer: int
    neuron: int | None
    title: str
    latex: tuple[str, ...]
    text: tuple[str, ...]
    values: dict[str, float] = field(default_factory=dict)


@dataclass
class Pass:
    """Forward, backward and update for one sample, plus the steps that walk through them."""

    network: Network
    sample: np.ndarray
    target: np.ndarray
    learning_rate: float
    trace: ForwardTrace
    gradients: Gradients
    update: Update
    loss_before: float
    loss_after: float
    steps: list[Step]
    l1: float = 0.0  # the update's extras, as walk_through was given them
    l2: float = 0.0
    momentum: float = 0.0
    velocity: list[np.ndarray] | None = None  # momentum's velocity before the update

    @property
    def updated(self) -> Network:
        return self.update.network

    @property
    def change(self) -> str:
        """How the update moved this sample's loss: "down", "up" or "unchanged"."""
        return loss_change(self.loss_before, self.loss_after)

    def phase_start(self, phase: str) -> int:
        """Index of the first step of ``phase``."""
        return next(i for i, s in enumerate(self.steps) if s.phase == phase)


def full(value: float) -> str:
    """Every digit Python prints (repr): the tutorial's own precision."""
    return repr(float(value))


def significant(digits: int) -> Formatter:
    return lambda value: f"{float(value):.{digits}g}"


def term(fmt: Formatter, value: float) -> str:
    """A number ready to multiply: negative ones in brackets."""
    text = fmt(value)
    return f"({text})" if text.startswith("-") else text


def aligned_sum(terms: list[str], per_line: int | None = None, joiner: str = " + ",
                budget: float = LINE_EM) -> list[str]:
    """Split a long sum into aligned LaTeX lines: ``per_line`` terms each, or else as many terms as fit
    in ``budget`` em (typeset width, core.typeset; a term wider than that gets a line of its own)."""
    if per_line is not None:
        chunks = [joiner.join(terms[i:i + per_line]) for i in range(0, len(terms), per_line)]
    else:
        chunks = []
        for t in terms:
            if chunks and width(chunks[-1] + joiner + t) <= budget:
                chunks[-1] += joiner + t
            else:
                chunks.append(t)
    return [chunks[0]] + [f"&\\quad{joiner}{c}" for c in chunks[1:]]


class _Writer:
    def __init__(self, network: Network, feature_names: Sequence[str] | None,
                 class_names: Sequence[str] | None, fmt: Formatter, l1: float, l2: float,
                 momentum: float) -> None:
        self.network = network
        self.fmt = fmt
        self.feature_names = list(feature_names or [])
        self.class_names = list(class_names or [])
        self.n_layers = len(network.weights)
        self.l1, self.l2, self.momentum = l1, l2, momentum

    def neuron_name(self, layer: int, j: int) -> str:
        return neuron_name(layer, j, self.n_layers, self.feature_names, self.class_names, long=True)

    def activation(self, layer: int):
        return get_activation(self.network.activation_of(layer - 1))

    # -- forward ---------------------------------------------------------------------------
    def forward_step(self, trace: ForwardTrace, layer: int, j: int) -> Step:
        f, weights = self.fmt, self.network.weights[layer - 1][j]
        x, z = trace.inputs[layer - 1], float(trace.weighted_sums[layer - 1][j])
        out = float(trace.outputs[layer - 1][j])
        sub = f"^{{({layer})}}_{{{j + 1}}}"
        terms = [term(f, weights[-1])] + [f"{term(f, w)} \\times {term(f, v)}"
                                           for w, v in zip(weights[:-1], x)]
        sum_lines = aligned_sum(terms)
        latex = [f"z{sub} &= b + \\textstyle\\sum_i w_i x_i", f"&= {sum_lines[0]}", *sum_lines[1:],
                 f"&= {full(z)}"]
        text = [f"z = b + sum(w_i * x_i) = {full(weights[-1])} + "
                + " + ".join(f"{full(w)} * {full(v)}" for w, v in zip(weights[:-1], x)) + f" = {full(z)}"]
        values = {"z": z}
        if self.network.activation_of(layer - 1) != "softmax":
            act = self.activation(layer)
            latex += [f"o{sub} &= {act.latex(f(z))}", f"&= {full(out)}"]
            text.append(f"output = {act.name}(z) = {full(out)}")
            values["output"] = out
        title = f"Forward · {self.neuron_name(layer, j)}"
        return Step("forward", layer, j, title, tuple(latex), tuple(text), values)

    def softmax_step(self, trace: ForwardTrace) -> Step:
        layer, f = self.n_layers, self.fmt
        z, p = trace.weighted_sums[-1], trace.outputs[-1]
        denominator = " + ".join(f"e^{{{term(f, v)}}}" for v in z)
        latex = [line for j in range(len(p)) for line in
                 (f"p_{{{j + 1}}} &= \\frac{{e^{{{term(f, z[j])}}}}}{{{denominator}}}", f"&= {full(p[j])}")]
        text = [f"p_{j + 1} = exp(z_{j + 1}) / sum_k exp(z_k) = {full(p[j])}" for j in range(len(p))]
        values = {f"output {j + 1}": float(p[j]) for j in range(len(p))}
        return Step("forward", layer, None, "Forward · softmax over the output layer", tuple(latex),
                    tuple(text), values)

    # -- error -----------------------------------------------------------------------------
    def error_step(self, trace: ForwardTrace, gradients: Gradients, target: np.ndarray,
                   loss: float) -> Step:
        f, out, errors = self.fmt, trace.output, gradients.errors[-1]
        latex = [f"e_{{{j + 1}}} &= o_{{{j + 1}}} - t_{{{j + 1}}} = {term(f, out[j])} - {term(f, target[j])}"
                 f" = {f(errors[j])}" for j in range(len(out))]
        text = [f"error_{j + 1} = output - target = {full(out[j])} - {full(target[j])} = {full(errors[j])}"
                for j in range(len(out))]
        if self.network.loss == "sse":
            terms = [f"({term(f, t)} - {term(f, o)})^2" for t, o in zip(target, out)]
            left = "\\textstyle\\sum_j (t_j - o_j)^2"
            sum_lines = aligned_sum(terms, budget=LINE_EM + 2 - width(left))  # a wide left side: shorter lines
            latex += [f"{left} &= {sum_lines[0]}", *sum_lines[1:], f"&= {full(loss)}"]
            text.append(f"squared error = sum((target - output)^2) = {full(loss)}")
        else:
            k = int(np.argmax(target))
            latex.append(f"-\\textstyle\\sum_j t_j \\ln p_j &= -\\ln {term(f, out[k])} = {full(loss)}")
            text.append(f"cross-entropy = -sum(target * ln(output)) = {full(loss)}")
        return Step("error", self.n_layers, None, "Error · compare the outputs with the target",
                    tuple(latex), tuple(text), {"loss": loss})

    # -- backward --------------------------------------------------------------------------
    def output_delta_step(self, trace: ForwardTrace, gradients: Gradients, j: int) -> Step:
        f, layer = self.fmt, self.n_layers
        o, e, d = float(trace.output[j]), float(gradients.errors[-1][j]), float(gradients.deltas[-1][j])
        sub = f"^{{({layer})}}_{{{j + 1}}}"
        if self.network.output_activation == "softmax":
            latex = [f"\\delta{sub} &= p_{{{j + 1}}} - t_{{{j + 1}}} = {full(d)}"]
            text = [f"delta = output - target = {full(d)}  (softmax with cross-entropy)"]
        else:
            act = self.activation(layer)
            latex = [f"\\delta{sub} &= e \\cdot f'(o)", f"&= {term(f, e)} \\times {act.derivative_latex(f(o))}",
                     f"&= {full(d)}"]
            text = [f"delta = error * {act.name}'(output) = {full(e)} * {act.derivative_text(full(o))} = {full(d)}"]
        return Step("backward", layer, j, f"Backward · {self.neuron_name(layer, j)}", tuple(latex),
                    tuple(text), {"delta": d})

    def hidden_delta_step(self, trace: ForwardTrace, gradients: Gradients, layer: int, j: int) -> Step:
        f = self.fmt
        above = self.network.weights[layer]  # weights into the next layer
        deltas_above = gradients.deltas[layer]
        o = float(trace.outputs[layer - 1][j])
        e, d = float(gradients.errors[layer - 1][j]), float(gradients.deltas[layer - 1][j])
        act = self.activation(layer)
        sub = f"^{{({layer})}}_{{{j + 1}}}"
        terms = [f"{term(f, above[k][j])} \\times {term(f, deltas_above[k])}" for k in range(len(above))]
        sum_lines = aligned_sum(terms)
        latex = [f"e{sub} &= \\textstyle\\sum_k w_{{k{j + 1}}} \\delta_k", f"&= {sum_lines[0]}", *sum_lines[1:],
                 f"&= {full(e)}",
                 f"\\delta{sub} &= e \\cdot f'(o)", f"&= {term(f, e)} \\times {act.derivative_latex(f(o))}",
                 f"&= {full(d)}"]
        text = ["error = sum(w_kj * delta_k) = "
                + " + ".join(f"{full(above[k][j])} * {full(deltas_above[k])}" for k in range(len(above)))
                + f" = {full(e)}",
                f"delta = error * {act.name}'(output) = {full(e)} * {act.derivative_text(full(o))} = {full(d)}"]
        return Step("backward", layer, j, f"Backward · {self.neuron_name(layer, j)}", tuple(latex),
                    tuple(text), {"error": e, "delta": d})

    # -- update ----------------------------------------------------------------------------
    def _step_latex(self, old: float, eta: float, delta: float, x: float | None) -> str:
        """The step d taken by one weight (x given) or bias (x None), written with its numbers."""
        f = self.fmt
        d = f"{term(f, eta)} \\times {term(f, delta)}" + (f" \\times {term(f, x)}" if x is not None else "")
        if x is None or not (self.l1 or self.l2):
            return d
        penalty = []
        if self.l1:
            penalty.append(f"{term(f, self.l1)} \\cdot \\operatorname{{sign}}({term(f, old)})")
        if self.l2:
            penalty.append(f"{term(f, self.l2)} \\times {term(f, old)}")
        return f"{d} + {term(f, eta)} \\times ({' + '.join(penalty)})"

    def _step_text(self, old: float, eta: float, delta: float, x: float | None) -> str:
        d = f"{full(eta)} * {full(delta)}" + (f" * {full(x)}" if x is not None else "")
        if x is None or not (self.l1 or self.l2):
            return d
        penalty = ([f"{full(self.l1)} * sign({full(old)})"] if self.l1 else []) + \
                  ([f"{full(self.l2)} * {full(old)}"] if self.l2 else [])
        return f"{d} + {full(eta)} * ({' + '.join(penalty)})"

    def update_step(self, trace: ForwardTrace, gradients: Gradients, result: Update,
                    velocity: list[np.ndarray] | None, learning_rate: float, layer: int, j: int) -> Step:
        f = self.fmt
        old, new = self.network.weights[layer - 1][j], result.network.weights[layer - 1][j]
        x, d = trace.inputs[layer - 1], float(gradients.deltas[layer - 1][j])
        latex, text = [], []
        for i in range(len(old)):
            is_bias = i == len(old) - 1
            name, plain = ("b", "bias") if is_bias else (f"w_{{{i + 1}}}", f"w_{i + 1}")
            source = None if is_bias else float(x[i])
            step_latex = self._step_latex(old[i], learning_rate, d, source)
            step_text = self._step_text(old[i], learning_rate, d, source)
            if self.momentum:
                v_old = float(velocity[layer - 1][j][i]) if velocity is not None else 0.0
                v_new = float(result.velocity[layer - 1][j][i])
                kept = aligned_sum([f"{term(f, self.momentum)} \\times {term(f, v_old)}", f"({step_latex})"],
                                   joiner=" - ")
                latex += [f"v_{{{name}}} &\\leftarrow {kept[0]}", *kept[1:], f"&= {full(v_new)}",
                          f"{name} &\\leftarrow {term(f, old[i])} + {term(f, v_new)}", f"&= {full(new[i])}"]
                text.append(f"{plain}: v = {full(self.momentum)} * {full(v_old)} - ({step_text}) = {full(v_new)}; "
                            f"{full(old[i])} + {full(v_new)} = {full(new[i])}")
            else:
                moved = aligned_sum([term(f, old[i]), step_latex if not (self.l1 or self.l2) or is_bias
                                     else f"({step_latex})"], joiner=" - ")
                latex += [f"{name} &\\leftarrow {moved[0]}", *moved[1:], f"&= {full(new[i])}"]
                text.append(f"{plain}: {full(old[i])} - "
                            + (f"({step_text})" if (self.l1 or self.l2) and not is_bias else step_text)
                            + f" = {full(new[i])}")
        return Step("update", layer, j, f"Update · {self.neuron_name(layer, j)}", tuple(latex),
                    tuple(text), {"delta": d})


def walk_through(network: Network, sample: Sequence[float], target: Sequence[float],
                 learning_rate: float = STEP_LEARNING_RATE, feature_names: Sequence[str] | None = None,
                 class_names: Sequence[str] | None = None, digits: int | None = 6,
                 l1: float = 0.0, l2: float = 0.0, momentum: float = 0.0,
                 velocity: list[np.ndarray] | None = None) -> Pass:
    """Run forward, backward and update on one sample and write out every step.

    ``digits`` sets the significant digits of the numbers substituted into the equations (None:
    every digit); each step's result is always written in full. ``l1``, ``l2``, ``momentum`` and
    ``velocity`` are the optional extras of core.update (the tutorial uses none of them).
    """
    x = np.asarray(sample, dtype=float)
    t = np.asarray(target, dtype=float)
    if t.shape != (network.n_outputs,):
        raise ValueError(f"the network has {network.n_outputs} outputs, the target has {t.size} values")
    trace = forward(network, x)
    gradients = backward(network, trace, t)
    result = apply_update(network, trace, gradients, learning_rate, l1, l2, momentum, velocity)
    loss_before = float(loss_value(network.loss, trace.output, t))
    loss_after = float(loss_value(network.loss, forward(result.network, x).output, t))
    w = _Writer(network, feature_names, class_names, full if digits is None else significant(digits),
                l1, l2, momentum)
    sizes, n_layers = network.layer_sizes, len(network.weights)
    steps: list[Step] = []
    for layer in range(1, n_layers + 1):
        steps += [w.forward_step(trace, layer, j) for j in range(sizes[layer])]
    if network.output_activation == "softmax":
        steps.append(w.softmax_step(trace))
    steps.append(w.error_step(trace, gradients, t, loss_before))
    steps += [w.output_delta_step(trace, gradients, j) for j in range(sizes[-1])]
    for layer in range(n_layers - 1, 0, -1):
        steps += [w.hidden_delta_step(trace, gradients, layer, j) for j in range(sizes[layer])]
    for layer in range(1, n_layers + 1):
        steps += [w.update_step(trace, gradients, result, velocity, learning_rate, layer, j)
                  for j in range(sizes[layer])]
    return Pass(network, x, t, learning_rate, trace, gradients, result, loss_before, loss_after, steps,
                float(l1), float(l2), float(momentum), velocity)
