"""The network: a list of weight matrices, stored the tutorial's way round.

Layer l holds one row per neuron; a row is that neuron's incoming weights, in input
order, with the bias last — exactly the tutorial's ``neuron['weights']`` list.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .activations import ACTIVATION_NAMES, OUTPUT_ACTIVATION_NAMES
from .limits import quote


@dataclass
class Network:
    """A feed-forward network of fully connected layers.

    ``weights[l]`` has shape (neurons in layer l, inputs to layer l + 1); its last column is the bias.
    Hidden layers use ``activation``; the output layer uses ``output_activation`` (the same one by
    default, with the tutorial's sum-of-squares error, or "softmax" with cross-entropy).
    """

    weights: list[np.ndarray]
    activation: str = "sigmoid"
    output_activation: str = ""
    init: str = ""  # how the weights were made, e.g. "tutorial, seed 1" (for display only)
    notes: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.output_activation:
            self.output_activation = self.activation
        if self.activation not in ACTIVATION_NAMES:
            raise ValueError(
                f"unknown activation {quote(self.activation)}; choose one of {', '.join(ACTIVATION_NAMES)}"
            )
        if self.output_activation not in OUTPUT_ACTIVATION_NAMES:
            raise ValueError(
                f"unknown output activation {quote(self.output_activation)}; "
                f"choose one of {', '.join(OUTPUT_ACTIVATION_NAMES)}"
            )
        if not self.weights:
            raise ValueError("a network needs at least one layer of weights")
        self.weights = [np.array(w, dtype=float) for w in self.weights]
        for l, w in enumerate(self.weights):
            if w.ndim != 2 or w.shape[0] < 1 or w.shape[1] < 2:
                raise ValueError(
                    f"layer {l + 1}: weights must be a table with at least one neuron "
                    f"and at least one input plus a bias, got shape {w.shape}"
                )
            if l > 0 and w.shape[1] != self.weights[l - 1].shape[0] + 1:
                raise ValueError(
                    f"layer {l + 1}: each neuron needs {self.weights[l - 1].shape[0]} weights "
                    f"(one per neuron of layer {l}) plus a bias, but has {w.shape[1]} numbers"
                )
            if not np.all(np.isfinite(w)):
                raise ValueError(f"layer {l + 1}: weights must be finite numbers")

    @property
    def n_inputs(self) -> int:
        return self.weights[0].shape[1] - 1

    @property
    def n_outputs(self) -> int:
        return self.weights[-1].shape[0]

    @property
    def layer_sizes(self) -> list[int]:
        """Neurons per layer, inputs first: the tutorial's 2-1-2 network is [2, 1, 2]."""
        return [self.n_inputs] + [w.shape[0] for w in self.weights]

    @property
    def hidden_sizes(self) -> list[int]:
        return [w.shape[0] for w in self.weights[:-1]]

    @property
    def loss(self) -> str:
        """"cross_entropy" with a softmax output, else the tutorial's "sse" (sum of squared errors)."""
        return "cross_entropy" if self.output_activation == "softmax" else "sse"

    def activation_of(self, layer: int) -> str:
        """Name of the activation used by layer ``layer`` (0-based index into ``weights``)."""
        return self.output_activation if layer == len(self.weights) - 1 else self.activation

    def copy(self) -> "Network":
        new = object.__new__(Network)  # already validated: skip __post_init__
        new.__dict__.update(self.__dict__)
        new.weights = [w.copy() for w in self.weights]
        new.notes = dict(self.notes)
        return new

    def describe(self) -> str:
        """Short summary such as "7-5-3, sigmoid" (plus the output if it differs)."""
        text = "-".join(str(s) for s in self.layer_sizes) + f", {self.activation}"
        if self.output_activation != self.activation:
            text += f" → {self.output_activation}"
        return text

    def same_weights(self, other: "Network") -> bool:
        return len(self.weights) == len(other.weights) and all(
            a.shape == b.shape and np.array_equal(a, b) for a, b in zip(self.weights, other.weights)
        )

