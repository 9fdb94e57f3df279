"""How pages put figures and equations on screen: every plotly chart in the lesson's theme with one config,
and every equation scaled to fit its box — never clipped, never scrolled."""
from __future__ import annotations

from typing import Sequence

import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from core.typeset import aligned_width

from . import state, theme

CONFIG = {"displayModeBar": False}  # the plotly config of every chart
EQUATION_PX = {False: 17.28, True: 26.0}  # an equation's largest size: normal and presentation mode
ROW_EM = 1.5  # one line of an aligned block, baseline to baseline, in em (KaTeX: 1.2 em + a jot)
FIT_MARGIN = 1.05  # core.typeset's estimate errs by at most a few per cent


def chart(fig: go.Figure, key: str, into: DeltaGenerator | None = None) -> None:
    """Show ``fig`` in the lesson's theme (and presentation mode's larger type) under a stable ``key``."""
    lesson = state.lesson()
    (into or st).plotly_chart(theme.style(fig, lesson.theme, lesson.presentation), key=key, config=CONFIG)


def live_chart(fig: go.Figure | None, key: str, live: bool) -> None:
    """A chart that a live fragment redraws several times a second, never blank in between.

    Streamlit gives a plotly chart a new identity whenever its figure changes, so the browser throws the
    old chart away and draws the new one from scratch, leaving a gap (0.2–1 s on a loaded machine). So,
    while ``live``, two copies share one place (CSS grid): each tick replaces only one of them, alternately,
    and lays it on top; the other, sent unchanged, keeps its drawing and shows until the new one is drawn
    over it (opaque). Not live: both copies show ``fig``. ``fig`` None: the copies as they are (a chart
    redrawn less often than its fragment runs)."""
    lesson = state.lesson()
    copies = st.session_state.get(f"_live_{key}")
    slot = st.session_state.get(f"_live_{key}_slot", 0)
    if fig is not None or copies is None:
        styled = theme.style(fig if fig is not None else go.Figure(), lesson.theme, lesson.presentation, opaque=True)
        if live and copies is not None:
            slot = 1 - slot
            copies[slot] = styled
        else:  # both copies the same figure (the one on top stays on top): a live tick replaces only one
            copies = [styled, styled]
        st.session_state[f"_live_{key}"], st.session_state[f"_live_{key}_slot"] = copies, slot
    with st.container(key=f"live_{key}"):
        for i, copy in enumerate(copies):
            st.plotly_chart(copy, key=f"{key}_{i}", config=CONFIG)
    st.html(f"<style>.st-key-{key}_{slot} {{ z-index: 2; }} .st-key-{key}_{1 - slot} {{ z-index: 1; }}</style>")


def equation_size(lines: Sequence[str], presentation: bool, reserved_px: float | None = None) -> str:
    """The CSS font size that fits ``lines`` (an aligned block) to its container's width: the normal size
    unless the widest line needs less, i.e. min(normal, 100cqi / width in em). With ``reserved_px``, also
    short enough for the viewport less that many pixels: (100vh − reserved) / (rows × ROW_EM)."""
    wide = aligned_width(lines) * FIT_MARGIN + 0.3
    sizes = [f"{EQUATION_PX[presentation]}px", f"calc(100cqi / {wide:.2f})"]
    if reserved_px is not None:
        sizes.append(f"calc((100vh - {reserved_px:.0f}px) / {len(lines) * ROW_EM:.2f})")
    return f"min({', '.join(sizes)})"


def equation(lines: Sequence[str], key: str, reserved_px: float | None = None) -> None:
    """``lines`` as one aligned block in a container keyed ``key`` (CSS class st-key-<key>), sized by
    ``equation_size``: the container's width is what the size is measured against."""
    size = equation_size(lines, state.lesson().presentation, reserved_px)
    with st.container(key=key):
        st.html(f"<style>.st-key-{key} {{ container-type: inline-size; }} "
                f".st-key-{key} .katex-display > .katex {{ font-size: {size} !important; }}</style>")
        st.latex("\\begin{aligned}" + " \\\\ ".join(lines) + "\\end{aligned}")
