"""Network: the graph with its live weights, the controls that build it, and model files."""
import streamlit as st

from core import ACTIVATION_NAMES, INIT_SCHEMES, forward, neuron_name, predict
from core.limits import MAX_HIDDEN_LAYERS, MAX_LEARNING_RATE, MAX_NEURONS
from ui import clicks, gradcheck_panel, maths_card, models, samples, show, state, text
from ui.figures.charts import weights_heatmap
from ui.figures.network_graph import highlight_of, network_figure, view_of_trace
from ui.figures.toolbar import png_only
from ui.glossary import explain
from ui.sidebar import page_setup

lesson = page_setup("Network")
data, settings = lesson.dataset, lesson.settings


# the picked weight or neuron, told on the chosen row; the graph shows a nudged weight live
sample = samples.data_row(lesson.graph_row)
why = maths_card.Why(sample, float(st.session_state.get("why_lr", settings.learning_rate)),
                     maths_card.keep_in_lesson, samples.training_set(), settings.l1, settings.l2, settings.momentum)
selection = clicks.current(sample.network)
story = why.story(selection)
net = why.shown(selection)
nudged = net is not sample.network


def set_row(lesson, row) -> None:
    lesson.graph_row = int(row)


def random_row() -> None:
    lesson.graph_row = samples.random_row()
    state.save()


if not lesson.presentation:
    st.subheader("The network", anchor=False)
graph_col, side = st.columns([2.3, 1])

with side:
    st.number_input(f"Sample row (0–{data.n_rows - 1})", 0, data.n_rows - 1, step=1,
                    **state.bound("graph_row", lesson.graph_row, state.changed(set_row)))
    st.button("Random row", on_click=random_row, key="graph_random", icon=":material/casino:")
    labels = st.toggle("Show weight labels", key="graph_labels", value=False)
    st.number_input("Learning rate η of the update", 0.0, MAX_LEARNING_RATE, step=0.05, format="%.4g",
                    help="The step the card below works out for the picked weight: w ← w − η·∂E/∂w",
                    **state.persist("why_lr", settings.learning_rate))
    if data.is_regression:
        said = f"{float(forward(net, sample.inputs).output[0]):.6g}"
    else:
        said = data.class_names[int(predict(net, sample.inputs))]
    st.markdown(f"Row {lesson.graph_row}: {'target' if data.is_regression else 'true class'} "
                f"**{text.plain(sample.label)}**, the network says **{text.plain(said)}**"
                + (" with the nudged weight." if nudged else "."))
    with st.expander("Architecture and initialisation", expanded=not lesson.presentation):
        with st.form("architecture", border=False):
            hidden_text = st.text_input("Hidden layers", ",".join(map(str, settings.hidden)),
                                        help=f"Neurons per hidden layer, e.g. 5 or 5,4 (0 = none). Up to "
                                             f"{MAX_HIDDEN_LAYERS} layers of at most {MAX_NEURONS} neurons.")
            c = st.columns(2)
            activation = c[0].selectbox("Activation", ACTIVATION_NAMES,
                                        ACTIVATION_NAMES.index(settings.activation), help=explain("activation"))
            outputs = ["", "softmax"]
            output = c[1].selectbox("Output layer", outputs, outputs.index(settings.output_activation),
                                    format_func=lambda o: "softmax + cross-entropy" if o else
                                    "same + squared error", disabled=data.is_regression)
            c = st.columns(2)
            init = c[0].selectbox("Initialisation", INIT_SCHEMES, INIT_SCHEMES.index(settings.init))
            seed = c[1].number_input("Seed", 0, 2**31 - 1, settings.seed, 1)
            if st.form_submit_button("Re-initialise", type="primary", icon=":material/restart_alt:"):
                try:
                    new = settings.changed(hidden=state.hidden_sizes(hidden_text), activation=activation,
                                           output_activation=output, init=init, seed=int(seed))
                except ValueError as err:
                    st.error(f"Hidden layers: {text.plain(err)}. The network was not changed.")
                else:
                    state.reinitialise(new)
                    st.session_state["notice"] = (f"Re-initialised: {state.network().describe()}, {init} "
                                                  f"initialisation, seed {int(seed)}.")
                    st.rerun()
    with st.expander("Model file (JSON)"):
        st.download_button("Download the model", models.model_json_later(), "backprop-lab-model.json",
                           "application/json", key="download_model", icon=":material/download:")
        upload = st.file_uploader("Upload a model", type=["json"], key="model_upload",
                                  help='{"activation": "sigmoid", "layers": [{"weights": [[w1, …, bias], …]}, …]}')
        models.accept_upload(upload, "model_upload")
        if models.upload_error("model_upload"):
            st.error(models.upload_error("model_upload"))

with graph_col:
    graph_tab, heatmap_tab = st.tabs(["Graph", "Weights as heatmaps"])
    with graph_tab:
        view = view_of_trace(forward(net, sample.inputs))
        view.picked = highlight_of(story) if story is not None else None
        figure = network_figure(net, sample.feature_names, sample.class_names, view, weight_labels=labels,
                                presentation=lesson.presentation, height=500 if lesson.presentation else 560)
        clicks.chart(figure, "network_graph", net, config=png_only("network"))
        st.caption("Each connection is one weight: **blue** positive, **orange** negative, thicker for a larger "
                   "|w|. Each neuron is filled by its output for the chosen row; the small square under it is its "
                   "bias. Hover for exact values; **click** a connection, a square or a neuron to see why it changes.")
    with heatmap_tab:
        sizes, n_layers = net.layer_sizes, len(net.weights)
        for l in range(n_layers):
            inputs = [neuron_name(l, k, n_layers, sample.feature_names, sample.class_names) for k in range(sizes[l])]
            neurons = [neuron_name(l + 1, j, n_layers, sample.feature_names, sample.class_names)
                       for j in range(sizes[l + 1])]
            is_output = l == n_layers - 1
            st.markdown(f"**{'Output layer' if is_output else f'Hidden layer {l + 1}'}** — one row per neuron: "
                        "its incoming weights, bias last")
            show.chart(weights_heatmap(net, l, inputs, neurons), key=f"heatmap_{l}")

st.divider()
maths_card.show(why, selection, story, key="net_why")
st.subheader("Gradient check", anchor=False)
gradcheck_panel.panel(why, "net_check")
