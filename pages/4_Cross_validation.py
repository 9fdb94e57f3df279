"""Cross-validation: the tutorial's case study in one click, and the same evaluation with other settings."""
import streamlit as st

from core import ACTIVATION_NAMES, TUTORIAL
from core.limits import MAX_FOLDS
from ui import show, state, text
from ui.cv_job import CrossValidationJob
from ui.figures.charts import folds_figure
from ui.lesson import CrossValidationRun
from ui.sidebar import page_setup

lesson = page_setup("Cross-validation")
ss = st.session_state

st.subheader("Cross-validation: the tutorial's case study", anchor=False)
INTRO = (
    "The tutorial evaluates its network with **5-fold cross-validation** on the seeds data: normalise the "
    "whole dataset (min-max), split it into 5 folds of 42 rows with `random.seed(1)`, and for each fold train "
    "a fresh 7-5-3 network (lr 0.3, 500 epochs, online updates) on the other four folds, then test it on the "
    "fold it never trained on. It prints `Mean Accuracy: 93.333%`."
)
if lesson.presentation:  # the result, in large type, is what the room looks at
    with st.expander("What the tutorial does"):
        st.markdown(INTRO)
else:
    st.markdown(INTRO)


def start(dataset, settings, n_folds: int, label: str) -> None:
    if ss.get("cv_job") is not None and not ss["cv_job"].done:
        ss["cv_job"].stop()
    ss["cv_job"] = CrossValidationJob(dataset, settings, n_folds, label)


def stop() -> None:
    if ss.get("cv_job") is not None:
        ss["cv_job"].stop()


c = st.columns([2.2, 1.1, 4])
c[0].button("Reproduce the tutorial", type="primary", key="reproduce", icon=":material/play_arrow:",
            on_click=start, args=(state.seeds(), TUTORIAL, 5, "the tutorial"))
job = ss.get("cv_job")
c[1].button("Stop", key="cv_stop", on_click=stop, disabled=job is None or job.done, icon=":material/stop:")

with st.expander("The same evaluation with other settings", expanded=False):
    base = lesson.draft or lesson.settings
    with st.form("cv_settings"):
        c = st.columns(4)
        folds = c[0].number_input("Folds k", 2, MAX_FOLDS, 5)
        lr = c[1].number_input("Learning rate", 0.0, 1000.0, base.learning_rate, 0.05, format="%.4g")
        epochs = c[2].number_input("Epochs", 1, 5000, min(base.epochs, 5000), 50)
        hidden = c[3].text_input("Hidden layers", ",".join(map(str, base.hidden)))
        c = st.columns(4)
        activation = c[0].selectbox("Activation", ACTIVATION_NAMES, ACTIVATION_NAMES.index(base.activation))
        batch = c[1].number_input("Batch size (1 = online, 0 = full)", 0, 10_000, base.batch_size)
        seed = c[2].number_input("Seed", 0, 2**31 - 1, base.seed)
        all_rows = c[3].toggle("Normalise on all rows (the tutorial)", value=False,
                               help="Off: each fold's normalisation is fitted on its training rows only")
        c = st.columns(4)
        l2 = c[0].number_input("L2 penalty λ₂", 0.0, 10.0, base.l2, 0.001, format="%.4g")
        l1 = c[1].number_input("L1 penalty λ₁", 0.0, 10.0, base.l1, 0.001, format="%.4g")
        momentum = c[2].number_input("Momentum β", 0.0, 0.99, base.momentum, 0.05, format="%.2f")
        c[3].caption(f"Runs on the lesson's data: {text.plain(lesson.dataset.name)}")
        if st.form_submit_button("Run cross-validation"):
            try:
                settings = base.changed(learning_rate=float(lr), epochs=int(epochs), hidden=state.hidden_sizes(hidden),
                                        activation=activation, batch_size=int(batch), seed=int(seed), l1=float(l1),
                                        l2=float(l2), momentum=float(momentum),
                                        normalise_on="all rows" if all_rows else "training rows")
            except ValueError as err:
                st.error(f"Cannot run: {text.plain(err)}")
            else:
                start(lesson.dataset, settings, int(folds), f"run {len(lesson.cv_runs) + 1}")
                st.rerun()


def results(runs: list[CrossValidationRun]) -> None:
    latest = runs[-1]
    result = latest.result
    st.subheader(f"Result — {text.plain(latest.label)} ({text.plain(latest.data)})"
                 + (" — stopped part-way" if result.stopped else ""), anchor=False)
    m = st.columns(3)
    m[0].metric("Mean accuracy", f"{result.mean:.3f}%")
    m[1].metric("Spread of the folds", f"{result.std:.3f}", help="The standard deviation of the fold scores: "
                "how much the score depends on which rows were held out")
    m[2].metric("Zero-rule baseline", f"{result.baseline_mean:.3f}%", help="Always guessing the training rows' "
                "most common class: what a network must beat to have learned anything")
    left, right = st.columns([1.3, 1])
    show.chart(folds_figure(result), key="folds_chart", into=left)
    with right:
        st.markdown("**What the tutorial prints** — compare with your own script's output:")
        st.code(result.tutorial_text(), language="text", wrap_lines=True)
        st.caption(result.describe())
        for f in result.folds:
            if f.stop_reason:
                st.warning(f"Fold {f.fold}: {text.plain(f.stop_reason, 400)}")
    if len(runs) > 1:
        st.subheader("Runs in this lesson, side by side", anchor=False)
        st.dataframe({
            "run": [r.label for r in runs],
            "data": [r.data for r in runs],
            "settings": [r.result.describe() for r in runs],
            "mean (%)": [round(r.result.mean, 3) for r in runs],
            "std": [round(r.result.std, 3) for r in runs],
            "baseline (%)": [round(r.result.baseline_mean, 3) for r in runs],
            "folds (%)": [", ".join(f"{s:.1f}" for s in r.result.scores) for r in runs],
        }, hide_index=True)


@st.fragment(run_every=0.25 if job is not None and not job.done else None)
def live() -> None:
    """Progress while folds run, then the result — all inside the fragment, so that what it draws
    never depends on the full rerun that stops its timer."""
    current = ss.get("cv_job")
    lesson = state.lesson()
    if current is not None and current.error:
        st.error(f"Cannot run: {text.plain(current.error)}")
        ss["cv_job"] = None
    elif current is not None and not current.done:
        done = len(current.result.folds)
        st.progress(done / current.result.n_folds, text=f"Fold {min(done + 1, current.result.n_folds)} of "
                    f"{current.result.n_folds}…" + (f" last: {current.result.folds[-1].score:.3f}%" if done else ""))
        return
    elif current is not None:
        if current.result.folds:
            lesson.cv_runs.append(CrossValidationRun(current.label, current.data_name, current.result))
            del lesson.cv_runs[:-20]
            state.save()
        ss["cv_job"] = None
        ss["cv_timer_on"] = True
    if lesson.cv_runs:
        results(lesson.cv_runs)
    if ss.pop("cv_timer_on", False) and job is not None:
        st.rerun()  # the whole page: stop this fragment's timer and enable the buttons again


live()
