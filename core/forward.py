"""Forward propagation: the tutorial's activate(), transfer() and forward_propagate().

Works on one row (a 1-D input) or on many rows at once (a 2-D input, one row per sample).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import get_activation, softmax
from .network import Network

Array = np.ndarray


def weighted_sum(weights: Array, inputs: Array) -> Array:
    """z_j = b_j + Σ_i w_ji · x_i — the tutorial's activate(): bias first, then inputs in order.

    Summing in the tutorial's order makes every z bit-for-bit the tutorial's number.
    """
    z = np.zeros(inputs.shape[:-1] + (weights.shape[0],))
    z += weights[:, -1]
    for i in range(weights.shape[1] - 1):
        z += weights[:, i] * inputs[..., i, None]
    return z


def transfer(name: str, z: Array) -> Array:
    """output = f(z) for the activation called ``name`` (softmax acts on the whole layer)."""
    if name == "softmax":
        return softmax(z)
    return get_activation(name).transfer(z)


@dataclass
class ForwardTrace:
    """Everything the forward pass computed, layer by layer.

    ``inputs[l]`` is what layer l received (the sample for the first layer), ``weighted_sums[l]``
    its z and ``outputs[l]`` its activations f(z): the tutorial's ``neuron['output']``.
    """

    inputs: list[Array]
    weighted_sums: list[Array]
    outputs: list[Array]

    @property
    def output(self) -> Array:
        """The network's output (the last layer's activations)."""
        return self.outputs[-1]


def forward(network: Network, row: Array) -> ForwardTrace:
    """Propagate ``row`` (features only) through the network, keeping every intermediate value."""
    x = np.asarray(row, dtype=float)
    if x.shape[-1] != network.n_inputs:
        raise ValueError(f"the network takes {network.n_inputs} inputs, the sample has {x.shape[-1]}")
    inputs, sums, outputs = [], [], []
    for l, weights in enumerate(network.weights):
        z = weighted_sum(weights, x)
        out = transfer(network.activation_of(l), z)
        inputs.append(x)
        sums.append(z)
        outputs.append(out)
        x = out
    return ForwardTrace(inputs, sums, outputs)


def predict(network: Network, rows: Array) -> Array:
    """Class index of the largest output for each row (the tutorial's predict())."""
    return np.argmax(forward(network, rows).output, axis=-1)
