"""Train: the whole seeds data, live loss and accuracy charts, and the graph's weights moving."""
import math

import numpy as np
import streamlit as st

from core import ACTIVATION_NAMES, INIT_SCHEMES, NORMALISATIONS, confusion_matrix, forward, precision_recall, predict
from core import model_io
from ui import state, training_run
from ui.figures.charts import accuracy_figure, confusion_figure, loss_figure
from ui.figures.network_graph import network_figure, view_of_trace
from ui.sidebar import page_setup, presenting
from ui.training_run import TrainSettings

page_setup("Train")
ss = st.session_state
data = state.dataset()
TICK_SECONDS = 0.2
defaults = TrainSettings()

st.subheader("Train the network", anchor=False)
run: training_run.Run | None = ss.get("trainer")

with st.expander("Hyperparameters (the tutorial's by default)", expanded=run is None and not presenting()):
    c = st.columns(4)
    c[0].text_input("Hidden layers", help="Neurons per hidden layer, e.g. 5 or 5,4 (0 = none)",
                    **state.persist("tr_hidden", defaults.hidden))
    c[1].selectbox("Activation", ACTIVATION_NAMES, **state.persist("tr_activation", defaults.activation))
    c[2].selectbox("Output / loss", ["", "softmax"], format_func=lambda o: "softmax + cross-entropy" if o
                   else "same activation + squared error", **state.persist("tr_output", ""))
    c[3].number_input("Learning rate η", 0.0, 1000.0, step=0.05, format="%.4g",
                      **state.persist("tr_lr", defaults.learning_rate))
    c = st.columns(4)
    c[0].number_input("Epochs", 1, 10_000, step=50, **state.persist("tr_epochs", defaults.epochs))
    c[1].selectbox("Updates", ["online", "mini-batch", "full batch"], help="online = one update per row, in "
                   "order (the tutorial)", **state.persist("tr_mode", "online"))
    c[2].number_input("Mini-batch size", 2, 10_000, step=1, disabled=ss["tr_mode"] != "mini-batch",
                      **state.persist("tr_batch", 16))
    c[3].toggle("Shuffle rows each epoch", **state.persist("tr_shuffle", False))
    c = st.columns(4)
    c[0].selectbox("Initialisation", INIT_SCHEMES, **state.persist("tr_init", defaults.init))
    c[1].number_input("Seed", 0, 2**31 - 1, step=1, **state.persist("tr_seed", defaults.seed))
    c[2].selectbox("Normalisation", NORMALISATIONS, help="Applied to the whole dataset once, as the tutorial does",
                   **state.persist("tr_norm", defaults.normalisation))
    c[3].slider("Validation share", 0.0, 0.5, step=0.05, help="Held out, stratified by class, seeded",
                **state.persist("tr_val", defaults.validation_share))


def settings_from_widgets() -> TrainSettings:
    batch = {"online": 1, "full batch": 0}.get(ss["tr_mode"], int(ss["tr_batch"]))
    return TrainSettings(ss["tr_hidden"], ss["tr_activation"], ss["tr_output"], float(ss["tr_lr"]),
                         int(ss["tr_epochs"]), batch, bool(ss["tr_shuffle"]), ss["tr_init"], int(ss["tr_seed"]),
                         ss["tr_norm"], float(ss["tr_val"]))


def on_start() -> None:
    try:
        ss["trainer"] = training_run.start(settings_from_widgets())
    except ValueError as err:
        ss["train_error"] = f"Cannot start: {err}."
        return
    ss["train_error"] = None
    ss["train_running"] = True


def on_pause() -> None:
    ss["train_running"] = False


def on_resume() -> None:
    ss["train_running"] = True


def on_stop() -> None:
    ss["train_running"] = False
    if ss.get("trainer"):
        ss["trainer"].trainer.stop("stopped by the user")


def on_reset() -> None:
    ss["train_running"] = False
    ss["trainer"] = None


running = bool(ss.get("train_running"))
finished = run is not None and run.trainer.done
b = st.columns([1, 1.2, 1, 1.05, 1.5, 2.1], vertical_alignment="bottom")
b[0].button("Start", key="train_start", type="primary", on_click=on_start, disabled=running,
            icon=":material/play_arrow:", use_container_width=True)
if running:
    b[1].button("Pause", key="train_pause", on_click=on_pause, icon=":material/pause:", use_container_width=True)
else:
    b[1].button("Resume", key="train_resume", on_click=on_resume, disabled=run is None or finished,
                icon=":material/resume:", use_container_width=True)
b[2].button("Stop", key="train_stop", on_click=on_stop, disabled=run is None or finished,
            icon=":material/stop:", use_container_width=True)
b[3].button("Reset", key="train_reset", on_click=on_reset, disabled=run is None, icon=":material/restart_alt:",
            use_container_width=True)
b[4].select_slider("Epochs per tick", [1, 2, 5, 10, 25, 50, 100], help="How many epochs each redraw trains "
                   "(about five redraws a second)", **state.persist("tr_speed", 10))
b[5].radio("Loss chart", ["loss", "sse"], horizontal=True, format_func=lambda m: "mean loss" if m == "loss"
           else "tutorial's epoch error", **state.persist("tr_measure", "loss"))
if ss.get("train_error"):
    st.error(ss["train_error"])


# -- after training ---------------------------------------------------------------------------------
def results(run: training_run.Run) -> None:
    """Final metrics, confusion matrix, per-class precision and recall, misclassified rows, downloads."""
    trainer = run.trainer
    reason = trainer.stop_reason
    if reason and reason != "stopped by the user":
        st.error(f"Training stopped: {reason}", icon=":material/error:")
    elif reason:
        st.info(f"Training was stopped by the user after {trainer.epoch} epochs.")
    else:
        st.success(f"Finished {trainer.epoch} epochs in {run.compute_seconds:.2f} s of compute. "
                   "The trained network is now the session's network: the Step-through page steps through it.")
    features = state.normalised_features()
    has_validation = len(run.validation_rows) > 0
    rows = run.validation_rows if has_validation else run.train_rows
    which = "validation" if has_validation else "training"
    actual = data.labels[rows]
    predicted = predict(trainer.network, features[rows])
    counts = confusion_matrix(actual, predicted, data.n_classes)
    precision, recall = precision_recall(counts)
    left, right = st.columns([1, 1])
    left.plotly_chart(confusion_figure(counts, data.class_names, f"Confusion matrix ({which} rows)"),
                      key="confusion", config={"displayModeBar": False})
    with right:
        st.markdown(f"**Per class ({which} rows)**")
        st.dataframe({"class": data.class_names, "rows": counts.sum(axis=1).tolist(),
                      "precision (%)": [None if np.isnan(p) else round(100 * p, 2) for p in precision],
                      "recall (%)": [None if np.isnan(r) else round(100 * r, 2) for r in recall]}, hide_index=True)
        d1, d2 = st.columns(2)
        d1.download_button("Model (JSON)", model_io.dumps(trainer.network, feature_names=data.feature_names,
                                                              class_names=data.class_names,
                                                              normaliser=state.normaliser()),
                           "trained-model.json", "application/json", key="download_trained")
        d2.download_button("History (CSV)", trainer.history.to_csv(), "training-history.csv", "text/csv",
                           key="download_history")
    wrong = np.flatnonzero(actual != predicted)
    st.markdown(f"**Misclassified {which} rows: {len(wrong)} of {len(rows)}**")
    if len(wrong):
        table = {"row": rows[wrong].tolist(), "true": [data.class_names[i] for i in actual[wrong]],
                 "predicted": [data.class_names[i] for i in predicted[wrong]]}
        for f, name in enumerate(data.feature_names):
            table[name] = data.features[rows[wrong], f].tolist()
        st.dataframe(table, hide_index=True)


@st.fragment(run_every=TICK_SECONDS if running else None)
def live() -> None:
    run = ss.get("trainer")
    if run is None:
        st.info("Press **Start** to train a fresh network with these settings on "
                f"{data.name} ({data.n_rows} rows). The trained network becomes the session's network.")
        return
    trainer = run.trainer
    if ss.get("train_running") and not trainer.done:
        training_run.advance(run, int(ss["tr_speed"]))
    if ss.get("train_running") and trainer.done:
        ss["train_running"] = False
        st.rerun()  # the whole page: stop the timer and show the results
    total = trainer.config.epochs
    remaining = total - trainer.epoch
    ticks_left = math.ceil(remaining / max(int(ss["tr_speed"]), 1))
    status = "running" if ss.get("train_running") else ("finished" if trainer.done else "paused")
    st.progress(trainer.epoch / total, text=f"Epoch {trainer.epoch} of {total} · {status}"
                + (f" · about {ticks_left * TICK_SECONDS:.0f} s left" if status == "running" else ""))
    h = trainer.history
    if h.epoch:
        m = st.columns(4)
        m[0].metric("Epoch error Σ(t−o)²", f"{h.sse[-1]:.3f}")
        m[1].metric("Training accuracy", f"{h.train_accuracy[-1]:.1f}%")
        if h.validation_accuracy:
            m[2].metric("Validation accuracy", f"{h.validation_accuracy[-1]:.1f}%")
            m[3].metric("Validation loss", f"{h.validation_loss[-1]:.4f}")
    left, right = st.columns(2)
    left.plotly_chart(loss_figure(h, ss["tr_measure"], total), key="loss_chart", config={"displayModeBar": False})
    right.plotly_chart(accuracy_figure(h, total), key="accuracy_chart", config={"displayModeBar": False})
    features = state.normalised_features()
    row = int(ss.get("graph_sample", 0)) % data.n_rows
    st.plotly_chart(network_figure(trainer.network, data.feature_names, data.class_names,
                                   view_of_trace(forward(trainer.network, features[row])), height=360,
                                   presentation=presenting()),
                    key="train_graph", config={"displayModeBar": False})
    st.caption(f"The weights as they train; nodes show row {row}'s activations (choose the row on the Network page).")
    if trainer.done and not ss.get("train_running"):
        results(run)


live()
