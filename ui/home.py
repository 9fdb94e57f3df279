"""The landing page's content: what the app teaches, the data and network in use, the way in."""
import streamlit as st

from core import forward

from . import samples, show, text
from .figures.network_graph import network_figure, view_of_trace
from .sidebar import PAGES, page_setup

BLURBS = ["the graph with its live weights", "one pass, neuron by neuron", "loss and accuracy, live",
          "the tutorial's 93.333%", "the seeds, your own CSV, or 2-D playground data",
          "2-D data, features and layers: watch the boundary and every neuron's map form",
          "save a lesson, open it again, share its link"]


def home() -> None:
    lesson = page_setup("Home")
    data, net = lesson.dataset, lesson.network
    st.title("Backprop Lab")
    st.markdown(
        "Watch a neural network learn, one number at a time. Backprop Lab follows the classic tutorial "
        "*code a neural network with backpropagation from scratch in Python*: a feed-forward network of "
        "sigmoid neurons, trained by online stochastic gradient descent to tell three varieties of wheat "
        "apart from seven measurements of their kernels. Every number on every page comes from the same "
        "engine, and matches the tutorial's to the last digit."
    )
    c = st.columns(4)
    c[0].metric("Rows", data.n_rows)
    c[1].metric("Features", data.n_features)
    c[2].metric("Classes", "—" if data.is_regression else data.n_classes)
    c[3].metric("Network", "-".join(map(str, net.layer_sizes)))
    st.caption(f"Data: {text.plain(data.name)}"
               + ("" if data.is_regression else f" — classes {text.plain(', '.join(data.class_names))}")
               + f". Network: {net.describe()}; {text.plain(lesson.provenance)}.")
    left, right = st.columns([1, 1.25])
    with left:
        st.subheader("The lesson, page by page")
        for number, ((path, title, icon), blurb) in enumerate(zip(PAGES[1:], BLURBS), start=1):
            st.page_link(path, label=f"**{number} · {title}** — {blurb}", icon=icon)
        st.caption(("On the step-through page ← and → (or a clicker's PageUp and PageDown) step backwards and "
                    "forwards." if lesson.presentation else
                    "Tip: *Presentation mode* and the *Dark theme* (sidebar) are for a projector; on the "
                    "step-through page the ← and → keys step backwards and forwards.")
                   + " The address bar always holds this lesson: reload, bookmark or share it.")
    with right:
        sample = samples.data_row(0)
        show.chart(network_figure(net, sample.feature_names, sample.class_names,
                                  view_of_trace(forward(net, sample.inputs)), presentation=lesson.presentation,
                                  height=460 if lesson.presentation else None),
                   key="home_graph")
        st.caption("The lesson's network, filled with its outputs for row 0.")
