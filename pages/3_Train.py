"""Train: live loss and accuracy charts and the graph's weights moving, at a pace the room can follow."""
import numpy as np
import streamlit as st

from core import ACTIVATION_NAMES, INIT_SCHEMES, NORMALISATIONS, NORMALISE_ON, evaluate, forward
from core.limits import MAX_LEARNING_RATE
from ui import clicks, landscape_view, maths_card, pacing, samples, show, state, text, training_run
from ui.glossary import explain
from ui.figures.animation import animation_html, training_animation
from ui.figures.charts import confusion_figure, gradient_figure, training_figure
from ui.figures.network_graph import highlight_of, network_figure, view_of_trace
from ui.figures.toolbar import png_only
from ui.sidebar import page_setup
from ui.training_job import PACES

lesson = page_setup("Train")
data = lesson.dataset
LIVE = "train_live"  # the live fragment, paced by ui/pacing.py
MAX_TABLE_ROWS = 1000
GRAPH_HEIGHT = {False: 400, True: 410}  # px of the charts and of the graph beside them: in view at 1280×720
draft = lesson.draft or lesson.settings

if not lesson.presentation:  # presenting, the run is the page: the settings wait in expanders below it
    st.subheader("Train the network", anchor=False)


def edit(field: str, convert=lambda v: v):
    """on-change for a hyperparameter widget: the draft settings of the next run."""
    def apply(lesson, value) -> None:
        try:
            lesson.draft = (lesson.draft or lesson.settings).changed(**{field: convert(value)})
            st.session_state["train_error"] = None
        except ValueError as err:
            st.session_state["train_error"] = text.field_error(field, err)
    return state.changed(apply)


MODES = {"online": 1, "full batch": 0}
mode = "online" if draft.batch_size == 1 else ("full batch" if draft.batch_size == 0 else "mini-batch")


def hyperparameters() -> None:
    """The next run's settings: above the run, or (presenting) in an expander below it."""
    with st.expander("Hyperparameters (the tutorial's by default)", expanded=lesson.run is None and not lesson.presentation):
        hyperparameter_widgets()


def hyperparameter_widgets() -> None:
    c = st.columns(4)
    c[0].text_input("Hidden layers", help="Neurons per hidden layer, e.g. 5 or 5,4 (0 = none)",
                    **state.bound("tr_hidden", ",".join(map(str, draft.hidden)), edit("hidden", state.hidden_sizes)))
    c[1].selectbox("Activation", ACTIVATION_NAMES, help=explain("activation"),
                   **state.bound("tr_activation", draft.activation, edit("activation")))
    c[2].selectbox("Output / loss", ["", "softmax"], disabled=data.is_regression,
                   format_func=lambda o: "softmax + cross-entropy" if o else
                   ("linear + squared error" if data.is_regression else "same activation + squared error"),
                   **state.bound("tr_output", draft.output_activation, edit("output_activation")))
    c[3].number_input("Learning rate η", 0.0, MAX_LEARNING_RATE, step=0.05, format="%.4g", help=explain("learning rate"),
                      **state.bound("tr_lr", draft.learning_rate, edit("learning_rate", float)))
    c = st.columns(4)
    c[0].number_input("Epochs", 1, 10_000, step=50, help=explain("epoch"),
                      **state.bound("tr_epochs", draft.epochs, edit("epochs", int)))
    c[1].selectbox("Updates", ["online", "mini-batch", "full batch"], help=explain("mini-batch"),
                   **state.bound("tr_mode", mode, edit("batch_size", lambda m: MODES.get(m, 16))))
    c[2].number_input("Mini-batch size", 2, 10_000, step=1, disabled=mode != "mini-batch", help=explain("mini-batch"),
                      **state.bound("tr_batch", max(draft.batch_size, 2), edit("batch_size", int)))
    c[3].toggle("Shuffle rows each epoch", **state.bound("tr_shuffle", draft.shuffle, edit("shuffle", bool)))
    c = st.columns(4)
    c[0].selectbox("Initialisation", INIT_SCHEMES, **state.bound("tr_init", draft.init, edit("init")))
    c[1].number_input("Seed", 0, 2**31 - 1, step=1, **state.bound("tr_seed", draft.seed, edit("seed", int)))
    c[2].selectbox("Normalisation", NORMALISATIONS, help=explain("normalisation")
                   + " Here: min-max, z-score (to mean 0 and spread 1) or none.",
                   **state.bound("tr_norm", draft.normalisation, edit("normalisation")))
    c[3].selectbox("Normalise using", NORMALISE_ON, help="training rows: validation rows stay unseen (the "
                   "default); all rows: the tutorial's way, which lets the validation rows' range leak in",
                   **state.bound("tr_norm_on", draft.normalise_on, edit("normalise_on")))
    c = st.columns(4)
    c[0].slider("Validation share", 0.0, 0.5, step=0.05,
                help=explain("validation") + " Drawn at random (seeded), in proportion to each class.",
                **state.bound("tr_val", draft.validation_share, edit("validation_share", float)))
    c[1].number_input("L2 penalty λ₂", 0.0, 10.0, step=0.001, format="%.4g", help="Adds (λ₂/2)·Σw² to the loss: "
                      "pulls weights towards 0", **state.bound("tr_l2", draft.l2, edit("l2", float)))
    c[2].number_input("L1 penalty λ₁", 0.0, 10.0, step=0.001, format="%.4g", help="Adds λ₁·Σ|w| to the loss: "
                      "pushes small weights to exactly 0", **state.bound("tr_l1", draft.l1, edit("l1", float)))
    c[3].number_input("Momentum β", 0.0, 0.99, step=0.05, format="%.2f", help="v ← β·v − η·∂E/∂w, w ← w + v: "
                      "steps keep part of their speed", **state.bound("tr_momentum", draft.momentum, edit("momentum", float)))
    st.toggle("Early stopping", help="Stop when the error has stalled or kept climbing for 10 epochs (the tutorial "
              "has none)", **state.bound("tr_early", draft.early_stopping, edit("early_stopping", bool)))


# -- presets that show (and cure) vanishing gradients: they set the draft settings of the next run ---------
PRESETS = {
    "vanish": dict(hidden=(8, 8, 8, 8), activation="sigmoid", output_activation="", init="tutorial", learning_rate=0.3),
    "avoid": dict(hidden=(8, 8, 8, 8), activation="tanh", output_activation="", init="xavier", learning_rate=0.1),
}


def preset(name: str) -> None:
    current = state.lesson()
    current.draft = (current.draft or current.settings).changed(**PRESETS[name])
    st.session_state["train_error"] = None
    state.save()


def presets() -> None:
    """The two vanishing-gradient presets, with what they show."""
    p = st.columns([2.6, 1.2, 1.2], vertical_alignment="center")
    p[0].markdown("**Vanishing gradients**: with many sigmoid layers the layers near the inputs barely learn. "
                  "Set up a run that shows it, or one that avoids it, then press Start.")
    p[1].button("See it vanish", key="preset_vanish", on_click=preset, args=("vanish",), icon=":material/trending_down:",
                help="4 hidden layers of 8 sigmoid neurons, the tutorial's initialisation in [0, 1), η 0.3",
                use_container_width=True)
    p[2].button("Avoid it", key="preset_avoid", on_click=preset, args=("avoid",), icon=":material/balance:",
                help="the same 4 layers of 8 with tanh and Xavier initialisation (scaled to each layer's size), η 0.1",
                use_container_width=True)


if not lesson.presentation:
    hyperparameters()
    presets()

job, run = training_run.job(), lesson.run
progress = training_run.keep_up()
running = progress is not None and progress.status == "running"
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
b[3].button("Reset", key="train_reset", on_click=training_run.reset, disabled=run is None,
            icon=":material/restart_alt:", use_container_width=True)
b[4].select_slider("Pace", list(PACES), help="Epochs shown per second: slow enough for a room to follow, or "
                   "instant (train, then show the final charts). " + explain("tick"),
                   **state.bound("train_pace", st.session_state.get("train_pace", training_run.DEFAULT_PACE),
                                 training_run.set_pace))


def loss_measure(where) -> None:
    where.radio("Loss chart", ["loss", "sse"], horizontal=True, help=f"Mean loss: the loss averaged over the epoch's rows. "
                f"{explain('loss')} Tutorial's epoch error: {explain('epoch error')}",
                format_func=lambda m: "mean loss" if m == "loss" else "tutorial's epoch error",
                **state.persist("tr_measure", "loss"))


if not lesson.presentation:
    loss_measure(b[5])
if st.session_state.get("train_error"):
    st.error(st.session_state["train_error"])


def animation_download(lesson, where) -> None:
    """The run as an HTML animation that plays offline; built only when the button is clicked."""
    run, network, experiment = lesson.run, lesson.network, state.experiment()
    row, measure = int(lesson.graph_row) % data.n_rows, st.session_state.get("tr_measure", "loss")
    title = f"{data.name}: {lesson.settings.describe()}"

    def build() -> str:
        return animation_html(training_animation(run.history, run.frames, network, experiment.inputs[row],
                                                 experiment.input_names, data.class_names, measure,
                                                 lesson.settings.epochs, title))

    where.download_button("Animation (HTML)", build, "training-run.html", "text/html", key="download_animation",
                          on_click="ignore", disabled=not run.frames, icon=":material/animation:",
                          help="The loss, the accuracy and the graph's weights, epoch by epoch, with Play and a "
                               "slider: one HTML file that plays offline, for slides")


def results(lesson) -> None:
    """Final metrics, confusion matrix, per-class precision and recall, misclassified rows, downloads."""
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
    left, right = st.columns([1, 1])
    with right:
        from ui import models
        row = st.container(horizontal=True)
        # files made only when asked for: a long history is no part of the page
        row.download_button("Model (JSON)", models.model_json_later(), "trained-model.json", "application/json",
                            key="download_trained")
        row.download_button("History (CSV)", run.history.to_csv, "training-history.csv", "text/csv",
                            key="download_history")
        animation_download(lesson, row)
    if data.is_regression:
        left.metric(f"R² on the {which} rows", f"{result.r2:.4f}")
        left.metric(f"Mean absolute error on the {which} rows", f"{result.mae:.4g}")
        return
    precision, recall = result.precision_recall
    show.chart(confusion_figure(result.counts, data.class_names, f"Confusion matrix ({which} rows)"),
               key="confusion", config=png_only("confusion-matrix"), into=left)
    with right:
        st.markdown(f"**Per class ({which} rows)**")
        st.dataframe({"class": data.class_names, "rows": result.counts.sum(axis=1).tolist(),
                      "precision (%)": [None if np.isnan(p) else round(100 * p, 2) for p in precision],
                      "recall (%)": [None if np.isnan(r) else round(100 * r, 2) for r in recall]}, hide_index=True)
    wrong = result.wrong
    shown = wrong[:MAX_TABLE_ROWS]  # a large upload can have tens of thousands: the page stays small
    st.markdown(f"**Misclassified {which} rows: {len(wrong)} of {len(rows)}**"
                + (f" (the first {len(shown):,} shown)" if len(shown) < len(wrong) else ""))
    wrong = shown
    if len(wrong):
        table = {"row": rows[wrong].tolist(), "true": [data.class_names[i] for i in result.actual[wrong]],
                 "predicted": [data.class_names[i] for i in result.predicted[wrong]]}
        for f, name in enumerate(data.feature_names):
            table[name] = data.features[rows[wrong], f].tolist()
        st.dataframe(table, hide_index=True)


def what_it_learns(current, network) -> None:
    """The network's output over the input plane behind the data, and every neuron's map."""
    st.markdown("##### What the network learns")
    landscape_view.plane_controls(current, "train")
    drawn = landscape_view.scene_and_view(network)
    if drawn is None:
        return
    where, land = drawn
    left, right = st.columns([1, 1.1])
    with left:
        discretise = st.session_state.get("discretise", False)
        show.chart(landscape_view.landscape_of(network, where, discretise, landscape=land, height=400),
                   key="train_landscape")
        st.toggle("Discretise the output", help="One flat colour per predicted class, without the confidence "
                  "shading", **state.persist("discretise", False))
    show.chart(landscape_view.neuron_maps_of(network, where, land, cell=50), key="train_maps", into=right)
    shading = ("the predicted value" if data.is_regression else
               "the class the network predicts, stronger where its top output is higher")
    st.caption(f"Left: every point of the plane coloured by {shading}; filled dots are training rows, hollow "
               "ones validation rows. Right: each neuron's output over the same plane, laid out like the network. "
               + landscape_view.plane_caption(where))


@st.fragment(run_every=pacing.interval(LIVE) if running else None)
def live() -> None:
    progress = training_run.keep_up()
    if progress is not None and progress.status != "running" and st.session_state.get("train_was_running"):
        st.session_state["train_was_running"] = False
        st.rerun()  # the whole page: stop the timer, switch Pause to Resume, show the results
    st.session_state["train_was_running"] = progress is not None and progress.status == "running"
    current = state.lesson()
    if current.run is None:
        st.info("Press **Start** to train a fresh network with these settings on "
                f"{text.plain(data.name)} ({data.n_rows} rows). The trained network becomes the lesson's network.")
        return
    with pacing.Redraw(LIVE, live=st.session_state["train_was_running"]) as redraw:
        draw(current, progress, redraw.note)


GRADIENT_WORDS = ("**Each layer's mean |∂E/∂w|, epoch by epoch** (log scale: each grid line is 10× the one below). "
                  "Backprop multiplies by f′ once per layer on the way back, and a sigmoid's f′ is at most 0.25: with "
                  "many sigmoid layers the gradient shrinks layer by layer, so the layers near the inputs learn "
                  "slowest — a **vanishing gradient**. tanh with Xavier (or relu with He) initialisation keeps the "
                  "lines close; lines shooting up are an exploding gradient.")


def draw(current, progress, note: str | None) -> None:
    """The run as it stands: progress, numbers, charts, what the network learns, the graph; the results
    and the "why" card once it has paused or ended."""
    if progress is not None:  # the worker's history, read up to the records it has published
        history, n = training_run.job().trainer.history, progress.n_history
        epoch, network, status = progress.epoch, progress.network, progress.status
    else:
        history, epoch, network, status = current.run.history, current.epochs_trained, current.network, current.run.status
        n = len(history)
    total = current.settings.epochs
    word = {"running": "running", "paused": f"paused at epoch {epoch}", "stopped": f"stopped at epoch {epoch}",
            "finished": "finished"}.get(status, status)
    st.progress(min(epoch / total, 1.0), text=f"Epoch {epoch} of {total} · {word}" + (f" · {note}" if note else ""))
    if n:  # the latest numbers, one line (one message; a row of st.metric would be nine)
        last, numbers = n - 1, [f"epoch error Σ(t−o)² **{history.sse[n - 1]:.3f}**"]
        for label, series, fmt in (("training accuracy", history.train_accuracy, "{:.1f}%"),
                                   ("training R²", history.train_r2, "{:.4f}"),
                                   ("validation accuracy", history.validation_accuracy, "{:.1f}%"),
                                   ("validation R²", history.validation_r2, "{:.4f}"),
                                   ("validation loss", history.validation_loss, "{:.4f}"),
                                   ("validation mean |error|", history.validation_mae, "{:.4g}")):
            if len(series) > last:
                numbers.append(f"{label} **{fmt.format(series[last])}**")
        st.markdown(" · ".join(numbers), help=f"{explain('epoch error')} {explain('validation')}")
    presenting = current.presentation
    charts, graph = st.columns([1, 1])  # the charts and the graph side by side: both in view at 1280×720
    show.chart(training_figure(history, st.session_state.get("tr_measure", "loss"), total, n=n,
                               regression=data.is_regression, height=GRAPH_HEIGHT[presenting], stacked=True),
               key="training_charts", config=png_only("loss-and-accuracy-per-epoch"), into=charts)
    row = int(current.graph_row) % data.n_rows
    sample = samples.data_row(row)
    settled = status != "running"  # paused or done: the graph can be picked on, the card told
    why, selection, story, shown = None, None, None, network
    if settled:
        settings = current.settings
        why = maths_card.Why(sample, settings.learning_rate, maths_card.keep_in_lesson, samples.training_set(),
                             settings.l1, settings.l2, settings.momentum)
        selection = clicks.current(network)
        story, shown = why.story(selection), why.shown(selection)
    view = view_of_trace(forward(shown, sample.inputs))
    view.picked = highlight_of(story) if story is not None else None
    with graph:
        clicks.chart(network_figure(shown, sample.feature_names, data.class_names, view,
                                    height=GRAPH_HEIGHT[presenting], presentation=presenting), "train_graph", shown,
                     selectable=settled, config=png_only("network-training"))
        st.caption(f"The weights as they train; nodes show row {row}'s activations (choose the row on the Network "
                   "page)." + (" Click a weight or a neuron to see why it changes." if settled else ""))
    what_it_learns(current, network)
    if history.gradient and status != "running":  # a chart of the whole run once it rests
        chart, words = st.columns([1.4, 1], vertical_alignment="center")
        show.chart(gradient_figure(history, len(network.weights), total), key="gradient_chart", into=chart)
        words.markdown(GRADIENT_WORDS)
    if settled:
        maths_card.show(why, selection, story, key="train_why")
    if status in ("finished", "stopped") or (status == "paused" and current.run.stop_reason):
        results(current)
    elif status == "paused" and n:
        animation_download(current, st)


live()
if lesson.presentation:
    loss_measure(st)
    hyperparameters()
    with st.expander("Vanishing gradients: two presets"):
        presets()
