"""One palette for every figure: blue for positive, orange for negative (readable by most colour-blind viewers)."""
POSITIVE = "#2166ac"
NEGATIVE = "#d6604d"
NEUTRAL = "#f7f7f7"
ACTIVE = "#f5b700"
UPDATED = "#1b9e77"
DELTA = "#b2182b"
SELECTED = "#7b3294"  # the weight or neuron a learner picked
OTHER_ROWS = "#d9d9d9"  # rows a cross-validation fold trains on
MUTED = "#6b6b6b"
TRAIN = "#2166ac"
VALIDATION = "#d6604d"
CLASS_COLORS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]

# diverging scale for node fill and heatmaps: orange (negative) → white → blue (positive)
DIVERGING = [[0.0, "#b35806"], [0.25, "#f1a340"], [0.5, "#f7f7f7"], [0.75, "#6fa8dc"], [1.0, "#08519c"]]


def class_color(index: int) -> str:
    return CLASS_COLORS[index % len(CLASS_COLORS)]
INK = "#333333"  # outlines of markers drawn over coloured backgrounds
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
