"""Data: the data in use — table, balance, summary, distributions — your own CSV, or 2-D playground data."""
import streamlit as st

from core import parse_csv, playground
from ui import landscape_view, lesson as lessons, show, state, text
from ui.figures.charts import class_balance_figure, histograms_figure
from ui.glossary import explain
from ui.sidebar import page_setup

lesson = page_setup("Data")
ss = st.session_state


def use_seeds() -> None:
    state.set_dataset(state.seeds(), {"kind": "seeds"})


def accept_csv() -> None:
    upload = ss.get("csv_upload")
    if upload is None:
        return
    try:
        dataset = parse_csv(upload.getvalue(), name=upload.name[:80])
    except ValueError as err:
        ss["csv_error"] = f"{text.plain(upload.name, 60)} was not loaded: {text.plain(err, 300)}. The data in use is unchanged."
        return
    ss["csv_error"] = None
    state.set_dataset(dataset, {"kind": "upload", "name": upload.name[:80]})


def generate() -> None:
    try:
        dataset, source = lessons.playground_source(ss["gen_kind"], int(ss["gen_points"]), ss["gen_noise"] / 100,
                                                    int(ss["gen_seed"]))
    except ValueError as err:
        ss["csv_error"] = f"Could not make that data: {text.plain(err)}"
        return
    state.set_dataset(dataset, source)


data = lesson.dataset
st.subheader("The data", anchor=False)
st.markdown(f"**In use:** {text.plain(data.describe())}")

upload_col, make_col = st.columns([1.2, 1])
with upload_col:
    st.file_uploader("Upload a CSV: numeric features, the class label in the last column, header optional "
                     "(comma, semicolon, tab or space separated)", type=["csv", "txt", "tsv", "data"],
                     key="csv_upload", on_change=accept_csv)
    st.button("Use the bundled seeds data", key="use_seeds", on_click=use_seeds,
              disabled=lesson.source.get("kind") == "seeds")
with make_col:
    with st.form("generate", border=True):
        st.markdown("**Or make 2-D playground data**")
        c = st.columns(2)
        kinds = playground.KINDS + playground.REGRESSION_KINDS
        c[0].selectbox("Shape", kinds, key="gen_kind", format_func=lambda k: k + (" (regression)" if
                       k in playground.REGRESSION_KINDS else ""))
        c[1].number_input("Points", 10, 2000, 200, 10, key="gen_points")
        c = st.columns(2)
        c[0].slider("Noise (%)", 0, 50, 0, 5, key="gen_noise")
        c[1].number_input("Seed", 0, 2**31 - 1, 1, key="gen_seed")
        st.form_submit_button("Make the data", on_click=generate, icon=":material/scatter_plot:")
if ss.get("csv_error"):
    st.error(ss["csv_error"])

data = state.dataset()
experiment = state.experiment()
m = st.columns(4)
m[0].metric("Rows", data.n_rows)
m[1].metric("Features", data.n_features)
m[2].metric("Classes", "—" if data.is_regression else data.n_classes)
m[3].metric("Normalisation", lesson.settings.normalisation, help=explain("normalisation")
            + f" Here fitted on the {lesson.settings.normalise_on}.")

labels = [f"{v:.4g}" for v in data.labels] if data.is_regression else [data.class_names[i] for i in data.labels]
table_tab, balance_tab, summary_tab, hist_tab, scatter_tab = st.tabs(
    ["Table", "Class balance", "Feature summary", "Histograms", "Scatter and the network"])
with table_tab:
    raw, normalised = st.columns(2)
    with raw:
        st.markdown("**Raw values**")
        st.dataframe({**{n: data.features[:, f] for f, n in enumerate(data.feature_names)}, "class": labels},
                     height=420)
    with normalised:
        st.markdown(f"**What the network sees** ({lesson.settings.normalisation} normalisation, fitted on the "
                    f"{lesson.settings.normalise_on})")
        x = experiment.inputs
        st.dataframe({**{n: x[:, f] for f, n in enumerate(experiment.input_names)}, "class": labels}, height=420)
with balance_tab:
    if data.is_regression:
        st.caption("Regression data has no classes: each row has a value to predict.")
    else:
        show.chart(class_balance_figure(data.class_counts().tolist(), data.class_names), key="balance")
with summary_tab:
    st.dataframe(data.summary(), hide_index=True)
with hist_tab:
    view = st.radio("Values", ["raw", "normalised"], horizontal=True, key="hist_view")
    values = data.features if view == "raw" else experiment.inputs
    names = data.feature_names if view == "raw" else experiment.input_names
    columns = st.columns(2)
    classes = data.class_names if not data.is_regression else ["all rows"]
    grouping = data.labels if not data.is_regression else [0] * data.n_rows
    for f, name in enumerate(names[:16]):
        show.chart(histograms_figure(values, grouping, f, name, classes, 260),
                   key=f"hist_{f}", into=columns[f % 2])
    if len(names) > 16:
        st.caption(f"Showing the first 16 of {len(names)} features.")
with scatter_tab:
    landscape_view.plane_controls(lesson, "data")
    drawn = landscape_view.scene_and_view(lesson.network)
    if drawn is not None:
        where, land = drawn
        show.chart(landscape_view.landscape_of(lesson.network, where, ss.get("discretise", False),
                                               landscape=land, height=460),
                   key="data_landscape", on_select=landscape_view.clicked("data_landscape"),
                   selection_mode="points")
        st.caption("The rows over the lesson's network's output: "
                   + ("the value it predicts" if data.is_regression else "the class it predicts, stronger where "
                      "it is surer") + "; filled dots are training rows, hollow ones validation rows. Click a row "
                   "to step through its pass. " + landscape_view.plane_caption(where))
        st.toggle("Discretise the output", **state.persist("discretise", False))
        with st.expander("Every neuron's output over this plane"):
            show.chart(landscape_view.neuron_maps_of(lesson.network, where, land), key="data_maps")
            net = lesson.network
            neurons = [(l, j) for l in range(1, len(net.layer_sizes)) for j in range(net.layer_sizes[l])]
            layer, j = st.selectbox("Look closer at", neurons, format_func=lambda n: landscape_view.neuron_label(
                net, where, *n), key="data_closer")
            show.chart(landscape_view.neuron_map_of(net, where, land, layer, j), key="data_neuron")
landscape_view.follow_click()

st.caption("The bundled data: UCI Machine Learning Repository, “seeds” (Charytanowicz et al. 2010), CC BY 4.0.")
