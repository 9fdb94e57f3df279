"""Page set-up and the sidebar every page shows: pages, presentation mode, the data and network in use."""
from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitAPIException

from core import fast

from . import clicks, server, state, text, theme, training_run
from .lesson import Lesson

# a local file: a ":material/…:" or emoji page icon would make the browser fetch it from the internet
FAVICON = str(Path(__file__).with_name("assets") / "favicon.png")

STEP_PAGE = "pages/2_Step_through.py"  # where a clicked point or row is stepped through
PAGES = [
    ("app.py", "Home", ":material/school:"),
    ("pages/1_Network.py", "Network", ":material/hub:"),
    (STEP_PAGE, "Step-through", ":material/footprint:"),
    ("pages/3_Train.py", "Train", ":material/trending_down:"),
    ("pages/4_Cross_validation.py", "Cross-validation", ":material/target:"),
    ("pages/5_Data.py", "Data", ":material/table_chart:"),
    ("pages/7_Playground.py", "Playground", ":material/grain:"),
    ("pages/6_Lessons.py", "Lessons", ":material/bookmarks:"),
]

# the page bar's names in presentation mode: short, so that every page fits in one row at 1280 px
SHORT_NAMES = {"Step-through": "Step", "Cross-validation": "Cross-val."}


def page_setup(title: str) -> Lesson:
    """Every page starts here: page config, the lesson, sidebar, styles, a pending notice."""
    running = server.started()
    state.init_state()
    st.set_page_config(page_title=f"{title} · Backprop Lab", page_icon=FAVICON, layout="wide",
                       initial_sidebar_state="collapsed" if state.lesson().presentation else "auto")
    training_run.keep_up()  # a run that ended while another page was open is recorded now
    lesson = state.lesson()
    st.html(theme.page_css(lesson.theme, lesson.presentation))
    render_sidebar(lesson, running)
    if lesson.presentation:
        page_bar(lesson)
    notice = state.pop_notice()
    if notice:
        st.info(notice, icon=":material/info:")
    problem = clicks.read_url()
    if problem:
        st.warning(problem, icon=":material/warning:")
    clicks.write_url()
    return lesson


def toggle_presentation() -> None:
    lesson = state.lesson()
    lesson.presentation = not lesson.presentation
    state.save()


def toggle_theme() -> None:
    lesson = state.lesson()
    lesson.theme = "light" if lesson.theme == "dark" else "dark"
    state.save()


def _switches(lesson: Lesson, where: str, short: bool = False) -> None:
    """Presentation mode and the theme as buttons: a focused button, unlike a toggle, leaves the arrow
    keys to the step-through's shortcuts. ``short``: one-word labels, for the page bar's one row."""
    dark = lesson.theme == "dark"
    theme_label = ("Light" if dark else "Dark") + ("" if short else " theme")
    st.button(theme_label, key=f"theme_{where}", on_click=toggle_theme,
              icon=":material/light_mode:" if dark else ":material/dark_mode:",
              help="A dark, high-contrast theme for a darkened lecture hall, or the light one.")
    if lesson.presentation:
        st.button("Leave" if short else "Leave presentation", key=f"presentation_{where}",
                  on_click=toggle_presentation, icon=":material/close_fullscreen:",
                  help="Leave presentation mode: back to the sidebar and normal type.")
    else:
        st.button("Presentation mode", key=f"presentation_{where}", on_click=toggle_presentation,
                  icon=":material/co_present:", help="Large type, big graph and equations, a page bar instead "
                  "of the sidebar; on the step-through, ← → (and a clicker's PageUp/PageDown) step through "
                  "the pass — for a projector.")


def page_bar(lesson: Lesson) -> None:
    """Presentation mode's navigation: every page as an icon and a short name in one row, then the switches."""
    with st.container(horizontal=True, key="page_bar", vertical_alignment="center", gap="small"):
        for path, label, icon in PAGES:
            try:
                st.page_link(path, label=SHORT_NAMES.get(label, label), icon=icon)
            except StreamlitAPIException:  # a page run on its own (as in tests) knows no other pages
                pass
        st.space("stretch")
        _switches(lesson, "bar", short=True)


def render_sidebar(lesson: Lesson, running: server.Server) -> None:
    data, net = lesson.dataset, lesson.network
    with st.sidebar:
        if running.serves_the_room:
            st.markdown(f"**Students open** `{running.room_url}`" if running.room_url else
                        "**Serving a classroom**, but this computer has no network address yet")
        for path, label, icon in PAGES:
            try:
                st.page_link(path, label=label, icon=icon)
            except StreamlitAPIException:  # a page run on its own (as in tests) knows no other pages
                pass
        st.divider()
        if not lesson.presentation:
            _switches(lesson, "sidebar")
        st.markdown("**Dataset**")
        what = "a value to predict" if data.is_regression else (
            f"{data.n_classes} classes ({', '.join(data.class_names[:6])}{'…' if data.n_classes > 6 else ''})")
        st.caption(text.plain(f"{data.name}") + f"  \n{data.n_rows} rows · {data.n_features} features · "
                   + text.plain(what))
        st.markdown("**Network**")
        output = net.output_activation if net.output_activation != net.activation else "same"
        st.caption(f"layers {'-'.join(map(str, net.layer_sizes))}  \nactivation {net.activation}, "
                   f"output {output} ({'cross-entropy' if net.loss == 'cross_entropy' else 'squared error'})"
                   f"  \n{text.plain(lesson.provenance)}")
        if fast.NOTICE:
            st.caption(fast.NOTICE)
        if state.store().notice:
            st.caption(text.plain(state.store().notice))
