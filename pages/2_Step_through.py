"""Step-through: one forward pass, the error, the backward pass and the update, neuron by neuron."""
import json
import time

import streamlit as st

from core import PHASES, toy_network, trace_csv, trace_dict, trace_latex
from ui import clicks, landscape_view, maths_card, samples, show, state, text, training_run, urls
from ui.figures.network_graph import highlight_of, network_figure, view_at_step
from ui.figures.toolbar import png_only
from ui.glossary import explain, explain_value
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

GRAPH_HEIGHT = {False: 470, True: 480}  # px; presentation: what 1280×720 leaves under the navigation
ABOVE_EQUATION_PX = 270  # px above the equation in presentation mode (page bar, navigation, counter, title)
BELOW_LAST_EQUATION_PX = 75  # the loss before and after
AUTOPLAY_POLL = 0.1  # seconds between autoplay's looks at the clock; a step comes at most this late

if not lesson.presentation:  # presenting, the pass is the page: the title and exports make way for it
    title_col, export_col = st.columns([5, 1.4], vertical_alignment="bottom")
    title_col.subheader("Step through one pass", anchor=False)
    export_box = export_col.popover("Export this pass", icon=":material/download:", use_container_width=True)


def set_source(lesson, source) -> None:
    lesson.step.source, lesson.step.index = source, 0


def set_row(lesson, row) -> None:
    lesson.step.row, lesson.step.index = int(row), 0


def set_rate(lesson, rate) -> None:
    lesson.step.learning_rate = float(rate)


def digits_choice(digits: int | None) -> str:
    """The digits setting as the box shows it: a number, or "all" (a None option would read as no choice)."""
    return "all" if digits is None else str(digits)


def set_digits(lesson, choice: str) -> None:
    lesson.step.digits = None if choice == "all" else int(choice)


def pick_random_row() -> None:
    position.row, position.index = samples.random_row(), 0
    state.save()


def restore_toy() -> None:
    lesson.toy_network, position.index = toy_network(), 0
    state.save()


def settings_controls() -> None:
    """The sample, learning rate and digits: above the pass, or (presenting) in an expander below it."""
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
    c4.number_input("Learning rate η", 0.0, 100.0, step=0.05, format="%.4g", help=explain("learning rate") + " Used by the update phase.",
                    **state.bound("step_lr", position.learning_rate, state.changed(set_rate)))
    c5.selectbox("Digits shown", [digits_choice(d) for d in DIGITS], help="Results are always shown with every digit.",
                 **state.bound("step_digits", digits_choice(position.digits), state.changed(set_digits)))


if not lesson.presentation:
    settings_controls()
sample = samples.current_step_sample()
is_toy = position.source == samples.TOY
extras = samples.step_extras()


def keep(network, made: str) -> None:
    if is_toy:
        lesson.toy_network = network
        state.save()
    else:
        maths_card.keep_in_lesson(network, made)


# the picked weight or neuron on this sample; a nudged weight is what the whole pass is worked out with
why = maths_card.Why(sample, position.learning_rate, keep, None if is_toy else samples.training_set(),
                     extras.get("l1", 0.0), extras.get("l2", 0.0), extras.get("momentum", 0.0), position.digits)
selection = clicks.current(sample.network)
story = why.story(selection)
shown = why.shown(selection)
nudged = shown is not sample.network
sample, walk = samples.current_walk(shown)
last = len(walk.steps) - 1
position.index = min(max(int(position.index), 0), last)
picked_at_full_run = selection.param if selection is not None else None


def go_to(index: int) -> None:
    position.index = min(max(index, 0), last)
    st.session_state["_autoplay_last"] = time.monotonic()  # autoplay's next step counts from this one
    state.save()


def toggle_autoplay() -> None:
    st.session_state["step_autoplay"] = not st.session_state.get("step_autoplay", False)
    st.session_state["_autoplay_last"] = time.monotonic()


def jump(starts: dict[str, int]) -> None:
    if st.session_state.get("step_phase"):
        go_to(starts[st.session_state["step_phase"]])


def apply_update() -> None:
    before, after = walk.loss_before, walk.loss_after
    position.index = 0
    if is_toy:
        lesson.toy_network = walk.updated
        state.save()
    else:
        st.session_state["_applied"] = (position.row, walk.network)
        training_run.let_go()  # a paused run resumes from the updated weights
        state.set_network(walk.updated, f"an update applied on the step-through (row {position.row}, "
                          f"η {position.learning_rate:g})", velocity=walk.update.velocity, keep_run=True)
    st.session_state["toast"] = (f"Update applied — loss on this sample {before:.6g} → {after:.6g} ({walk.change}). "
                                 "The new weights are the network's now.")


# -- the whole pass, for slides and homework (each file is built only when its button is clicked) -----
def exports() -> None:
    name = "backprop-pass-" + ("tutorial-example" if is_toy else f"row-{position.row}")
    st.caption("Every step of this pass, forward to update. CSV and JSON hold every number in full; the LaTeX "
               "is the equations as shown here, one aligned block per step (needs amsmath).")
    st.download_button("CSV: one row per number", lambda: trace_csv(walk), f"{name}.csv", "text/csv",
                       key="export_csv", on_click="ignore", icon=":material/table:", use_container_width=True)
    st.download_button("JSON: as python -m core step --json", lambda: json.dumps(trace_dict(walk), indent=1),
                       f"{name}.json", "application/json", key="export_json", on_click="ignore",
                       icon=":material/data_object:", use_container_width=True)
    st.download_button("LaTeX: aligned equations", lambda: trace_latex(walk, sample.description), f"{name}.tex",
                       "text/x-tex", key="export_latex", on_click="ignore", icon=":material/functions:",
                       use_container_width=True)


if not lesson.presentation:
    with export_box:
        exports()


def boundary_pair(before, after, row: int, words: tuple[str, str]) -> None:
    """The network's output over the plane before and after one update, and how the update moved
    the output of this row's class everywhere; the row ringed."""
    try:
        where = landscape_view.scene()
        views = [landscape_view.view(net, where) for net in (before, after)]
    except ValueError:
        return
    st.markdown("**The whole picture** — one sample's update moves the network's output everywhere:")
    columns = st.columns(3)
    for column, net, land, title, key in zip(columns, (before, after), views, words, ("before", "after")):
        show.chart(landscape_view.landscape_of(net, where, landscape=land, height=300, highlight_row=row,
                                               title=title, legend=False),
                   key=f"step_landscape_{key}", into=column)
    j = 0 if data.is_regression else int(data.labels[row])
    show.chart(landscape_view.change_of(where, *views, j, row), key="step_landscape_change", into=columns[2])
    st.caption(f"Row {row} is ringed. The third picture: blue where the update raised the output for its class "
               f"({text.plain(sample.label)}), orange where it lowered it. " + landscape_view.plane_caption(where))


# A click on Next, Back or a phase reruns only this part of the page: the sidebar, the settings, the sample
# table and the "why" card around it are not rebuilt and not sent again.
@st.fragment
def stepper() -> None:
    now = clicks.current(sample.network)
    if (now.param if now is not None else None) != picked_at_full_run:
        st.rerun()  # a weight picked on the graph: the whole page, so that its card below follows
    index = position.index = min(max(int(position.index), 0), last)
    step = walk.steps[index]
    presenting = lesson.presentation
    bar = st.columns([2.9, 3.8, 1.4], vertical_alignment="center")
    with bar[0]:
        with st.container(horizontal=True, key="step_nav", gap="small"):  # pinned to the bottom on a phone
            st.button("", key="step_reset", on_click=go_to, args=(0,), icon=":material/first_page:",
                      help="Back to the first step")
            st.button("Back", key="step_back", shortcut="Left", on_click=go_to, args=(index - 1,),
                      icon=":material/chevron_left:", disabled=index == 0, width="stretch")
            st.button("Next", key="step_next", shortcut="Right", type="primary", on_click=go_to,
                      args=(index + 1,), icon=":material/chevron_right:", icon_position="right",
                      disabled=index == last, width="stretch")
    if presenting:  # a presentation clicker sends PageDown and PageUp: the same steps (else they scroll)
        with st.container(key="hidden_clicker"):
            st.button("Next (PageDown)", key="step_next_pgdn", shortcut="PageDown", on_click=go_to,
                      args=(index + 1,), disabled=index == last)
            st.button("Back (PageUp)", key="step_back_pgup", shortcut="PageUp", on_click=go_to,
                      args=(index - 1,), disabled=index == 0)
    st.session_state["step_phase"] = step.phase
    bar[1].segmented_control("Jump to phase", PHASES, key="step_phase", on_change=jump,
                             args=({phase: walk.phase_start(phase) for phase in PHASES},),
                             format_func=PHASE_NAMES.get, label_visibility="collapsed")
    if index == last:
        st.session_state["step_autoplay"] = False  # the end of the pass: Play starts again from here
    autoplay = st.session_state.get("step_autoplay", False)
    if index == last:  # the end of the pass: its one action, where Next was being pressed
        if bar[2].button("Apply update", key="apply_update", type="primary", icon=":material/check_circle:",
                         disabled=nudged, width="stretch",
                         help="Make the updated weights the network's, and start the pass again with them"):
            apply_update()
            st.rerun()  # the whole page: the sidebar names the new network
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

    graph_col, maths_col = st.columns([0.82, 1] if presenting else [1, 1])
    with graph_col:
        view = view_at_step(walk, index)
        view.picked = highlight_of(story) if story is not None else None
        figure = network_figure(shown, sample.feature_names, sample.class_names, view,
                                presentation=presenting, height=GRAPH_HEIGHT[presenting])
        clicks.chart(figure, "step_graph", shown, config=png_only("network-step"))
        if story is not None:
            st.caption(f"Picked: **{text.plain(story.name)}**" + (" (nudged)" if nudged else "")
                       + " — why it changes is worked out below the pass.")
        elif not presenting:
            st.caption("Click a weight, a bias square or a neuron: why it changes is worked out below the pass.")
    with maths_col:
        st.markdown(f"#### {text.plain(step.title, 120)}")
        reserved = ABOVE_EQUATION_PX + (BELOW_LAST_EQUATION_PX if index == last else 0)
        show.equation(step.latex, key="step_equation", reserved_px=reserved if presenting else None)  # the page
        # scrolls in normal mode; presenting, the pass must fit the screen
        if index == last:
            st.markdown(f"**Loss on this sample** `{walk.loss_before!r}` → `{walk.loss_after!r}` "
                        f"(**{walk.change}**)")
            if walk.change == "up":
                st.warning(f"The loss went up: a learning rate of {position.learning_rate:g} overshoots on this "
                           "sample. Try a smaller one.")
            if nudged:
                st.info("A weight is nudged by hand (below): keep the value or go back to the kept one before "
                        "applying the update.")
        st.caption(PHASE_HELP[step.phase])
        for name, value in step.values.items():
            st.markdown(f"**{name}** = `{value!r}`", help=explain_value(name))

    if index == last and not is_toy:  # what the update would do to the whole plane
        boundary_pair(walk.network, walk.updated, position.row, ("Now", "If this update is applied"))

    # -- autoplay: one step every 1/speed seconds, timed from the last step, not from the end of its redraw --
    if autoplay:
        period = 1.0 / speed

        @st.fragment(run_every=AUTOPLAY_POLL)
        def _advance() -> None:
            if time.monotonic() >= st.session_state.get("_autoplay_last", 0.0) + period - AUTOPLAY_POLL / 2:
                go_to(position.index + 1)
                st.rerun()

        _advance()


stepper()
if lesson.presentation:
    with st.expander("Sample and settings", expanded=False):
        settings_controls()

# -- the sample ------------------------------------------------------------------------------------
with st.expander(f"The sample: {text.plain(sample.description)}", expanded=not lesson.presentation):
    st.markdown(f"{'Target' if data.is_regression and not is_toy else 'True class'}: **{text.plain(sample.label)}**"
                f" · target vector `{walk.target.tolist()}`")
    table = {"feature": sample.feature_names, "input to the network": walk.sample.tolist()}
    if sample.raw is not None and len(sample.raw) == len(walk.sample):
        table["raw value"] = sample.raw.tolist()
    st.dataframe(table, hide_index=True)
    feature_map = state.experiment().feature_map
    if not is_toy and not feature_map.is_identity:
        derived = feature_map.apply(sample.raw[None, :])[0]
        point = ", ".join(f"{text.plain(name)} = {v:.6g}" for name, v in zip(data.feature_names, sample.raw))
        st.markdown(f"The network is not given the point ({point}) itself but these input features of it, "
                    "each then normalised:")
        st.markdown("\n".join(f"- **{text.plain(feature_map.name(i))}** = {derived[i]:.6g} → "
                               f"`{float(walk.sample[i])!r}`: {text.plain(feature_map.explain(i))}"
                               for i in range(len(feature_map))))


if st.session_state.get("toast"):
    st.toast(st.session_state.pop("toast"), icon=":material/check_circle:")
applied = st.session_state.pop("_applied", None)
if applied is not None and not is_toy and applied[0] == position.row and position.index == 0:
    boundary_pair(applied[1], lesson.network, applied[0], ("Before the update", "After the update you applied"))

st.divider()
maths_card.show(why, selection, story, key="step_why")
