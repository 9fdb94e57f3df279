"""Models as JSON (never pickle), validated on load.

Minimal format, the one the CLI reads and writes::

    {"activation": "sigmoid",
     "layers": [{"weights": [[w11, w12, …, bias1], [w21, …, bias2], …]}, …]}

Optional keys: "output_activation", "loss", "feature_names", "class_names", "normalisation", "init".
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from .network import Network
from .preprocessing import Normaliser

MAX_MODEL_BYTES = 20 * 1024 * 1024
MAX_LAYERS = 32
MAX_NEURONS = 4096


def to_dict(network: Network, feature_names: list[str] | None = None,
            class_names: list[str] | None = None, normaliser: Normaliser | None = None) -> dict[str, Any]:
    """The model as plain JSON-ready data."""
    model: dict[str, Any] = {
        "activation": network.activation,
        "output_activation": network.output_activation,
        "loss": network.loss,
        "layers": [{"weights": w.tolist()} for w in network.weights],
    }
    if network.init:
        model["init"] = network.init
    if feature_names:
        model["feature_names"] = list(feature_names)
    if class_names:
        model["class_names"] = list(class_names)
    if normaliser is not None:
        model["normalisation"] = normaliser.to_json()
    return model


def dumps(network: Network, **extra: Any) -> str:
    return json.dumps(to_dict(network, **extra), indent=1)


def save(network: Network, path: str | Path, **extra: Any) -> None:
    try:
        Path(path).write_text(dumps(network, **extra) + "\n", encoding="utf-8")
    except OSError as err:
        raise ValueError(f"cannot write {path}: {err.strerror or err}") from None


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{where}: expected a number, got {json.dumps(value)[:40]}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{where}: expected a finite number")
    return value


def _reject_constant(name: str) -> None:
    raise ValueError(f"the model contains {name}, which is not a finite number")


def from_dict(model: Any) -> Network:
    """Validate parsed JSON and build the Network; every problem is a ValueError saying where."""
    if not isinstance(model, dict):
        raise ValueError("a model must be a JSON object with \"activation\" and \"layers\"")
    activation = model.get("activation", "sigmoid")
    output_activation = model.get("output_activation", "") or ""
    if not isinstance(activation, str) or not isinstance(output_activation, str):
        raise ValueError("\"activation\" and \"output_activation\" must be names such as \"sigmoid\"")
    layers = model.get("layers")
    if not isinstance(layers, list) or not layers:
        raise ValueError("\"layers\" must be a non-empty list of {\"weights\": [[…], …]} objects")
    if len(layers) > MAX_LAYERS:
        raise ValueError(f"the model has {len(layers)} layers; the limit is {MAX_LAYERS}")
    weights = []
    for l, layer in enumerate(layers, start=1):
        rows = layer.get("weights") if isinstance(layer, dict) else None
        if not isinstance(rows, list) or not rows:
            raise ValueError(f"layer {l}: expected {{\"weights\": [[…], …]}} with at least one neuron")
        if len(rows) > MAX_NEURONS:
            raise ValueError(f"layer {l}: {len(rows)} neurons; the limit is {MAX_NEURONS}")
        table = []
        for j, row in enumerate(rows, start=1):
            if not isinstance(row, list) or len(row) < 2:
                raise ValueError(f"layer {l}, neuron {j}: expected a list of weights with the bias last")
            if len(row) != len(rows[0]):
                raise ValueError(f"layer {l}, neuron {j}: {len(row)} numbers, but neuron 1 has "
                                 f"{len(rows[0])}")
            table.append([_number(v, f"layer {l}, neuron {j}, weight {i}") for i, v in enumerate(row, start=1)])
        weights.append(np.array(table, dtype=float))
    network = Network(weights, activation, output_activation, init=str(model.get("init", "loaded from JSON")))
    loss = model.get("loss")
    if loss is not None and loss != network.loss:
        raise ValueError(f"\"loss\" is {loss!r}, but a {network.output_activation} output layer "
                         f"trains with {network.loss!r}")
    return network


def loads(text: str | bytes) -> Network:
    if isinstance(text, bytes):
        if len(text) > MAX_MODEL_BYTES:
            raise ValueError(f"the model file is larger than {MAX_MODEL_BYTES // 2**20} MB")
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValueError("the model file is not UTF-8 text (expected JSON)") from None
    if len(text) > MAX_MODEL_BYTES:
        raise ValueError(f"the model file is larger than {MAX_MODEL_BYTES // 2**20} MB")
    try:
        model = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as err:
        raise ValueError(f"not valid JSON: {err.msg} at line {err.lineno}, column {err.colno}") from None
    except RecursionError:
        raise ValueError("not a model: the JSON is nested too deeply") from None
    return from_dict(model)


def load(path: str | Path) -> Network:
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise ValueError(f"cannot read {path}: {err.strerror or err}") from None
    try:
        return loads(data)
    except ValueError as err:
        raise ValueError(f"{Path(path).name}: {err}") from None
