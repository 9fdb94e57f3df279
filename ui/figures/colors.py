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
