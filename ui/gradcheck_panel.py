"""Gradient check in the app: every weight's backprop gradient against central differences, worst first."""
from __future__ import annotations

import hashlib

import streamlit as st

from core import Network
from core.gradcheck import TOLERANCE, GradientCheck, gradient_check

from . import clicks, show, text
from .figures.gradcheck import relative_error_histogram
from .maths_card import Why
from .selection import of_weight

SCOPES = {"sample": "this sample", "training": "the whole training set, as one batch"}


def fingerprint(network: Network) -> str:
    """Which network a stored check belongs to (its weights and activations)."""
    digest = hashlib.blake2b(digest_size=12)
    for w in network.weights:
        digest.update(w.tobytes())
    digest.update(f"{network.activation}/{network.output_activation}".encode())
    return digest.hexdigest()


def verdict(check: GradientCheck, row) -> str:
    if row.kink:
        return row.kink
    if row.relative_error <= TOLERANCE:
        return "✓ agrees"
    return "within rounding noise" if check.row_passes(row) else "✗ differs"


def panel(why: Why, key: str) -> None:
    """A button that checks every weight of the sample's network, the table (worst first), a histogram,
    and the worst weight picked on the graph."""
    sample, network = why.sample, why.sample.network
    scopes = list(SCOPES) if why.training is not None else ["sample"]
    scope = st.radio("Check on", scopes, format_func=SCOPES.get, horizontal=True, key=f"{key}_scope")

    def run() -> None:
        x, t = (sample.inputs, sample.target) if scope == "sample" else why.training
        check = gradient_check(network, x, t, why.l1, why.l2, feature_names=sample.feature_names,
                               class_names=sample.class_names)
        st.session_state[f"{key}_result"] = (fingerprint(network), scope, check)
        worst = check.worst
        clicks.pick(of_weight(network, worst.layer, worst.neuron, worst.input))

    st.button("Check every gradient", key=f"{key}_run", on_click=run, icon=":material/rule:",
              help="For every weight and bias: backprop's ∂E/∂w against (E(w + ε) − E(w − ε)) / 2ε")
    stored = st.session_state.get(f"{key}_result")
    if stored is None or stored[0] != fingerprint(network) or stored[1] != scope:
        st.caption("Backprop's gradients are exact maths, but code can be wrong: the classic test nudges each weight "
                   "by ±ε and compares the change in E with backprop's number.")
        return
    check = stored[2]
    failures = check.failures()
    worst = check.worst
    line = (f"{len(check.rows)} weights and biases on {SCOPES[scope]}, E = {check.loss:.6g}, ε = {check.eps:g}. "
            f"Worst relative error **{worst.relative_error:.2e}** ({text.plain(worst.name)}), now picked on the graph.")
    if failures:
        st.error(f"**Failed**: {line} {len(failures)} outside the tolerance {TOLERANCE:g}.")
    else:
        st.success(f"**Passed**: {line}")
    table, chart = st.columns([2, 1])
    number = st.column_config.NumberColumn(format="%.10g")
    table.dataframe({"weight": [r.name for r in check.rows], "backprop ∂E/∂w": [r.backprop for r in check.rows],
                     "central difference": [r.numeric for r in check.rows],
                     "relative error": [r.relative_error for r in check.rows],
                     "verdict": [verdict(check, r) for r in check.rows]}, hide_index=True, height=300,
                    column_config={"backprop ∂E/∂w": number, "central difference": number,
                                   "relative error": st.column_config.NumberColumn(format="%.2e")})
    show.chart(relative_error_histogram(check), key=f"{key}_histogram", into=chart)
    st.caption(f"A relative error is |a − b| / max(|a|, |b|). Below {TOLERANCE:g} they agree; a gradient so small "
               f"that the difference is within E's rounding noise ({check.noise:.2g}) passes too.")
