"""Picking on a network graph: a click sets the lesson's selection, which the URL (?select=w1.2.3) mirrors.

The selection lives in the lesson (snapshotted), so it survives reruns, page switches and reloads;
the URL carries it so that a link can point at one weight. A ``?select=`` is read once per session
and checked like every URL value: if it names nothing in the network it is ignored with a warning.
"""
from __future__ import annotations

from typing import Callable

import streamlit as st

from core import Network

from . import show, state, text
from .figures.spec import Spec
from .selection import Selection, checked, from_event

PARAM = "select"
HINT = "hint_pick"  # a message for the next run: what a click on an input does not do


def pick(selection: Selection | None) -> None:
    """Make ``selection`` the lesson's (None: no selection), put it in the URL and save."""
    lesson = state.lesson()
    if lesson.selection == selection:
        return
    lesson.selection = selection
    write_url()
    state.save()


def current(network: Network) -> Selection | None:
    """The lesson's selection if ``network`` has it (a page may show another network, e.g. the 2-1-2)."""
    selection = state.lesson().selection
    return selection if selection is not None and selection.fits(network) else None


CLICKS = "graph_clicks"  # counts clicks: each redraws the graph afresh, so plotly keeps no selection of its own


def _handler(key: str, network: Network) -> Callable[[], None]:
    def clicked() -> None:
        st.session_state[CLICKS] = st.session_state.get(CLICKS, 0) + 1
        event = st.session_state.get(key)
        selection = from_event(event, network)
        if selection is not None:
            pick(selection)
        elif event and event.get("selection", {}).get("points"):
            st.session_state[HINT] = "Inputs have no weights: click a connection, a bias square or a neuron."
    return clicked


def chart(figure: Spec, key: str, network: Network, selectable: bool = True, config: dict | None = None) -> None:
    """Draw a network graph (a plain plotly dict, as network_figure makes it) whose weights, bias squares
    and neurons can be clicked (when ``selectable``)."""
    if not selectable:
        show.chart(figure, key, config=config)
        return
    # a new figure after every click: plotly would otherwise keep the clicked point selected and dim the rest
    figure["layout"]["meta"] = st.session_state.get(CLICKS, 0)
    show.chart(figure, key, config=config, on_select=_handler(key, network), selection_mode="points")
    if st.session_state.get(HINT):
        st.toast(st.session_state.pop(HINT), icon=":material/info:")


def read_url() -> str | None:
    """Once per session: the link's ``?select=`` becomes the selection; what was wrong with it, if anything."""
    if st.session_state.get("select_url_read"):
        return None
    st.session_state["select_url_read"] = True
    value = st.query_params.get(PARAM)
    if value is None:
        return None
    try:
        selection = checked(value, state.network())
    except ValueError as err:
        return f"The link's selection was ignored: {text.plain(err)}."
    pick(selection)
    return None


def write_url() -> None:
    """Keep ``?select=`` in step with the lesson (a page switch clears the address's parameters)."""
    selection = state.lesson().selection
    if selection is None:
        if PARAM in st.query_params:
            del st.query_params[PARAM]
    elif st.query_params.get(PARAM) != selection.param:
        st.query_params[PARAM] = selection.param
