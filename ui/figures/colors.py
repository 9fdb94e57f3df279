"""One palette for every figure: blue for positive, orange for negative, three classes that stay apart for
colour-blind viewers (deuteranopia and protanopia checked in tests/test_theme.py) — in two themes.

Builders draw with the light theme's colours (the names below); ``themed`` gives each one's counterpart
in another theme, and ui.theme.style applies that to a finished figure, in one place.
"""
POSITIVE = "#2166ac"
NEGATIVE = "#e66101"  # orange, as the captions say (and as the node scale's negative end)
NEUTRAL = "#f7f7f7"
ACTIVE = "#f5b700"
UPDATED = "#1b9e77"
DELTA = "#b2182b"
SELECTED = "#7b3294"  # the weight or neuron a learner picked
OTHER_ROWS = "#d9d9d9"  # rows a cross-validation fold trains on
MUTED = "#6b6b6b"
TRAIN = "#2166ac"
VALIDATION = "#d6604d"
INK = "#222222"  # names beside nodes
OUTLINE = "#2b2b2b"  # marks drawn on a landscape or neuron map: those stay pale in both themes, and so does this
NODE_LINE = "#333333"  # the ring of a computed neuron
PENDING = "#9e9e9e"  # the ring of a neuron not computed yet
EMPTY = "white"  # the fill of a neuron not computed yet
LABEL_BACKGROUND = "rgba(255,255,255,0.9)"  # behind a delta's label
CLASS_COLORS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]

# diverging scale for node fill and heatmaps: orange (negative) → white → blue (positive); it is the same in
# both themes, so a neuron's value reads the same and its text colour (dark or white) stays legible
DIVERGING = [[0.0, "#b35806"], [0.25, "#f1a340"], [0.5, "#f7f7f7"], [0.75, "#6fa8dc"], [1.0, "#08519c"]]

# a sequential scale for counts (confusion matrices): pale for none, dark blue for many — the eye goes to the
# large counts; the numbers in the cells are written dark or white to suit their cell
COUNTS = [[0.0, "#f7fbff"], [0.5, "#6baed6"], [1.0, "#08519c"]]

# each light colour's counterpart on a dark, high-contrast background (≥ 6:1 against it)
DARK = {
    POSITIVE: "#5aa9f0", NEGATIVE: "#ff9a3c", ACTIVE: "#f5b700", UPDATED: "#33d1a0", DELTA: "#ff7b7b",
    MUTED: "#b4bcc8", INK: "#eef1f6", SELECTED: "#d7a6ff", VALIDATION: "#ff8a75", NODE_LINE: "#c9d1dc", PENDING: "#8b95a5", EMPTY: "#232b38",
    LABEL_BACKGROUND: "rgba(14,17,23,0.9)",
    "#1b9e77": "#2fd0a0", "#d95f02": "#f59a23", "#7570b3": "#a99bff", "#e7298a": "#ff7ac0",
    "#66a61e": "#9bd35a", "#e6ab02": "#ffd24d", "#a6761d": "#d9a95c", "#666666": "#a3a3a3",
}
THEMES = ("light", "dark")


def class_color(index: int) -> str:
    return CLASS_COLORS[index % len(CLASS_COLORS)]


REGION_LIGHT, REGION_STRONG = 0.1, 0.5  # share of a class's colour in its weakest and strongest region shade


def blend(color: str, other: str, share: float) -> str:
    """``share`` of ``color`` mixed with 1 − share of ``other`` (both "#rrggbb")."""
    a, b = (tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in (color, other))
    return "#" + "".join(f"{round(share * x + (1 - share) * y):02x}" for x, y in zip(a, b))


def class_regions_scale(n_classes: int) -> list[list]:
    """A colour scale over [0, n_classes]: class c owns [c, c + 1), from a faint to a strong shade of its
    colour, so z = c + strength draws class c with that strength (normalised by n_classes)."""
    scale: list[list] = []
    for c in range(n_classes):
        end = 1.0 if c == n_classes - 1 else (c + 1) / n_classes - 1e-9
        scale += [[c / n_classes, blend(class_color(c), NEUTRAL, REGION_LIGHT)],
                  [end, blend(class_color(c), NEUTRAL, REGION_STRONG)]]
    return scale


def themed(color: str, theme: str) -> str:
    """``color`` (a light-theme colour of this palette) as it is drawn in ``theme``; others unchanged."""
    if theme != "dark" or not isinstance(color, str):
        return color
    return DARK.get(color.lower(), DARK.get(color, color))
