"""Data: the dataset in use — table, balance, summary, distributions — and uploading your own CSV."""
import streamlit as st

from core import parse_csv
from ui import state
from ui.figures.charts import class_balance_figure, histograms_figure, scatter_figure
from ui.sidebar import page_setup

page_setup("Data")
ss = st.session_state


def use_seeds() -> None:
    state.set_dataset(state.seeds())


def accept_csv() -> None:
    upload = ss.get("csv_upload")
    if upload is None:
        return
    try:
        dataset = parse_csv(upload.getvalue(), name=upload.name)
    except ValueError as err:
        ss["csv_error"] = f"{upload.name} was not loaded: {err}. The data in use is unchanged."
        return
    ss["csv_error"] = None
    state.set_dataset(dataset)


data = state.dataset()
st.subheader("The data", anchor=False)
st.markdown(f"**In use:** {data.describe()}")

c = st.columns([2, 1])
c[0].file_uploader("Upload a CSV: numeric features, the class label in the last column, header optional "
                   "(comma, semicolon, tab or space separated)", type=["csv", "txt", "tsv", "data"],
                   key="csv_upload", on_change=accept_csv)
c[1].button("Use the bundled seeds data", key="use_seeds", on_click=use_seeds,
            disabled=data.name == state.seeds().name)
if ss.get("csv_error"):
    st.error(ss["csv_error"])

data = state.dataset()
m = st.columns(4)
m[0].metric("Rows", data.n_rows)
m[1].metric("Features", data.n_features)
m[2].metric("Classes", data.n_classes)
m[3].metric("Normalisation", ss["normalisation"])

table_tab, balance_tab, summary_tab, hist_tab, scatter_tab = st.tabs(
    ["Table", "Class balance", "Feature summary", "Histograms", "Scatter"])
with table_tab:
    raw, normalised = st.columns(2)
    labels = [data.class_names[i] for i in data.labels]
    with raw:
        st.markdown("**Raw values**")
        st.dataframe({**{n: data.features[:, f] for f, n in enumerate(data.feature_names)}, "class": labels},
                     height=420)
    with normalised:
        st.markdown(f"**What the network sees** ({ss['normalisation']} normalisation of the whole dataset)")
        x = state.normalised_features()
        st.dataframe({**{n: x[:, f] for f, n in enumerate(data.feature_names)}, "class": labels}, height=420)
with balance_tab:
    st.plotly_chart(class_balance_figure(data.class_counts().tolist(), data.class_names), key="balance",
                    config={"displayModeBar": False})
with summary_tab:
    st.dataframe(data.summary(), hide_index=True)
with hist_tab:
    view = st.radio("Values", ["raw", "normalised"], horizontal=True, key="hist_view")
    values = data.features if view == "raw" else state.normalised_features()
    columns = st.columns(2)
    for f, name in enumerate(data.feature_names[:16]):
        columns[f % 2].plotly_chart(histograms_figure(values, data.labels, f, name, data.class_names, 260),
                                    key=f"hist_{f}", config={"displayModeBar": False})
    if data.n_features > 16:
        st.caption(f"Showing the first 16 of {data.n_features} features.")
with scatter_tab:
    c = st.columns(2)
    fx = c[0].selectbox("x", range(data.n_features), 0, format_func=lambda i: data.feature_names[i], key="sx")
    fy = c[1].selectbox("y", range(data.n_features), min(1, data.n_features - 1),
                        format_func=lambda i: data.feature_names[i], key="sy")
    st.plotly_chart(scatter_figure(data.features, data.labels, fx, fy, data.feature_names, data.class_names),
                    key="scatter", config={"displayModeBar": False})

st.caption("The bundled data: UCI Machine Learning Repository, “seeds” (Charytanowicz et al. 2010), CC BY 4.0.")
