"""Step-through: one forward pass, the error, the backward pass and the update, neuron by neuron."""
import streamlit as st

from core import PHASES, toy_network
from ui import samples, state, text, urls
from ui.figures.network_graph import network_figure, view_at_step
from ui.figures.spec import prebuilt
from ui.lesson import DIGITS
from ui.sidebar import page_setup

lesson = page_setup("Step-through")
data, position = lesson.dataset, lesson.step

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


controls = st.expander("Sample and settings", expanded=False) if lesson.presentation else st.container()
with controls:
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

sample, walk = samples.current_walk()
is_toy = position.source == samples.TOY
last = len(walk.steps) - 1
position.index = min(max(int(position.index), 0), last)


def go_to(index: int) -> None:
    position.index = min(max(index, 0), len(samples.current_walk()[1].steps) - 1)
    state.save()


def jump(starts: dict[str, int]) -> None:
    if st.session_state.get("step_phase"):
        go_to(starts[st.session_state["step_phase"]])


def apply_update(walk, before: float, after: float) -> None:
    if is_toy:
        lesson.toy_network = walk.updated
        position.index = 0
        state.save()
    else:
        position.index = 0
        state.set_network(walk.updated, f"an update applied on the step-through (row {position.row}, "
                          f"η {position.learning_rate:g})", velocity=walk.update.velocity, keep_run=True)
    st.session_state["toast"] = (f"Update applied: the new weights are now the network's. Loss on this "
                                 f"sample went {walk.change}: {before:.6g} → {after:.6g}.")


# A click on Next, Back or a phase reruns only this part of the page: the sidebar, the settings and the
# sample table above and below it are not rebuilt and not sent again.
@st.fragment
def stepper() -> None:
    sample, walk = samples.current_walk()
    last = len(walk.steps) - 1
    index = position.index = min(max(int(position.index), 0), last)
    step = walk.steps[index]
    nav = st.columns([0.5, 1, 1, 3.4, 1.2], vertical_alignment="center")
    nav[0].button("", key="step_reset", on_click=go_to, args=(0,), icon=":material/first_page:",
                  help="Back to the first step", use_container_width=True)
    nav[1].button("Back", key="step_back", shortcut="Left", on_click=go_to, args=(index - 1,),
                  icon=":material/chevron_left:", disabled=index == 0, use_container_width=True)
    nav[2].button("Next", key="step_next", shortcut="Right", type="primary", on_click=go_to, args=(index + 1,),
                  icon=":material/chevron_right:", icon_position="right", disabled=index == last,
                  use_container_width=True)
    st.session_state["step_phase"] = step.phase
    nav[3].segmented_control("Jump to phase", PHASES, key="step_phase", on_change=jump,
                             args=({phase: walk.phase_start(phase) for phase in PHASES},),
                             format_func=PHASE_NAMES.get, label_visibility="collapsed")
    with nav[4]:
        autoplay = st.toggle("Autoplay", key="step_autoplay")
    speed = st.session_state.get("step_speed", 1)
    if autoplay:
        speed = st.select_slider("Autoplay speed (steps per second)", [0.5, 1, 2, 4], value=1, key="step_speed")

    urls.write_step_position(position)
    st.progress((index + 1) / len(walk.steps),
                text=f"**Step {index + 1} of {len(walk.steps)} · {PHASE_NAMES[step.phase]}** — "
                     f"{text.plain(sample.description)}")

    graph_col, maths_col = st.columns([1, 1] if lesson.presentation else [1.3, 1])
    with graph_col:
        figure = network_figure(sample.network, sample.feature_names, sample.class_names,
                                view_at_step(walk, index), presentation=lesson.presentation,
                                height=450 if lesson.presentation else 470)
        st.plotly_chart(prebuilt(figure), key="step_graph", config={"displayModeBar": False})
    with maths_col:
        st.markdown(f"#### {text.plain(step.title, 120)}")
        st.latex("\\begin{aligned}" + " \\\\ ".join(step.latex) + "\\end{aligned}")
        st.caption(PHASE_HELP[step.phase])
        st.markdown("  \n".join(f"**{name}** = `{value!r}`" for name, value in step.values.items()))

    # -- the end of the pass: apply the update -----------------------------------------------------
    if index == last:
        before, after = walk.loss_before, walk.loss_after
        st.markdown(f"**Loss on this sample** before the update `{before!r}` → after `{after!r}` "
                    f"(**{walk.change}**)")
        if walk.change == "up":
            st.warning(f"The loss went up: a learning rate of {position.learning_rate:g} overshoots on this "
                       "sample. Try a smaller one.")
        if st.button("Apply update", key="apply_update", type="primary", icon=":material/check_circle:"):
            apply_update(walk, before, after)
            st.rerun()  # the whole page: the sidebar names the new network

    # -- autoplay: one step per tick until the end -----------------------------------------------
    if autoplay and index < last:
        st.session_state["_autoplay_armed"] = False

        @st.fragment(run_every=1.0 / speed)
        def _advance() -> None:
            if st.session_state.get("_autoplay_armed"):
                go_to(position.index + 1)
                st.rerun()
            st.session_state["_autoplay_armed"] = True

        _advance()


stepper()

# -- the sample ------------------------------------------------------------------------------------
# Outside the stepper: drawn on full runs only (a new sample, a reload), so it looks the same however
# the current step was reached.
with st.expander(f"The sample: {text.plain(sample.description)}", expanded=not lesson.presentation):
    st.markdown(f"{'Target' if data.is_regression and not is_toy else 'True class'}: **{text.plain(sample.label)}**"
                f" · target vector `{walk.target.tolist()}`")
    table = {"feature": sample.feature_names, "input to the network": walk.sample.tolist()}
    if sample.raw is not None and len(sample.raw) == len(walk.sample):
        table["raw value"] = sample.raw.tolist()
    st.dataframe(table, hide_index=True)

if st.session_state.get("toast"):
    st.toast(st.session_state.pop("toast"), icon=":material/check_circle:")
