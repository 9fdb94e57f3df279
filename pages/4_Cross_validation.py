"""Cross-validation: the tutorial's case study in one click, and the same evaluation with other settings."""
import streamlit as st

from core import ACTIVATION_NAMES, CrossValidationResult, CrossValidationSettings, iter_cross_validation
from ui import state
from ui.figures.charts import folds_figure
from ui.sidebar import page_setup

page_setup("Cross-validation")
ss = st.session_state

st.subheader("Cross-validation: the tutorial's case study", anchor=False)
st.markdown(
    "The tutorial evaluates its network with **5-fold cross-validation** on the seeds data: normalise the "
    "whole dataset (min-max), split it into 5 folds of 42 rows with `random.seed(1)`, and for each fold train "
    "a fresh 7-5-3 network (lr 0.3, 500 epochs, online updates) on the other four folds, then test on it. "
    "It prints `Mean Accuracy: 93.333%`."
)


def run_cv(dataset, settings: CrossValidationSettings, label: str) -> None:
    result = CrossValidationResult(settings)
    bar = st.progress(0.0, text=f"Fold 1 of {settings.n_folds}…")
    try:
        for fold in iter_cross_validation(dataset, settings):
            result.folds.append(fold)
            bar.progress(fold.fold / settings.n_folds, text=f"Fold {fold.fold} of {settings.n_folds}: "
                         f"{fold.accuracy:.3f}%")
    except ValueError as err:
        bar.empty()
        st.error(f"Cannot run: {err}")
        return
    bar.empty()
    ss["cv_runs"].append({"label": label, "data": dataset.name, "result": result})


if st.button("Reproduce the tutorial", type="primary", key="reproduce", icon=":material/play_arrow:"):
    run_cv(state.seeds(), CrossValidationSettings(), "the tutorial")

with st.expander("The same evaluation with other settings", expanded=False):
    with st.form("cv_settings"):
        c = st.columns(4)
        folds = c[0].number_input("Folds k", 2, 20, 5)
        lr = c[1].number_input("Learning rate", 0.0, 1000.0, 0.3, 0.05, format="%.4g")
        epochs = c[2].number_input("Epochs", 1, 5000, 500, 50)
        hidden = c[3].text_input("Hidden layers", "5")
        c = st.columns(4)
        activation = c[0].selectbox("Activation", ACTIVATION_NAMES)
        batch = c[1].number_input("Batch size (1 = online, 0 = full)", 0, 10_000, 1)
        seed = c[2].number_input("Seed", 0, 2**31 - 1, 1)
        c[3].caption(f"Runs on the session's data: {state.dataset().name}")
        if st.form_submit_button("Run cross-validation"):
            try:
                sizes = state.hidden_sizes(hidden)
            except ValueError as err:
                st.error(f"Hidden layers: {err}")
            else:
                settings = CrossValidationSettings(int(folds), float(lr), int(epochs), sizes, activation,
                                                   batch_size=int(batch), seed=int(seed))
                run_cv(state.dataset(), settings, f"run {len(ss['cv_runs']) + 1}")

runs = ss["cv_runs"]
if runs:
    latest = runs[-1]
    result: CrossValidationResult = latest["result"]
    st.subheader(f"Result — {latest['label']} ({latest['data']})")
    m = st.columns(3)
    m[0].metric("Mean accuracy", f"{result.mean:.3f}%")
    m[1].metric("Spread (std of folds)", f"{result.std:.3f}")
    m[2].metric("Zero-rule baseline", f"{result.baseline_mean:.3f}%")
    left, right = st.columns([1.3, 1])
    left.plotly_chart(folds_figure(result), key="folds_chart", config={"displayModeBar": False})
    with right:
        st.markdown("**What the tutorial prints** — compare with your own script's output:")
        st.code(result.tutorial_text(), language="text", wrap_lines=True)
        st.caption(result.settings.describe())
        stopped = [f for f in result.folds if f.stop_reason]
        for f in stopped:
            st.warning(f"Fold {f.fold}: {f.stop_reason}")
    if len(runs) > 1:
        st.subheader("Runs in this session, side by side")
        st.dataframe({
            "run": [r["label"] for r in runs],
            "data": [r["data"] for r in runs],
            "settings": [r["result"].settings.describe() for r in runs],
            "mean (%)": [round(r["result"].mean, 3) for r in runs],
            "std": [round(r["result"].std, 3) for r in runs],
            "baseline (%)": [round(r["result"].baseline_mean, 3) for r in runs],
            "folds (%)": [", ".join(f"{s:.1f}" for s in r["result"].scores) for r in runs],
        }, hide_index=True)
