"""Names of neurons and weights, as the network graph labels them.

Layers count like the graph's columns: 0 = the inputs, 1 = the first hidden layer, …, the last =
the outputs. Weight w_ji of layer l joins input i of that layer to its neuron j; i equal to the
number of inputs means the bias b_j.
"""
from __future__ import annotations

from typing import Sequence

from .network import Network


def node_name(network: Network, layer: int, j: int, feature_names: Sequence[str] | None = None,
              class_names: Sequence[str] | None = None) -> str:
    """"kernel length" / "input 2" for an input, "hidden 1·2" for a hidden neuron, "Kama" /
    "output 3" for an output neuron (j counts from 0, the name from 1)."""
    features, classes = list(feature_names or []), list(class_names or [])
    if layer == 0:
        return features[j] if j < len(features) else f"input {j + 1}"
    if layer == len(network.weights):
        return classes[j] if j < len(classes) else f"output {j + 1}"
    return f"hidden {layer}·{j + 1}"


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
