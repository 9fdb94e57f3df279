"""Figures as the plain dicts plotly.js reads, and the hand-off that gives them to st.plotly_chart as they are.

Live figures are redrawn several times a second for every student. Built as ``go.Figure`` they cost
~3 ms each to construct (plotly copies its default template and checks every property) and ~3 ms
more when Streamlit turns them back into a dict (a deep copy) — per chart, per redraw. Built as
dicts, with numbers as base64 typed arrays (what plotly itself sends: compact, no float formatting),
they cost a fraction of that. Tests check each builder's dict against plotly's schema with
``go.Figure(spec)``, so skipping the checks here skips nothing.
"""
from __future__ import annotations

import base64
from typing import Any, Sequence

import numpy as np
from plotly.basedatatypes import BaseFigure

Spec = dict[str, Any]  # {"data": [trace dicts], "layout": {...}}


def typed(values: Sequence[float] | np.ndarray) -> dict[str, str] | list[float | None]:
    """Numbers for a trace: a float64 typed array when all are finite, else a list with None (a gap)
    for each NaN or infinity, so no such number ever reaches a chart."""
    array = np.asarray(values, dtype="<f8")
    if np.all(np.isfinite(array)):
        return {"dtype": "f8", "bdata": base64.b64encode(array.tobytes()).decode("ascii")}
    return [float(v) if np.isfinite(v) else None for v in array]


def numbers(values: dict[str, str] | Sequence[float | None] | np.ndarray) -> np.ndarray | list[float | None]:
    """A trace's numbers back from ``typed`` (or ``segments``): the array a typed dict holds, else as given."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype="<" + values["dtype"]).copy()
    return values


def segments(array: np.ndarray) -> dict[str, str]:
    """Line segments (x0, x1, NaN, x0, x1, NaN, …) as a float32 typed array — drawing positions need
    no more digits, and a graph of 13,000 weights stays well under a megabyte. NaN is plotly's gap."""
    return {"dtype": "f4", "bdata": base64.b64encode(np.asarray(array, dtype="<f4").tobytes()).decode("ascii")}


class Prebuilt(BaseFigure):
    """A finished spec for ``st.plotly_chart``. Streamlit reads a figure through ``to_dict()``; this one
    has nothing left to check or copy. (Never initialised as a plotly figure: it only hands over.)"""

    def __init__(self, spec: Spec) -> None:  # noqa: D107 — BaseFigure.__init__ is skipped on purpose
        self._spec = spec

    def to_dict(self) -> Spec:
        return self._spec


def prebuilt(spec: Spec) -> Prebuilt:
    return Prebuilt(spec)
