"""Transfer (activation) functions and their derivatives.

The tutorial calls the activation function the *transfer* function and writes its
derivative in terms of the neuron's output:  sigmoid'(z) = output · (1 − output).
Every activation here does the same, so backward() only needs the outputs the
forward pass stored.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from . import libm
from .limits import quote

Array = np.ndarray


def sigmoid(z: Array) -> Array:
    """σ(z) = 1 / (1 + e^(−z)), the tutorial's transfer()."""
    return 1.0 / (1.0 + libm.exp(-np.asarray(z, dtype=float)))


def sigmoid_derivative(output: Array) -> Array:
    """σ'(z) = output · (1 − output), the tutorial's transfer_derivative()."""
    return output * (1.0 - output)


def tanh(z: Array) -> Array:
    """tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z))."""
    return libm.tanh(z)


def tanh_derivative(output: Array) -> Array:
    """tanh'(z) = 1 − output²."""
    return 1.0 - output * output


def relu(z: Array) -> Array:
    """relu(z) = max(0, z)."""
    return np.maximum(z, 0.0)


def relu_derivative(output: Array) -> Array:
    """relu'(z) = 1 if output > 0 else 0."""
    return (output > 0.0).astype(float)


def linear(z: Array) -> Array:
    """linear(z) = z."""
    return np.array(z, dtype=float, copy=True)


def linear_derivative(output: Array) -> Array:
    """linear'(z) = 1."""
    return np.ones_like(output, dtype=float)


def softmax(z: Array) -> Array:
    """softmax(z)_j = e^(z_j) / Σ_k e^(z_k)  (shifted by max z for stability)."""
    shifted = z - np.max(z, axis=-1, keepdims=True)
    e = libm.exp(shifted)
    return e / np.sum(e, axis=-1, keepdims=True)


@dataclass(frozen=True)
class Activation:
    """An activation function f, its derivative f′ written in terms of the output, and how to write
    both with numbers filled in: ``latex(z)``/``text(z)`` for f(z), ``derivative_latex(o)``/
    ``derivative_text(o)`` for f′ given the output o (each takes the number already formatted)."""

    name: str
    transfer: Callable[[Array], Array]
    derivative: Callable[[Array], Array]
    latex: Callable[[str], str]
    derivative_latex: Callable[[str], str]
    derivative_text: Callable[[str], str]
    formula: str  # f(z) in LaTeX, for explanations
    slope: str  # f′ in terms of the output o, in LaTeX


def _wrap(number: str) -> str:
    """A negative number in brackets, so that "x × −0.3" reads "x × (−0.3)"."""
    return f"({number})" if number.startswith("-") else number


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_derivative,
                          lambda z: f"\\frac{{1}}{{1 + e^{{-({z})}}}}",
                          lambda o: f"{_wrap(o)}\\,(1 - {_wrap(o)})", lambda o: f"{o} * (1 - {o})",
                          r"\sigma(z) = \frac{1}{1 + e^{-z}}", r"o\,(1 - o)"),
    "tanh": Activation("tanh", tanh, tanh_derivative, lambda z: f"\\tanh({z})",
                       lambda o: f"(1 - {_wrap(o)}^2)", lambda o: f"(1 - {o}^2)", r"\tanh(z)", r"1 - o^2"),
    "relu": Activation("relu", relu, relu_derivative, lambda z: f"\\max(0, {z})",
                       lambda o: f"[{_wrap(o)} > 0]", lambda o: f"[{o} > 0]", r"\max(0, z)", r"[o > 0]"),
    "linear": Activation("linear", linear, linear_derivative, lambda z: z, lambda o: "1", lambda o: "1",
                         r"z", r"1"),
}

#: Activations a hidden layer may use; an output layer may also use "softmax".
ACTIVATION_NAMES: tuple[str, ...] = tuple(ACTIVATIONS)
OUTPUT_ACTIVATION_NAMES: tuple[str, ...] = ACTIVATION_NAMES + ("softmax",)

#: The values f(z) can take, (low, high), ±inf where unbounded: what a colour scale must cover.
OUTPUT_RANGES: dict[str, tuple[float, float]] = {
    "sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "relu": (0.0, math.inf), "linear": (-math.inf, math.inf),
    "softmax": (0.0, 1.0)}


def output_range(name: str) -> tuple[float, float]:
    """(low, high): the range of outputs of activation ``name``, e.g. sigmoid (0, 1), relu (0, ∞)."""
    if name not in OUTPUT_RANGES:
        raise ValueError(f"unknown activation {quote(name)}; choose one of {', '.join(OUTPUT_ACTIVATION_NAMES)}")
    return OUTPUT_RANGES[name]


def get_activation(name: str) -> Activation:
    """Look an activation up by name, with a clear error for an unknown one."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(
            f"unknown activation {quote(name)}; choose one of {', '.join(ACTIVATION_NAMES)}"
        ) from None
