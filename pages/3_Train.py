"""Train: live loss and accuracy charts and the graph's weights moving, at a pace the room can follow."""
import time

import numpy as np
import streamlit as st

from core import ACTIVATION_NAMES, INIT_SCHEMES, NORMALISATIONS, NORMALISE_ON, History, evaluate, forward, prepare
from ui import show, state, text, training_run
from ui.figures.charts import accuracy_figure, confusion_figure, loss_figure
from ui.figures.network_graph import network_figure, view_of_trace
from ui.sidebar import page_setup
from ui.training_job import PACES

lesson = page_setup("Train")
data = lesson.dataset
TICK_SECONDS = 0.5  # the live part redraws this often while a run goes on (each redraw: ~0.1 s of browser time a chart)
GRAPH_SECONDS = 1.0  # ... and the graph, the heaviest to draw, at most this often
CHART_HEIGHT = {False: 260, True: 232}  # px of each live chart; the graph beside them is as tall as both
draft = lesson.draft or lesson.settings

if not lesson.presentation:
    st.subheader("Train the network", anchor=False)


def edit(field: str, convert=lambda v: v):
    """on-change for a hyperparameter widget: the draft settings of the next run."""
    def apply(lesson, value) -> None:
        try:
            lesson.draft = (lesson.draft or lesson.settings).changed(**{field: convert(value)})
            st.session_state["train_error"] = None
        except ValueError as err:
            st.session_state["train_error"] = f"{field.replace('_', ' ').capitalize()}: {text.plain(err)}"
    return state.changed(apply)


MODES = {"online": 1, "full batch": 0}
mode = "online" if draft.batch_size == 1 else ("full batch" if draft.batch_size == 0 else "mini-batch")
def hyperparameters() -> None:
    """The next run's settings: above the controls, or (presenting) in an expander under the charts."""
    with st.expander("Hyperparameters (the tutorial's by default)", expanded=lesson.run is None and not lesson.presentation):
        c = st.columns(4)
        c[0].text_input("Hidden layers", help="Neurons per hidden layer, e.g. 5 or 5,4 (0 = none)",
                        **state.bound("tr_hidden", ",".join(map(str, draft.hidden)), edit("hidden", state.hidden_sizes)))
        c[1].selectbox("Activation", ACTIVATION_NAMES, **state.bound("tr_activation", draft.activation, edit("activation")))
        c[2].selectbox("Output / loss", ["", "softmax"], disabled=data.is_regression,
                       format_func=lambda o: "softmax + cross-entropy" if o else
                       ("linear + squared error" if data.is_regression else "same activation + squared error"),
                       **state.bound("tr_output", draft.output_activation, edit("output_activation")))
        c[3].number_input("Learning rate η", 0.0, 1000.0, step=0.05, format="%.4g",
                          **state.bound("tr_lr", draft.learning_rate, edit("learning_rate", float)))
        c = st.columns(4)
        c[0].number_input("Epochs", 1, 10_000, step=50, help="An epoch is one pass over every training row.",
                          **state.bound("tr_epochs", draft.epochs, edit("epochs", int)))
        c[1].selectbox("Updates", ["online", "mini-batch", "full batch"], help="online = one update per row, in "
                       "order (the tutorial); a batch averages the gradient over several rows first",
                       **state.bound("tr_mode", mode, edit("batch_size", lambda m: MODES.get(m, 16))))
        c[2].number_input("Mini-batch size", 2, 10_000, step=1, disabled=mode != "mini-batch",
                          **state.bound("tr_batch", max(draft.batch_size, 2), edit("batch_size", int)))
        c[3].toggle("Shuffle rows each epoch", **state.bound("tr_shuffle", draft.shuffle, edit("shuffle", bool)))
        c = st.columns(4)
        c[0].selectbox("Initialisation", INIT_SCHEMES, **state.bound("tr_init", draft.init, edit("init")))
        c[1].number_input("Seed", 0, 2**31 - 1, step=1, **state.bound("tr_seed", draft.seed, edit("seed", int)))
        c[2].selectbox("Normalisation", NORMALISATIONS, help="Rescales each feature: min-max to [0, 1] (the tutorial), "
                       "z-score to mean 0 and spread 1, or none",
                       **state.bound("tr_norm", draft.normalisation, edit("normalisation")))
        c[3].selectbox("Normalise using", NORMALISE_ON, help="training rows: validation rows stay unseen (the "
                       "default); all rows: the tutorial's way, which lets the validation rows' range leak in",
                       **state.bound("tr_norm_on", draft.normalise_on, edit("normalise_on")))
        c = st.columns(4)
        c[0].slider("Validation share", 0.0, 0.5, step=0.05, help="Held out, stratified by class, seeded; never "
                    "trained on", **state.bound("tr_val", draft.validation_share, edit("validation_share", float)))
        c[1].number_input("L2 penalty λ₂", 0.0, 10.0, step=0.001, format="%.4g", help="Adds (λ₂/2)·Σw² to the loss: "
                          "pulls weights towards 0", **state.bound("tr_l2", draft.l2, edit("l2", float)))
        c[2].number_input("L1 penalty λ₁", 0.0, 10.0, step=0.001, format="%.4g", help="Adds λ₁·Σ|w| to the loss: "
                          "pushes small weights to exactly 0", **state.bound("tr_l1", draft.l1, edit("l1", float)))
        c[3].number_input("Momentum β", 0.0, 0.99, step=0.05, format="%.2f", help="v ← β·v − η·∂E/∂w, w ← w + v: "
                          "steps keep part of their speed", **state.bound("tr_momentum", draft.momentum, edit("momentum", float)))
        st.toggle("Early stopping", help="Stop when the error has stalled or kept climbing for 10 epochs (the tutorial "
                  "has none)", **state.bound("tr_early", draft.early_stopping, edit("early_stopping", bool)))


if not lesson.presentation:
    hyperparameters()

progress = training_run.keep_up()
running = progress is not None and progress.status == "running"  # the live part's timer, set by a page run
if st.session_state.get("train_error"):
    st.error(st.session_state["train_error"])


def controls(lesson, running: bool) -> None:
    """Start, Pause or Resume, Stop, Reset and the pace. They are drawn inside the live part, so that a click
    reruns only that part: "paused at epoch N" shows within a tick, not after the whole page."""
    can_resume = training_run.can_resume(lesson) and not running
    b = st.columns([1, 1.2, 1, 1.05, 2.2, 2.0] if not lesson.presentation else [1, 1.2, 1, 1.05, 3.2],
                   vertical_alignment="bottom")
    b[0].button("Start", key="train_start", type="primary", on_click=training_run.start, disabled=running,
                icon=":material/play_arrow:", use_container_width=True)
    if running:
        b[1].button("Pause", key="train_pause", on_click=training_run.pause, icon=":material/pause:",
                    use_container_width=True)
    else:
        b[1].button("Resume", key="train_resume", on_click=training_run.resume, disabled=not can_resume,
                    icon=":material/resume:", use_container_width=True)
    b[2].button("Stop", key="train_stop", on_click=training_run.stop, disabled=not running and not can_resume,
                icon=":material/stop:", use_container_width=True)
    b[3].button("Reset", key="train_reset", on_click=training_run.reset, disabled=lesson.run is None,
                icon=":material/restart_alt:", use_container_width=True)
    b[4].select_slider("Pace", list(PACES), help="Epochs shown per second: slow enough for a room to follow, or "
                       "instant (train, then show the final charts)",
                       label_visibility="collapsed" if lesson.presentation else "visible",
                       **state.bound("train_pace", st.session_state.get("train_pace", training_run.DEFAULT_PACE),
                                     training_run.set_pace))
    if not lesson.presentation:
        loss_measure(b[5])


def loss_measure(where) -> None:
    where.radio("Loss chart", ["loss", "sse"], format_func=lambda m: "mean loss" if m == "loss" else
                "tutorial's epoch error", **state.persist("tr_measure", "loss"))


def results(lesson) -> None:
    """Final metrics, confusion matrix, per-class precision and recall, misclassified rows, downloads — in tabs,
    so that the charts and the graph above stay in view."""
    run = lesson.run
    if run.stop_reason and run.stop_reason != "stopped by the user":
        st.error(f"Training stopped: {run.stop_reason}", icon=":material/error:")
    elif run.status == "stopped":
        st.info(f"Stopped at epoch {lesson.epochs_trained} by the user.")
    else:
        st.success(f"Finished {lesson.epochs_trained} epochs in {run.compute_seconds:.2f} s of compute. "
                   "The trained network is now the lesson's network: the Step-through page steps through it.")
    experiment = state.experiment()
    held = len(experiment.validation_rows) > 0
    rows = experiment.validation_rows if held else experiment.train_rows
    which = "validation" if held else "training"
    result = evaluate(lesson.network, experiment.inputs, data.labels, 0 if data.is_regression else data.n_classes, rows)
    wrong = None if data.is_regression else result.wrong
    names = ([f"Results ({which} rows)"] if data.is_regression else
             [f"Confusion matrix ({which} rows)", "Per class", f"Misclassified rows ({len(wrong)})"]) + ["Downloads"]
    tabs = st.tabs(names)
    with tabs[-1]:
        from ui import models
        d1, d2 = st.columns(2)
        d1.download_button("Model (JSON)", models.model_json(), "trained-model.json", "application/json",
                           key="download_trained")
        d2.download_button("History (CSV)", run.history.to_csv(), "training-history.csv", "text/csv",
                           key="download_history")
    if data.is_regression:
        m = tabs[0].columns(2)
        m[0].metric(f"R² on the {which} rows", f"{result.r2:.4f}")
        m[1].metric(f"Mean absolute error on the {which} rows", f"{result.mae:.4g}")
        return
    precision, recall = result.precision_recall
    with tabs[0]:
        show.chart(confusion_figure(result.counts, data.class_names, f"Confusion matrix ({which} rows)"),
                   key="confusion")
    with tabs[1]:
        st.dataframe({"class": data.class_names, "rows": result.counts.sum(axis=1).tolist(),
                      "precision (%)": [None if np.isnan(p) else round(100 * p, 2) for p in precision],
                      "recall (%)": [None if np.isnan(r) else round(100 * r, 2) for r in recall]}, hide_index=True)
    with tabs[2]:
        st.markdown(f"**Misclassified {which} rows: {len(wrong)} of {len(rows)}**")
        if len(wrong):
            table = {"row": rows[wrong].tolist(), "true": [data.class_names[i] for i in result.actual[wrong]],
                     "predicted": [data.class_names[i] for i in result.predicted[wrong]]}
            for f, name in enumerate(data.feature_names):
                table[name] = data.features[rows[wrong], f].tolist()
            st.dataframe(table, hide_index=True)


def latest(series, fmt: str) -> str:
    """The last value of a history series, formatted; "—" before there is one."""
    return fmt.format(series[-1]) if len(series) else "—"


@st.fragment(run_every=TICK_SECONDS if running else None)
def live() -> None:
    progress = training_run.keep_up()
    current = state.lesson()
    controls(current, progress is not None and progress.status == "running")
    draw(current, progress)
    if (progress is not None and progress.status == "running") != running:
        st.rerun()  # the whole page, once this part is drawn: start or stop the timer


def draw(current, progress) -> None:
    """The run as it stands: status, headline numbers, loss and accuracy charts, the graph, the results."""
    if current.run is None:  # the charts and the network that Start will train, drawn before it starts
        upcoming = current.draft or current.settings
        experiment = prepare(data, upcoming)
        history, epoch, network, status, total = History(), 0, experiment.network, "not started", upcoming.epochs
    elif progress is not None:
        history = training_run.head(training_run.job().trainer.history, progress.n_history)
        epoch, network, status = progress.epoch, progress.network, progress.status
        experiment, total = state.experiment(), current.settings.epochs
    else:
        history, epoch, network, status = current.run.history, current.epochs_trained, current.network, current.run.status
        experiment, total = state.experiment(), current.settings.epochs
    word = {"running": "running", "paused": f"paused at epoch {epoch}", "stopped": f"stopped at epoch {epoch}",
            "finished": "finished", "not started": f"not started — **Start** trains a fresh network with these "
            f"settings on {text.plain(data.name)} ({data.n_rows} rows); it becomes the lesson's network"
            }.get(status, status)
    st.progress(min(epoch / total, 1.0), text=f"Epoch {epoch} of {total} · {word}")
    if status == "running" and training_run.pace() is None:
        return  # "instant": no charts in between; the final ones come with the results
    presenting, moving = current.presentation, status == "running"
    if presenting:  # one row: the charts, the graph, the numbers stacked at the right — all in 720 px
        charts, graph, numbers = st.columns([1, 1.05, 0.42])
        places = [numbers] * 4
    else:
        places = st.columns(4)  # drawn from the start, "—" until there is a value: the layout never jumps
        charts, graph = st.columns([1, 1.1])
    places[0].metric("Epoch error Σ(t−o)²", latest(history.sse, "{:.3f}"))
    if data.is_regression:
        places[1].metric("Training R²", latest(history.train_r2, "{:.4f}"))
        places[2].metric("Validation R²", latest(history.validation_r2, "{:.4f}"))
    else:
        places[1].metric("Training accuracy", latest(history.train_accuracy, "{:.1f}%"))
        places[2].metric("Validation accuracy", latest(history.validation_accuracy, "{:.1f}%"))
    places[3].metric("Validation loss", latest(history.validation_loss, "{:.4f}"))
    with charts:
        show.live_chart(loss_figure(history, st.session_state.get("tr_measure", "loss"), total,
                                    CHART_HEIGHT[presenting]), "loss_chart", moving)
        show.live_chart(accuracy_figure(history, total, CHART_HEIGHT[presenting]), "accuracy_chart", moving)
    row = int(current.graph_row) % data.n_rows
    redraw = not moving or time.monotonic() - st.session_state.get("_graph_at", 0.0) >= GRAPH_SECONDS
    if redraw:
        st.session_state["_graph_at"] = time.monotonic()
    with graph:
        show.live_chart(network_figure(network, experiment.input_names, data.class_names,
                                       view_of_trace(forward(network, experiment.inputs[row])),
                                       height=2 * CHART_HEIGHT[presenting], presentation=presenting)
                        if redraw else None, "train_graph", moving)
        st.caption(f"The weights as they train; nodes show row {row}'s activations (choose the row on the "
                   "Network page).")
    if status in ("finished", "stopped") or (status == "paused" and current.run.stop_reason):
        results(current)

live()
if lesson.presentation:
    loss_measure(st)
    hyperparameters()
