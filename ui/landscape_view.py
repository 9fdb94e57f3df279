"""What the network learns, on a page: the plane the lesson looks through, the landscape and neuron
maps of any network over it, and a click on a row that opens it in the step-through.

The grid, the network's inputs on it and the rows on the plane depend only on the data, the
settings and the plane: they are computed once (``scene()``) and kept, so a live redraw pays for
one batched forward pass and the figures.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import streamlit as st

from core import (Experiment, Grid, Landscape, Network, Plane, landscape_grid, landscape_on, neuron_name, plane_for,
                  playground)

from . import state, text
from .figures.landscape import change_figure, landscape_figure, neuron_map_figure, neuron_maps_figure
from .lesson import Lesson
from .sidebar import STEP_PAGE

RESOLUTION = 50  # grid points a side: the landscape's cells
PLANES = {"principal": "first two principal components", "features": "two features, the others at their means"}


@dataclass(frozen=True, eq=False)
class Scene:
    """What stays the same while a network trains: the plane, the grid with the network's inputs on
    it, and every row's place on the plane."""

    experiment: Experiment
    plane: Plane
    grid: Grid
    points: np.ndarray  # (rows, 2)
    train_mask: np.ndarray  # True for training rows


def plane_choice(lesson: Lesson) -> dict[str, Any]:
    """The lesson's plane as plane_for's arguments: 2-D data is its own plane; other data is seen
    through its first two principal components unless two features were chosen."""
    if lesson.dataset.n_features == 2:
        return {"kind": "data"}
    chosen = lesson.plane or {}
    if chosen.get("kind") == "features":
        return {"kind": "features", "i": int(chosen["x"]), "j": int(chosen["y"])}
    return {"kind": "principal", "standardise": bool(chosen.get("standardise", True))}


def scene(resolution: int = RESOLUTION) -> Scene:
    """The lesson's scene, computed once per data, settings, plane and resolution."""
    lesson, experiment = state.lesson(), state.experiment()
    choice = plane_choice(lesson)
    key = (experiment, tuple(sorted(choice.items())), resolution)
    kept = st.session_state.get("_scene")
    if kept is None or kept[0][0] is not experiment or kept[0][1:] != key[1:]:
        data = lesson.dataset
        plane = plane_for(data.features, data.feature_names, **choice)
        points = plane.from_raw(data.features)
        on_the_square = lesson.source.get("kind") == "playground"
        bounds = (playground.DOMAIN, playground.DOMAIN) if on_the_square else plane.bounds(data.features)
        grid = landscape_grid(plane, bounds, experiment.to_inputs, resolution)
        mask = np.zeros(data.n_rows, dtype=bool)
        mask[experiment.train_rows] = True
        kept = (key, Scene(experiment, plane, grid, points, mask))
        st.session_state["_scene"] = kept
    return kept[1]


def view(network: Network, where: Scene | None = None) -> Landscape:
    """``network`` over the lesson's scene (one batched forward pass)."""
    where = where or scene()
    return landscape_on(network, where.grid, where.experiment.dataset.task)


def scene_and_view(network: Network) -> tuple[Scene, Landscape] | None:
    """The lesson's scene and ``network`` over it; None, with the reason on the page, if it cannot be
    drawn (a grid point the normalisation cannot take, say)."""
    if state.dataset().n_features < 2:
        st.caption("The network's output over the plane of its inputs needs data of two features or more.")
        return None
    try:
        where = scene()
        return where, view(network, where)
    except ValueError as err:
        st.error(f"The network's output cannot be drawn over this data: {text.plain(err)}")
        return None


# -- the plane chooser ------------------------------------------------------------------------------
def _set_plane(lesson: Lesson, kind: str) -> None:
    i, j = (0, 1) if lesson.dataset.n_features > 1 else (0, 0)
    lesson.plane = {"kind": "features", "x": i, "y": j} if kind == "features" else {"kind": "principal",
                                                                                      "standardise": True}


def _set_axis(axis: str) -> Callable[[Lesson, int], None]:
    def apply(lesson: Lesson, value: int) -> None:
        plane = dict(lesson.plane or {"kind": "features", "x": 0, "y": 1})
        other = "y" if axis == "x" else "x"
        if int(value) == plane.get(other):  # the same feature twice is no plane: swap them
            plane[other] = plane.get(axis)
        plane[axis] = int(value)
        lesson.plane = plane
    return apply


def plane_controls(lesson: Lesson, key: str) -> None:
    """For data of more than two features: which plane to look through (saved in the lesson)."""
    data = lesson.dataset
    if data.n_features <= 2:
        return
    choice = plane_choice(lesson)
    c = st.columns([1.4, 1, 1])
    c[0].radio("Look through", list(PLANES), horizontal=False, format_func=PLANES.get,
               help="The data has more than two features: the network's output is drawn over a plane "
                    "through them.", **state.bound(f"{key}_plane", choice["kind"], state.changed(_set_plane)))
    if choice["kind"] == "features":
        names = data.feature_names
        c[1].selectbox("across", range(data.n_features), format_func=lambda i: names[i],
                       **state.bound(f"{key}_plane_x", choice["i"], state.changed(_set_axis("x"))))
        c[2].selectbox("up", range(data.n_features), format_func=lambda i: names[i],
                       **state.bound(f"{key}_plane_y", choice["j"], state.changed(_set_axis("y"))))


def plane_caption(where: Scene) -> str:
    """One line on what the plane shows (for data of more than two features)."""
    plane = where.plane
    if plane.kind == "principal":
        return ("The plane of the first two principal components (of the standardised features), through "
                "the data's mean: every row is drawn where it projects onto it.")
    if plane.kind == "features":
        return (f"Across {text.plain(plane.axis_titles[0])}, up {text.plain(plane.axis_titles[1])}; every other "
                "feature held at its mean. The rows are drawn at their own two values, though their other "
                "features differ from the means.")
    return ""


# -- figures of a network over the scene ----------------------------------------------------------------
def landscape_of(network: Network, where: Scene, discretise: bool = False, *, landscape: Landscape | None = None,
                 height: int = 420, highlight_row: int | None = None, title: str | None = None,
                 legend: bool = True, held_name: str = "validation"):
    data = where.experiment.dataset
    landscape = landscape if landscape is not None else view(network, where)
    highlight = where.points[highlight_row] if highlight_row is not None else None
    return landscape_figure(landscape, where.points, data.labels, where.train_mask, data.class_names, discretise,
                            output_activation=network.output_activation, axis_titles=where.plane.axis_titles,
                            highlight=highlight, height=height, title=title, legend=legend, held_name=held_name)


def neuron_maps_of(network: Network, where: Scene, landscape: Landscape, **options):
    data = where.experiment.dataset
    names = data.class_names if not data.is_regression else ["prediction"]
    return neuron_maps_figure(landscape, network, where.experiment.input_names, names, **options)


def neuron_map_of(network: Network, where: Scene, landscape: Landscape, layer: int, j: int, height: int = 380):
    data = where.experiment.dataset
    names = data.class_names if not data.is_regression else ["predicted value"]
    return neuron_map_figure(landscape, network, layer, j, where.experiment.input_names, names,
                             where.plane.axis_titles, where.points, height)


def change_of(where: Scene, before: Landscape, after: Landscape, j: int, row: int | None = None):
    """How output j moved over the plane from ``before`` to ``after`` (one update, say)."""
    data = where.experiment.dataset
    name = data.class_names[j] if not data.is_regression else "predicted value"
    return change_figure(before, after, j, name, where.points[row] if row is not None else None,
                         where.plane.axis_titles, title=f"Change in the “{text.for_plot(name, 30)}” output")


def neuron_label(network: Network, where: Scene, layer: int, j: int) -> str:
    """The neuron's long name, e.g. "hidden layer 1, neuron 2" or "output neuron 1 (Kama)"."""
    data = where.experiment.dataset
    return neuron_name(layer, j, len(network.weights), where.experiment.input_names, data.class_names, long=True)


# -- a click on a row opens it in the step-through -------------------------------------------------------
def row_of(selection: Any) -> int | None:
    """The row number of the first clicked data point in a plotly selection (customdata), if any."""
    try:
        points = selection["selection"]["points"]
    except (KeyError, TypeError):
        return None
    for point in points or []:
        row = point.get("customdata") if isinstance(point, dict) else None
        if isinstance(row, list) and len(row) == 1:
            row = row[0]
        if isinstance(row, (int, float)) and not isinstance(row, bool) and float(row).is_integer():
            return int(row)
    return None


def open_in_step_through(row: int) -> None:
    """Show row ``row``'s pass on the step-through page, from its first step."""
    lesson = state.lesson()
    lesson.step.source, lesson.step.row, lesson.step.index = "row", int(row), 0
    state.save()
    st.switch_page(STEP_PAGE)


def clicked(key: str) -> Callable[[], None]:
    """on_select for a landscape chart: remember the clicked row (the page then opens it)."""
    def remember() -> None:
        row = row_of(st.session_state.get(key))
        if row is not None and 0 <= row < state.dataset().n_rows:
            st.session_state["_open_row"] = row
    return remember


def follow_click() -> None:
    """If a row was clicked, open it in the step-through (call where a page may leave)."""
    row = st.session_state.pop("_open_row", None)
    if row is not None:
        open_in_step_through(row)
