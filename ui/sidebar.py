"""Page set-up and the sidebar every page shows: dataset, network summary, presentation mode."""
from __future__ import annotations

import streamlit as st

from pathlib import Path

from streamlit.errors import StreamlitAPIException

from core import fast

from . import state

# a local file: a ":material/…:" or emoji page icon would make the browser fetch it from the internet
FAVICON = str(Path(__file__).with_name("assets") / "favicon.png")

PAGES = [
    ("app.py", "Home", ":material/school:"),
    ("pages/1_Network.py", "Network", ":material/hub:"),
    ("pages/2_Step_through.py", "Step-through", ":material/footprint:"),
    ("pages/3_Train.py", "Train", ":material/trending_down:"),
    ("pages/4_Cross_validation.py", "Cross-validation", ":material/target:"),
    ("pages/5_Data.py", "Data", ":material/table_chart:"),
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
</style>
"""


def page_setup(title: str) -> None:
    """Every page starts here: page config, session state, sidebar, styles, pending notice."""
    st.set_page_config(page_title=f"{title} · Backprop Lab", page_icon=FAVICON, layout="wide",
                       initial_sidebar_state="collapsed" if presenting() else "auto")
    state.init_state()
    render_sidebar()
    st.markdown(BASE_CSS, unsafe_allow_html=True)
    if presenting():
        st.markdown(PRESENTATION_CSS, unsafe_allow_html=True)
    notice = state.pop_notice()
    if notice:
        st.info(notice, icon=":material/info:")


def presenting() -> bool:
    return bool(st.session_state.get("presentation"))


def render_sidebar() -> None:
    data, net = state.dataset(), state.network()
    settings = st.session_state["net_settings"]
    with st.sidebar:
        for path, label, icon in PAGES:
            try:
                st.page_link(path, label=label, icon=icon)
            except StreamlitAPIException:  # a page run on its own (as in tests) knows no other pages
                pass
        st.divider()
        st.toggle("Presentation mode", help="Large type, big graph and equations, arrow keys step "
                  "through the pass — for a projector.", **state.persist("presentation", False))
        st.markdown("**Dataset**")
        st.caption(f"{data.name}  \n{data.n_rows} rows · {data.n_features} features · "
                   f"{data.n_classes} classes ({', '.join(data.class_names[:6])}"
                   f"{'…' if data.n_classes > 6 else ''})")
        st.markdown("**Network**")
        output = net.output_activation if net.output_activation != net.activation else "same"
        st.caption(f"layers {'-'.join(map(str, net.layer_sizes))}  \nactivation {net.activation}, "
                   f"output {output} ({'cross-entropy' if net.loss == 'cross_entropy' else 'squared error'})"
                   f"  \ninit {net.init or settings.init}")
        if fast.NOTICE:
            st.caption(fast.NOTICE)
