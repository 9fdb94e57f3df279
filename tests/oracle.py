"""An independent plain-Python oracle, written the way the tutorial writes it: lists, dicts and loops.

Only the tests use it; the engine in core/ never imports it.
"""
from __future__ import annotations

import random
from math import exp


def initialize_network(rng: random.Random, n_inputs: int, n_hidden: int, n_outputs: int) -> list:
    hidden_layer = [{"weights": [rng.random() for _ in range(n_inputs + 1)]} for _ in range(n_hidden)]
    output_layer = [{"weights": [rng.random() for _ in range(n_hidden + 1)]} for _ in range(n_outputs)]
    return [hidden_layer, output_layer]


def from_weights(weights: list) -> list:
    return [[{"weights": list(map(float, row))} for row in layer] for layer in weights]


def to_weights(network: list) -> list:
    return [[list(neuron["weights"]) for neuron in layer] for layer in network]


def activate(weights, inputs):
    activation = weights[-1]
    for i in range(len(weights) - 1):
        activation += weights[i] * inputs[i]
    return activation


def transfer(activation):
    return 1.0 / (1.0 + exp(-activation))


def forward_propagate(network, row):
    inputs = row
    for layer in network:
        new_inputs = []
        for neuron in layer:
            activation = activate(neuron["weights"], inputs)
            neuron["output"] = transfer(activation)
            new_inputs.append(neuron["output"])
        inputs = new_inputs
    return inputs


def transfer_derivative(output):
    return output * (1.0 - output)


def backward_propagate_error(network, expected):
    for i in reversed(range(len(network))):
        layer = network[i]
        errors = list()
        if i != len(network) - 1:
            for j in range(len(layer)):
                error = 0.0
                for neuron in network[i + 1]:
                    error += neuron["weights"][j] * neuron["delta"]
                errors.append(error)
        else:
            for j in range(len(layer)):
                neuron = layer[j]
                errors.append(neuron["output"] - expected[j])
        for j in range(len(layer)):
            neuron = layer[j]
            neuron["delta"] = errors[j] * transfer_derivative(neuron["output"])


def update_weights(network, row, l_rate):
    for i in range(len(network)):
        inputs = row[:-1]
        if i != 0:
            inputs = [neuron["output"] for neuron in network[i - 1]]
        for neuron in network[i]:
            for j in range(len(inputs)):
                neuron["weights"][j] -= l_rate * neuron["delta"] * inputs[j]
            neuron["weights"][-1] -= l_rate * neuron["delta"]


def train_network(network, train, l_rate, n_epoch, n_outputs):
    """Returns the epoch sum-squared errors the tutorial prints."""
    errors = []
    for _ in range(n_epoch):
        sum_error = 0
        for row in train:
            outputs = forward_propagate(network, row)
            expected = [0 for _ in range(n_outputs)]
            expected[row[-1]] = 1
            sum_error += sum([(expected[i] - outputs[i]) ** 2 for i in range(len(expected))])
            backward_propagate_error(network, expected)
            update_weights(network, row, l_rate)
        errors.append(sum_error)
    return errors


def predict(network, row):
    outputs = forward_propagate(network, row)
    return outputs.index(max(outputs))


def cross_validation_split(rng: random.Random, dataset, n_folds):
    dataset_split = list()
    dataset_copy = list(dataset)
    fold_size = int(len(dataset) / n_folds)
    for _ in range(n_folds):
        fold = list()
        while len(fold) < fold_size:
            index = rng.randrange(len(dataset_copy))
            fold.append(dataset_copy.pop(index))
        dataset_split.append(fold)
    return dataset_split
