"""Step-through: one forward pass, the error, the backward pass and the update, neuron by neuron."""
import streamlit as st

from core import PHASES, toy_network, walk_through
from ui import samples, state
from ui.figures.network_graph import network_figure, view_at_step
from ui.sidebar import page_setup, presenting

page_setup("Step-through")

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

ss = st.session_state
data = state.dataset()

# -- position from the URL on the first visit (a lecturer's bookmark), then kept in the URL --------
if not ss.get("step_url_read"):
    ss["step_url_read"] = True
    params = st.query_params
    try:
        ss["step_source"] = samples.TOY if params.get("sample") == samples.TOY else "row"
        if params.get("sample", "").isdigit():
            ss["step_row"] = min(int(params["sample"]), data.n_rows - 1)
        if "lr" in params:
            ss["step_lr"] = min(max(float(params["lr"]), 0.0), 100.0)
        if params.get("step", "").isdigit():
            ss["step_index"] = max(int(params["step"]) - 1, 0)
    except ValueError:
        st.warning("The link's sample, step or learning rate could not be read; starting at the beginning.")
for key, default in (("step_source", "row"), ("step_row", 0), ("step_lr", 0.5), ("step_index", 0),
                     ("step_digits", 6)):
    ss.setdefault(key, default)

st.subheader("Step through one pass", anchor=False)

# -- the sample and the settings (tucked away in presentation mode) --------------------------------
def restart() -> None:
    ss["step_index"] = 0


def pick_random_row() -> None:
    ss["step_row"] = samples.random_row()
    restart()


def restore_toy() -> None:
    ss["toy_network"] = toy_network()
    restart()


controls = st.expander("Sample and settings", expanded=False) if presenting() else st.container()
with controls:
    c1, c2, c3, c4, c5 = st.columns([1.9, 1.1, 1.3, 1.1, 1.1], vertical_alignment="bottom")
    c1.radio("Sample", ["row", samples.TOY], horizontal=True,
             format_func=lambda s: "A row of the data" if s == "row" else "Tutorial's 2-1-2 example",
             **state.persist("step_source", "row", then=restart))
    if ss["step_source"] == "row":
        c2.number_input(f"Row (0–{data.n_rows - 1})", 0, data.n_rows - 1, step=1,
                        **state.persist("step_row", 0, then=restart))
        c3.button("Random row", key="random_row", on_click=pick_random_row, icon=":material/casino:")
    else:
        c2.button("Restore the tutorial's weights", key="toy_reset", on_click=restore_toy)
    c4.number_input("Learning rate η", 0.0, 100.0, step=0.05, format="%.4g",
                    help="Used by the update phase.", **state.persist("step_lr", 0.5))
    c5.selectbox("Digits shown", [4, 6, 10, None], format_func=lambda d: "all" if d is None else str(d),
                 help="Results are always shown with every digit.", **state.persist("step_digits", 6))

sample = samples.toy_sample() if ss["step_source"] == samples.TOY else samples.data_row(ss["step_row"])
walk = walk_through(sample.network, sample.inputs, sample.target, ss["step_lr"], sample.feature_names,
                    sample.class_names, digits=ss["step_digits"])
last = len(walk.steps) - 1
ss["step_index"] = min(max(int(ss["step_index"]), 0), last)


def go_to(index: int) -> None:
    ss["step_index"] = min(max(index, 0), last)


# -- navigation ------------------------------------------------------------------------------------
index = ss["step_index"]
step = walk.steps[index]
nav = st.columns([0.5, 1, 1, 3.4, 1.2], vertical_alignment="center")
nav[0].button("", key="step_reset", on_click=go_to, args=(0,), icon=":material/first_page:",
              help="Back to the first step", use_container_width=True)
nav[1].button("Back", key="step_back", shortcut="Left", on_click=go_to, args=(index - 1,),
              icon=":material/chevron_left:", disabled=index == 0, use_container_width=True)
nav[2].button("Next", key="step_next", shortcut="Right", type="primary", on_click=go_to, args=(index + 1,),
              icon=":material/chevron_right:", icon_position="right", disabled=index == last,
              use_container_width=True)


def jump(starts: dict[str, int]) -> None:
    if ss.get("step_phase"):
        go_to(starts[ss["step_phase"]])


ss["step_phase"] = step.phase
nav[3].segmented_control("Jump to phase", PHASES, key="step_phase", on_change=jump,
                         args=({phase: walk.phase_start(phase) for phase in PHASES},),
                         format_func=PHASE_NAMES.get, label_visibility="collapsed")
with nav[4]:
    autoplay = st.toggle("Autoplay", key="step_autoplay")
speed = st.session_state.get("step_speed", 1)
if autoplay:
    speed = st.select_slider("Autoplay speed (steps per second)", [0.5, 1, 2, 4], value=1, key="step_speed")

st.query_params.update({"sample": samples.TOY if ss["step_source"] == samples.TOY else str(ss["step_row"]),
                        "step": str(index + 1), "lr": f"{ss['step_lr']:g}"})
st.progress((index + 1) / len(walk.steps),
            text=f"**Step {index + 1} of {len(walk.steps)} · {PHASE_NAMES[step.phase]}** — {sample.description}")

# -- the graph and the equation --------------------------------------------------------------------
graph_col, maths_col = st.columns([1, 1] if presenting() else [1.3, 1])
with graph_col:
    figure = network_figure(sample.network, sample.feature_names, sample.class_names,
                            view_at_step(walk, index), presentation=presenting(),
                            height=450 if presenting() else 470)
    st.plotly_chart(figure, key="step_graph", config={"displayModeBar": False})
with maths_col:
    st.markdown(f"#### {step.title}")
    st.latex("\\begin{aligned}" + " \\\\ ".join(step.latex) + "\\end{aligned}")
    st.caption(PHASE_HELP[step.phase])
    for name, value in step.values.items():
        st.markdown(f"**{name}** = `{value!r}`")

# -- the sample ------------------------------------------------------------------------------------
with st.expander(f"The sample: {sample.description}", expanded=not presenting() and index == 0):
    st.markdown(f"True class: **{sample.label}** · target vector `{walk.target.tolist()}`")
    table = {"feature": sample.feature_names, "input to the network": walk.sample.tolist()}
    if sample.raw is not None:
        table["raw value"] = sample.raw.tolist()
    st.dataframe(table, hide_index=True)

# -- the end of the pass: apply the update ---------------------------------------------------------
if index == last:
    before, after = walk.loss_before, walk.loss_after
    direction = "down" if after < before else ("up" if after > before else "unchanged")
    st.markdown(f"**Loss on this sample** before the update `{before!r}` → after `{after!r}` "
                f"(**{direction}**)")
    if direction == "up":
        st.warning(f"The loss went up: a learning rate of {ss['step_lr']:g} overshoots on this sample. "
                   "Try a smaller one.")
    if st.button("Apply update", key="apply_update", type="primary", icon=":material/check_circle:"):
        if ss["step_source"] == samples.TOY:
            ss["toy_network"] = walk.updated
        else:
            state.set_network(walk.updated)
        ss["step_index"] = 0
        ss["notice"] = (f"Update applied: the new weights are now the network's. Loss on this sample went "
                        f"{direction}: {before:.6g} → {after:.6g}. Step through again to see the next pass.")
        st.rerun()

# -- autoplay: one step per tick until the end ------------------------------------------------------
if autoplay and index < last:
    ss["_autoplay_armed"] = False

    @st.fragment(run_every=1.0 / speed)
    def _advance() -> None:
        if ss.get("_autoplay_armed"):
            go_to(ss["step_index"] + 1)
            st.rerun()
        ss["_autoplay_armed"] = True

    _advance()
