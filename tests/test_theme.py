"""The light and dark themes: colours that colour-blind viewers can tell apart, figures restyled in one place,
the page's CSS, and chart ticks that read as round numbers."""
import itertools
import json

import numpy as np
import plotly.graph_objects as go
import pytest

from core import ExperimentSettings, History, forward, load_seeds, prepare
from ui import theme
from ui.figures import colors
from ui.figures.charts import flat_range, loss_figure
from ui.figures.network_graph import network_figure, view_of_trace

# Machado, Oliveira & Fernandes (2009), severity 1.0, on linear RGB
SIMULATE = {
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "typical vision": np.eye(3),
}


def linear(color: str) -> np.ndarray:
    srgb = np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def lab(rgb: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ np.clip(rgb, 0, 1)
    f = xyz / [0.95047, 1.0, 1.08883]
    f = np.where(f > 0.008856, np.cbrt(f), 7.787 * f + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def difference(a: str, b: str, vision: str) -> float:
    """CIE76 ΔE between two colours as a viewer with ``vision`` sees them (≥ 20: clearly different)."""
    m = SIMULATE[vision]
    return float(np.linalg.norm(lab(m @ linear(a)) - lab(m @ linear(b))))


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio."""
    la, lb = sorted(float(np.array([0.2126, 0.7152, 0.0722]) @ linear(c)) for c in (a, b))
    return (lb + 0.05) / (la + 0.05)


@pytest.mark.parametrize("name", colors.THEMES)
@pytest.mark.parametrize("vision", list(SIMULATE))
def test_weights_and_classes_stay_apart_for_colour_blind_viewers(name, vision):
    groups = {"positive/negative weights": [colors.POSITIVE, colors.NEGATIVE],
              "the three classes": [colors.class_color(i) for i in range(3)],
              "training/validation": [colors.TRAIN, colors.VALIDATION]}
    background = theme.COLORS[name]["background"]
    for what, group in groups.items():
        shown = [colors.themed(c, name) for c in group]
        for a, b in itertools.combinations(shown, 2):
            assert difference(a, b, vision) >= 20, f"{what} in the {name} theme: {a} and {b} ({vision})"
        for c in shown:
            assert contrast(c, background) >= 3, f"{what}: {c} on {background}"


def test_text_is_high_contrast_in_both_themes():
    for name, c in theme.COLORS.items():
        assert contrast(c["text"], c["background"]) >= 12, name
        assert contrast(c["muted"], c["background"]) >= 4.5, name


def figure_json(spec: dict) -> str:
    return json.dumps(spec, default=str).lower()


@pytest.fixture(scope="module")
def seeds_graph():
    data = load_seeds()
    experiment = prepare(data, ExperimentSettings())
    network = experiment.network.copy()
    network.weights[0][:, :3] *= -1  # negative weights too
    return lambda: network_figure(network, experiment.input_names, data.class_names,
                                  view_of_trace(forward(network, experiment.inputs[0])), weight_labels=True)


def test_dark_figures_keep_no_light_palette_colour(seeds_graph):
    light = figure_json(seeds_graph())
    dark = figure_json(theme.style(seeds_graph(), "dark"))
    changed = {k.lower() for k, v in colors.DARK.items() if k.lower() != v.lower()}
    assert colors.POSITIVE.lower() in light and colors.NEGATIVE.lower() in light
    assert [c for c in changed if f'"{c}"' in dark] == []
    assert colors.DARK[colors.POSITIVE].lower() in dark and colors.DARK[colors.NEGATIVE].lower() in dark
    assert theme.COLORS["dark"]["text"] in dark  # labels and ticks in the dark theme's text colour


def test_light_figures_keep_their_colours_and_every_figure_drops_plotlys_template(seeds_graph):
    spec = theme.style(seeds_graph(), "light")
    assert colors.POSITIVE.lower() in figure_json(spec)
    assert spec["layout"]["template"] == {}  # plotly's default template is never sent; Streamlit's applies
    assert spec["layout"]["paper_bgcolor"] == "rgba(0,0,0,0)"
    assert theme.style(seeds_graph(), "light", opaque=True)["layout"]["paper_bgcolor"] == theme.COLORS["light"]["background"]
    labelled = [t for t in spec["data"] if "text" in t.get("mode", "")]
    assert labelled and all(t["cliponaxis"] is False for t in labelled)  # names never cut at the plot's edge
    go.Figure(spec)  # still a valid figure


def test_styling_leaves_the_builders_figure_as_it_was(seeds_graph):
    """A builder's dicts may be cached (the graph's geometry is): styling copies what it changes."""
    spec = seeds_graph()
    before = figure_json(spec)
    theme.style(spec, "dark", presentation=True)
    assert figure_json(spec) == before


def test_presentation_mode_enlarges_figure_text():
    history = History(epoch=[1, 2], sse=[3.0, 2.0], loss=[0.5, 0.4])
    normal = go.Figure(theme.style(loss_figure(history, "loss", 10), "light"))
    presenting = go.Figure(theme.style(loss_figure(history, "loss", 10), "light", presentation=True))
    assert presenting.layout.xaxis.tickfont.size == 18 > normal.layout.xaxis.tickfont.size
    assert presenting.layout.yaxis.title.font.size == 18


def test_page_css_per_theme_and_mode():
    light, dark = theme.page_css("light", False), theme.page_css("dark", False)
    presenting = theme.page_css("light", True)
    assert theme.COLORS["dark"]["background"] in dark and theme.COLORS["dark"]["background"] not in light
    assert "stDataFrame" in dark  # the canvas-drawn tables are inverted in the dark theme
    assert '[data-testid="stSidebar"]' in presenting and "display: none" in presenting
    assert "$" not in dark + presenting  # every colour filled in


def test_a_flat_loss_gets_round_ticks():
    flat = [{"y": np.full(50, 1.99999999999985234)}]
    low, high = flat_range(flat)
    assert low < 1.99999999999985234 < high and high - low >= 0.2 - 1e-12
    assert flat_range([{"y": np.linspace(0.1, 0.9, 50)}]) is None  # a moving loss autoranges
    assert flat_range([{"y": [None, None]}]) is None
    history = History(epoch=list(range(1, 51)), sse=[2.0] * 50, loss=[0.6931471805599453] * 50)
    fig = go.Figure(loss_figure(history, "loss", 50))
    assert fig.layout.yaxis.tickformat == ".5~g" and fig.layout.yaxis.range is not None


def test_dark_theme_recolours_labels_arrows_and_rings_but_not_marks_on_a_pale_map():
    """What the graph writes in annotations (the δ labels on their backing), the loss slice's arrow and the
    picked ring are themed; a mark drawn on a landscape, which stays pale in both themes, keeps its dark ink."""
    from core import toy_network, walk_through
    from ui.figures.loss_slice import loss_slice_figure
    from ui.figures.network_graph import view_at_step

    walk = walk_through(toy_network(), np.array([1.0, 0.0]), np.array([0.0, 1.0]), 0.5)
    backward = walk.phase_start("backward") + 1
    dark = theme.style(network_figure(walk.network, ["x1", "x2"], ["a", "b"], view_at_step(walk, backward)), "dark")
    deltas = [a for a in dark["layout"]["annotations"] if a["text"].startswith("<b>δ")]
    assert deltas and all(a["bgcolor"] == colors.DARK[colors.LABEL_BACKGROUND] and
                          a["font"]["color"] == colors.DARK[colors.DELTA] for a in deltas)
    arrow = theme.style(loss_slice_figure([0.0, 1.0], [0.2, 0.1], None, 0.5, 0.15, -0.1, 0.55, 0.14, "w"), "dark")
    assert [a["arrowcolor"] for a in arrow["layout"]["annotations"] if "arrowcolor" in a] == [colors.DARK[colors.SELECTED]]
    assert contrast(colors.DARK[colors.SELECTED], theme.COLORS["dark"]["background"]) >= 4.5
    assert colors.themed(colors.OUTLINE, "dark") == colors.OUTLINE
    assert contrast(colors.OUTLINE, colors.NEUTRAL) >= 7  # dark on the palest shade of a map


def test_every_axis_gets_its_own_styling_and_a_plain_text_title_keeps_its_text():
    spec = {"data": [], "layout": {"xaxis": {"title": "epoch"}, "yaxis2": {"title": "rows"}}}
    styled = theme.style(spec, "light")["layout"]
    assert styled["xaxis"]["title"]["text"] == "epoch" and styled["yaxis2"]["title"]["text"] == "rows"
    assert styled["xaxis"] is not styled["yaxis"] and styled["xaxis"]["tickfont"] is not styled["yaxis"]["tickfont"]
    assert spec["layout"]["xaxis"] == {"title": "epoch"}  # the builder's dict as it was
