"""Page set-up and the sidebar every page shows: pages, presentation mode, the data and network in use."""
from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitAPIException

from core import fast

from . import clicks, server, state, text, training_run
from .lesson import Lesson

# a local file: a ":material/…:" or emoji page icon would make the browser fetch it from the internet
FAVICON = str(Path(__file__).with_name("assets") / "favicon.png")

PAGES = [
    ("app.py", "Home", ":material/school:"),
    ("pages/1_Network.py", "Network", ":material/hub:"),
    ("pages/2_Step_through.py", "Step-through", ":material/footprint:"),
    ("pages/3_Train.py", "Train", ":material/trending_down:"),
    ("pages/4_Cross_validation.py", "Cross-validation", ":material/target:"),
    ("pages/5_Data.py", "Data", ":material/table_chart:"),
    ("pages/7_Playground.py", "Playground", ":material/grain:"),
    ("pages/6_Lessons.py", "Lessons", ":material/bookmarks:"),
]

PRESENTATION_CSS = """
<style>
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.3rem; }
[data-testid="stCaptionContainer"] { font-size: 1.1rem; }
.katex { font-size: 1.32em !important; }
[data-testid="stMetricValue"] { font-size: 2.6rem; }
[data-testid="stProgress"] p { font-size: 1.3rem; }
</style>
"""

BASE_CSS = """
<style>
[data-testid="stMainBlockContainer"], .block-container { padding-top: 2.2rem; }
.katex { font-size: 1.08em; }
.katex-display { overflow-x: auto; overflow-y: hidden; padding: 0.2rem 0; }
[data-testid="stMetricValue"] { font-variant-numeric: tabular-nums; }
@media (max-width: 640px) { .katex { font-size: 0.85em; } }
</style>
"""


def page_setup(title: str) -> Lesson:
    """Every page starts here: page config, the lesson, sidebar, styles, a pending notice."""
    running = server.started()
    state.init_state()
    st.set_page_config(page_title=f"{title} · Backprop Lab", page_icon=FAVICON, layout="wide",
                       initial_sidebar_state="collapsed" if state.lesson().presentation else "auto")
    training_run.keep_up()  # a run that ended while another page was open is recorded now
    lesson = state.lesson()
    render_sidebar(lesson, running)
    st.markdown(BASE_CSS, unsafe_allow_html=True)
    if lesson.presentation:
        st.markdown(PRESENTATION_CSS, unsafe_allow_html=True)
    notice = state.pop_notice()
    if notice:
        st.info(notice, icon=":material/info:")
    problem = clicks.read_url()
    if problem:
        st.warning(problem, icon=":material/warning:")
    clicks.write_url()
    return lesson


def presenting() -> bool:
    return state.lesson().presentation


def _set_presentation(lesson: Lesson, on: bool) -> None:
    lesson.presentation = bool(on)


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
        st.toggle("Presentation mode", help="Large type, big graph and equations, arrow keys step "
                  "through the pass — for a projector.",
                  **state.bound("presentation", lesson.presentation, state.changed(_set_presentation)))
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
