"""Backward propagation of error: the tutorial's backward_propagate_error(), plus gradients.

All deltas are computed from the forward trace and the *pre-update* weights.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .activations import get_activation
from .forward import ForwardTrace
from .losses import output_error
from .network import Network

Array = np.ndarray


def hidden_error(next_weights: Array, next_deltas: Array) -> Array:
    """error_j = Σ_k w_kj · δ_k over the neurons k of the next layer, summed in the tutorial's order."""
    error = np.zeros(next_deltas.shape[:-1] + (next_weights.shape[1] - 1,))
    for k in range(next_weights.shape[0]):
        error += next_weights[k, :-1] * next_deltas[..., k, None]
    return error


@dataclass
class Gradients:
    """Backward-pass results per layer.

    ``errors[l]``: for the output layer output − expected, for a hidden layer Σ_k w_kj·δ_k;
    ``deltas[l]``: error × f′(output) (for softmax + cross-entropy simply output − expected);
    ``weight_gradients[l]``: ∂E/∂w_ji = δ_j · x_i with the bias column ∂E/∂b_j = δ_j
    (averaged over rows for a batch), where E is ½·Σ(o − t)² or the cross-entropy.
    """

    errors: list[Array]
    deltas: list[Array]
    inputs: list[Array]

    @cached_property
    def weight_gradients(self) -> list[Array]:
        return [per_weight(d, x) for d, x in zip(self.deltas, self.inputs)]


def backward(network: Network, trace: ForwardTrace, target: Array) -> Gradients:
    """Deltas and gradients for every neuron, from the output layer back to the first hidden layer."""
    target = np.asarray(target, dtype=float)
    n_layers = len(network.weights)
    errors: list[Array] = [np.empty(0)] * n_layers
    deltas: list[Array] = [np.empty(0)] * n_layers
    for l in reversed(range(n_layers)):
        output = trace.outputs[l]
        if l == n_layers - 1:
            errors[l] = output_error(output, target)
            if network.output_activation == "softmax":
                deltas[l] = errors[l].copy()  # softmax + cross-entropy: δ = p − t
                continue
        else:
            errors[l] = hidden_error(network.weights[l + 1], deltas[l + 1])
        deltas[l] = errors[l] * get_activation(network.activation_of(l)).derivative(output)
    return Gradients(errors, deltas, trace.inputs)


def per_weight(scale: Array, inputs: Array) -> Array:
    """[s_j · x_i … | s_j] per neuron j, laid out like the layer's weights (bias last); the mean over
    rows for a batch. With s = δ this is ∂E/∂w; with s = η·δ it is the tutorial's update step,
    multiplied in its order (η · δ_j) · x_i."""
    if scale.ndim == 1:
        return np.hstack([scale[:, None] * inputs[None, :], scale[:, None]])
    total = np.zeros((scale.shape[1], inputs.shape[1] + 1))
    for s, x in zip(scale, inputs):  # row by row, in order: the compiled loop's sums to the last bit
        total[:, :-1] += s[:, None] * x[None, :]
        total[:, -1] += s
    return total / scale.shape[0]
