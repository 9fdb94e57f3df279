"""Cross-validation made visible: which rows each fold holds out, how each fold's network trained."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core import CrossValidationResult

from . import colors


def fold_color(fold: int) -> str:
    """Fold k (from 1) in the same colour on every figure of the page."""
    return colors.class_color(fold - 1)


def holdings(result: CrossValidationResult, n_rows: int) -> np.ndarray:
    """(folds, rows): k where fold k holds the row out, 0 where it trains on it, NaN for a row no fold
    holds (when k does not divide the rows, the tutorial leaves the remainder out)."""
    grid = np.full((len(result.folds), n_rows), np.nan)
    in_a_fold = np.zeros(n_rows, dtype=bool)
    for f in result.folds:
        in_a_fold[f.test_rows] = True
    grid[:, in_a_fold] = 0.0
    for r, f in enumerate(result.folds):
        grid[r, f.test_rows] = f.fold
    return grid


def fold_strip_figure(result: CrossValidationResult, n_rows: int, height: int | None = None) -> go.Figure:
    """One strip per fold over the dataset's rows: its held-out rows in the fold's colour, the rows it
    trains on in grey, rows in no fold blank."""
    grid = holdings(result, n_rows)
    k = len(result.folds)
    scale = []
    for v, color in enumerate([colors.OTHER_ROWS] + [fold_color(f.fold) for f in result.folds]):
        scale += [[v / (k + 1), color], [(v + 1) / (k + 1), color]]
    names = [f"fold {f.fold}" for f in result.folds]
    words = np.where(grid == 0, "trained on", np.where(np.isnan(grid), "in no fold", "held out"))
    fig = go.Figure(go.Heatmap(z=grid, x=np.arange(n_rows), y=names, zmin=-0.5, zmax=k + 0.5, colorscale=scale,
                               showscale=False, xgap=0, ygap=3, customdata=words,
                               hovertemplate="%{y}, row %{x}: %{customdata}<extra></extra>"))
    fig.update_layout(height=height or 40 + 30 * k, margin=dict(l=10, r=10, t=10, b=10),
                      xaxis=dict(title="row of the dataset", range=[-0.5, n_rows - 0.5]),
                      yaxis=dict(autorange="reversed", tickmode="array", tickvals=names))  # every fold named
    return fig


def fold_loss_figure(result: CrossValidationResult, height: int = 300) -> go.Figure:
    """Each fold's mean training loss per epoch, in its colour."""
    traces = [dict(type="scatter", x=np.arange(1, len(f.loss) + 1), y=np.asarray(f.loss, dtype=float), mode="lines",
                   name=f"fold {f.fold}", line=dict(color=fold_color(f.fold), width=2)) for f in result.folds]
    layout = dict(title=dict(text="Training loss of each fold's network", x=0.01), height=height,
                  margin=dict(l=10, r=10, t=40, b=10), xaxis=dict(title=dict(text="epoch")),
                  yaxis=dict(title=dict(text="mean loss per training row")), hovermode="x unified",
                  legend=dict(orientation="h", y=1.02, x=1, xanchor="right", yanchor="bottom"))
    return go.Figure(data=traces, layout=layout, _validate=False)
