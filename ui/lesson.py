"""The lesson: everything a session has made, in one object — what every page reads and a snapshot saves.

A ``Lesson`` holds the data in use (and where it came from), the network with how it was made and
trained, the last training run's history, the step-through's position, cross-validation runs,
presentation mode and theme. ``to_snapshot`` turns it into a JSON document plus numpy arrays (never
pickle) and ``from_snapshot`` checks every part on the way back, like an upload.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from core import (CrossValidationResult, Dataset, ExperimentSettings, FoldResult, History, Network,
                  load_seeds, playground, toy_network)
from core.steps import STEP_LEARNING_RATE

from .figures.colors import THEMES

from .selection import Selection, parse

SCHEMA = 1
DIGITS = (4, 6, 10, None)  # significant digits the step-through substitutes into its equations


@dataclass
class StepPosition:
    """Where the step-through stands: which sample (a data row or the tutorial's 2-1-2 example), which
    step, the learning rate of its update, and the digits shown in the equations."""

    source: str = "row"  # "row" or "toy"
    row: int = 0
    index: int = 0
    learning_rate: float = STEP_LEARNING_RATE
    digits: int | None = 6


Frame = tuple[int, list[np.ndarray]]  # (epoch, the weights of every layer after it)


@dataclass
class RunRecord:
    """The last training run: its history, where it stands, and its weights every few epochs
    (``frames``, from epoch 0 to the last one trained: the run's animation)."""

    history: History
    status: str = "paused"  # "running", "paused", "finished", "stopped"
    stop_reason: str | None = None
    compute_seconds: float = 0.0
    frames: list[Frame] = field(default_factory=list)


@dataclass
class CrossValidationRun:
    label: str
    data: str
    result: CrossValidationResult


@dataclass
class Lesson:
    dataset: Dataset
    source: dict[str, Any]  # {"kind": "seeds"} | {"kind": "upload", "name": …} | {"kind": "playground", …}
    settings: ExperimentSettings  # how the network was made and trained
    network: Network
    velocity: list[np.ndarray] | None = None
    made: list[str] = field(default_factory=list)  # what made this network, in order, in words
    epochs_trained: int = 0
    run: RunRecord | None = None
    draft: ExperimentSettings | None = None  # the Train page's settings for the next run
    step: StepPosition = field(default_factory=StepPosition)
    toy_network: Network = field(default_factory=toy_network)
    graph_row: int = 0
    cv_runs: list[CrossValidationRun] = field(default_factory=list)
    presentation: bool = False
    theme: str = "light"
    selection: Selection | None = None  # the weight, bias or neuron picked on a graph
    plane: dict[str, Any] = field(default_factory=dict)  # how data of > 2 features is looked at: {} = principal
    # components; {"kind": "principal", "standardise": bool} or {"kind": "features", "x": i, "y": j}

    @property
    def provenance(self) -> str:
        """One line: how the current network came to be."""
        return "; then ".join(self.made) if self.made else "made by the user"


# -- documents and arrays ---------------------------------------------------------------------------
def _network_doc(network: Network, arrays: dict[str, np.ndarray], prefix: str) -> dict[str, Any]:
    for l, w in enumerate(network.weights):
        arrays[f"{prefix}.{l}"] = w
    return {"activation": network.activation, "output_activation": network.output_activation,
            "init": network.init, "layers": len(network.weights)}


def _network(doc: Any, arrays: dict[str, np.ndarray], prefix: str) -> Network:
    layers = _int(_get(doc, "layers", int), 1, 64)
    weights = [_array(arrays, f"{prefix}.{l}", 2) for l in range(layers)]
    return Network(weights, _get(doc, "activation", str), _get(doc, "output_activation", str),
                   init=_get(doc, "init", str))


def _history_doc(history: History, arrays: dict[str, np.ndarray]) -> list[str]:
    names = []
    for f in fields(history):
        values = getattr(history, f.name)
        if len(values):
            arrays[f"history.{f.name}"] = np.asarray(values, dtype=np.int64 if f.name == "epoch" else float)
            names.append(f.name)
    return names


def _history(names: Any, arrays: dict[str, np.ndarray]) -> History:
    history = History()
    known = {f.name for f in fields(History)}
    if not isinstance(names, list) or not set(names) <= known:
        raise ValueError("the training history is damaged")
    for name in names:
        values = _array(arrays, f"history.{name}", 2 if name == "gradient" else 1)
        setattr(history, name, values.tolist())
    lengths = {len(getattr(history, name)) for name in names if name in ("epoch", "sse", "loss", "gradient")}
    if len(lengths) > 1:
        raise ValueError("the training history is damaged: its series have different lengths")
    return history


def _frames_doc(frames: list[Frame], arrays: dict[str, np.ndarray]) -> int:
    """The frames as one array of epochs and one (frames × neurons × inputs) array per layer."""
    if frames:
        arrays["run.frame_epochs"] = np.array([epoch for epoch, _ in frames], dtype=np.int64)
        for l in range(len(frames[0][1])):
            arrays[f"run.frames.{l}"] = np.stack([weights[l] for _, weights in frames])
    return len(frames)


def _frames(count: Any, arrays: dict[str, np.ndarray], network: Network) -> list[Frame]:
    """The run's frames, checked: whole epochs from 0 upwards, every layer the network's shape, finite."""
    count = _int(count, 0, 10_000)
    if not count:
        return []
    epochs = _array(arrays, "run.frame_epochs", 1)
    layers = [_array(arrays, f"run.frames.{l}", 3) for l in range(len(network.weights))]
    if (epochs.dtype.kind not in "iu" or len(epochs) != count or epochs[0] < 0 or np.any(np.diff(epochs) <= 0)
            or any(a.shape != (count, *w.shape) or a.dtype.kind != "f" or not np.all(np.isfinite(a))
                   for a, w in zip(layers, network.weights))):
        raise ValueError("the training run's frames are damaged")
    return [(int(epochs[f]), [a[f].astype(float) for a in layers]) for f in range(count)]


def _fold_doc(fold: FoldResult) -> dict[str, Any]:
    return {"fold": fold.fold, "score": fold.score, "baseline": fold.baseline, "test_rows": fold.test_rows,
            "n_train": fold.n_train, "loss": fold.loss, "counts": fold.counts, "stop_reason": fold.stop_reason}


def to_snapshot(lesson: Lesson) -> tuple[dict[str, Any], dict[str, np.ndarray], str]:
    """(document, arrays, summary) for the snapshot store."""
    arrays: dict[str, np.ndarray] = {}
    doc: dict[str, Any] = {"schema": SCHEMA, "source": lesson.source, "settings": lesson.settings.to_dict(),
                           "made": list(lesson.made), "epochs_trained": lesson.epochs_trained,
                           "step": vars(lesson.step).copy(), "graph_row": lesson.graph_row,
                           "presentation": lesson.presentation, "theme": lesson.theme,
                           "draft": lesson.draft.to_dict() if lesson.draft else None,
                           "selection": lesson.selection.param if lesson.selection else None,
                           "plane": dict(lesson.plane)}
    if lesson.source.get("kind") != "seeds":
        d = lesson.dataset
        arrays["data.features"] = d.features
        arrays["data.labels"] = d.labels
        doc["data"] = {"feature_names": d.feature_names, "class_names": d.class_names, "name": d.name,
                       "task": d.task}
    doc["network"] = _network_doc(lesson.network, arrays, "network")
    doc["toy_network"] = _network_doc(lesson.toy_network, arrays, "toy")
    if lesson.velocity is not None:
        for l, v in enumerate(lesson.velocity):
            arrays[f"velocity.{l}"] = v
    doc["velocity"] = lesson.velocity is not None
    if lesson.run is not None:
        doc["run"] = {"history": _history_doc(lesson.run.history, arrays), "status": lesson.run.status,
                      "stop_reason": lesson.run.stop_reason, "compute_seconds": lesson.run.compute_seconds,
                      "frames": _frames_doc(lesson.run.frames, arrays)}
    doc["cv_runs"] = [{"label": r.label, "data": r.data, "n_folds": r.result.n_folds,
                       "settings": r.result.settings.to_dict(), "stopped": r.result.stopped,
                       "folds": [_fold_doc(f) for f in r.result.folds]} for r in lesson.cv_runs]
    summary = (f"{lesson.network.describe()} · {lesson.dataset.name} · "
               + (f"trained {lesson.epochs_trained} epochs" if lesson.epochs_trained else "untrained"))
    return doc, arrays, summary


# -- reading back: every part checked ---------------------------------------------------------------
def _get(doc: Any, key: str, kind: type | tuple[type, ...]) -> Any:
    if not isinstance(doc, dict) or key not in doc or not isinstance(doc[key], kind) or isinstance(doc[key], bool) != (kind is bool):
        raise ValueError(f"the lesson's {key!r} is missing or damaged")
    return doc[key]


def _int(value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"the lesson holds {str(value)[:40]!r} where a whole number from {low} to {high} belongs")
    return value


def _array(arrays: dict[str, np.ndarray], key: str, ndim: int) -> np.ndarray:
    value = arrays.get(key)
    if not isinstance(value, np.ndarray) or value.ndim != ndim:
        raise ValueError(f"the lesson's {key} is missing or damaged")
    return value


def _dataset(doc: dict[str, Any], arrays: dict[str, np.ndarray]) -> Dataset:
    source = _get(doc, "source", dict)
    if source.get("kind") == "seeds":
        return load_seeds()
    meta = _get(doc, "data", dict)
    features, labels = _array(arrays, "data.features", 2), _array(arrays, "data.labels", 1)
    task = _get(meta, "task", str)
    names, classes = _get(meta, "feature_names", list), _get(meta, "class_names", list)
    if (len(labels) != len(features) or len(names) != features.shape[1] or task not in ("classification", "regression")
            or not all(isinstance(n, str) for n in names + classes)):
        raise ValueError("the lesson's data is damaged")
    if task == "classification" and (labels.dtype.kind not in "iu" or len(labels) and
                                     (labels.min() < 0 or labels.max() >= len(classes))):
        raise ValueError("the lesson's class labels are damaged")
    return Dataset(features.astype(float), labels, names, classes, _get(meta, "name", str), task)


def _cv_run(doc: Any) -> CrossValidationRun:
    settings = ExperimentSettings.from_dict(_get(doc, "settings", dict))
    result = CrossValidationResult(settings, _int(_get(doc, "n_folds", int), 2, 1000),
                                   stopped=bool(doc.get("stopped", False)))
    for fold in _get(doc, "folds", list):
        score, baseline = _get(fold, "score", (int, float)), _get(fold, "baseline", (int, float))
        result.folds.append(FoldResult(_int(fold.get("fold"), 1, 1000), float(score), float(baseline),
                                       [int(r) for r in _get(fold, "test_rows", list)], _int(fold.get("n_train"), 0, 10**7),
                                       [float(v) for v in _get(fold, "loss", list)], fold.get("counts"),
                                       fold.get("stop_reason")))
    return CrossValidationRun(_get(doc, "label", str), _get(doc, "data", str), result)


def _plane(doc: Any, n_features: int) -> dict[str, Any]:
    """The plane choice, checked: absent (older snapshots) or {} is the default."""
    if doc is None or doc == {}:
        return {}
    kind = doc.get("kind") if isinstance(doc, dict) else None
    if kind == "principal" and set(doc) <= {"kind", "standardise"} and isinstance(doc.get("standardise", True), bool):
        return {"kind": "principal", "standardise": doc.get("standardise", True)}
    if kind == "features" and set(doc) == {"kind", "x", "y"}:
        x, y = doc["x"], doc["y"]
        whole = all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v < n_features for v in (x, y))
        if whole and x != y:
            return {"kind": "features", "x": x, "y": y}
    raise ValueError("the lesson's plane (how its data is looked at) is damaged")


def from_snapshot(doc: dict[str, Any], arrays: dict[str, np.ndarray]) -> Lesson:
    """The lesson a snapshot holds; ValueError naming the damaged part if any part does not fit."""
    schema = _get(doc, "schema", int)
    if schema > SCHEMA:
        raise ValueError(f"this lesson was saved by a newer Backprop Lab (schema {schema}; this one reads {SCHEMA})")
    dataset = _dataset(doc, arrays)
    settings = ExperimentSettings.from_dict(_get(doc, "settings", dict))
    network = _network(_get(doc, "network", dict), arrays, "network")
    if network.n_outputs != dataset.n_outputs:
        raise ValueError("the lesson's network does not fit its data")
    velocity = None
    if doc.get("velocity"):
        velocity = [_array(arrays, f"velocity.{l}", 2) for l in range(len(network.weights))]
        if [v.shape for v in velocity] != [w.shape for w in network.weights]:
            raise ValueError("the lesson's momentum does not fit its network")
    step_doc = _get(doc, "step", dict)
    step = StepPosition(source="toy" if step_doc.get("source") == "toy" else "row",
                        row=_int(step_doc.get("row", 0), 0, max(dataset.n_rows - 1, 0)),
                        index=_int(step_doc.get("index", 0), 0, 100_000),
                        learning_rate=_finite(step_doc.get("learning_rate"), 0.0, 100.0),
                        digits=step_doc.get("digits") if step_doc.get("digits") in DIGITS else 6)
    run = None
    if doc.get("run"):
        run_doc = _get(doc, "run", dict)
        run = RunRecord(_history(run_doc.get("history"), arrays), str(run_doc.get("status", "paused")),
                        run_doc.get("stop_reason") if isinstance(run_doc.get("stop_reason"), str) else None,
                        _finite(run_doc.get("compute_seconds", 0.0), 0.0, 1e9),
                        _frames(run_doc.get("frames", 0), arrays, network))  # older lessons have none
    draft = doc.get("draft")
    theme = doc.get("theme") if doc.get("theme") in THEMES else "light"
    selection = doc.get("selection")  # absent from older snapshots
    if selection is not None:
        if not isinstance(selection, str):
            raise ValueError("the lesson's selection is damaged")
        try:
            selection = parse(selection)
        except ValueError as err:
            raise ValueError(f"the lesson's selection is damaged: {err}") from None
    return Lesson(dataset=dataset, source=_get(doc, "source", dict), settings=settings, network=network,
                  velocity=velocity, made=[str(m) for m in _get(doc, "made", list)],
                  epochs_trained=_int(_get(doc, "epochs_trained", int), 0, 10**9), run=run,
                  draft=ExperimentSettings.from_dict(draft) if isinstance(draft, dict) else None, step=step,
                  toy_network=_network(_get(doc, "toy_network", dict), arrays, "toy"),
                  graph_row=_int(doc.get("graph_row", 0), 0, max(dataset.n_rows - 1, 0)),
                  cv_runs=[_cv_run(r) for r in _get(doc, "cv_runs", list)],
                  presentation=bool(doc.get("presentation", False)), theme=theme, selection=selection,
                  plane=_plane(doc.get("plane"), dataset.n_features))


def _finite(value: Any, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not low <= value <= high:
        raise ValueError(f"the lesson holds {str(value)[:40]!r} where a number from {low:g} to {high:g} belongs")
    return float(value)


# -- new lessons ------------------------------------------------------------------------------------
def fresh(dataset: Dataset | None = None, source: dict[str, Any] | None = None,
          settings: ExperimentSettings | None = None) -> Lesson:
    """A new lesson: the seeds data and the tutorial's untrained network, unless told otherwise."""
    from core import prepare  # the experiment decides the first network, as it does for a run

    dataset = dataset if dataset is not None else load_seeds()
    settings = settings or ExperimentSettings()
    experiment = prepare(dataset, settings)
    return Lesson(dataset, source or {"kind": "seeds"}, settings, experiment.network,
                  made=[f"initialised: {settings.init}, seed {settings.seed}"])


def playground_source(kind: str, n_points: int, noise: float, seed: int) -> tuple[Dataset, dict[str, Any]]:
    """Generated 2-D data and the source record that regenerates the same rows."""
    return (playground.generate(kind, n_points, noise, seed),
            {"kind": "playground", "generator": kind, "n_points": n_points, "noise": noise, "seed": seed})
