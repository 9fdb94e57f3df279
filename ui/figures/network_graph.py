"""The network drawn layer by layer: weights as coloured edges, activations as filled nodes."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Sequence

import numpy as np

from core import ForwardTrace, Network, Pass, neuron_name
from core.chain import NeuronStory, WeightStory

from .. import text

from . import colors
from .spec import Spec, segments, typed

Node = tuple[int, int]  # (layer, neuron); layer 0 = inputs
WIDTH_BINS = 5
# Above this many weights, single weights get no hover and no click markers (the neurons' hover still has
# their values, and neurons and biases can still be clicked): 13,000 hover texts and 39,000 click markers
# would make every redraw of the largest allowed network a message of megabytes.
MAX_WEIGHT_HOVERS = 2000
ASSUMED_WIDTH = 620  # px: the narrowest a labelled graph is drawn (the Network page's column at 1280 px)
MAX_WEIGHT_LABELS = 200  # the largest weights tried for a label; more could not be read anyway
LABEL_SPOTS = (0.72, 0.6, 0.5, 0.4, 0.3, 0.82)  # where along its edge a weight's label may sit, in that order
#: where along an edge its clickable markers sit: three per edge, at fractions that differ from one
#: target neuron to the next, so no two edges ever share a marker position (midpoints do collide)
MARKER_SPREAD = (0.2, 0.4, 0.6)


@dataclass
class GraphView:
    """What to draw on top of the weights: known values, deltas, the active neuron, updates."""

    values: dict[Node, float] = field(default_factory=dict)
    sums: dict[Node, float] = field(default_factory=dict)
    deltas: dict[Node, float] = field(default_factory=dict)
    active: tuple[int, int | None] | None = None  # (layer, neuron), neuron None = the whole layer
    phase: str | None = None
    updated: set[Node] = field(default_factory=set)
    weights: list[np.ndarray] | None = None  # drawn instead of the network's own (update phase)
    picked: "Highlight | None" = None  # the weight or neuron a learner picked


Edge = tuple[Node, Node]  # (source, target); a bias's source is (layer − 1, that layer's number of inputs)


@dataclass(frozen=True)
class Highlight:
    """What a pick lights up: its own ``edges`` (a bias edge rings the bias's square), the ``path``
    its gradient comes back along, and ``neurons`` to ring."""

    edges: tuple[Edge, ...] = ()
    path: tuple[Edge, ...] = ()
    neurons: tuple[Node, ...] = ()


def highlight_of(story: WeightStory | NeuronStory) -> Highlight:
    """A weight: its edge, then (for a hidden neuron) the edges to every neuron of the next layer, from
    ``story.path``. A neuron: every incoming edge, the same outgoing path, and the neuron ringed."""
    if isinstance(story, NeuronStory):
        return Highlight(tuple(w.path[0] for w in story.weights), story.weights[0].path[1:],
                         ((story.layer, story.neuron),))
    return Highlight(story.path[:1], story.path[1:])


def view_of_trace(trace: ForwardTrace) -> GraphView:
    """Every node filled with its value for one sample (the Network page)."""
    view = GraphView()
    for j, v in enumerate(np.ravel(trace.inputs[0])):
        view.values[(0, j)] = float(v)
    for l, (z, out) in enumerate(zip(trace.weighted_sums, trace.outputs), start=1):
        for j in range(len(out)):
            view.values[(l, j)] = float(out[j])
            view.sums[(l, j)] = float(z[j])
    return view


def view_at_step(walk: Pass, index: int) -> GraphView:
    """The graph as it stands after step ``index`` of a walk-through: values computed so far,
    deltas known so far, neurons already updated (drawn with their new weights)."""
    view = GraphView()
    for j, v in enumerate(walk.sample):
        view.values[(0, j)] = float(v)
    for step in walk.steps[:index + 1]:
        neurons = [step.neuron] if step.neuron is not None else range(len(walk.trace.outputs[step.layer - 1]))
        for j in neurons:
            node = (step.layer, j)
            if step.phase == "forward":
                view.sums[node] = float(walk.trace.weighted_sums[step.layer - 1][j])
                if "output" in step.values or step.neuron is None:
                    view.values[node] = float(walk.trace.outputs[step.layer - 1][j])
            elif step.phase == "backward":
                view.deltas[node] = float(walk.gradients.deltas[step.layer - 1][j])
            elif step.phase == "update":
                view.updated.add(node)
    step = walk.steps[index]
    view.active = (step.layer, step.neuron)
    view.phase = step.phase
    if view.updated:
        view.weights = [w.copy() for w in walk.network.weights]
        for layer, j in view.updated:
            view.weights[layer - 1][j] = walk.updated.weights[layer - 1][j]
    return view


def _coords(values: list) -> np.ndarray:
    """Line coordinates with None between segments, as a float array with NaN gaps (fast to plot)."""
    return np.array([np.nan if v is None else v for v in values], dtype=float)


DRAWN_PER_LAYER = 12  # slots a layer may fill: a larger layer shows its first 11 neurons and "… N more"


def drawn(n: int) -> int:
    """How many of a layer's ``n`` neurons are drawn: all that fit in DRAWN_PER_LAYER slots, else one slot
    fewer, the last slot telling how many more there are (a 64-neuron layer would be a blob)."""
    return n if n <= DRAWN_PER_LAYER else DRAWN_PER_LAYER - 1


def _positions(sizes: Sequence[int]) -> list[list[tuple[float, float]]]:
    """Layer l at x = l; its drawn neurons centred on y = 0, one unit apart, first at the top (a layer cut
    short is centred as if its note were a neuron); neurons not drawn at y = NaN."""
    def y(n: int, j: int) -> float:
        slots = min(n, DRAWN_PER_LAYER)
        return (slots - 1) / 2.0 - j if j < drawn(n) else np.nan
    return [[(float(l), y(n, j)) for j in range(n)] for l, n in enumerate(sizes)]


def _shown(xy: tuple[float, float]) -> bool:
    return bool(np.isfinite(xy[1]))


def _layer_title(l: int, n_layers: int) -> str:
    if l == 0:
        return "Inputs"
    return "Outputs" if l == n_layers else f"Hidden {l}"


def _node_name(l: int, j: int, n_layers: int, feature_names: Sequence[str], class_names: Sequence[str]) -> str:
    """core's name for the neuron, escaped for plotly (names can come from an uploaded file)."""
    return text.for_plot(neuron_name(l, j, n_layers, feature_names, class_names), 40)


def _fmt(value: float) -> str:
    return f"{value:.3g}" if abs(value) < 1e4 else f"{value:.2e}"


NODE_CHARS = 6  # a value inside a neuron: at most this many characters (a minus sign besides)


def weight_levels(values: np.ndarray | float, largest: float, bins: int) -> np.ndarray:
    """Each weight's width class, 0 to bins − 1, by |w| over the largest |w| (thicker for larger)."""
    return np.minimum((np.minimum(np.abs(values) / (largest or 1.0), 1.0) * bins).astype(int), bins - 1)


def node_text(value: float) -> str:
    """A neuron's value as it fits inside it: 3 significant digits, else 2, else a short power of ten
    ("4.1e-4"); the hover label has every digit."""
    def short(shown: str) -> str:  # 1e-09 → 1e-9, 1.2e+04 → 1.2e4
        if "e" not in shown:
            return shown
        mantissa, exponent = shown.split("e")
        return f"{mantissa}e{int(exponent)}"

    for shown in (f"{value:.3g}", f"{value:.2g}", f"{value:.1e}", f"{value:.0e}"):
        if len(short(shown).lstrip("-")) <= NODE_CHARS:
            return short(shown)
    return short(f"{value:.0e}")


def node_font(shown: str, node_size: float, largest: float) -> float:
    """Type small enough for ``shown`` to fit across a neuron ``node_size`` px wide (a digit ≈ 0.56 em)."""
    return min(largest, 0.86 * node_size / (0.56 * max(len(shown), 1)))


@dataclass(frozen=True)
class _Geometry:
    """Everything about a drawing that depends only on the architecture and the names, never on the
    weights: computed once per (layer sizes, names) and shared by every redraw and every session."""

    pos: list[list[tuple[float, float]]]
    names: list[list[str]]  # escaped neuron names by layer
    layer: np.ndarray  # per edge: the layer it feeds (1-based), the neuron j it feeds, the input k
    target: np.ndarray
    source: np.ndarray
    xs: np.ndarray  # per edge: x0, x1, NaN — a segment with its gap
    ys: np.ndarray
    markers: np.ndarray  # per edge, MARKER_SPREAD points along it where a click picks the weight
    marker_ids: list[str]  # "w:l,j,k" for each of those points, edge by edge
    hover_prefix: list[str]  # per edge: "weight <from> → <to><br>w = "
    visible: np.ndarray  # per edge: are both its neurons drawn?


@lru_cache(maxsize=16)
def _geometry(sizes: tuple[int, ...], feature_names: tuple[str, ...], class_names: tuple[str, ...]) -> _Geometry:
    n_layers = len(sizes) - 1
    pos = _positions(sizes)
    names = [[_node_name(l, j, n_layers, feature_names, class_names) for j in range(n)] for l, n in enumerate(sizes)]
    layer, target, source = (np.array(v, dtype=int) for v in zip(*[
        (l, j, k) for l in range(1, n_layers + 1) for j in range(sizes[l]) for k in range(sizes[l - 1])]))
    start = np.array([pos[l - 1][k] for l, k in zip(layer, source)])
    end = np.array([pos[l][j] for l, j in zip(layer, target)])
    gap = np.full(len(layer), np.nan)
    xs = np.column_stack([start[:, 0], end[:, 0], gap])
    ys = np.column_stack([start[:, 1], end[:, 1], gap])
    fanout = np.array([sizes[l] for l in layer], dtype=float)
    spread = np.array(MARKER_SPREAD)[None, :] + 0.2 * ((target + 0.5) / fanout)[:, None]  # edges × spread
    markers = (start[:, None, :] + spread[:, :, None] * (end - start)[:, None, :]).reshape(-1, 2)
    ids = [f"w:{l},{j},{k}" for l, j, k in zip(layer, target, source) for _ in MARKER_SPREAD]
    prefix = [f"weight {names[l - 1][k]} → {names[l][j]}<br>w = " for l, j, k in zip(layer, target, source)]
    visible = np.isfinite(start[:, 1]) & np.isfinite(end[:, 1])
    return _Geometry(pos, names, layer, target, source, xs, ys, markers, ids, prefix, visible)


def _edges_used(view: GraphView | None, geometry: _Geometry) -> np.ndarray:
    """Per edge: is it used by the active step? (forward/update: the edges into the active neuron or
    layer; backward: the edges out of it)."""
    used = np.zeros(len(geometry.layer), dtype=bool)
    if view is None or view.active is None:
        return used
    layer, neuron = view.active
    if view.phase in ("forward", "update"):
        used = geometry.layer == layer
        return used if neuron is None else used & (geometry.target == neuron)
    if view.phase == "backward":
        used = geometry.layer == layer + 1
        return used if neuron is None else used & (geometry.source == neuron)
    return used


def network_figure(network: Network, feature_names: Sequence[str] = (), class_names: Sequence[str] = (),
                   view: GraphView | None = None, *, weight_labels: bool = False,
                   presentation: bool = False, height: int | None = None, every_bucket: bool = False) -> Spec:
    """Draw ``network``: every connection coloured by the sign of its weight (blue +, orange −) and
    thicker for larger |w|; nodes filled by their value in ``view``; hover shows exact numbers; every
    weight, bias square and neuron clickable (their ``customdata`` says which). A plain plotly dict
    (see figures/spec.py). ``every_bucket``: one edge trace per sign and width even if empty, so that
    figures of one network with different weights have the same traces (the frames of an animation)."""
    weights = view.weights if view is not None and view.weights is not None else network.weights
    sizes = network.layer_sizes
    n_layers = len(sizes) - 1
    geometry = _geometry(tuple(sizes), tuple(feature_names), tuple(class_names))
    pos = geometry.pos
    values = np.concatenate([w[:, :-1].ravel() for w in weights])
    largest = float(np.max(np.abs(values))) if values.size else 0.0
    font = 18 if presentation else 12
    level = weight_levels(values, largest, WIDTH_BINS)
    positive = values >= 0

    traces: list[dict] = []
    annotations: list[dict] = []
    updated = np.zeros(len(values), dtype=bool)
    if view is not None and view.updated:
        for l, j in view.updated:
            updated |= (geometry.layer == l) & (geometry.target == j)
    for glow, color in ((updated, colors.UPDATED), (_edges_used(view, geometry), colors.ACTIVE)):
        glow &= geometry.visible
        if glow.any():
            traces.append(dict(type="scatter", x=segments(geometry.xs[glow]), y=segments(geometry.ys[glow]),
                               mode="lines", hoverinfo="skip", line=dict(color=color, width=12), opacity=0.45,
                               name="highlight"))
    for sign in (False, True):
        for bin_ in range(WIDTH_BINS):
            chosen = (positive == sign) & (level == bin_) & geometry.visible
            if not chosen.any() and not every_bucket:
                continue
            traces.append(dict(type="scatter", x=segments(geometry.xs[chosen]), y=segments(geometry.ys[chosen]),
                               mode="lines", hoverinfo="skip", opacity=0.35 + 0.65 * (bin_ + 1) / WIDTH_BINS,
                               line=dict(color=colors.POSITIVE if sign else colors.NEGATIVE, width=0.8 + 1.6 * bin_),
                               name=f"{'positive' if sign else 'negative'} weights"))
    picked = view.picked if view is not None else None
    if picked is not None:  # over the edges, under every label and neuron
        _add_picked_edges(traces, picked, pos, sizes)
    exact = values.tolist()
    if len(exact) <= MAX_WEIGHT_HOVERS:  # beyond: no hover and no click on single weights (message size)
        hidden = dict(marker=dict(opacity=0))
        at = np.repeat(geometry.visible, len(MARKER_SPREAD))  # the click points of the edges drawn
        traces.append(dict(type="scatter", x=typed(geometry.markers[at, 0]), y=typed(geometry.markers[at, 1]),
                           mode="markers", customdata=[i for i, shown in zip(geometry.marker_ids, at) if shown],
                           marker=dict(size=14, opacity=0), name="weights", unselected=hidden, selected=hidden,
                           hoverinfo="text",
                           hovertext=[prefix + repr(w) + "<br><i>click: why it changes</i>"
                                      for prefix, w, shown in zip(geometry.hover_prefix, exact, geometry.visible)
                                      if shown for _ in MARKER_SPREAD]))
    tallest = min(max(sizes), DRAWN_PER_LAYER)  # slots in the tallest column
    height = height or int(min(max(340, 78 * tallest + 120), 900) * (1.25 if presentation else 1.0))
    unit = height / (tallest + 1.95)  # pixels between two neurons of a layer
    node_size = int(max(10, min(58 if presentation else 46, 0.78 * unit)))
    y_scale = (height - 20) / (tallest + 0.95)  # pixels per unit of y: the plot's height over the y range
    x_range = [-0.75 - 0.12 * n_layers, n_layers + 0.55 + 0.1 * n_layers]
    if weight_labels and len(exact) <= MAX_WEIGHT_HOVERS:
        _add_weight_labels(traces, annotations, geometry, exact, font - 3, node_size,
                           (ASSUMED_WIDTH - 20) / (x_range[1] - x_range[0]), y_scale, tallest)
    _add_nodes(traces, annotations, weights, geometry, sizes, view, font, node_size, unit, y_scale)

    for l in range(n_layers + 1):
        annotations.append(dict(x=l, y=(tallest - 1) / 2.0 + 0.95, text=f"<b>{_layer_title(l, n_layers)}</b>",
                                showarrow=False, font=dict(size=font + 1)))
        if drawn(sizes[l]) < sizes[l]:  # the last slot: how many neurons are not drawn
            annotations.append(dict(x=l, y=-(DRAWN_PER_LAYER - 1) / 2.0, showarrow=False,
                                    text=f"⋮<br>{sizes[l] - drawn(sizes[l])} more", font=dict(size=font - 1,
                                                                                                color=colors.MUTED)))
    layout = dict(
        annotations=annotations, height=height,
        margin=dict(l=10, r=10, t=10, b=10), showlegend=False, hovermode="closest",
        plot_bgcolor="rgba(0,0,0,0)", paper_bgcolor="rgba(0,0,0,0)",
        xaxis=dict(visible=False, range=x_range, fixedrange=True),
        yaxis=dict(visible=False, range=[-(tallest - 1) / 2.0 - 0.8, (tallest - 1) / 2.0 + 1.15],
                   fixedrange=True),
        hoverlabel=dict(font=dict(size=font)),
    )
    return dict(data=traces, layout=layout)


def _add_weight_labels(traces: list[dict], annotations: list[dict], geometry: _Geometry, exact: list[float],
                       font: int, node_size: int, x_scale: float, y_scale: float, tallest: int) -> None:
    """Each weight's value on its edge, where it overlaps no other label and no neuron: the largest |w|
    placed first, each at the first of LABEL_SPOTS along its edge that is free (judged at ASSUMED_WIDTH;
    a wider graph only spreads them further), on a backing so that it reads over a thick edge. A weight
    whose edge has no free spot goes without a label, and a note under the graph says how many (their
    values are on hover)."""
    centres = np.array([xy for column in geometry.pos for xy in column if _shown(xy)]) * [x_scale, y_scale]
    n_nodes = len(centres)
    # boxes as centre x, centre y, half width, half height, in px: the neurons and their bias squares first
    boxes = np.zeros((n_nodes * 2 + len(exact), 4))
    boxes[:n_nodes, :2] = centres
    boxes[:n_nodes, 2:] = node_size / 2 + 2
    boxes[n_nodes:2 * n_nodes, :2] = centres - [0, node_size / 2 + 3 + BIAS_SQUARE / 2]
    boxes[n_nodes:2 * n_nodes, 2:] = BIAS_SQUARE / 2 + 1
    count = 2 * n_nodes
    start = np.column_stack([geometry.xs[:, 0], geometry.ys[:, 0]]) * [x_scale, y_scale]
    end = np.column_stack([geometry.xs[:, 1], geometry.ys[:, 1]]) * [x_scale, y_scale]
    texts = [_fmt(w) for w in exact]
    xs, ys, shown = [], [], []
    order = [e for e in np.argsort(-np.abs(np.asarray(exact)), kind="stable") if geometry.visible[e]]
    for e in order[:MAX_WEIGHT_LABELS]:
        half = np.array([0.28 * font * len(texts[e]) + 3, font / 2 + 3])  # the text, its backing and a gap
        for t in LABEL_SPOTS:
            at = start[e] + t * (end[e] - start[e])
            clear = np.abs(boxes[:count, :2] - at) >= boxes[:count, 2:] + half
            if clear.any(axis=1).all():
                boxes[count] = [*at, *half]
                count += 1
                xs.append(at[0] / x_scale)
                ys.append(at[1] / y_scale)
                shown.append(texts[e])
                break
    annotations.extend(dict(x=x, y=y, text=label, showarrow=False, font=dict(size=font, color=colors.INK),
                            bgcolor=colors.LABEL_BACKGROUND, borderpad=1, name="weight label")
                       for x, y, label in zip(xs, ys, shown))  # on a backing: readable over a thick edge
    if len(shown) < len(exact):
        annotations.append(dict(x=0.5, xref="paper", y=-(tallest - 1) / 2.0 - 0.72, yanchor="bottom",
                                showarrow=False, font=dict(size=font, color=colors.MUTED),
                                text=f"{len(shown)} of {len(exact)} weights labelled: the others' labels would "
                                     "overlap, or their neurons are not drawn — hover a connection for its value"))


def _add_picked_edges(traces: list[dict], picked: Highlight, pos, sizes) -> None:
    """The picked weight's edge (bold) and the path its gradient comes back along (lighter), drawn over
    the edges but before every label and neuron, so they cover no text; a bias's edge is its square,
    ringed later."""
    for edges, width, opacity, name in ((picked.path, 4, 0.45, "picked path"), (picked.edges, 8, 0.95, "picked")):
        xs, ys = [], []
        for (l0, k), (l1, j) in edges:
            if k < sizes[l0] and _shown(pos[l0][k]) and _shown(pos[l1][j]):  # a drawn weight, not a bias
                xs += [pos[l0][k][0], pos[l1][j][0], None]
                ys += [pos[l0][k][1], pos[l1][j][1], None]
        if xs:
            traces.append(dict(type="scatter", x=segments(_coords(xs)), y=segments(_coords(ys)), mode="lines", hoverinfo="skip",
                               line=dict(color=colors.SELECTED, width=width), opacity=opacity, name=name))


def _add_bias_squares(traces: list[dict], picked: Highlight | None, sizes, xs, ys, hover, text, ids, color, nodes,
                      font: int, visible: bool) -> None:
    """One small square under each neuron for its bias (blue +, orange −), its value beneath when
    there is room; where neurons sit too close for it, the neuron's own card tells its bias."""
    if not visible:
        return
    picked_biases = {edge[1] for edge in (picked.edges if picked is not None else ())
                     if edge[0][1] == sizes[edge[0][0]]}
    ringed = [i for i, node in enumerate(nodes) if node in picked_biases]
    if ringed:  # under the square and its label
        traces.append(dict(type="scatter", x=[xs[i] for i in ringed], y=[ys[i] for i in ringed], mode="markers",
                           hoverinfo="skip", name="picked bias",
                           marker=dict(size=BIAS_SQUARE + 10, symbol="square", color="rgba(0,0,0,0)",
                                       line=dict(width=3, color=colors.SELECTED))))
    unchanged = dict(marker=dict(opacity=1.0))
    traces.append(dict(type="scatter", x=xs, y=ys, mode="markers+text", text=text, textposition="bottom center",
                       textfont=dict(size=font - 2, color=colors.MUTED), hovertext=hover, hoverinfo="text",
                       customdata=ids, name="biases", selected=unchanged, unselected=unchanged,
                       marker=dict(size=BIAS_SQUARE, symbol="square", color=color, line=dict(width=1, color=colors.MUTED))))


def _short(name: str, limit: int = 13) -> str:
    """Break a long name over two lines so it fits beside its node."""
    if len(name) <= limit or " " not in name:
        return name
    cut = name.rfind(" ", 0, max(name.find(" ") + 1, len(name) // 2 + 3))
    cut = cut if cut > 0 else name.find(" ")
    return name[:cut] + "<br>" + name[cut + 1:]


def _text_color(value: float | None, span: float) -> str:
    return "#ffffff" if value is not None and abs(value) / span > 0.55 else "#1a1a1a"


BIAS_SQUARE = 9  # px: the clickable square under each neuron that stands for its bias
ACTIVE_RING = 16  # px: the ring round the neuron of the current step is this much wider than the neuron


def _add_nodes(traces: list[dict], annotations: list[dict], weights: list[np.ndarray], geometry: _Geometry, sizes,
               view: GraphView | None, font: int, size: int, spacing: float, y_scale: float) -> None:
    n_layers = len(sizes) - 1
    pos = geometry.pos
    values = view.values if view is not None else {}
    deltas = view.deltas if view is not None else {}
    picked = view.picked if view is not None else None
    span = max([1.0] + [abs(v) for v in values.values()])
    show_text = size >= 26
    gap = y_scale - size  # px between two neurons of the tallest layer
    show_squares = gap >= BIAS_SQUARE + 4
    show_bias = show_text and show_squares and gap >= 1.2 * font + BIAS_SQUARE + 8
    drop = (size / 2 + 3 + BIAS_SQUARE / 2) / y_scale  # a bias square sits just under its neuron
    xs, ys, fill, line_color, hover, inside, inside_color, ids = [], [], [], [], [], [], [], []
    bias_x, bias_y, bias_hover, bias_text, bias_ids, bias_color, bias_nodes = [], [], [], [], [], [], []
    for l, column in enumerate(pos):
        for j, (x, y) in enumerate(column):
            if not np.isfinite(y):  # a neuron not drawn (its layer shows "… N more")
                continue
            node = (l, j)
            xs.append(x)
            ys.append(y)
            ids.append(f"n:{l},{j}")
            known = node in values
            fill.append(values[node] if known else None)
            line_color.append(colors.NODE_LINE if known else colors.PENDING)
            lines = [f"<b>{geometry.names[l][j]}</b>"]
            if l > 0:
                bias = float(weights[l - 1][j, -1])
                lines.append(f"bias b = {bias!r}")
                bias_x.append(x)
                bias_y.append(y - drop)
                bias_hover.append(f"bias of {geometry.names[l][j]}<br>b = {bias!r}"
                                  "<br><i>click: why it changes</i>")
                bias_text.append(f"b {_fmt(bias)}" if show_bias else "")
                bias_ids.append(f"w:{l},{j},{sizes[l - 1]}")
                bias_color.append(colors.POSITIVE if bias >= 0 else colors.NEGATIVE)
                bias_nodes.append(node)
            if view is not None and node in view.sums:
                lines.append(f"weighted sum z = {view.sums[node]!r}")
            if known:
                lines.append(("input x = " if l == 0 else "output o = ") + repr(values[node]))
            if node in deltas:
                lines.append(f"delta δ = {deltas[node]!r}")
                if show_text:
                    annotations.append(dict(x=x, y=y, text=f"<b>δ {_fmt(deltas[node])}</b>", showarrow=False,
                                            xshift=size * 0.55, yshift=size * 0.62, xanchor="left",
                                            font=dict(size=font - 1, color=colors.DELTA),
                                            bgcolor=colors.LABEL_BACKGROUND, bordercolor=colors.DELTA,
                                            borderwidth=1, borderpad=2))
            if l > 0:
                lines.append("<i>click: its delta and every incoming gradient</i>")
            hover.append("<br>".join(lines))
            inside.append(node_text(values[node]) if known and show_text else "")
            inside_color.append(_text_color(values.get(node), span))
    if picked is not None and picked.neurons:  # a ring under the neuron, so it covers no text
        rings = [pos[l][j] for l, j in picked.neurons if _shown(pos[l][j])]
        traces.append(dict(type="scatter", x=[p[0] for p in rings], y=[p[1] for p in rings], mode="markers",
                           hoverinfo="skip", name="picked neuron",
                           marker=dict(size=size + 14, color="rgba(0,0,0,0)",
                                       line=dict(width=4, color=colors.SELECTED))))
    if view is not None and view.active is not None:  # under the neurons and their bias squares and labels
        layer, neuron = view.active
        ring = [xy for xy in ([pos[layer][neuron]] if neuron is not None else pos[layer]) if _shown(xy)]
        traces.append(dict(type="scatter", x=[p[0] for p in ring], y=[p[1] for p in ring], mode="markers",
                                 hoverinfo="skip", name="active",
                                 marker=dict(size=size + ACTIVE_RING, color="rgba(0,0,0,0)", symbol="circle",
                                             line=dict(width=5, color=colors.ACTIVE))))
    unchanged = dict(marker=dict(opacity=1.0))  # a click picks; it must not dim the other neurons
    traces.append(dict(type="scatter", 
        x=xs, y=ys, mode="markers+text", text=inside, textposition="middle center",
        textfont=dict(size=[round(node_font(t, size, min(font - 1, size * 0.34)), 1) for t in inside],
                      color=inside_color), hovertext=hover, hoverinfo="text", customdata=ids,
        marker=dict(size=size, color=[v if v is not None else 0.0 for v in fill], colorscale=colors.DIVERGING,
                    cmin=-span, cmax=span, line=dict(width=2, color=line_color), opacity=1.0),
        name="neurons", selected=unchanged, unselected=unchanged,
    ))
    empty = [i for i, v in enumerate(fill) if v is None]  # not computed yet: drawn empty
    if empty:
        traces.append(dict(type="scatter", x=[xs[i] for i in empty], y=[ys[i] for i in empty], mode="markers",
                                 hovertext=[hover[i] for i in empty], hoverinfo="text", name="not computed yet",
                                 marker=dict(size=size, color=colors.EMPTY, line=dict(width=2, color=colors.PENDING))))
    _add_bias_squares(traces, picked, sizes, bias_x, bias_y, bias_hover, bias_text, bias_ids, bias_color, bias_nodes,
                      font, show_squares)
    # text beside a node needs an invisible marker to sit outside it: as wide as the active step's ring
    ghost = dict(size=size + ACTIVE_RING + 6, color="rgba(0,0,0,0)")
    for l, position in ((0, "middle left"), (n_layers, "middle right")):
        names = [_short(name) for name, xy in zip(geometry.names[l], pos[l]) if _shown(xy)]
        at = [xy for xy in pos[l] if _shown(xy)]
        traces.append(dict(type="scatter", x=[x for x, _ in at], y=[y for _, y in at], mode="markers+text",
                                 text=names, textposition=position, hoverinfo="skip", marker=ghost,
                                 textfont=dict(size=font, color=colors.INK), name=f"layer {l} names"))

