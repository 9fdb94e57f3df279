"""The weight, bias or neuron a learner picked on a network graph: what it is, and how it is written.

In the URL and the snapshot it is written as the maths writes it, counting from 1: ``w1.2.3`` is
w⁽¹⁾₂,₃ (layer 1's neuron 2, its input 3), ``b2.1`` the bias of layer 2's neuron 1, ``n1.4`` neuron 4
of layer 1. Layers count as in core: 1 = the first hidden layer, the last = the outputs.

On the graph every clickable marker carries core's indices (from 0) as its customdata:
"w:l,j,i" for a weight (i = the layer's number of inputs for the bias) and "n:l,j" for a neuron
(l = 0 for an input, which has no weights and cannot be picked).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Sequence

from core import Network, neuron_name, weight_name

KINDS = ("weight", "bias", "neuron")
_PARAM = re.compile(r"([wbn])(\d{1,2})\.(\d{1,3})(?:\.(\d{1,3}))?")
_MARKER = re.compile(r"(w|n):(\d{1,2}),(\d{1,3})(?:,(\d{1,3}))?")


@dataclass(frozen=True)
class Selection:
    """One weight (``input`` its i, from 0), one bias, or one neuron (j = ``neuron``, from 0) of ``layer``."""

    kind: str
    layer: int
    neuron: int
    input: int | None = None

    @property
    def param(self) -> str:
        """"w1.2.3", "b2.1" or "n1.4": the URL's and the snapshot's form, counting from 1."""
        head = f"{self.kind[0]}{self.layer}.{self.neuron + 1}"
        return f"{head}.{self.input + 1}" if self.kind == "weight" else head

    @property
    def is_neuron(self) -> bool:
        return self.kind == "neuron"

    def fits(self, network: Network) -> bool:
        """Is this a weight, bias or neuron of ``network``?"""
        if not 1 <= self.layer <= len(network.weights):
            return False
        neurons, inputs = network.weights[self.layer - 1].shape
        if not 0 <= self.neuron < neurons:
            return False
        return self.kind != "weight" or 0 <= self.input < inputs - 1

    def index(self, network: Network) -> tuple[int, int, int]:
        """(layer, j, i) as core counts them; the bias is i = the layer's number of inputs."""
        if self.kind == "neuron":
            raise ValueError("a neuron is no single weight")
        i = network.weights[self.layer - 1].shape[1] - 1 if self.kind == "bias" else self.input
        return self.layer, self.neuron, i

    def name(self, network: Network, feature_names: Sequence[str] | None = None,
             class_names: Sequence[str] | None = None) -> str:
        """core's name: "w[1] area → hidden 1·2", "b[2] → Kama", "hidden layer 1, neuron 2"."""
        if self.kind == "neuron":
            return neuron_name(self.layer, self.neuron, len(network.weights), feature_names, class_names, long=True)
        return weight_name(network, *self.index(network), feature_names, class_names)


def parse(text: str) -> Selection:
    """"w1.2.3" → the weight w⁽¹⁾₂,₃; a ValueError naming the problem for anything else."""
    shown = str(text)[:40]
    match = _PARAM.fullmatch(str(text).strip())
    if match is None:
        raise ValueError(f"{shown!r} is not a weight, bias or neuron: write it as w1.2.3, b1.2 or n1.2")
    letter, layer, j, i = match.groups()
    kind = {"w": "weight", "b": "bias", "n": "neuron"}[letter]
    if (i is None) != (kind != "weight"):
        raise ValueError(f"{shown!r}: a weight has three numbers (w1.2.3), a bias or a neuron two (b1.2, n1.2)")
    numbers = [int(n) for n in (layer, j, i) if n is not None]
    if min(numbers) < 1:
        raise ValueError(f"{shown!r}: layers, neurons and inputs count from 1")
    return Selection(kind, numbers[0], numbers[1] - 1, numbers[2] - 1 if kind == "weight" else None)


def checked(text: str, network: Network) -> Selection:
    """``parse`` and check that the network has it."""
    selection = parse(text)
    if not selection.fits(network):
        sizes = "-".join(map(str, network.layer_sizes))
        raise ValueError(f"the {sizes} network has no {selection.kind} {selection.param}")
    return selection


def from_marker(customdata: Any, network: Network) -> Selection | None:
    """The selection a clicked marker names ("w:1,2,3" or "n:1,2"), or None (an input, or no marker of ours)."""
    if isinstance(customdata, (list, tuple)) and customdata:
        customdata = customdata[0]
    match = _MARKER.fullmatch(customdata) if isinstance(customdata, str) else None
    if match is None:
        return None
    letter, l, j, i = match.groups()
    layer, j = int(l), int(j)
    if letter == "n":
        selection = Selection("neuron", layer, j)
    elif i is None:
        return None
    elif 1 <= layer <= len(network.weights) and int(i) == network.weights[layer - 1].shape[1] - 1:
        selection = Selection("bias", layer, j)
    else:
        selection = Selection("weight", layer, j, int(i))
    return selection if selection.fits(network) else None


def from_event(event: Any, network: Network) -> Selection | None:
    """The first picked point of a plotly selection event that names a weight, bias or neuron."""
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError):
        return None
    for point in points if isinstance(points, list) else []:
        selection = from_marker(point.get("customdata") if isinstance(point, dict) else None, network)
        if selection is not None:
            return selection
    return None


def of_weight(network: Network, layer: int, j: int, i: int) -> Selection:
    """The selection of w_ji of ``layer`` as core counts it (i = the number of inputs for the bias)."""
    if i == network.weights[layer - 1].shape[1] - 1:
        return Selection("bias", layer, j)
    return Selection("weight", layer, j, i)
