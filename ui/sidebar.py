"""Page set-up and the sidebar every page shows: dataset, network summary, presentation mode."""
from __future__ import annotations

import streamlit as st

from core import fast

from . import state

PRESENTATION_CSS = """
<style>
html, body, [class*="st-"] { font-size: 1.18rem; }
.katex { font-size: 1.4em !important; }
h1 { font-size: 2.6rem !important; }
[data-testid="stMetricValue"] { font-size: 2.4rem; }
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


def page_setup(title: str, icon: str = ":material/school:") -> None:
    """Every page starts here: page config, session state, sidebar, styles, pending notice."""
    st.set_page_config(page_title=f"{title} · Backprop Lab", page_icon=icon, layout="wide")
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
