"""Step-through: one forward pass, the error, the backward pass and the update, neuron by neuron."""
import time

import streamlit as st

from core import PHASES, toy_network, walk_through
from ui import samples, show, state, text, urls
from ui.figures.network_graph import network_figure, view_at_step
from ui.lesson import DIGITS
from ui.sidebar import page_setup

lesson = page_setup("Step-through")
data, position = lesson.dataset, lesson.step

GRAPH_HEIGHT = {False: 470, True: 480}  # px; presentation: what 1280×720 leaves under the navigation
ABOVE_EQUATION_PX = {False: 380, True: 270}  # px of the page above an equation (bars, navigation, its title)
BELOW_LAST_EQUATION_PX = 75  # the loss before and after
PHASE_NAMES = {"forward": "Forward pass", "error": "Error", "backward": "Backward pass", "update": "Update"}
PHASE_HELP = {
    "forward": "Each neuron adds its bias to its weighted inputs, z = b + Σ wᵢxᵢ, then applies its "
               "activation: o = f(z). Layer by layer, the outputs of one layer are the inputs of the next.",
    "error": "Compare the network's outputs with the target vector: each output's error is o − t.",
    "backward": "Blame flows backwards. An output neuron's delta is its error × f′(o); a hidden neuron's "
                "error is the sum of the deltas it feeds, weighted by the connections, and its delta is "
                "that error × f′(o). All deltas use the weights as they were before any update.",
    "update": "Every weight moves against its gradient: w ← w − η · δ · x, and each bias b ← b − η · δ, "
              "where η is the learning rate, δ the neuron's delta and x the input the weight multiplies.",
}

# -- a bookmarked position (?sample=42&step=7&lr=0.25), read once per session and checked ------------
if not st.session_state.get("step_url_read"):
    st.session_state["step_url_read"] = True
    problems = urls.read_step_position(position, data.n_rows)
    if problems:
        st.warning(f"The link's {problems} could not be used; the rest of the position was kept.")

if not lesson.presentation:
    st.subheader("Step through one pass", anchor=False)


def restart() -> None:
    position.index = 0


def set_source(lesson, source) -> None:
    lesson.step.source, lesson.step.index = source, 0


def set_row(lesson, row) -> None:
    lesson.step.row, lesson.step.index = int(row), 0


def set_rate(lesson, rate) -> None:
    lesson.step.learning_rate = float(rate)


def set_digits(lesson, digits) -> None:
    lesson.step.digits = digits


def pick_random_row() -> None:
    position.row, position.index = samples.random_row(), 0
    state.save()


def restore_toy() -> None:
    lesson.toy_network, position.index = toy_network(), 0
    state.save()


def settings_controls() -> None:
    """The sample, learning rate and digits: above the navigation, or (presenting) in an expander below."""
    c1, c2, c3, c4, c5 = st.columns([1.9, 1.1, 1.3, 1.1, 1.1], vertical_alignment="bottom")
    c1.radio("Sample", ["row", samples.TOY], horizontal=True,
             format_func=lambda s: "A row of the data" if s == "row" else "Tutorial's 2-1-2 example",
             **state.bound("step_source", position.source, state.changed(set_source)))
    if position.source == "row":
        c2.number_input(f"Row (0–{data.n_rows - 1})", 0, data.n_rows - 1, step=1,
                        **state.bound("step_row", position.row, state.changed(set_row)))
        c3.button("Random row", key="random_row", on_click=pick_random_row, icon=":material/casino:")
    else:
        c2.button("Restore the tutorial's weights", key="toy_reset", on_click=restore_toy)
    c4.number_input("Learning rate η", 0.0, 100.0, step=0.05, format="%.4g", help="Used by the update phase.",
                    **state.bound("step_lr", position.learning_rate, state.changed(set_rate)))
    c5.selectbox("Digits shown", DIGITS, format_func=lambda d: "all" if d is None else str(d),
                 help="Results are always shown with every digit.",
                 **state.bound("step_digits", position.digits, state.changed(set_digits)))



if not lesson.presentation:
    settings_controls()
sample = samples.current_step_sample()
is_toy = position.source == samples.TOY
extras = {} if is_toy else dict(l1=lesson.settings.l1, l2=lesson.settings.l2, momentum=lesson.settings.momentum,
                                velocity=lesson.velocity)
walk = walk_through(sample.network, sample.inputs, sample.target, position.learning_rate, sample.feature_names,
                    sample.class_names, digits=position.digits, **extras)
last = len(walk.steps) - 1
position.index = min(max(int(position.index), 0), last)


def go_to(index: int) -> None:
    position.index = min(max(index, 0), last)
    state.save()


def apply_update(walk) -> None:
    """Make ``walk``'s updated weights the network's (or the tutorial example's) and start again at step 1."""
    position.index = 0
    if is_toy:
        lesson.toy_network = walk.updated
        state.save()
    else:
        state.set_network(walk.updated, f"an update applied on the step-through (row {position.row}, "
                          f"η {position.learning_rate:g})", velocity=walk.update.velocity, keep_run=True)
    st.session_state["toast"] = (f"Update applied: the new weights are now the network's. Loss on this "
                                 f"sample went {walk.change}: {walk.loss_before:.6g} → {walk.loss_after:.6g}.")


# -- navigation ------------------------------------------------------------------------------------
index = position.index
step = walk.steps[index]
bar = st.columns([2.9, 3.8, 1.4], vertical_alignment="center")
with bar[0]:
    with st.container(horizontal=True, key="step_nav", gap="small", wrap=False):  # pinned to the bottom on a phone
        st.button("", key="step_reset", on_click=go_to, args=(0,), icon=":material/first_page:",
                  help="Back to the first step")
        st.button("Back", key="step_back", shortcut="Left", on_click=go_to, args=(index - 1,),
                  icon=":material/chevron_left:", disabled=index == 0, width="stretch")
        st.button("Next", key="step_next", shortcut="Right", type="primary", on_click=go_to, args=(index + 1,),
                  icon=":material/chevron_right:", icon_position="right", disabled=index == last, width="stretch")
with st.container(key="hidden_clicker"):  # a presentation clicker sends PageDown and PageUp: the same steps
    st.button("Next (PageDown)", key="step_next_pgdn", shortcut="PageDown", on_click=go_to, args=(index + 1,),
              disabled=index == last)
    st.button("Back (PageUp)", key="step_back_pgup", shortcut="PageUp", on_click=go_to, args=(index - 1,),
              disabled=index == 0)


def jump(starts: dict[str, int]) -> None:
    if st.session_state.get("step_phase"):
        go_to(starts[st.session_state["step_phase"]])


def toggle_autoplay() -> None:
    st.session_state["step_autoplay"] = not st.session_state.get("step_autoplay", False)
    st.session_state["_autoplay_last"] = time.monotonic()


st.session_state["step_phase"] = step.phase
bar[1].segmented_control("Jump to phase", PHASES, key="step_phase", on_change=jump,
                         args=({phase: walk.phase_start(phase) for phase in PHASES},),
                         format_func=PHASE_NAMES.get, label_visibility="collapsed")
if index == last:
    st.session_state["step_autoplay"] = False  # the end of the pass: Play starts again from here
autoplay = st.session_state.get("step_autoplay", False)
if index == last:  # the end of the pass: its one action, where Next was being pressed
    bar[2].button("Apply update", key="apply_update", type="primary", icon=":material/check_circle:",
                  on_click=apply_update, args=(walk,), width="stretch",
                  help="Make the updated weights the network's, and start the pass again with them")
else:
    bar[2].button("Pause" if autoplay else "Play", key="step_play", on_click=toggle_autoplay,
                  icon=":material/pause:" if autoplay else ":material/play_arrow:", width="stretch",
                  help="Step forward on its own, at the speed chosen below")
speed = st.session_state.get("step_speed", 1)
if autoplay:
    speed = st.select_slider("Autoplay speed (steps per second)", [0.5, 1, 2, 4], value=1, key="step_speed")

urls.write_step_position(position)
st.progress((index + 1) / len(walk.steps),
            text=f"**Step {index + 1} of {len(walk.steps)} · {PHASE_NAMES[step.phase]}** — "
                 f"{text.plain(sample.description)}")

# -- the graph, the equation and, at the end of the pass, the update --------------------------------
presenting = lesson.presentation
graph_col, maths_col = st.columns([0.82, 1] if presenting else [1, 1])
with graph_col:
    show.chart(network_figure(sample.network, sample.feature_names, sample.class_names,
                              view_at_step(walk, index), presentation=presenting,
                              height=GRAPH_HEIGHT[presenting]), key="step_graph")
with maths_col:
    st.markdown(f"#### {text.plain(step.title, 120)}")
    reserved = ABOVE_EQUATION_PX[presenting] + (BELOW_LAST_EQUATION_PX if index == last else 0)
    show.equation(step.latex, key="step_equation",
                  reserved_px=reserved if presenting or index == last else None)
    if index == last:
        st.markdown(f"**Loss on this sample** `{walk.loss_before!r}` → `{walk.loss_after!r}` (**{walk.change}**)")
        if walk.change == "up":
            st.warning(f"The loss went up: a learning rate of {position.learning_rate:g} overshoots on this "
                       "sample. Try a smaller one.")
    st.caption(PHASE_HELP[step.phase])
    for name, value in step.values.items():
        st.markdown(f"**{name}** = `{value!r}`")

# -- the sample ------------------------------------------------------------------------------------
if lesson.presentation:
    with st.expander("Sample and settings", expanded=False):
        settings_controls()
with st.expander(f"The sample: {text.plain(sample.description)}", expanded=not lesson.presentation and index == 0):
    st.markdown(f"{'Target' if data.is_regression and not is_toy else 'True class'}: **{text.plain(sample.label)}**"
                f" · target vector `{walk.target.tolist()}`")
    table = {"feature": sample.feature_names, "input to the network": walk.sample.tolist()}
    if sample.raw is not None and len(sample.raw) == len(walk.sample):
        table["raw value"] = sample.raw.tolist()
    st.dataframe(table, hide_index=True)

if st.session_state.get("toast"):
    st.toast(st.session_state.pop("toast"), icon=":material/check_circle:")

# -- autoplay: one step every 1/speed seconds, timed from the last step, not from the end of its redraw ------
AUTOPLAY_POLL = 0.1  # seconds between checks of the clock; a step comes at most this late

if autoplay:
    period = 1.0 / speed
    st.session_state.setdefault("_autoplay_last", time.monotonic())

    @st.fragment(run_every=AUTOPLAY_POLL)
    def _advance() -> None:
        if time.monotonic() >= st.session_state["_autoplay_last"] + period - AUTOPLAY_POLL / 2:
            st.session_state["_autoplay_last"] = time.monotonic()
            go_to(position.index + 1)
            st.rerun()

    _advance()
