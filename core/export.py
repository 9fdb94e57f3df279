"""One pass written out for slides and homework: JSON, CSV (one row per number) and LaTeX.

Every builder reads a ``Pass`` from core.steps.walk_through and nothing else: the JSON is what
``python -m core step --json`` prints, the CSV holds every number of every step at full precision
(repr), and the LaTeX is the walk's own equations (``Step.latex``), one ``aligned`` block per step.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

from . import model_io
from .chain import gradient_table
from .steps import Pass, Step, full

CSV_COLUMNS = ("step", "phase", "layer", "neuron", "name", "value")
LATEX_PER_LINE = 3  # numbers per line when the sample's inputs are listed
_LATEX_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
                   "^": r"\^{}", "_": r"\_", "%": r"\%", "~": r"\~{}"}


@dataclass(frozen=True)
class Quantity:
    """One number of the pass: ``step`` counts from 1 like the page (0 = the sample, before any step;
    None = the pass as a whole); ``layer`` and ``neuron`` count as in core.steps.Step."""

    step: int | None
    phase: str
    layer: int | None
    neuron: int | None
    name: str
    value: float


# -- JSON --------------------------------------------------------------------------------------------
def trace_dict(walk: Pass) -> dict[str, Any]:
    """The whole pass as plain data: sample, settings, every step (title, text lines, values), the loss
    before and after, the model before and after, and the chain rule's gradients and factors."""
    return {
        "input": walk.sample.tolist(), "target": walk.target.tolist(), "learning_rate": walk.learning_rate,
        "l1": walk.l1, "l2": walk.l2, "momentum": walk.momentum,
        "steps": [{"phase": s.phase, "layer": s.layer, "neuron": s.neuron, "title": s.title,
                   "text": list(s.text), "values": s.values} for s in walk.steps],
        "loss_before": walk.loss_before, "loss_after": walk.loss_after,
        "model": model_io.to_dict(walk.network), "updated_model": model_io.to_dict(walk.updated),
        "velocity": _listed(walk.velocity), "updated_velocity": _listed(walk.update.velocity),
        **gradient_table(walk, l1=walk.l1, l2=walk.l2),
    }


def _listed(arrays) -> list | None:
    return None if arrays is None else [a.tolist() for a in arrays]


# -- CSV ---------------------------------------------------------------------------------------------
def quantities(walk: Pass) -> list[Quantity]:
    """Every number of the pass in the order the steps show them: the sample's inputs x and target t,
    each step's values (z, output, loss, error, delta), each output's error o − t, and for every weight
    and bias its value before and after the update and its gradient ∂E/∂w (and velocity, with momentum)."""
    n_layers = len(walk.network.weights)
    rows = [Quantity(0, "sample", 0, i, "x", float(v)) for i, v in enumerate(walk.sample)]
    rows += [Quantity(0, "sample", n_layers, j, "t", float(v)) for j, v in enumerate(walk.target)]
    rows += [Quantity(0, "sample", None, None, name, value) for name, value in
             (("learning rate", walk.learning_rate), ("l1", walk.l1), ("l2", walk.l2), ("momentum", walk.momentum))
             if value or name == "learning rate"]
    gradients = gradient_table(walk, l1=walk.l1, l2=walk.l2)["gradients"]
    for number, step in enumerate(walk.steps, start=1):
        rows += _step_quantities(walk, number, step, gradients)
    rows += [Quantity(None, "result", None, None, "loss before", walk.loss_before),
             Quantity(None, "result", None, None, "loss after", walk.loss_after)]
    return rows


def _step_quantities(walk: Pass, number: int, step: Step, gradients: list) -> list[Quantity]:
    at = dict(step=number, phase=step.phase, layer=step.layer)
    if step.phase == "forward" and step.neuron is None:  # a softmax: one output per neuron
        return [Quantity(**at, neuron=j, name="output", value=v) for j, v in enumerate(step.values.values())]
    rows = []
    if step.phase == "error":
        rows += [Quantity(**at, neuron=j, name="error", value=float(e)) for j, e in enumerate(walk.gradients.errors[-1])]
    rows += [Quantity(**at, neuron=step.neuron, name=name, value=float(v)) for name, v in step.values.items()]
    if step.phase == "update":
        l, j = step.layer - 1, step.neuron
        old, new = walk.network.weights[l][j], walk.updated.weights[l][j]
        before, after = walk.velocity, walk.update.velocity
        for i in range(len(old)):
            symbol = "b" if i == len(old) - 1 else f"w_{i + 1}"
            rows += [Quantity(**at, neuron=j, name=f"{symbol} before", value=float(old[i])),
                     Quantity(**at, neuron=j, name=f"{symbol} after", value=float(new[i])),
                     Quantity(**at, neuron=j, name=f"dE/d{symbol}", value=float(gradients[l][j][i]))]
            if after is not None:
                rows += [Quantity(**at, neuron=j, name=f"v_{symbol} before",
                                  value=float(before[l][j][i]) if before is not None else 0.0),
                         Quantity(**at, neuron=j, name=f"v_{symbol} after", value=float(after[l][j][i]))]
    return rows


def trace_csv(walk: Pass) -> str:
    """``quantities(walk)`` as CSV: step, phase, layer, neuron, name, value (value as repr, every digit)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for q in quantities(walk):
        writer.writerow(["" if q.step is None else q.step, q.phase, "" if q.layer is None else q.layer,
                         "" if q.neuron is None else q.neuron, q.name, full(q.value)])
    return out.getvalue()


# -- LaTeX -------------------------------------------------------------------------------------------
def latex_text(text: str) -> str:
    """Plain text (a title, a feature or class name) safe inside LaTeX text: specials escaped, one line."""
    text = re.sub(r"\s+", " ", str(text)).replace(" · ", ": ")
    return "".join(_LATEX_SPECIALS.get(c, c) for c in text)


def _block(lines: list[str] | tuple[str, ...]) -> list[str]:
    return ["\\[", "\\begin{aligned}", " \\\\\n".join(lines), "\\end{aligned}", "\\]", ""]


def _vector(symbol: str, values) -> list[str]:
    numbers = [full(v) for v in values]
    chunks = [", ".join(numbers[i:i + LATEX_PER_LINE]) for i in range(0, len(numbers), LATEX_PER_LINE)]
    lines = [f"{symbol} &= ({chunks[0]}"] + [f"&\\quad {c}" for c in chunks[1:]]
    for k in range(len(lines) - 1):
        lines[k] += ","
    lines[-1] += ")"
    return lines


def trace_latex(walk: Pass, description: str = "") -> str:
    """A LaTeX fragment (amsmath): the sample, then one titled ``aligned`` block per step — the walk's
    own ``Step.latex`` lines — then the loss before and after the update."""
    n = len(walk.steps)
    head = ["% Backprop Lab: one pass of backpropagation on one sample, step by step "
            "(forward, error, backward, update).",
            "% Needs \\usepackage{amsmath}. A whole document: \\documentclass{article} \\usepackage{amsmath}",
            "%   \\begin{document} \\input{this file} \\end{document}",
            f"\\noindent\\textbf{{The sample}}{': ' + latex_text(description) if description else ''} "
            f"(learning rate $\\eta = {full(walk.learning_rate)}$)"]
    out = head + _block(_vector("x", walk.sample) + _vector("t", walk.target))
    for number, step in enumerate(walk.steps, start=1):
        out += [f"\\noindent\\textbf{{Step {number} of {n}. {latex_text(step.title)}}}"] + _block(step.latex)
    out += ["\\noindent\\textbf{Loss on this sample}"]
    out += _block([f"E_{{\\text{{before}}}} &= {full(walk.loss_before)}",
                   f"E_{{\\text{{after}}}} &= {full(walk.loss_after)} \\quad \\text{{({walk.change})}}"])
    return "\n".join(out)
