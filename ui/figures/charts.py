"""Training and evaluation charts: loss and accuracy per epoch, confusion matrix, folds, weights, data."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from core import CrossValidationResult, History, Network

from .. import text
from . import colors
from .spec import Spec, numbers, typed

MAX_POINTS = 600


def decimate(n: int, limit: int = MAX_POINTS) -> np.ndarray:
    """Indices of at most ~``limit`` evenly spaced points out of ``n``, always keeping the last.
    Only what is drawn is thinned; the history itself is never touched."""
    if n <= limit:
        return np.arange(n)
    stride = int(np.ceil(n / limit))
    index = np.arange(0, n, stride)
    return index if index[-1] == n - 1 else np.append(index, n - 1)


def flat_range(traces: list[dict], least: float = 1e-3) -> list[float] | None:
    """An axis range for series that barely change (a flat loss): their value ± max(5 %, ``least``), so
    the ticks are round numbers, never "1.99999999999985234". None when the series span enough to
    autorange."""
    values = np.concatenate([np.asarray(numbers(t["y"]), dtype=float) for t in traces] or [np.zeros(0)])
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
                y_range: list[float] | None = None, **more_layout) -> Spec:
    """A live chart, as a plain dict (it is redrawn several times a second while training). Ticks are
    rounded (at most 5 significant digits)."""
    layout = dict(
        title=dict(text=title, x=0.01), height=height, margin=dict(l=10, r=10, t=40, b=10),
        xaxis=dict(title=dict(text="epoch"), range=[0, total_epochs] if total_epochs else None, tickformat="~d"),
        yaxis=dict(title=dict(text=y_title), range=y_range or flat_range(traces), tickformat=".5~g"),
        legend=dict(orientation="h", y=1.02, x=1, xanchor="right", yanchor="bottom"), hovermode="x unified",
        **more_layout,
    )
    return dict(data=traces, layout=layout)


def _line(x, y, name: str, color: str, dotted: bool = False) -> dict:
    return dict(type="scatter", x=typed(x), y=typed(y), mode="lines", name=name,
                line=dict(color=color, width=2.5, dash="dot" if dotted else "solid"))


def _picked(values: list[float], keep: np.ndarray) -> np.ndarray:
    """The drawn points of one series, read by index (never the whole history: it can be 10,000
    epochs long, and a worker may be appending to it)."""
    return np.array([values[i] for i in keep], dtype=float)


def loss_figure(history: History, measure: str = "loss", total_epochs: int | None = None,
                height: int = 320, n: int | None = None) -> Spec:
    """Loss per epoch (training and, if any, validation) or the tutorial's epoch sum-squared error,
    for the first ``n`` records (all by default), thinned to at most ~MAX_POINTS points."""
    keep = decimate(len(history) if n is None else n)
    epochs = _picked(history.epoch, keep)
    if measure == "sse":
        return _line_chart("Epoch error Σ(t − o)² (the tutorial's)", "sum of squared errors",
                           [_line(epochs, _picked(history.sse, keep), "training", colors.TRAIN)],
                           height, total_epochs)
    traces = [_line(epochs, _picked(history.loss, keep), "training", colors.TRAIN)]
    if history.validation_loss:
        traces.append(_line(epochs, _picked(history.validation_loss, keep), "validation", colors.VALIDATION,
                            dotted=True))
    return _line_chart("Loss per epoch", "mean loss per row", traces, height, total_epochs)


def accuracy_figure(history: History, total_epochs: int | None = None, height: int = 320,
                    n: int | None = None) -> Spec:
    """Training and validation accuracy (%) per epoch, for the first ``n`` records (all by default)."""
    traces = _training_and_validation(history, history.train_accuracy, history.validation_accuracy, n=n)
    return _line_chart("Accuracy per epoch", "accuracy (%)", traces, height, total_epochs, [0, 101])


def _training_and_validation(history: History, training: list[float], validation: list[float],
                             what: str = "", n: int | None = None) -> list[dict]:
    """A solid training line and a dotted validation line (those that were recorded), thinned alike."""
    keep = decimate(len(history) if n is None else n)
    epochs = _picked(history.epoch, keep)
    traces = []
    if training:
        traces.append(_line(epochs, _picked(training, keep), f"training{what}", colors.TRAIN))
    if validation:
        traces.append(_line(epochs, _picked(validation, keep), f"validation{what}", colors.VALIDATION, dotted=True))
    return traces


def r2_figure(history: History, total_epochs: int | None = None, height: int = 320, n: int | None = None) -> Spec:
    """Regression: R² per epoch (training and validation) and, on the right-hand axis, the validation
    rows' mean absolute error. R² ≤ 1; the axis stops at −1 (worse than always predicting the mean)."""
    traces = _training_and_validation(history, history.train_r2, history.validation_r2, " R²", n=n)
    keep = decimate(len(history) if n is None else n)
    if history.validation_mae:
        mae = _line(_picked(history.epoch, keep), _picked(history.validation_mae, keep),
                    "validation mean |error|", colors.MUTED)
        mae.update(yaxis="y2", line=dict(color=colors.MUTED, width=1.5, dash="dash"))
        traces.append(mae)
    r2 = np.concatenate([_picked(history.train_r2, keep) if history.train_r2 else [],
                         _picked(history.validation_r2, keep) if history.validation_r2 else []])
    r2 = r2[np.isfinite(r2)]
    low = max(-1.0, float(r2.min())) if r2.size else 0.0
    return _line_chart("R² and mean absolute error per epoch", "R²", traces, height, total_epochs,
                       [min(low, 0.0) - 0.05, 1.02],
                       yaxis2=dict(title=dict(text="mean |error|"), overlaying="y", side="right",
                                   rangemode="tozero", showgrid=False))


def confusion_figure(counts: np.ndarray, class_names: Sequence[str], title: str = "Confusion matrix",
                     height: int = 360) -> Spec:
    """Heatmap of counts: rows are the true class, columns the predicted class (a plain dict: it is
    drawn in the same run that ends a training run, for every student at once)."""
    names = [text.for_plot(n, 30) for n in class_names]
    counts = np.asarray(counts)
    heat = dict(type="heatmap", z=counts.tolist(), x=names, y=names, colorscale=colors.COUNTS, showscale=False,
                text=counts.tolist(), texttemplate="%{text}", textfont=dict(size=18),
                hovertemplate="true %{y}, predicted %{x}: %{z} rows<extra></extra>")
    layout = dict(title=dict(text=title, x=0.01), height=height, margin=dict(l=10, r=10, t=40, b=10),
                  xaxis=dict(title=dict(text="predicted"), side="bottom"),
                  yaxis=dict(title=dict(text="true"), autorange="reversed"))
    return dict(data=[heat], layout=layout)


def folds_figure(result: CrossValidationResult, height: int = 340) -> go.Figure:
    """Accuracy per fold as bars, the mean as a line, and the zero-rule baseline as a dashed line."""
    labels = [f"fold {f.fold}" for f in result.folds]
    fig = go.Figure(go.Bar(x=labels, y=result.scores, marker_color=colors.TRAIN, name="accuracy",
                           text=[f"{s:.3f}%" for s in result.scores], textposition="inside",
                           insidetextanchor="end",  # at the top of the bar, inside: the mean line never crosses it
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


def training_figure(history: History, measure: str = "loss", total_epochs: int | None = None,
                    height: int = 320, n: int | None = None, regression: bool = False, stacked: bool = False) -> Spec:
    """The loss chart and the accuracy chart (R² for regression) side by side — or, ``stacked``, one above
    the other in a figure ``height`` tall — as one figure (one message per redraw instead of two, plus
    their columns): the same traces, the second on axes x2/y2 (and the mean absolute error of regression
    on y3, over y2's right-hand side)."""
    loss = loss_figure(history, measure, total_epochs, height, n)
    accuracy = r2_figure(history, total_epochs, height, n) if regression else accuracy_figure(history, total_epochs,
                                                                                              height, n)
    for trace in accuracy["data"]:
        on_right = trace.get("yaxis") == "y2"  # r2_figure's mean |error|
        trace.update(xaxis="x2", yaxis="y3" if on_right else "y2", showlegend=False, legendgroup=trace["name"])
    for trace in loss["data"]:
        trace["legendgroup"] = trace["name"]
    layout, right = loss["layout"], accuracy["layout"]
    if stacked:  # the loss above, the accuracy below, sharing the epoch axis's title
        layout["xaxis"].update(domain=[0.0, 1.0], anchor="y", title=None)
        layout["yaxis"].update(domain=[0.57, 1.0])
        layout["xaxis2"] = dict(right["xaxis"], domain=[0.0, 1.0], anchor="y2")
        layout["yaxis2"] = dict(right["yaxis"], anchor="x2", domain=[0.0, 0.43])
    else:
        layout["xaxis"].update(domain=[0.0, 0.45])
        layout["xaxis2"] = dict(right["xaxis"], domain=[0.55, 1.0], anchor="y2")
        layout["yaxis2"] = dict(right["yaxis"], anchor="x2")
    if "yaxis2" in right:
        layout["yaxis3"] = dict(right["yaxis2"], overlaying="y2", anchor="x2")
    layout["title"] = dict(text=f"{layout['title']['text']}  ·  {right['title']['text']}", x=0.01)
    return dict(data=loss["data"] + accuracy["data"], layout=layout)


def gradient_figure(history: History, n_layers: int, total_epochs: int | None = None, height: int = 360) -> Spec:
    """Each layer's mean |∂E/∂w| per epoch on a log scale: layers near the inputs that learn far slower
    than the output layer show a vanishing gradient, far faster an exploding one."""
    keep = decimate(len(history.gradient))
    epochs = np.asarray(history.epoch, dtype=float)[keep] if len(history.epoch) == len(history.gradient) \
        else np.arange(1, len(history.gradient) + 1, dtype=float)[keep]
    sizes = np.asarray(history.gradient, dtype=float).reshape(len(history.gradient), -1)[keep]
    traces = []
    for l in range(sizes.shape[1]):
        name = "output layer" if l == n_layers - 1 else f"hidden layer {l + 1}"
        column = sizes[:, l]
        y = [float(v) if np.isfinite(v) and v > 0 else None for v in column]  # a log scale has no 0
        traces.append(dict(type="scatter", x=typed(epochs), y=y, mode="lines", name=name,
                           line=dict(color=colors.class_color(l), width=2.5)))
    figure = _line_chart("Gradient size per layer: mean |∂E/∂w|", "mean |∂E/∂w| (log scale)", traces, height,
                         total_epochs)
    figure["layout"]["yaxis"].update(type="log", exponentformat="power", range=None)  # flat_range is linear
    figure["layout"]["legend"] = dict(orientation="h", y=-0.22, x=0, yanchor="top")  # five layers: below the plot
    return figure
