"""Training and evaluation charts: loss and accuracy per epoch, confusion matrix, folds, weights, data."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from core import CrossValidationResult, History, Network

from .. import text
from . import colors

MAX_POINTS = 600


def decimate(n: int, limit: int = MAX_POINTS) -> np.ndarray:
    """Indices of at most ~``limit`` evenly spaced points out of ``n``, always keeping the last.
    Only what is drawn is thinned; the history itself is never touched."""
    if n <= limit:
        return np.arange(n)
    stride = int(np.ceil(n / limit))
    index = np.arange(0, n, stride)
    return index if index[-1] == n - 1 else np.append(index, n - 1)


def _finite(values: Sequence[float]) -> np.ndarray | list[float | None]:
    """NaN or inf never reaches a chart: such points become gaps (None). Finite data stays a numpy
    array, which plotly takes without checking every element in Python."""
    array = np.asarray(values, dtype=float)
    if np.all(np.isfinite(array)):
        return array
    return [float(v) if np.isfinite(v) else None for v in array]


def flat_range(traces: list[dict], least: float = 1e-3) -> list[float] | None:
    """An axis range for series that barely change (a flat loss): their value ± max(5 %, ``least``), so
    the ticks are round numbers, never "1.99999999999985234". None when the series span enough to
    autorange."""
    values = np.concatenate([np.asarray(t["y"], dtype=float) for t in traces] or [np.zeros(0)])
    values = values[np.isfinite(values)]  # the gaps (None → nan) left out
    if values.size == 0:
        return None
    low, high = float(values.min()), float(values.max())
    middle = (low + high) / 2
    if high - low > 1e-6 * max(abs(middle), 1e-9):
        return None
    pad = max(0.05 * abs(middle), least)
    return [middle - pad, middle + pad]


def _line_chart(title: str, y_title: str, traces: list[dict], height: int, total_epochs: int | None,
                y_range: list[float] | None = None) -> go.Figure:
    """A live chart, built from plain dicts without plotly's per-property validation (it is redrawn
    several times a second while training). Ticks are rounded (at most 5 significant digits)."""
    layout = dict(
        title=dict(text=title, x=0.01), height=height, margin=dict(l=10, r=10, t=40, b=10),
        xaxis=dict(title=dict(text="epoch"), range=[0, total_epochs] if total_epochs else None, tickformat="~d"),
        yaxis=dict(title=dict(text=y_title), range=y_range or flat_range(traces), tickformat=".5~g"),
        legend=dict(orientation="h", y=1.02, x=1, xanchor="right", yanchor="bottom"), hovermode="x unified",
    )
    return go.Figure(data=traces, layout=layout, _validate=False)


def _line(x, y, name: str, color: str, dotted: bool = False) -> dict:
    return dict(type="scatter", x=x, y=_finite(y), mode="lines", name=name,
                line=dict(color=color, width=2.5, dash="dot" if dotted else "solid"))


def loss_figure(history: History, measure: str = "loss", total_epochs: int | None = None,
                height: int = 320) -> go.Figure:
    """Loss per epoch (training and, if any, validation) or the tutorial's epoch sum-squared error."""
    keep = decimate(len(history))
    epochs = np.asarray(history.epoch, dtype=float)[keep]
    if measure == "sse":
        return _line_chart("Epoch error Σ(t − o)² (the tutorial's)", "sum of squared errors",
                           [_line(epochs, np.asarray(history.sse)[keep], "training", colors.TRAIN)],
                           height, total_epochs)
    traces = [_line(epochs, np.asarray(history.loss)[keep], "training", colors.TRAIN)]
    if history.validation_loss:
        traces.append(_line(epochs, np.asarray(history.validation_loss)[keep], "validation", colors.VALIDATION,
                            dotted=True))
    return _line_chart("Loss per epoch", "mean loss per row", traces, height, total_epochs)


def accuracy_figure(history: History, total_epochs: int | None = None, height: int = 320) -> go.Figure:
    """Training and validation accuracy (%) per epoch."""
    keep = decimate(len(history))
    epochs = np.asarray(history.epoch, dtype=float)[keep]
    traces = []
    if history.train_accuracy:
        traces.append(_line(epochs, np.asarray(history.train_accuracy)[keep], "training", colors.TRAIN))
    if history.validation_accuracy:
        traces.append(_line(epochs, np.asarray(history.validation_accuracy)[keep], "validation",
                            colors.VALIDATION, dotted=True))
    return _line_chart("Accuracy per epoch", "accuracy (%)", traces, height, total_epochs, [0, 101])


def confusion_figure(counts: np.ndarray, class_names: Sequence[str], title: str = "Confusion matrix",
                     height: int = 360) -> go.Figure:
    """Heatmap of counts: rows are the true class, columns the predicted class."""
    names = [text.for_plot(n, 30) for n in class_names]
    fig = go.Figure(go.Heatmap(
        z=counts, x=names, y=names, colorscale="Blues", showscale=False, text=counts,
        texttemplate="%{text}", textfont=dict(size=18),
        hovertemplate="true %{y}, predicted %{x}: %{z} rows<extra></extra>",
    ))
    fig.update_layout(title=dict(text=title, x=0.01), height=height, margin=dict(l=10, r=10, t=40, b=10),
                      xaxis=dict(title="predicted", side="bottom"),
                      yaxis=dict(title="true", autorange="reversed"))
    return fig


def folds_figure(result: CrossValidationResult, height: int = 340) -> go.Figure:
    """Accuracy per fold as bars, the mean as a line, and the zero-rule baseline as a dashed line."""
    labels = [f"fold {f.fold}" for f in result.folds]
    fig = go.Figure(go.Bar(x=labels, y=result.scores, marker_color=colors.TRAIN, name="accuracy",
                           text=[f"{s:.3f}%" for s in result.scores], textposition="outside",
                           hovertemplate="%{x}: %{y:.3f}%<extra></extra>"))
    if result.folds:
        for value, label, color, dash in ((result.mean, "mean", colors.TRAIN, "solid"),
                                          (result.baseline_mean, "zero-rule", colors.MUTED, "dash")):
            fig.add_hline(y=value, line=dict(color=color, width=2, dash=dash))
            fig.add_annotation(x=1.01, xref="paper", xanchor="left", y=value, yref="y", showarrow=False,
                               text=f"{label}<br>{value:.3f}%", font=dict(color=color), align="left")
    fig.update_layout(height=height, margin=dict(l=10, r=95, t=20, b=10), showlegend=False,
                      yaxis=dict(title="accuracy (%)", range=[0, 109]))
    return fig


def weights_heatmap(network: Network, layer: int, input_names: Sequence[str],
                    neuron_names: Sequence[str], height: int | None = None) -> go.Figure:
    """Layer ``layer``'s weights (0-based): one row per neuron, one column per input, bias last."""
    w = network.weights[layer]
    columns = [text.for_plot(n, 30) for n in list(input_names)[: w.shape[1] - 1]] + ["bias"]
    span = float(np.max(np.abs(w))) or 1.0
    fig = go.Figure(go.Heatmap(
        z=w, x=columns, y=[text.for_plot(n, 30) for n in neuron_names], colorscale=colors.DIVERGING, zmin=-span, zmax=span,
        text=np.vectorize(lambda v: f"{v:.3g}")(w), texttemplate="%{text}" if w.size <= 200 else None,
        hovertemplate="%{y} ← %{x}: %{z}<extra></extra>", colorbar=dict(title="w"),
    ))
    fig.update_layout(height=height or max(200, 44 * w.shape[0] + 90), margin=dict(l=10, r=10, t=10, b=10),
                      yaxis=dict(autorange="reversed"))
    return fig


def class_balance_figure(counts: Sequence[int], class_names: Sequence[str], height: int = 260) -> go.Figure:
    fig = go.Figure(go.Bar(x=[text.for_plot(n, 30) for n in class_names], y=list(counts), text=list(counts), textposition="outside",
                           marker_color=[colors.class_color(i) for i in range(len(counts))]))
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=20, b=10), yaxis=dict(title="rows"),
                      showlegend=False)
    return fig


def histograms_figure(features: np.ndarray, labels: np.ndarray, feature_index: int,
                      feature_name: str, class_names: Sequence[str], height: int = 300) -> go.Figure:
    """One feature's distribution, one overlaid histogram per class."""
    fig = go.Figure()
    labels = np.asarray(labels)
    for c, name in enumerate(class_names):
        fig.add_trace(go.Histogram(x=features[labels == c, feature_index], name=text.for_plot(name, 30), opacity=0.6,
                                   marker_color=colors.class_color(c), nbinsx=20))
    fig.update_layout(barmode="overlay", height=height, margin=dict(l=10, r=10, t=30, b=10),
                      title=dict(text=text.for_plot(feature_name), x=0.01), legend=dict(orientation="h", y=-0.2))
    return fig


def scatter_figure(features: np.ndarray, labels: np.ndarray, x: int, y: int, feature_names: Sequence[str],
                   class_names: Sequence[str], height: int = 380) -> go.Figure:
    """Two features against each other, coloured by class."""
    fig = go.Figure()
    labels = np.asarray(labels)
    for c, name in enumerate(class_names):
        rows = labels == c
        fig.add_trace(go.Scatter(x=features[rows, x], y=features[rows, y], mode="markers", name=text.for_plot(name, 30),
                                 marker=dict(color=colors.class_color(c), size=8, opacity=0.8)))
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=10, b=10),
                      xaxis=dict(title=text.for_plot(feature_names[x])), yaxis=dict(title=text.for_plot(feature_names[y])))
    return fig
