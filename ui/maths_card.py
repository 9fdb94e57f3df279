"""The maths card: why the picked weight's gradient is what it is, factor by factor in real numbers,
checked by central differences, and the step the update takes — or, for a picked neuron, its z, output,
delta and every incoming weight's gradient. Every number comes from core.chain.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Callable

import numpy as np
import streamlit as st

from core import Network
from core.chain import NeuronStory, WeightStory, neuron_story, weight_story
from core.gradcheck import TOLERANCE

from . import clicks, nudge, state, text, training_run
from .samples import Sample
from .show import equation
from .selection import Selection

LOSS_WORDS = {"½·Σ(o − t)²": "**E = ½·Σ(o − t)²**, half the squared error of this one sample's outputs",
              "cross-entropy": "**E = −Σ t·ln p**, the cross-entropy of this one sample's softmax outputs"}


def per_line(digits: int | None) -> int:
    """Terms of Σ w_kj·δ_k per line: two fit the card's column, one if every digit is shown."""
    return 1 if digits is None or digits > 6 else 2


@dataclass
class Why:
    """What a page gives the card: its sample (whose ``network`` is the one kept), the update's settings,
    the training rows (for the loss along the weight), and how to keep a nudged network."""

    sample: Sample
    learning_rate: float
    keep: Callable[[Network, str], None]  # keep_in_lesson, or how the page keeps its own network
    training: tuple[np.ndarray, np.ndarray] | None = None
    l1: float = 0.0
    l2: float = 0.0
    momentum: float = 0.0
    digits: int | None = 6

    def shown(self, selection: Selection | None) -> Network:
        """The network the page draws: the kept one, or a copy with the picked weight nudged."""
        return nudge.applied(self.sample.network, selection)

    def story(self, selection: Selection | None) -> WeightStory | NeuronStory | None:
        """core.chain's story of the picked weight or neuron on this sample, in the network as shown."""
        if selection is None:
            return None
        s, network = self.sample, self.shown(selection)
        names = dict(feature_names=s.feature_names, class_names=s.class_names)
        if selection.is_neuron:
            return neuron_story(network, s.inputs, s.target, selection.layer, selection.neuron, self.learning_rate,
                                self.l1, self.l2, **names)
        return weight_story(network, s.inputs, s.target, *selection.index(network), self.learning_rate,
                            self.l1, self.l2, **names)


_EXPONENT = re.compile(r"(\d)e([-+])0*(\d+)")


def scientific(latex: str) -> str:
    """Python's 6.2e-07 as 6.2×10⁻⁷ (in LaTeX "e-07" reads as e minus 07); the digits are kept."""
    return _EXPONENT.sub(lambda m: f"{m[1]}\\times 10^{{{'-' if m[2] == '-' else ''}{m[3]}}}", latex)


def keep_in_lesson(network: Network, made: str) -> None:
    """Make a nudged network the lesson's. A paused run is recorded and let go first, so that Resume
    trains on from the kept weights (a paused worker would otherwise carry on with its own copy)."""
    training_run.let_go()
    state.set_network(network, made, velocity=state.lesson().velocity, keep_run=True)


def _equation(lines: list[str], key: str) -> None:
    """An aligned block, numbers in scientific notation, scaled to fit its column (ui.show.equation)."""
    equation([scientific(line) for line in lines], key)


def _loss_words(loss: str, why: Why) -> str:
    words = LOSS_WORDS[loss]
    if why.l1 or why.l2:
        words += ", plus the weight penalty λ₁·Σ|w| + (λ₂/2)·Σw²"
    return words


def agreement(story: WeightStory) -> str:
    """One line on how backprop's number and the central difference agree."""
    if story.kink:
        return f"No derivative here ({story.kink}): the difference quotient is not one, so they need not agree."
    if story.relative_error <= TOLERANCE:
        digits = "every digit" if story.relative_error == 0 else \
            f"about {max(0, math.floor(-math.log10(story.relative_error)))} significant digits"
        return f"✓ They agree to {digits}: backprop's chain rule is the slope of E."
    return (f"They differ by {story.relative_error:.1e} (relative). For a gradient this small the central "
            "difference's own rounding noise can be that large; the gradient check below gives the verdict.")


def show(why: Why, selection: Selection | None, story: WeightStory | NeuronStory | None, key: str) -> None:
    """The card under a graph: a prompt when nothing is picked, else the picked weight's or neuron's story."""
    if selection is None or story is None:
        st.info("**Why does a weight change the way it does?** Click a connection (a weight), the small square "
                "under a neuron (its bias) or a neuron on the graph: its gradient is worked out here factor by "
                "factor, checked by central differences, and you can nudge it by hand.", icon=":material/touch_app:")
        return
    head, clear = st.columns([4, 1], vertical_alignment="bottom")
    head.markdown(f"#### Why {text.plain(story.name)} " + ("learns the way it does" if selection.is_neuron else
                                                             "changes the way it does"))
    clear.button("Unpick", key=f"{key}_clear", on_click=clicks.pick, args=(None,), icon=":material/close:",
                 use_container_width=True)
    loss = story.weights[0].loss if isinstance(story, NeuronStory) else story.loss
    st.markdown(f"On {text.plain(why.sample.description)}: {_loss_words(loss, why)}. Backprop differentiates this "
                "E; the tutorial's epoch error Σ(t − o)² adds up twice these over an epoch's rows.")
    if isinstance(story, NeuronStory):
        _neuron(story, why.digits, key)
    else:
        _weight(why, selection, story, key)


def _weight(why: Why, selection: Selection, story: WeightStory, key: str) -> None:
    parts = story.latex_sections(why.digits, per_line(why.digits))
    # with every digit the lines are too wide to share the row: the check and the update go underneath
    chain, side = st.columns([1.45, 1]) if per_line(why.digits) > 1 else (st.container(), st.container())
    with chain:
        st.markdown("**The chain rule, factor by factor**")
        _equation(parts["why"] + parts["delta"] + parts["input"] + parts["gradient"], f"{key}_chain")
        st.caption("Why times the input? z = b + Σ wᵢ·xᵢ, so moving w by a little moves z by x times as much: "
                   "∂z/∂w = x (1 for the bias). Why times f′? The output is o = f(z), so it moves f′ times as much as z.")
    with side:
        st.markdown("**Checked by central differences**")
        st.markdown(f"backprop: ∂E/∂w = `{story.gradient!r}`  \n"
                    f"(E(w + ε) − E(w − ε)) / 2ε, ε = {story.eps:g}: `{story.numeric!r}`  \n"
                    f"relative error **{story.relative_error:.2e}**")
        st.caption(agreement(story))
        st.markdown("**The update**")
        _equation(parts["update"], f"{key}_update")
        notes = []
        if parts["sign"]:
            notes.append("Which sign? The gradient points uphill, so the update subtracts it. The tutorial writes "
                         "error = t − o, so its delta is −δ and its update adds η·(−δ)·x: the same new weight.")
        if why.momentum:
            notes.append(f"This is the plain gradient step; with momentum β = {why.momentum:g} the training step "
                         "also adds β times the previous step.")
        if notes:
            st.caption(" ".join(notes))
    st.markdown("**Nudge it**")
    nudge.control(why.sample.network, selection, story, why.sample.inputs, why.sample.target, why.training,
                  why.keep, why.l1, why.l2)


def _neuron(story: NeuronStory, digits: int | None, key: str) -> None:
    left, right = st.columns([1.45, 1]) if per_line(digits) > 1 else (st.container(), st.container())
    with left:
        first = story.weights[0].latex_sections(digits, per_line(digits))
        _equation(story.latex(digits)[:2] + first["delta"], f"{key}_neuron")
    with right:
        st.markdown(f"z = `{story.z!r}`  \noutput o = `{story.output!r}`  \ndelta δ = `{story.delta!r}`")
        st.caption("Every incoming weight shares this neuron's δ: its gradient is δ times the input it multiplies, "
                   "so a weight whose input is 0 does not move. Click one of them for its whole story and to nudge it.")
    st.dataframe({
        "weight": [w.name for w in story.weights],
        "input x": [w.x for w in story.weights],
        "∂E/∂w = δ·x": [w.gradient for w in story.weights],
        "central difference": [w.numeric for w in story.weights],
        "relative error": [w.relative_error for w in story.weights],
        "w now": [w.weight for w in story.weights],
        "w after the update": [w.new_weight for w in story.weights],
    }, hide_index=True, column_config={name: st.column_config.NumberColumn(format="%.2e" if name == "relative error"
                                                                           else "%.10g")
                                       for name in ("input x", "∂E/∂w = δ·x", "central difference", "relative error",
                                                    "w now", "w after the update")})
