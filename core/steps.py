"""One forward pass, backward pass and update on one sample, as a sequence of small steps.

The numbers come from forward(), backward() and update(); this module only walks through them
neuron by neuron and writes each computation out — as LaTeX for the step-through page and as
plain text for ``python -m core step`` — so the page and the CLI show the same sequence.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from .backward import Gradients, backward
from .forward import ForwardTrace, forward
from .losses import loss_value
from .network import Network
from .update import update, weight_changes

PHASES: tuple[str, ...] = ("forward", "error", "backward", "update")
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
    changes: list[np.ndarray]
    updated: Network
    loss_before: float
    loss_after: float
    steps: list[Step]

    def phase_start(self, phase: str) -> int:
        """Index of the first step of ``phase``."""
        return next(i for i, s in enumerate(self.steps) if s.phase == phase)


def full(value: float) -> str:
    """Every digit Python prints (repr): the tutorial's own precision."""
    return repr(float(value))


def significant(digits: int) -> Formatter:
    return lambda value: f"{float(value):.{digits}g}"


def _term(fmt: Formatter, value: float) -> str:
    text = fmt(value)
    return f"({text})" if text.startswith("-") else text


def _lines(terms: list[str], per_line: int = 4) -> list[str]:
    """Split a long sum into aligned LaTeX lines of ``per_line`` terms."""
    chunks = [" + ".join(terms[i:i + per_line]) for i in range(0, len(terms), per_line)]
    return [chunks[0]] + [f"&\\quad + {c}" for c in chunks[1:]]


class _Writer:
    def __init__(self, network: Network, feature_names: Sequence[str] | None,
                 class_names: Sequence[str] | None, fmt: Formatter) -> None:
        self.network = network
        self.fmt = fmt
        self.feature_names = list(feature_names or [])
        self.class_names = list(class_names or [])
        self.n_layers = len(network.weights)

    def neuron_name(self, layer: int, j: int) -> str:
        if layer == 0:
            return self.feature_names[j] if j < len(self.feature_names) else f"input {j + 1}"
        if layer == self.n_layers:
            name = self.class_names[j] if j < len(self.class_names) else f"{j + 1}"
            return f"output neuron {j + 1} ({name})" if name != f"{j + 1}" else f"output neuron {j + 1}"
        return f"hidden layer {layer}, neuron {j + 1}"

    def activation(self, layer: int) -> str:
        return self.network.activation_of(layer - 1)

    # -- forward ---------------------------------------------------------------------------
    def forward_step(self, trace: ForwardTrace, layer: int, j: int) -> Step:
        f, weights = self.fmt, self.network.weights[layer - 1][j]
        x, z = trace.inputs[layer - 1], float(trace.weighted_sums[layer - 1][j])
        out = float(trace.outputs[layer - 1][j])
        act = self.activation(layer)
        sub = f"^{{({layer})}}_{{{j + 1}}}"
        terms = [_term(f, weights[-1])] + [f"{_term(f, w)} \\times {_term(f, v)}"
                                           for w, v in zip(weights[:-1], x)]
        sum_lines = _lines(terms, 2)
        latex = [f"z{sub} &= b + \\textstyle\\sum_i w_i x_i", f"&= {sum_lines[0]}", *sum_lines[1:],
                 f"&= {full(z)}"]
        text = [f"z = b + sum(w_i * x_i) = {full(weights[-1])} + "
                + " + ".join(f"{full(w)} * {full(v)}" for w, v in zip(weights[:-1], x)) + f" = {full(z)}"]
        values = {"z": z}
        if act != "softmax":
            latex += [f"o{sub} &= {_activation_latex(act, f(z))}", f"&= {full(out)}"]
            text.append(f"output = {act}(z) = {full(out)}")
            values["output"] = out
        title = f"Forward · {self.neuron_name(layer, j)}"
        return Step("forward", layer, j, title, tuple(latex), tuple(text), values)

    def softmax_step(self, trace: ForwardTrace) -> Step:
        layer, f = self.n_layers, self.fmt
        z, p = trace.weighted_sums[-1], trace.outputs[-1]
        denominator = " + ".join(f"e^{{{_term(f, v)}}}" for v in z)
        latex = [line for j in range(len(p)) for line in
                 (f"p_{{{j + 1}}} &= \\frac{{e^{{{_term(f, z[j])}}}}}{{{denominator}}}", f"&= {full(p[j])}")]
        text = [f"p_{j + 1} = exp(z_{j + 1}) / sum_k exp(z_k) = {full(p[j])}" for j in range(len(p))]
        values = {f"output {j + 1}": float(p[j]) for j in range(len(p))}
        return Step("forward", layer, None, "Forward · softmax over the output layer", tuple(latex),
                    tuple(text), values)

    # -- error -----------------------------------------------------------------------------
    def error_step(self, trace: ForwardTrace, gradients: Gradients, target: np.ndarray,
                   loss: float) -> Step:
        f, out, errors = self.fmt, trace.output, gradients.errors[-1]
        latex = [f"e_{{{j + 1}}} &= o_{{{j + 1}}} - t_{{{j + 1}}} = {_term(f, out[j])} - {_term(f, target[j])}"
                 f" = {f(errors[j])}" for j in range(len(out))]
        text = [f"error_{j + 1} = output - target = {full(out[j])} - {full(target[j])} = {full(errors[j])}"
                for j in range(len(out))]
        if self.network.loss == "sse":
            terms = " + ".join(f"({_term(f, t)} - {_term(f, o)})^2" for t, o in zip(target, out))
            latex += [f"\\textstyle\\sum_j (t_j - o_j)^2 &= {terms}", f"&= {full(loss)}"]
            text.append(f"squared error = sum((target - output)^2) = {full(loss)}")
        else:
            k = int(np.argmax(target))
            latex.append(f"-\\textstyle\\sum_j t_j \\ln p_j &= -\\ln {_term(f, out[k])} = {full(loss)}")
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
            latex = [f"\\delta{sub} &= e \\cdot f'(o)", f"&= {_term(f, e)} \\times {_derivative_latex(act, f(o))}",
                     f"&= {full(d)}"]
            text = [f"delta = error * {act}'(output) = {full(e)} * {_derivative_text(act, full(o))} = {full(d)}"]
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
        terms = [f"{_term(f, above[k][j])} \\times {_term(f, deltas_above[k])}" for k in range(len(above))]
        sum_lines = _lines(terms, 2)
        latex = [f"e{sub} &= \\textstyle\\sum_k w_{{k{j + 1}}} \\delta_k", f"&= {sum_lines[0]}", *sum_lines[1:],
                 f"&= {full(e)}",
                 f"\\delta{sub} &= e \\cdot f'(o)", f"&= {_term(f, e)} \\times {_derivative_latex(act, f(o))}",
                 f"&= {full(d)}"]
        text = ["error = sum(w_kj * delta_k) = "
                + " + ".join(f"{full(above[k][j])} * {full(deltas_above[k])}" for k in range(len(above)))
                + f" = {full(e)}",
                f"delta = error * {act}'(output) = {full(e)} * {_derivative_text(act, full(o))} = {full(d)}"]
        return Step("backward", layer, j, f"Backward · {self.neuron_name(layer, j)}", tuple(latex),
                    tuple(text), {"error": e, "delta": d})

    # -- update ----------------------------------------------------------------------------
    def update_step(self, trace: ForwardTrace, gradients: Gradients, updated: Network,
                    learning_rate: float, layer: int, j: int) -> Step:
        f = self.fmt
        old, new = self.network.weights[layer - 1][j], updated.weights[layer - 1][j]
        x, d = trace.inputs[layer - 1], float(gradients.deltas[layer - 1][j])
        latex, text = [], []
        for i in range(len(old)):
            name = f"w_{{{i + 1}}}" if i < len(old) - 1 else "b"
            source = f" \\times {_term(f, x[i])}" if i < len(old) - 1 else ""
            latex.append(f"{name} &\\leftarrow {_term(f, old[i])} - {_term(f, learning_rate)} \\times "
                         f"{_term(f, d)}{source}")
            latex.append(f"&= {full(new[i])}")
            plain = f"w_{i + 1}" if i < len(old) - 1 else "bias"
            text.append(f"{plain}: {full(old[i])} - {full(learning_rate)} * {full(d)}"
                        + (f" * {full(x[i])}" if i < len(old) - 1 else "") + f" = {full(new[i])}")
        return Step("update", layer, j, f"Update · {self.neuron_name(layer, j)}", tuple(latex),
                    tuple(text), {"delta": d})


def _activation_latex(name: str, z: str) -> str:
    return {
        "sigmoid": f"\\frac{{1}}{{1 + e^{{-({z})}}}}",
        "tanh": f"\\tanh({z})",
        "relu": f"\\max(0, {z})",
        "linear": z,
    }[name]


def _derivative_latex(name: str, o: str) -> str:
    o_term = f"({o})" if o.startswith("-") else o
    return {
        "sigmoid": f"{o_term}\\,(1 - {o_term})",
        "tanh": f"(1 - {o_term}^2)",
        "relu": f"[{o_term} > 0]",
        "linear": "1",
    }[name]


def _derivative_text(name: str, o: str) -> str:
    return {"sigmoid": f"{o} * (1 - {o})", "tanh": f"(1 - {o}^2)",
            "relu": f"[{o} > 0]", "linear": "1"}[name]


def walk_through(network: Network, sample: Sequence[float], target: Sequence[float],
                 learning_rate: float = 0.5, feature_names: Sequence[str] | None = None,
                 class_names: Sequence[str] | None = None, digits: int | None = 6) -> Pass:
    """Run forward, backward and update on one sample and write out every step.

    ``digits`` sets the significant digits of the numbers substituted into the equations (None:
    every digit); each step's result is always written in full.
    """
    x = np.asarray(sample, dtype=float)
    t = np.asarray(target, dtype=float)
    if t.shape != (network.n_outputs,):
        raise ValueError(f"the network has {network.n_outputs} outputs, the target has {t.size} values")
    trace = forward(network, x)
    gradients = backward(network, trace, t)
    updated = update(network, trace, gradients, learning_rate)
    changes = weight_changes(trace, gradients, learning_rate)
    loss_before = float(loss_value(network.loss, trace.output, t))
    loss_after = float(loss_value(network.loss, forward(updated, x).output, t))
    w = _Writer(network, feature_names, class_names, full if digits is None else significant(digits))
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
        steps += [w.update_step(trace, gradients, updated, learning_rate, layer, j) for j in range(sizes[layer])]
    return Pass(network, x, t, learning_rate, trace, gradients, changes, updated, loss_before,
                loss_after, steps)
