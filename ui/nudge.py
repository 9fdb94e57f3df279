"""Nudge the picked weight by hand: the page shows a copy with the new value; "Keep this value" saves it.

The slider's value lives in the session under a key that names the weight and its kept value, so a
kept (or retrained) weight starts a fresh slider at its new value, and the lesson's network is never
touched until the learner keeps the value.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import streamlit as st

from core import Network
from core.chain import WeightStory, loss_slice, slice_range, with_weight

from . import show
from .figures.loss_slice import loss_slice_figure
from .selection import Selection

POINTS = 161  # points along each loss curve
RESETS = "nudge_resets"  # "back to the kept value" starts a fresh slider (its state is never written by hand)


def _kept(network: Network, selection: Selection) -> float:
    layer, j, i = selection.index(network)
    return float(network.weights[layer - 1][j, i])


def key(network: Network, selection: Selection) -> str:
    """The slider's key: the weight, its kept value, and how often "back" has reset it."""
    return f"nudge_{selection.param}_{_kept(network, selection)!r}_{st.session_state.get(RESETS, 0)}"


def reach(kept: float) -> tuple[float, float]:
    """The slider's range: the kept value ± max(2, |w|)."""
    half = max(2.0, abs(kept))
    return kept - half, kept + half


def value(network: Network, selection: Selection | None) -> float | None:
    """The nudged value of the picked weight, or None if it is not nudged (or a neuron is picked)."""
    if selection is None or selection.is_neuron:
        return None
    nudged = st.session_state.get(key(network, selection))
    return None if nudged is None or nudged == _kept(network, selection) else float(nudged)


def applied(network: Network, selection: Selection | None) -> Network:
    """``network`` with the picked weight at its nudged value (a copy), or ``network`` itself."""
    nudged = value(network, selection)
    return network if nudged is None else with_weight(network, *selection.index(network), nudged)


def control(network: Network, selection: Selection, story: WeightStory, x: np.ndarray, t: np.ndarray,
            training: tuple[np.ndarray, np.ndarray] | None, keep: Callable[[Network, str], None],
            l1: float = 0.0, l2: float = 0.0) -> None:
    """The slider, the losses it gives, "Keep this value", and the loss along the weight (``story`` is
    the picked weight's story on the network as shown, nudged or not)."""
    kept = _kept(network, selection)
    slider_key = key(network, selection)
    low, high = reach(kept)
    layer, j, i = selection.index(network)

    def back() -> None:
        st.session_state[RESETS] = st.session_state.get(RESETS, 0) + 1

    def keep_it() -> None:
        nudged = value(network, selection)
        if nudged is not None:
            keep(with_weight(network, layer, j, i, nudged), f"{story.name} set by hand to {nudged:.6g}")

    st.slider(f"Nudge {selection.param}: try another value (kept: {kept:.6g})", low, high, kept,
              step=(high - low) / 400, format="%.5f", key=slider_key,
              help="Every other weight stays as it is. The graph, the outputs and the loss follow; the lesson's "
                   "network changes only when you keep the value.")
    nudged = story.weight
    after = story.new_weight
    plot_low, plot_high = slice_range(nudged, story.gradient, story.learning_rate)
    values = np.linspace(min(low, plot_low), max(high, plot_high), POINTS)
    sample_curve = loss_slice(network, x, t, layer, j, i, values, l1, l2)
    at_kept, now, landed = loss_slice(network, x, t, layer, j, i, [kept, nudged, after], l1, l2)
    training_curve = None if training is None else loss_slice(network, *training, layer, j, i, values, l1, l2)
    if nudged != kept:
        st.markdown(f"E on this sample: **{now:.6g}** at w = {nudged:.6g} (the kept value {kept:.6g} gives {at_kept:.6g}).")
    c = st.columns(2)
    c[0].button("Keep this value", key=f"{slider_key}_keep", type="primary", on_click=keep_it,
                disabled=nudged == kept, icon=":material/check:", use_container_width=True)
    c[1].button("Back to the kept value", key=f"{slider_key}_back", on_click=back, disabled=nudged == kept,
                icon=":material/undo:", use_container_width=True)
    show.chart(loss_slice_figure(values, sample_curve, training_curve, nudged, now, story.gradient, after,
                                 landed, story.name), key=f"{slider_key}_slice")
    st.caption(f"The dashed tangent's slope is ∂E/∂w = {story.gradient:.6g}, the gradient worked out above. The update "
               f"moves w against the slope, by η = {story.learning_rate:g} times it: the arrow from ● to ◆. The tangent "
               "is only right close to w: with too large an η the step lands past the bottom of the curve and E goes up"
               + (f" — as here ({now:.4g} → {landed:.4g})." if landed > now else " (try a larger η).")
               + ("" if training is None else " The dotted curve is the mean E over the training rows: a step that "
                  "helps this sample need not help the whole data."))
