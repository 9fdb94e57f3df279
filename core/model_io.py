"""Models as JSON (never pickle), validated on load.

Minimal format, the one the CLI reads and writes::

    {"activation": "sigmoid",
     "layers": [{"weights": [[w11, w12, …, bias1], [w21, …, bias2], …]}, …]}

Optional keys: "output_activation", "loss", "feature_names", "class_names", "normalisation", "init".

Every model, uploaded or read by the CLI, is held to ``core.limits``: at most MAX_MODEL_BYTES,
MAX_FEATURES inputs, MAX_HIDDEN_LAYERS hidden layers of at most MAX_NEURONS neurons, MAX_OUTPUTS
outputs — checked on the parsed JSON before any weight is converted. Numbers are parsed as floats
(never as Python ints, which have no size limit), so a 400- or 5,000-digit number is refused as
too large, with where it is, like any other non-finite weight.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from .files import read_capped, shown, write_text
from .limits import (MAX_FEATURES, MAX_HIDDEN_LAYERS, MAX_MODEL_BYTES, MAX_NEURONS, MAX_OUTPUTS, MAX_QUOTE,
                     megabytes, quote, shorten)
from .network import Network
from .preprocessing import Normaliser


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
    write_text(path, dumps(network, **extra) + "\n")


def _number(value: Any, where: str) -> float:
    """A weight: a finite number (``loads`` parses every JSON number as a float already)."""
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            value = float(value)
        except OverflowError:
            value = math.inf
    if not isinstance(value, float):
        raise ValueError(f"{where}: expected a number, got {shorten(json.dumps(value), 40)}")
    if math.isnan(value):
        raise ValueError(f"{where}: NaN is not a finite number")
    if math.isinf(value):
        raise ValueError(f"{where}: the number is too large (not a finite number)")
    return value


def _check_shape(layers: list) -> None:
    """The limits on the model's size, from the JSON's list lengths alone (nothing converted yet)."""
    if len(layers) - 1 > MAX_HIDDEN_LAYERS:
        raise ValueError(f"the model has {len(layers) - 1} hidden layers; the limit is {MAX_HIDDEN_LAYERS}")
    for l, layer in enumerate(layers, start=1):
        rows = layer.get("weights") if isinstance(layer, dict) else None
        if not isinstance(rows, list) or not rows:
            raise ValueError(f"layer {l}: expected {{\"weights\": [[…], …]}} with at least one neuron")
        limit, kind = (MAX_OUTPUTS, "outputs") if l == len(layers) else (MAX_NEURONS, "neurons in a hidden layer")
        if len(rows) > limit:
            raise ValueError(f"layer {l}: {len(rows)} neurons; the limit is {limit} {kind}")
    first = layers[0]["weights"][0]
    if isinstance(first, list) and len(first) - 1 > MAX_FEATURES:
        raise ValueError(f"layer 1: {len(first) - 1} inputs; the limit is {MAX_FEATURES} inputs (features)")


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
    _check_shape(layers)
    weights = []
    for l, layer in enumerate(layers, start=1):
        rows = layer["weights"]
        table = []
        for j, row in enumerate(rows, start=1):
            if not isinstance(row, list) or len(row) < 2:
                raise ValueError(f"layer {l}, neuron {j}: expected a list of weights with the bias last")
            if len(row) != len(rows[0]):
                raise ValueError(f"layer {l}, neuron {j}: {len(row)} numbers, but neuron 1 has "
                                 f"{len(rows[0])}")
            table.append([_number(v, f"layer {l}, neuron {j}, weight {i}") for i, v in enumerate(row, start=1)])
        weights.append(np.array(table, dtype=float))
    init = model.get("init")
    network = Network(weights, activation, output_activation,
                      init=shorten(init, MAX_QUOTE) if isinstance(init, str) else "loaded from JSON")
    loss = model.get("loss")
    if loss is not None and loss != network.loss:
        raise ValueError(f"\"loss\" is {quote(loss)}, but a {network.output_activation} output layer "
                         f"trains with {network.loss!r}")
    return network


def loads(text: str | bytes) -> Network:
    """Parse and validate model JSON. Every number is parsed straight to a float: one too large for
    a float becomes inf (refused by ``from_dict`` with where it is), and Python's int-string
    digit limit never comes into play."""
    if len(text) > MAX_MODEL_BYTES:
        raise ValueError(f"the model file is larger than {megabytes(MAX_MODEL_BYTES)}, the limit")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValueError("the model file is not UTF-8 text (expected JSON)") from None
    try:
        model = json.loads(text, parse_int=float, parse_float=float, parse_constant=float)
    except json.JSONDecodeError as err:
        raise ValueError(f"not valid JSON: {err.msg} at line {err.lineno}, column {err.colno}") from None
    except RecursionError:
        raise ValueError("not a model: the JSON is nested too deeply") from None
    return from_dict(model)


def load(path: str | Path) -> Network:
    """Read (at most MAX_MODEL_BYTES of a regular file) and validate a model JSON file."""
    data = read_capped(path, MAX_MODEL_BYTES)
    try:
        return loads(data)
    except ValueError as err:
        raise ValueError(f"{shown(Path(path).name)}: {err}") from None
