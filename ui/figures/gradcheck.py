"""The gradient check at a glance: how far backprop's gradients are from central differences."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.gradcheck import TOLERANCE, GradientCheck

from . import colors

FLOOR = -17.0  # log10 of the smallest relative error drawn: exact agreement (0) is counted here


def log_relative_errors(check: GradientCheck) -> np.ndarray:
    """log10 of every row's relative error, with 0 (exact agreement) drawn at ``FLOOR``."""
    errors = np.array([row.relative_error for row in check.rows], dtype=float)
    return np.log10(np.maximum(errors, 10.0 ** FLOOR))


def relative_error_histogram(check: GradientCheck, tol: float = TOLERANCE, height: int = 300) -> go.Figure:
    """A histogram of log10(relative error) over every weight and bias, with the tolerance marked."""
    logs = log_relative_errors(check)
    fig = go.Figure(go.Histogram(x=logs, xbins=dict(start=FLOOR - 0.25, end=max(1.0, float(np.max(logs)) + 0.5), size=0.5),
                                 marker_color=colors.TRAIN, name="weights",
                                 hovertemplate="10^%{x}: %{y} weights<extra></extra>"))
    fig.add_vline(x=float(np.log10(tol)), line=dict(color=colors.DELTA, width=2, dash="dash"))
    fig.add_annotation(x=float(np.log10(tol)), y=1, yref="paper", yanchor="bottom", showarrow=False,
                       text=f"tolerance {tol:g}", font=dict(color=colors.DELTA), xanchor="left")
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10), showlegend=False, bargap=0.05,
                      xaxis=dict(title="log10 relative error (left = closer agreement)"),
                      yaxis=dict(title="weights and biases"))
    return fig
