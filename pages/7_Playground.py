"""Playground: 2-D data, input features and layers on one screen, the boundary and every neuron's map
forming as the network trains — and a click on a point that steps through its pass."""
import streamlit as st

from core import ACTIVATION_NAMES, FEATURES, INIT_SCHEMES, ExperimentSettings, FeatureMap, playground
from core.limits import MAX_EPOCHS, MAX_LEARNING_RATE
from ui import landscape_view, lesson as lessons, show, state, text, training_run
from ui.figures.charts import loss_figure
from ui.sidebar import page_setup
from ui.training_job import PACES

lesson = page_setup("Playground")
landscape_view.follow_click()
data = lesson.dataset
ss = st.session_state
TICK_SECONDS = 0.2
# TensorFlow Playground's starting point: tanh, two small hidden layers, half the points held out
PLAYGROUND = ExperimentSettings(hidden=(4, 2), activation="tanh", init="xavier", learning_rate=0.03, epochs=1000,
                                normalisation="zscore", validation_share=0.5, features=("x1", "x2"))
DEFAULT_SOURCE = {"generator": "circle", "n_points": 200, "noise": 0.0, "seed": 1}
FEATURE_NAMES = dict(zip(FEATURES, FeatureMap(FEATURES).names))


def source() -> dict:
    """The generator's settings: the lesson's, if its data was generated; Playground's circle otherwise."""
    return {**DEFAULT_SOURCE, **lesson.source} if lesson.source.get("kind") == "playground" else dict(DEFAULT_SOURCE)


def make_data(changes: dict, settings: ExperimentSettings | None = None) -> None:
    """New generated data (the network re-initialised for it), with ``settings`` if given."""
    wanted = {**source(), **changes}
    try:
        dataset, origin = lessons.playground_source(wanted["generator"], int(wanted["n_points"]),
                                                    float(wanted["noise"]), int(wanted["seed"]))
    except ValueError as err:
        ss["pg_error"] = f"Could not make that data: {text.plain(err)}"
        return
    ss["pg_error"] = None
    state.set_dataset(dataset, origin)
    if settings is not None:
        state.reinitialise(settings)
    ss["notice"] = None  # the page shows the new data and network itself


def regenerate(field: str, convert=lambda v: v):
    return state.changed(lambda _lesson, value: make_data({field: convert(value)}))


def setting(field: str, then, convert=lambda v: v):
    """on-change of one setting: the lesson's settings with it go to ``then``; a bad value is refused
    with its message and changes nothing."""
    def apply(current, value) -> None:
        try:
            settings = current.settings.changed(**{field: convert(value)})
        except ValueError as err:
            ss["pg_error"] = text.field_error(field, err)
            return
        ss["pg_error"] = None
        then(settings)
    return state.changed(apply)


def fresh_network(settings: ExperimentSettings) -> None:
    """A setting that shapes the network or the split changed: a fresh network, epoch 0."""
    state.reinitialise(settings)


def rebuild(field: str, convert=lambda v: v):
    return setting(field, fresh_network, convert)


def retune(field: str, convert=lambda v: v):
    """A learning setting changed: the same network goes on learning with it."""
    return setting(field, training_run.retune, convert)


def features_of(chosen) -> tuple[str, ...]:
    if not chosen:
        raise ValueError("choose at least one input feature")
    return tuple(f for f in FEATURES if f in chosen)


def play() -> None:
    current = state.lesson()
    current.draft = None  # the settings on this screen, not the Train page's draft
    job = training_run.job()
    if (job is not None and job.alive) or training_run.can_resume(current):
        training_run.resume()
    else:
        training_run.start()


def reset() -> None:
    fresh_network(state.lesson().settings)


st.subheader("Playground", anchor=False)
if data.n_features != 2:
    st.info(f"The Playground draws what a network learns over the plane of two-dimensional data; "
            f"{text.plain(data.name)} has {data.n_features} features. Make 2-D data to play with (your "
            "current data stays a click away on the Data page).", icon=":material/scatter_plot:")
    st.button("Make 2-D data: a circle, with Playground's settings", type="primary", key="pg_make",
              on_click=make_data, args=({}, PLAYGROUND), icon=":material/scatter_plot:")
    st.caption("Playground's settings: hidden layers 4 and 2, tanh, Xavier initialisation, learning rate 0.03, "
               "z-score normalisation, half the points held out for testing.")
    st.stop()

settings = lesson.settings
progress = training_run.keep_up()
running = progress is not None and progress.status == "running"
finished = lesson.run is not None and not training_run.can_resume(lesson) and not running

# -- run controls; then data, features, network and learning beside the picture --------------------------------
bar = st.columns([1, 1, 1, 3.2], vertical_alignment="bottom")
if running:
    bar[0].button("Pause", key="pg_pause", on_click=training_run.pause, icon=":material/pause:",
                  use_container_width=True)
else:
    bar[0].button("Play", key="pg_play", type="primary", on_click=play, icon=":material/play_arrow:",
                  use_container_width=True, disabled=finished,
                  help="Train until the last epoch (or pause); Reset to start again" if finished else None)
bar[1].button("Step", key="pg_step", on_click=training_run.step, disabled=running or finished,
              icon=":material/skip_next:", use_container_width=True, help="Train one epoch, then stop")
bar[2].button("Reset", key="pg_reset", on_click=reset, icon=":material/restart_alt:", use_container_width=True,
              help="A fresh network from the same settings, epoch 0")
bar[3].select_slider("Pace", list(PACES), help="Epochs per second while playing",
                     **state.bound("train_pace", ss.get("train_pace", training_run.DEFAULT_PACE),
                                   training_run.set_pace))
if ss.get("pg_error"):
    st.error(ss["pg_error"])

layout = st.container(key="pg_layout")  # on a phone its columns stack, the picture first (ui/theme.py)
controls, stage = layout.columns([1, 3.3])
with controls:
    st.markdown("**Data**")
    made = source()
    kinds = playground.KINDS + playground.REGRESSION_KINDS
    st.selectbox("Shape", kinds, format_func=lambda k: playground.TITLES[k] + (" (regression)" if k in
                 playground.REGRESSION_KINDS else ""), **state.bound("pg_kind", made["generator"],
                                                                      regenerate("generator")))
    st.slider("Noise (%)", 0, 50, step=5, **state.bound("pg_noise", int(round(made["noise"] * 100)),
                                                        regenerate("noise", lambda v: v / 100)))
    c = st.columns(2)
    c[0].number_input("Points", playground.MIN_POINTS, playground.MAX_POINTS, step=50,
                      **state.bound("pg_points", int(made["n_points"]), regenerate("n_points", int)))
    c[1].number_input("Seed", 0, 2**31 - 1, step=1, **state.bound("pg_seed", int(made["seed"]),
                                                                  regenerate("seed", int)))
    st.slider("Test share (%)", 0, 50, step=5, help="Points held out for testing (the validation share): "
              "hollow in the picture, never trained on",
              **state.bound("pg_test", int(round(settings.validation_share * 100)),
                            rebuild("validation_share", lambda v: v / 100)))
    if lesson.source.get("kind") != "playground":
        st.caption(f"Using {text.plain(data.name)}; change any of these to generate data instead.")
    else:
        st.caption(text.plain(playground.describe(made["generator"])))
    st.markdown("**Input features**")
    st.pills("Features", FEATURES, selection_mode="multi", format_func=FEATURE_NAMES.get,
             label_visibility="collapsed", help="What the network is given for each point",
             **state.bound("pg_features", list(settings.features or ("x1", "x2")), rebuild("features", features_of)))
    st.markdown("**Network**")
    st.text_input("Hidden layers", help="Neurons per hidden layer, e.g. 8,8 (0 = none)",
                  **state.bound("pg_hidden", ",".join(map(str, settings.hidden)), rebuild("hidden", state.hidden_sizes)))
    c = st.columns(2)
    c[0].selectbox("Activation", ACTIVATION_NAMES, **state.bound("pg_activation", settings.activation,
                                                                 rebuild("activation")))
    c[1].selectbox("Initialisation", INIT_SCHEMES, **state.bound("pg_init", settings.init, rebuild("init")))
    st.markdown("**Learning**")
    c = st.columns(2)
    c[0].number_input("Learning rate", 0.0, MAX_LEARNING_RATE, step=0.01, format="%.4g",
                      **state.bound("pg_lr", settings.learning_rate, retune("learning_rate", float)))
    c[1].number_input("Epochs", 1, MAX_EPOCHS, step=100, help="Training stops after this many",
                      **state.bound("pg_epochs", settings.epochs, retune("epochs", int)))
    c = st.columns(2)
    c[0].number_input("L2 λ₂", 0.0, 10.0, step=0.001, format="%.4g", help="Adds (λ₂/2)·Σw² to the loss",
                      **state.bound("pg_l2", settings.l2, retune("l2", float)))
    c[1].number_input("L1 λ₁", 0.0, 10.0, step=0.001, format="%.4g", help="Adds λ₁·Σ|w| to the loss",
                      **state.bound("pg_l1", settings.l1, retune("l1", float)))
    st.number_input("Momentum β", 0.0, 0.99, step=0.05, format="%.2f",
                    **state.bound("pg_momentum", settings.momentum, retune("momentum", float)))


# -- what the network learns, live -------------------------------------------------------------------------
@st.fragment(run_every=TICK_SECONDS if running else None)
def live() -> None:
    landscape_view.follow_click()
    progress = training_run.keep_up()
    if progress is not None and progress.status != "running" and ss.get("pg_was_running"):
        ss["pg_was_running"] = False
        st.rerun()  # the whole page: Pause becomes Play, the timer stops
    ss["pg_was_running"] = progress is not None and progress.status == "running"
    current = state.lesson()
    if progress is not None:
        history = training_run.head(training_run.job().trainer.history, progress.n_history)
        epoch, network = progress.epoch, progress.network
    else:
        history = current.run.history if current.run is not None else None
        epoch, network = current.epochs_trained, current.network
    losses = ""
    if history is not None and history.loss:
        losses = f" · training loss **{history.loss[-1]:.4f}**"
        if history.validation_loss:
            losses += f" · test loss **{history.validation_loss[-1]:.4f}**"
    st.markdown(f"Epoch **{epoch:,}** of {current.settings.epochs:,}{losses}")
    drawn = landscape_view.scene_and_view(network)
    if drawn is None:
        return
    where, land = drawn
    graph, output = st.columns([1, 1.25])
    show.chart(landscape_view.neuron_maps_of(network, where, land, cell=44), key="pg_maps", into=graph)
    graph.caption("Each neuron's output over the plane, laid out like the network; the lines are its weights "
                  "(blue +, orange −, thicker for larger |w|).")
    with output:
        show.chart(landscape_view.landscape_of(network, where, ss.get("discretise", False), landscape=land,
                                               height=400, held_name="test"),
                   key="pg_landscape", on_select=landscape_view.clicked("pg_landscape"),
                   selection_mode="points")
        st.caption("Click a point to step through its pass. Filled: training points; hollow: test points.")
        st.toggle("Discretise the output", **state.persist("discretise", False))
        if history is not None and history.epoch:
            show.chart(loss_figure(history, "loss", None, height=200), key="pg_loss")


with stage:
    live()
