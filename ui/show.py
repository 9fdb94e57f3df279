"""How pages put figures and equations on screen: every plotly chart in the lesson's theme, and every
equation scaled to fit its box — never clipped, never scrolled."""
from __future__ import annotations

from typing import Any, Sequence

import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from core.typeset import aligned_width

from . import state, theme
from .figures.spec import Spec, prebuilt

CONFIG = {"displayModeBar": False}  # a chart's plotly config unless it is given one (e.g. a PNG button)
EQUATION_PX = {False: 17.28, True: 26.0}  # an equation's largest size: normal and presentation mode
ROW_EM = 1.5  # one line of an aligned block, baseline to baseline, in em (KaTeX: 1.2 em + a jot)
FIT_MARGIN = 1.05  # core.typeset's estimate errs by at most a few per cent
MIN_TALL_PX = 14  # the smallest an equation is made to fit the screen's height


def styled(fig: Spec | go.Figure) -> Spec:
    """``fig`` in the lesson's theme, with presentation mode's larger type when it is on."""
    lesson = state.lesson()
    return theme.style(fig, lesson.theme, lesson.presentation)


def chart(fig: Spec | go.Figure, key: str, into: DeltaGenerator | None = None, config: dict | None = None,
          **options: Any) -> Any:
    """Show ``fig`` in the lesson's theme under a stable ``key``; ``options`` go to st.plotly_chart
    (e.g. on_select). Returns what st.plotly_chart returns."""
    return (into or st).plotly_chart(prebuilt(styled(fig)), key=key, config=config or CONFIG, **options)


def equation_size(lines: Sequence[str], presentation: bool, reserved_px: float | None = None) -> str:
    """The CSS font size that fits ``lines`` (an aligned block) to its container's width: the normal size
    unless the widest line needs less, i.e. min(normal, 100cqi / width in em). With ``reserved_px``, also
    short enough for the viewport less that many pixels, (100vh − reserved) / (rows × ROW_EM), but never
    below MIN_TALL_PX for that (a short window scrolls rather than shrink the type to nothing)."""
    wide = aligned_width(lines) * FIT_MARGIN + 0.3
    sizes = [f"{EQUATION_PX[presentation]}px", f"calc(100cqi / {wide:.2f})"]
    if reserved_px is not None:
        sizes.append(f"max({MIN_TALL_PX}px, calc((100vh - {reserved_px:.0f}px) / {len(lines) * ROW_EM:.2f}))")
    return f"min({', '.join(sizes)})"


def equation(lines: Sequence[str], key: str, reserved_px: float | None = None) -> None:
    """``lines`` as one aligned block in a container keyed ``key`` (CSS class st-key-<key>), sized by
    ``equation_size``: the container's width is what the size is measured against."""
    size = equation_size(lines, state.lesson().presentation, reserved_px)
    with st.container(key=key):
        st.html(f"<style>.st-key-{key} {{ container-type: inline-size; }} "
                f".st-key-{key} .katex-display > .katex {{ font-size: {size} !important; }}</style>")
        st.latex("\\begin{aligned}" + " \\\\ ".join(lines) + "\\end{aligned}")
