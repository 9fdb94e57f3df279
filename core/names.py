"""Names of neurons and weights, as the network graph labels them.

Layers count like the graph's columns: 0 = the inputs, 1 = the first hidden layer, …, the last =
the outputs. Weight w_ji of layer l joins input i of that layer to its neuron j; i equal to the
number of inputs means the bias b_j.
"""
from __future__ import annotations

from typing import Sequence

from .network import Network


def neuron_name(layer: int, j: int, n_layers: int, feature_names: Sequence[str] | None = (),
                class_names: Sequence[str] | None = (), long: bool = False) -> str:
    """The one name of neuron j (0-based) of layer ``layer`` (0 = the inputs, ``n_layers`` = outputs).

    Short, for graphs and tables: "area", "hidden 1·2", "Kama"; long, for sentences:
    "hidden layer 1, neuron 2", "output neuron 1 (Kama)".
    """
    feature_names, class_names = feature_names or (), class_names or ()
    if layer == 0:
        return feature_names[j] if j < len(feature_names) else f"input {j + 1}"
    if layer == n_layers:
        name = class_names[j] if j < len(class_names) else ""
        if not long:
            return name or f"output {j + 1}"
        return f"output neuron {j + 1} ({name})" if name else f"output neuron {j + 1}"
    return f"hidden layer {layer}, neuron {j + 1}" if long else f"hidden {layer}·{j + 1}"


def node_name(network: Network, layer: int, j: int, feature_names: Sequence[str] | None = None,
              class_names: Sequence[str] | None = None) -> str:
    """``neuron_name`` for a neuron of ``network``: "kernel length", "hidden 1·2", "Kama"."""
    return neuron_name(layer, j, len(network.weights), feature_names, class_names)


def weight_name(network: Network, layer: int, j: int, i: int, feature_names: Sequence[str] | None = None,
                class_names: Sequence[str] | None = None) -> str:
    """"w[1] kernel length → hidden 1·2" for a weight, "b[1] → hidden 1·2" for a bias."""
    target = node_name(network, layer, j, feature_names, class_names)
    if is_bias(network, layer, i):
        return f"b[{layer}] → {target}"
    return f"w[{layer}] {node_name(network, layer - 1, i, feature_names, class_names)} → {target}"


def is_bias(network: Network, layer: int, i: int) -> bool:
    """Is input index ``i`` of ``layer`` the bias (the last column of its weight table)?"""
    return i == network.weights[layer - 1].shape[1] - 1


def check_weight_index(network: Network, layer: int, j: int, i: int) -> None:
    """A ValueError naming the problem unless (layer, j, i) is a weight or bias of ``network``."""
    n_layers = len(network.weights)
    if not 1 <= layer <= n_layers:
        raise ValueError(f"layer {layer} does not exist: layers count from 1 to {n_layers}")
    neurons, inputs = network.weights[layer - 1].shape
    if not 0 <= j < neurons:
        raise ValueError(f"layer {layer} has neurons 0 to {neurons - 1}, not {j}")
    if not 0 <= i < inputs:
        raise ValueError(f"layer {layer} has inputs 0 to {inputs - 2} and the bias {inputs - 1}, not {i}")
