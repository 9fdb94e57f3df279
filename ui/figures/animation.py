"""A training run as one animated figure: the loss and accuracy curves growing and the graph's weights
changing, frame by frame, with a play button and a slider — and as a self-contained HTML file."""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from core import History, Network, forward

from .. import text
from .charts import accuracy_figure, loss_figure
from .network_graph import network_figure, view_of_trace
from .spec import Spec, numbers

Frame = tuple[int, list[np.ndarray]]  # (epoch, every layer's weights after it)
FRAME_MS = 200
CHART_HEIGHT = 300  # pixels of the loss and accuracy row
GAP = 70  # pixels between the charts and the graph, for the graph's layer titles


def _moved(figure: Spec, axis: str) -> tuple[list[dict], list[dict]]:
    """A figure's traces and annotations, drawn on axes ``axis`` (e.g. "3": xaxis3, yaxis3)."""
    traces = [{**t, "xaxis": f"x{axis}", "yaxis": f"y{axis}", "showlegend": False} for t in figure["data"]]
    notes = [{**a, "xref": f"x{axis}", "yref": f"y{axis}"} for a in figure["layout"].get("annotations", [])]
    return traces, notes


def _upto(traces: list[dict], epoch: int) -> list[dict]:
    """Line traces cut at ``epoch`` (x is the epoch)."""
    out = []
    for t in traces:
        x = np.asarray(numbers(t["x"]), dtype=float)
        keep = x <= epoch
        y = numbers(t["y"])
        out.append({**t, "x": x[keep], "y": np.asarray(y, dtype=object if isinstance(y, list) else float)[keep]})
    return out


def _top(values: list[dict]) -> float:
    finite = [v for t in values for v in np.asarray(numbers(t["y"]), dtype=object)
              if v is not None and np.isfinite(float(v))]
    return 1.05 * max(finite) if finite and max(finite) > 0 else 1.0


def training_animation(history: History, frames: Sequence[Frame], network: Network, row_inputs: np.ndarray,
                       feature_names: Sequence[str] = (), class_names: Sequence[str] = (), measure: str = "loss",
                       total_epochs: int | None = None, title: str = "") -> go.Figure:
    """One frame per weight snapshot of the run: the loss (``measure``: "loss" or "sse") and accuracy up to
    that epoch, and ``network`` drawn with that epoch's weights, its nodes filled for ``row_inputs``."""
    if not frames:
        raise ValueError("the run has no weight snapshots to animate")
    total = total_epochs or (history.epoch[-1] if history.epoch else frames[-1][0]) or 1
    loss = loss_figure(history, measure, total)
    accuracy = accuracy_figure(history, total)
    lines_loss, _ = _moved(loss, "")
    lines_accuracy, _ = _moved(accuracy, "2") if accuracy["data"] else ([], [])
    lines_loss[0]["showlegend"] = bool(len(lines_loss) > 1)
    if len(lines_loss) > 1:
        lines_loss[1]["showlegend"] = True
    graphs = []
    for epoch, weights in frames:
        at_epoch = replace(network, weights=[np.asarray(w, dtype=float) for w in weights])
        graphs.append(_moved(network_figure(at_epoch, feature_names, class_names,
                                            view_of_trace(forward(at_epoch, row_inputs)), every_bucket=True), "3"))
    still = network_figure(network, feature_names, class_names)["layout"]  # the graph's size and axes
    graph_height = int(still["height"])
    height = 60 + CHART_HEIGHT + GAP + graph_height + 110
    top = 1 - 60 / height
    charts_bottom = top - CHART_HEIGHT / height
    graph_top = charts_bottom - GAP / height
    chart_titles = [dict(text=loss["layout"]["title"]["text"], x=0, xref="paper", xanchor="left", y=top, yref="paper",
                         yanchor="bottom", showarrow=False)]
    split = 0.47 if lines_accuracy else 1.0
    if lines_accuracy:
        chart_titles.append({**chart_titles[0], "text": accuracy["layout"]["title"]["text"], "x": 0.53})

    def data_at(i: int) -> list[dict]:
        epoch = frames[i][0]
        return _upto(lines_loss, epoch) + _upto(lines_accuracy, epoch) + graphs[i][0]

    layout = dict(
        title=dict(text=text.for_plot(title, 160), x=0.01, y=1 - 12 / height, yanchor="top"), height=height,
        margin=dict(l=60, r=20, t=10, b=10), hovermode="closest", showlegend=bool(len(lines_loss) > 1),
        legend=dict(orientation="h", x=split, xanchor="right", y=top, yanchor="bottom"),
        annotations=chart_titles + graphs[0][1],
        xaxis=dict(domain=[0, split], range=[0, total], title=dict(text="epoch"), anchor="y"),
        yaxis=dict(domain=[charts_bottom, top], range=[0, _top(lines_loss)], title=dict(text=loss["layout"]["yaxis"]["title"]["text"]),
                   anchor="x"),
        xaxis3={**still["xaxis"], "domain": [0, 1], "anchor": "y3"},
        yaxis3={**still["yaxis"], "domain": [0, graph_top], "anchor": "x3"},
        sliders=[dict(active=0, x=0.16, len=0.84, y=0, yanchor="top", pad=dict(t=30),
                      currentvalue=dict(prefix="epoch ", xanchor="left", font=dict(size=16)),
                      steps=[dict(label=str(epoch), method="animate",
                                  args=[[str(epoch)], dict(mode="immediate", frame=dict(duration=0, redraw=True),
                                                           transition=dict(duration=0))])
                             for epoch, _ in frames])],
        updatemenus=[dict(type="buttons", direction="left", x=0, y=0, xanchor="left", yanchor="top", pad=dict(t=40),
                          showactive=False, buttons=[
                              dict(label="▶ Play", method="animate",
                                   args=[None, dict(frame=dict(duration=FRAME_MS, redraw=True), fromcurrent=True,
                                                    transition=dict(duration=0))]),
                              dict(label="❚❚ Pause", method="animate",
                                   args=[[None], dict(mode="immediate", frame=dict(duration=0, redraw=False),
                                                      transition=dict(duration=0))])])],
    )
    if lines_accuracy:
        layout["xaxis2"] = dict(domain=[0.53, 1], range=[0, total], title=dict(text="epoch"), anchor="y2")
        layout["yaxis2"] = dict(domain=[charts_bottom, top], range=[0, 101], title=dict(text="accuracy (%)"),
                                anchor="x2")
    animation = [dict(name=str(epoch), data=data_at(i), layout=dict(annotations=chart_titles + graphs[i][1]))
                 for i, (epoch, _) in enumerate(frames)]
    return go.Figure(data=data_at(0), layout=layout, frames=animation, _validate=False)


def animation_html(figure: go.Figure) -> str:
    """The figure as one HTML file that plays offline: plotly.js inside, nothing fetched."""
    return figure.to_html(include_plotlyjs=True, full_html=True, auto_play=False, include_mathjax=False,
                          config={"displaylogo": False, "responsive": True})
