"""The loss along one weight: E(w) with every other weight fixed, its tangent, and the step the update takes."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from .. import text
from . import colors


def tangent(weight: float, loss: float, gradient: float, half_width: float) -> tuple[list[float], list[float]]:
    """The tangent at (w, E(w)): the line E(w) + ∂E/∂w·(v − w) for v from w − h to w + h."""
    xs = [weight - half_width, weight + half_width]
    return xs, [loss + gradient * (x - weight) for x in xs]


def loss_slice_figure(values: Sequence[float], sample_loss: Sequence[float], training_loss: Sequence[float] | None,
                      weight: float, loss: float, gradient: float, after: float, loss_after: float,
                      name: str, height: int = 400) -> go.Figure:
    """E of this sample (and the mean over the training set, if given) as the one weight ``name`` moves
    over ``values``; the tangent at ``weight`` with slope ``gradient``; an arrow for the update's step
    from ``weight`` to ``after`` = w − η·∂E/∂w, landing at ``loss_after`` on the sample's curve."""
    values = np.asarray(values, dtype=float)
    span = float(values[-1] - values[0]) if len(values) > 1 else 1.0
    traces = [dict(type="scatter", x=values, y=np.asarray(sample_loss, dtype=float), mode="lines", name="E on this sample",
                   line=dict(color=colors.TRAIN, width=3), hovertemplate="w = %{x:.6g}<br>E = %{y:.6g}<extra></extra>")]
    if training_loss is not None:
        traces.append(dict(type="scatter", x=values, y=np.asarray(training_loss, dtype=float), mode="lines",
                           name="mean E on the training set", line=dict(color=colors.MUTED, width=2, dash="dot"),
                           hovertemplate="w = %{x:.6g}<br>mean E = %{y:.6g}<extra></extra>"))
    tx, ty = tangent(weight, loss, gradient, span / 7)
    traces.append(dict(type="scatter", x=tx, y=ty, mode="lines", name="tangent: slope ∂E/∂w",
                       line=dict(color=colors.DELTA, width=2, dash="dash"), hoverinfo="skip"))
    traces.append(dict(type="scatter", x=[after], y=[loss_after], mode="markers", name="w after the update",
                       marker=dict(size=15, color=colors.SELECTED, symbol="diamond"),
                       hovertemplate=f"w − η·∂E/∂w = {after!r}<br>E = {loss_after!r}<extra></extra>"))
    traces.append(dict(type="scatter", x=[weight], y=[loss], mode="markers", name="w now",
                       marker=dict(size=12, color=colors.TRAIN, line=dict(width=2, color=colors.NEUTRAL)),
                       hovertemplate=f"w now = {weight!r}<br>E = {loss!r}<br>∂E/∂w = {gradient!r}<extra></extra>"))
    went = "up: the step overshoots" if loss_after > loss else "down"
    arrow = dict(x=after, y=loss_after, ax=weight, ay=loss, xref="x", yref="y", axref="x", ayref="y",
                 showarrow=True, arrowhead=3, arrowsize=1.3, arrowwidth=2.5, arrowcolor=colors.SELECTED, text="")
    title = (f"E as {text.for_plot(name, 60)} moves<br><span style='font-size:12px'>every other weight fixed; "
             f"the update's step −η·∂E/∂w = {after - weight:+.4g}:<br>E on this sample goes {went}</span>")
    layout = dict(
        title=dict(text=title, x=0.01, font=dict(size=14)),
        height=height, margin=dict(l=10, r=10, t=76, b=10), hovermode="closest",
        xaxis=dict(title=dict(text="value of this weight")), yaxis=dict(title=dict(text="E")),
        legend=dict(orientation="h", y=-0.3, x=0, yanchor="top"), annotations=[arrow],
    )
    return go.Figure(data=traces, layout=layout, _validate=False)
