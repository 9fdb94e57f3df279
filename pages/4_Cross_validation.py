"""Cross-validation: the tutorial's case study in one click, and the same evaluation with other settings."""
import numpy as np
import streamlit as st

from core import ACTIVATION_NAMES, TUTORIAL
from core.limits import MAX_FOLDS, MAX_LEARNING_RATE
from ui import show, state, text
from ui.cv_job import CrossValidationJob
from ui.figures.charts import confusion_figure, folds_figure
from ui.figures.folds import fold_loss_figure, fold_strip_figure
from ui.figures.toolbar import png_only
from ui.glossary import explain
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
        folds = c[0].number_input("Folds k", 2, MAX_FOLDS, 5, help=explain("fold"))
        lr = c[1].number_input("Learning rate", 0.0, MAX_LEARNING_RATE, base.learning_rate, 0.05, format="%.4g",
                               help=explain("learning rate"))
        epochs = c[2].number_input("Epochs", 1, 5000, min(base.epochs, 5000), 50, help=explain("epoch"))
        hidden = c[3].text_input("Hidden layers", ",".join(map(str, base.hidden)))
        c = st.columns(4)
        activation = c[0].selectbox("Activation", ACTIVATION_NAMES, ACTIVATION_NAMES.index(base.activation),
                                    help=explain("activation"))
        batch = c[1].number_input("Batch size (1 = online, 0 = full)", 0, 10_000, base.batch_size,
                                  help=explain("mini-batch"))
        seed = c[2].number_input("Seed", 0, 2**31 - 1, base.seed)
        all_rows = c[3].toggle("Normalise on all rows (the tutorial)", value=False,
                               help=explain("normalisation") + " Off: each fold's normalisation is fitted "
                               "on its training rows only.")
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


def inside(run: CrossValidationRun) -> None:
    """Each fold of ``run``: the rows it holds out, its training curve and its confusion matrix."""
    result, k = run.result, run.result.n_folds
    folds = result.folds
    settings = result.settings
    data = next((d for d in (lesson.dataset, state.seeds()) if d.name == run.data), None)  # the run's data
    n_rows = data.n_rows if data is not None else max(max(f.test_rows) for f in folds if f.test_rows) + 1
    used = sum(f.n_test for f in folds)
    st.subheader("Inside each fold", anchor=False)
    st.markdown(
        f"- Each fold trains a **fresh network** — new initial weights, nothing carried over from another fold — "
        f"for **{settings.epochs} epochs** on the other {k - 1} folds ({folds[0].n_train} rows).\n"
        f"- Its score is measured on **its own held-out fold only** ({folds[0].n_test} rows): rows that network "
        "never trained on. The mean of the fold scores is the estimate of how well these settings learn.\n"
        "- The folds are drawn once, at random (seeded): each row is held out by one fold and trained on by all the "
        "others" + (f" — except {n_rows - used} rows that fit no fold of equal size; like the tutorial, they are "
                    "left out" if used < n_rows else "") + ".\n"
        "- No network is kept: cross-validation judges the settings; it does not change the lesson's network.")
    show.chart(fold_strip_figure(result, n_rows), key="fold_strip", config=png_only("cross-validation-folds"))
    st.caption("One strip per fold over the dataset's rows: coloured where the fold holds a row out, grey where "
               "it trains on it.")
    show.chart(fold_loss_figure(result), key="fold_loss", config=png_only("cross-validation-folds"))
    if all(f.counts is not None for f in folds) and folds:
        per_row = min(len(folds), 5)
        class_names = data.class_names if data is not None else [f"class {c + 1}" for c in range(len(folds[0].counts))]
        for start in range(0, len(folds), per_row):
            columns = st.columns(per_row)
            for column, f in zip(columns, folds[start:start + per_row]):
                show.chart(confusion_figure(np.asarray(f.counts), class_names,
                                            f"fold {f.fold}: {f.score:.1f}%", height=260),
                           key=f"fold_confusion_{f.fold}", config=png_only("cross-validation-folds"), into=column)
        st.caption("Each fold's confusion matrix on its held-out rows: true class down, predicted across.")



def results(runs: list[CrossValidationRun]) -> None:
    latest = runs[-1]
    result = latest.result
    st.subheader(f"Result — {text.plain(latest.label)} ({text.plain(latest.data)})"
                 + (" — stopped part-way" if result.stopped else ""), anchor=False)
    m = st.columns(3)
    m[0].metric("Mean accuracy", f"{result.mean:.3f}%", help=explain("fold"))
    m[1].metric("Spread of the folds", f"{result.std:.3f} points", help=explain("spread of folds"))
    m[2].metric("Zero-rule baseline", f"{result.baseline_mean:.3f}%", help=explain("zero-rule baseline"))
    left, right = st.columns([1.3, 1])
    show.chart(folds_figure(result), key="folds_chart", config=png_only("cross-validation-folds"), into=left)
    with right:
        st.markdown("**What the tutorial prints** — compare with your own script's output:")
        st.code(result.tutorial_text(), language="text", wrap_lines=True)
        st.caption(result.describe())
        for f in result.folds:
            if f.stop_reason:
                st.warning(f"Fold {f.fold}: {text.plain(f.stop_reason, 400)}")
    inside(latest)
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
        }, hide_index=True, column_config={"std": st.column_config.NumberColumn(help=explain("spread of folds")),
                                           "baseline (%)": st.column_config.NumberColumn(
                                               help=explain("zero-rule baseline"))})


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
