"""What the network has learnt, drawn over the input plane: its output behind the data, and every
neuron's output as a small map, laid out like the network.

Every value drawn is read from a ``core.Landscape`` (one batched forward pass over a grid); nothing
here computes a network. Figures are built from plain dicts (``_validate=False``): they are redrawn
several times a second while a network trains.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from core import Landscape, Network, neuron_map, neuron_name, output_change, output_range

from .. import text
from . import colors
from .network_graph import weight_levels

Array = np.ndarray
DISCRETE_STRENGTH = 0.7  # the one shade every region gets when the boundary is drawn discretised
MAP_CELLS = 25  # a small neuron map shows at most about this many grid cells a side
PER_COLUMN = 8  # a layer of more neurons is drawn as several columns of maps
CAPTION_CHARS = 14  # a longer name is shortened under its map (the hover shows it whole)


def region_strength(view: Landscape, output_activation: str, n_classes: int) -> Array:
    """How strongly each grid point's region is coloured, in [0, 1]: the confidence rescaled over
    what it can be — (c − low) / (high − low), clipped, where (low, high) is the output activation's
    range ([1/k, 1] for softmax over k classes), or the view's own range of c where it is unbounded."""
    confidence = view.confidence
    low, high = output_range(output_activation)
    if output_activation == "softmax":
        low = 1.0 / max(n_classes, 1)
    if not math.isfinite(low):
        low = float(confidence.min())
    if not math.isfinite(high):
        high = float(confidence.max())
    if high <= low:
        return np.ones_like(confidence)
    return np.clip((confidence - low) / (high - low), 0.0, 1.0)


def _point_traces(points: Array, labels: Array, train_mask: Array, class_names: Sequence[str], rows: Array,
                  value_range: tuple[float, float] | None, regression: bool, held_name: str) -> list[dict]:
    """The data's rows on the plane: training rows filled, validation rows hollow; customdata = row."""
    traces: list[dict] = []
    groups = [(None, "rows")] if regression else list(enumerate(class_names))
    for held in (False, True):
        for c, name in groups:
            chosen = (train_mask != held) & (True if c is None else labels == c)
            if not np.any(chosen):
                continue
            which = held_name if held else "training"
            if regression:
                marker = dict(color=labels[chosen], colorscale=colors.DIVERGING, cmin=value_range[0],
                              cmax=value_range[1])
                hover = f"row %{{customdata}} ({which})<br>target %{{marker.color:.4g}}<extra></extra>"
            else:
                marker = dict(color=colors.class_color(c))
                hover = f"row %{{customdata}} ({which})<br>{text.for_plot(name, 40)}<extra></extra>"
            # an open symbol is drawn in the marker's colour: its ring is the class (or target) colour
            if held:
                marker.update(size=8, symbol="circle-open", line=dict(width=2.2))
            else:
                marker.update(size=7, symbol="circle", line=dict(width=1, color=colors.OUTLINE))
            traces.append(dict(type="scatter", x=points[chosen, 0], y=points[chosen, 1], mode="markers",
                               customdata=rows[chosen], hovertemplate=hover, marker=marker,
                               name=text.for_plot(name, 30) + (f" ({held_name})" if held else ""), legendgroup=str(c),
                               showlegend=not held or regression))
    if not regression and np.any(~train_mask):
        traces.append(dict(type="scatter", x=[None], y=[None], mode="markers", name=f"hollow: {held_name} rows",
                           marker=dict(symbol="circle-open", size=8, color=colors.OUTLINE, line=dict(width=2)),
                           hoverinfo="skip"))
    return traces


def landscape_figure(view: Landscape, points: Array, labels: Array, train_mask: Array,
                     class_names: Sequence[str], discretise: bool = False, *, output_activation: str = "sigmoid",
                     axis_titles: Sequence[str] = ("x₁", "x₂"), rows: Array | None = None,
                     highlight: Array | None = None, height: int = 420, title: str | None = None,
                     legend: bool = True, held_name: str = "validation") -> go.Figure:
    """The network's output over the plane behind the data's rows.

    Classification: each grid point coloured by its predicted class, stronger where the network is
    more confident (``region_strength``), or one flat shade per class if ``discretise``. Regression:
    the predicted value as a surface, the rows coloured by their target on the same scale. ``points``
    are the rows on the plane (n, 2), ``train_mask`` marks training rows (filled; validation rows are
    hollow; ``held_name`` is what they are called), ``rows`` their row numbers (customdata, for a
    click); ``highlight`` (2,) rings one point.
    """
    points = np.asarray(points, dtype=float)
    labels = np.asarray(labels)
    train_mask = np.asarray(train_mask, dtype=bool)
    rows = np.arange(len(points)) if rows is None else np.asarray(rows)
    regression = view.task == "regression"
    x_title, y_title = (text.for_plot(t, 60) for t in axis_titles)
    where = f"{x_title} %{{x:.3g}}, {y_title} %{{y:.3g}}"
    value_range = None
    if regression:
        values = view.predicted
        low = float(min(values.min(), labels.min())) if len(labels) else float(values.min())
        high = float(max(values.max(), labels.max())) if len(labels) else float(values.max())
        value_range = (low, high if high > low else low + 1.0)
        background = dict(type="heatmap", x=view.xs, y=view.ys, z=values, zmin=value_range[0],
                          zmax=value_range[1], colorscale=colors.DIVERGING, name="surface",
                          colorbar=dict(title=dict(text="predicted"), thickness=12),
                          hovertemplate=f"{where}<br>predicted %{{z:.4g}}<extra></extra>")
    else:
        k = len(class_names)
        strength = np.full(view.predicted.shape, DISCRETE_STRENGTH) if discretise else \
            region_strength(view, output_activation, k)
        background = dict(type="heatmap", x=view.xs, y=view.ys, z=view.predicted + 0.999 * strength,
                          zmin=0, zmax=k, colorscale=colors.class_regions_scale(k), showscale=False,
                          customdata=view.confidence, name="regions",
                          hovertemplate=f"{where}<br>the network's top output here: %{{customdata:.3f}}"
                                        "<extra></extra>")
    traces = [background] + _point_traces(points, labels, train_mask, class_names, rows, value_range, regression,
                                          held_name)
    if highlight is not None:
        traces.append(dict(type="scatter", x=[float(highlight[0])], y=[float(highlight[1])], mode="markers",
                           name="this sample", hoverinfo="skip", showlegend=legend,
                           marker=dict(size=20, symbol="circle-open", color=colors.ACTIVE, line=dict(width=4))))
    (x_low, x_high), (y_low, y_high) = (view.xs[0], view.xs[-1]), (view.ys[0], view.ys[-1])
    layout = dict(
        height=height, margin=dict(l=10, r=10, t=(36 if title else 10) + (34 if legend else 0), b=10),
        hovermode="closest", title=dict(text=title, x=0.01) if title else None, showlegend=legend,
        legend=dict(orientation="h", y=1.0, x=0, yanchor="bottom", itemclick=False, itemdoubleclick=False),
        clickmode="event+select",
        xaxis=dict(title=dict(text=x_title), range=[x_low, x_high], constrain="domain", showgrid=False, zeroline=False),
        yaxis=dict(title=dict(text=y_title), range=[y_low, y_high], showgrid=False, zeroline=False,
                   scaleanchor="x" if _square(view) else None, constrain="domain"),
    )
    return go.Figure(data=traces, layout=layout, _validate=False)


def _square(view: Landscape) -> bool:
    """Do both axes measure the same thing (x₁ and x₂ on one scale, or two principal components)?"""
    x_span, y_span = view.xs[-1] - view.xs[0], view.ys[-1] - view.ys[0]
    return 0.5 <= x_span / y_span <= 2.0


# -- every neuron's map ---------------------------------------------------------------------------
def _layers_shown(network: Network, include_inputs: bool, include_outputs: bool) -> list[int]:
    n_layers = len(network.weights)
    return [l for l in range(n_layers + 1) if (l > 0 or include_inputs) and (l < n_layers or include_outputs)]


def layer_maps(view: Landscape, layer: int) -> Array:
    """(res, res, neurons): layer ``layer``'s outputs over the plane (0 = the inputs, as in the graph)."""
    if layer == 0:
        if view.inputs is None:
            raise ValueError("this landscape does not hold the network's inputs")
        return view.inputs
    return np.stack([neuron_map(view, layer - 1, j) for j in range(_width(view, layer))], axis=-1)


def _width(view: Landscape, layer: int) -> int:
    maps = view.hidden + [view.outputs]
    return maps[layer - 1].shape[-1]


def color_range(network: Network, layer: int, values: Array) -> tuple[float, float]:
    """The colour scale of a layer's maps: its activation's range, or where that is unbounded the
    values' own (±max |v| for linear, [0, max] for relu); the inputs' own range, per map."""
    if layer == 0:
        low, high = float(np.min(values)), float(np.max(values))
    else:
        low, high = output_range(network.activation_of(layer - 1))
        span = float(np.max(np.abs(values))) if values.size else 1.0
        low = low if math.isfinite(low) else -span
        high = high if math.isfinite(high) else span
    return (low, high) if high > low else (low - 1.0, low + 1.0)


def neuron_maps_figure(view: Landscape, network: Network, input_names: Sequence[str] = (),
                       class_names: Sequence[str] = (), *, include_inputs: bool = True,
                       include_outputs: bool = True, edges: bool = True, stride: int | None = None,
                       cell: int = 62, font: int = 11) -> go.Figure:
    """Every neuron's output over the plane, drawn small and laid out like the network: one column per
    layer (inputs, hidden layers, outputs; a layer of more than ``PER_COLUMN`` neurons in several),
    each map captioned with the neuron's name, the weights between them drawn behind (blue +,
    orange −, thicker for larger |w|). ``stride`` keeps every stride-th grid point (by default enough
    to leave about ``MAP_CELLS`` a side), in single precision.

    All maps share one pair of axes measured in map sizes (a map is a unit square, its lower-left
    corner at (x0 − dx/2, y0 − dy/2)): one axis pair instead of one per map keeps a redraw cheap. The
    weights are path shapes drawn below every trace, one per colour and width.
    """
    layers = _layers_shown(network, include_inputs, include_outputs)
    n_layers = len(network.weights)
    stride = stride or max(1, math.ceil(view.xs.shape[0] / MAP_CELLS))
    keep = slice(None, None, stride)
    cells_x, cells_y = view.xs[keep].shape[0], view.ys[keep].shape[0]
    gap_x, sub_gap, gap_y, caption = 1.1, 0.2, 0.6, 0.55  # in map sizes
    columns, x = {}, 0.0
    for l in layers:
        n = _width(view, l) if l else view.inputs.shape[-1]
        subs = math.ceil(n / PER_COLUMN)
        columns[l] = (x, subs, n)
        x += subs + (subs - 1) * sub_gap + gap_x
    width = x - gap_x
    tallest = max(min(n, PER_COLUMN) for _, _, n in columns.values())
    height = caption + tallest * (1 + gap_y)

    def corner(l: int, j: int) -> tuple[float, float]:
        """The lower-left corner of neuron j's map (the y axis points up)."""
        x0, _, n = columns[l]
        sub, r = divmod(j, PER_COLUMN)
        in_column = min(n - sub * PER_COLUMN, PER_COLUMN)
        from_top = caption + (tallest - in_column) * (1 + gap_y) / 2 + r * (1 + gap_y) + gap_y
        return x0 + sub * (1 + sub_gap), height - from_top - 1

    traces: list[dict] = []
    annotations = []
    for l in layers:
        x0, subs, _ = columns[l]
        title = "Inputs" if l == 0 else ("Outputs" if l == n_layers else f"Hidden {l}")
        annotations.append(dict(x=x0 + (subs + (subs - 1) * sub_gap) / 2, y=height, text=f"<b>{title}</b>",
                                showarrow=False, yanchor="top", font=dict(size=font + 1)))
        maps = layer_maps(view, l)
        low, high = color_range(network, l, maps) if l else (None, None)
        for j in range(maps.shape[-1]):
            z = maps[keep, keep, j].astype(np.float32)  # drawn small: float32 halves what each redraw sends
            if l == 0:
                low, high = color_range(network, 0, z)
            left, bottom = corner(l, j)
            full = neuron_name(l, j, n_layers, input_names, class_names)
            name = text.for_plot(full, 40)
            traces.append(dict(type="heatmap", z=z, x0=left + 0.5 / cells_x, dx=1.0 / cells_x,
                               y0=bottom + 0.5 / cells_y, dy=1.0 / cells_y, zmin=low, zmax=high,
                               colorscale=colors.DIVERGING, showscale=False, name=name, zsmooth="best",
                               customdata=[l, j], hovertemplate=f"<b>{name}</b><br>"
                               f"{'input' if l == 0 else 'output'} %{{z:.4g}}<extra></extra>"))
            annotations.append(dict(x=left + 0.5, y=bottom + 1, text=text.for_plot(full, CAPTION_CHARS),
                                    showarrow=False, yanchor="bottom",
                                    font=dict(size=font - 1, color=colors.MUTED)))
    layout = dict(height=int(cell * height) + 16, margin=dict(l=4, r=4, t=4, b=4), showlegend=False,
                  hovermode="closest", plot_bgcolor="rgba(0,0,0,0)", paper_bgcolor="rgba(0,0,0,0)",
                  annotations=annotations, shapes=_edge_shapes(network, layers, corner) if edges else [],
                  xaxis=dict(range=[-0.3, width + 0.3], visible=False, fixedrange=True, constrain="domain"),
                  yaxis=dict(range=[0, height], visible=False, fixedrange=True, scaleanchor="x",
                             constrain="domain"))
    return go.Figure(data=traces, layout=layout, _validate=False)


def map_placement(trace) -> tuple[float, float, float, float]:
    """(left, bottom, dx, dy) of a small map drawn by ``neuron_maps_figure``: cell [a, b] of its z is
    centred at (left + (b + ½)·dx, bottom + (a + ½)·dy)."""
    return trace.x0 - trace.dx / 2, trace.y0 - trace.dy / 2, trace.dx, trace.dy


def _edge_shapes(network: Network, layers: list[int], corner) -> list[dict]:
    """The weights between shown layers, centre to centre (the maps cover the ends): one SVG path of
    many segments per sign and width, drawn below the maps."""
    paths: dict[tuple[bool, int], list[str]] = {}
    largest = max(float(np.max(np.abs(w[:, :-1]))) if w.shape[1] > 1 else 0.0 for w in network.weights)
    for l in layers:
        if l == 0 or l - 1 not in layers:
            continue
        w = network.weights[l - 1]
        for j in range(w.shape[0]):
            tx, ty = corner(l, j)
            for k in range(w.shape[1] - 1):
                sx, sy = corner(l - 1, k)
                level = int(weight_levels(w[j, k], largest, 3))
                paths.setdefault((bool(w[j, k] >= 0), level), []).append(
                    f"M{sx + 0.5:.4f},{sy + 0.5:.4f}L{tx + 0.5:.4f},{ty + 0.5:.4f}")
    return [dict(type="path", path="".join(segments), layer="below", xref="x", yref="y",
                 opacity=0.3 + 0.25 * level, name=f"{'positive' if positive else 'negative'} weights",
                 line=dict(color=colors.POSITIVE if positive else colors.NEGATIVE, width=0.6 + 1.4 * level))
            for (positive, level), segments in sorted(paths.items())]


def neuron_map_figure(view: Landscape, network: Network, layer: int, j: int, input_names: Sequence[str] = (),
                      class_names: Sequence[str] = (), axis_titles: Sequence[str] = ("x₁", "x₂"),
                      points: Array | None = None, height: int = 380) -> go.Figure:
    """One neuron's output over the plane, large, with a colour bar (``layer`` counts as the graph:
    0 = the inputs); ``points`` (n, 2), if given, are drawn on top as small dots."""
    maps = layer_maps(view, layer)
    z = maps[..., j]
    low, high = color_range(network, layer, z if layer == 0 else maps)
    name = text.for_plot(neuron_name(layer, j, len(network.weights), input_names, class_names), 40)
    x_title, y_title = (text.for_plot(t, 60) for t in axis_titles)
    traces = [dict(type="heatmap", x=view.xs, y=view.ys, z=z, zmin=low, zmax=high, colorscale=colors.DIVERGING,
                   name=name, colorbar=dict(thickness=12),
                   hovertemplate=f"{x_title} %{{x:.3g}}, {y_title} %{{y:.3g}}<br>{name}: %{{z:.4g}}<extra></extra>")]
    if points is not None and len(points):
        traces.append(dict(type="scatter", x=points[:, 0], y=points[:, 1], mode="markers", hoverinfo="skip",
                           name="rows", marker=dict(size=4, color=colors.OUTLINE, opacity=0.5)))
    layout = dict(height=height, margin=dict(l=10, r=10, t=36, b=10), title=dict(text=f"<b>{name}</b>", x=0.01),
                  showlegend=False, xaxis=dict(title=dict(text=x_title), range=[view.xs[0], view.xs[-1]],
                                               constrain="domain", showgrid=False, zeroline=False),
                  yaxis=dict(title=dict(text=y_title), range=[view.ys[0], view.ys[-1]], showgrid=False,
                             zeroline=False, scaleanchor="x" if _square(view) else None, constrain="domain"))
    return go.Figure(data=traces, layout=layout, _validate=False)


def change_figure(before: Landscape, after: Landscape, j: int, output_name: str, highlight: Array | None = None,
                  axis_titles: Sequence[str] = ("x₁", "x₂"), height: int = 300, title: str | None = None) -> go.Figure:
    """How output j moved at every point of the plane between two networks (``core.output_change``):
    blue where it rose, orange where it fell, on a scale symmetric about 0; ``highlight`` rings one point."""
    z = output_change(before, after)[..., j]
    span = float(np.max(np.abs(z))) or 1.0
    name = text.for_plot(output_name, 40)
    x_title, y_title = (text.for_plot(t, 60) for t in axis_titles)
    traces = [dict(type="heatmap", x=after.xs, y=after.ys, z=z, zmin=-span, zmax=span, colorscale=colors.DIVERGING,
                   name="change", colorbar=dict(thickness=8, len=0.8, tickformat=".2~g"),
                   hovertemplate=f"{x_title} %{{x:.3g}}, {y_title} %{{y:.3g}}<br>{name} changed by %{{z:.3g}}"
                                 "<extra></extra>")]
    if highlight is not None:
        traces.append(dict(type="scatter", x=[float(highlight[0])], y=[float(highlight[1])], mode="markers",
                           name="this sample", hoverinfo="skip",
                           marker=dict(size=20, symbol="circle-open", color=colors.ACTIVE, line=dict(width=4))))
    layout = dict(height=height, margin=dict(l=10, r=10, t=36 if title else 10, b=10), showlegend=False,
                  title=dict(text=title, x=0.01) if title else None,
                  xaxis=dict(title=dict(text=x_title), range=[after.xs[0], after.xs[-1]], constrain="domain",
                             showgrid=False, zeroline=False),
                  yaxis=dict(title=dict(text=y_title), range=[after.ys[0], after.ys[-1]], showgrid=False,
                             zeroline=False, scaleanchor="x" if _square(after) else None, constrain="domain"))
    return go.Figure(data=traces, layout=layout, _validate=False)
