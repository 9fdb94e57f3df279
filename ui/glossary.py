"""Plain words: one line for every term a learner may not know, written once and shown wherever the term
appears (a widget's or metric's ``help=`` tooltip, or a caption). Plain text: shown as Markdown."""
from __future__ import annotations

GLOSSARY: dict[str, str] = {
    "epoch": "One epoch is one pass over every training row; the tutorial trains for 500.",
    "epoch error": "The tutorial's printed error: the squared differences (t − o)² between target and output, "
                   "added up over every output and every row of one epoch.",
    "tick": "The live charts redraw five times a second; each redraw (a tick) shows the epochs trained since "
            "the one before.",
    "learning rate": "η, the size of each step: every weight moves by η × its gradient. Too large overshoots "
                     "the minimum, too small crawls.",
    "activation": "The function f a neuron applies to its weighted sum z; its output is o = f(z). The "
                  "tutorial's is the sigmoid, 1 / (1 + e⁻ᶻ), which squashes any z into (0, 1).",
    "weighted sum": "z = b + Σ wᵢxᵢ: the neuron's bias plus each input times the weight of its connection.",
    "output": "o = f(z): the neuron's activation applied to its weighted sum; the next layer's input.",
    "error": "How far off a neuron is: o − t for an output neuron; for a hidden one, the deltas of the "
             "neurons it feeds, each times the weight of that connection, added up.",
    "loss": "One number for how wrong the outputs are on a sample: Σ (t − o)² (or the cross-entropy "
            "with softmax). Training makes it smaller.",
    "delta": "δ = error × f′(o): how much the loss changes when this neuron's weighted sum z changes. Each "
             "weight into the neuron then moves by η × δ × its input.",
    "normalisation": "Rescaling each feature before the network sees it (min-max: to [0, 1], as the tutorial "
                     "does), so that no feature outweighs the others just because of its units.",
    "mini-batch": "A few rows at a time whose gradients are averaged into one update. Online = one row per "
                  "update (the tutorial); full batch = every row in one update.",
    "validation": "Rows held out and never trained on: how the network does on them shows whether it has "
                  "learned the pattern or only memorised its training rows.",
    "fold": "k-fold cross-validation splits the rows into k parts (folds); each fold is tested once by a "
            "network trained on the other k − 1.",
    "zero-rule baseline": "The accuracy of always guessing the most common class of the training rows: what "
                          "a network must beat to have learned anything.",
    "spread of folds": "The standard deviation of the fold scores: how much the score depends on which rows "
                       "were held out.",
}

_VALUE_TERMS = {"z": "weighted sum", "output": "output", "error": "error", "delta": "delta", "loss": "loss"}


def explain(term: str) -> str:
    """The one line that explains ``term``."""
    try:
        return GLOSSARY[term]
    except KeyError:
        raise KeyError(f"the glossary has no entry for {term!r}") from None


def explain_value(name: str) -> str | None:
    """The explanation of a step's value by its name ("z", "delta", "output 2", …), if it has one."""
    term = _VALUE_TERMS.get(name.split(" ")[0])
    return GLOSSARY[term] if term else None
