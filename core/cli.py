"""The command line: ``python -m core reproduce | train | step | gradcheck``.

Bad arguments or files end with exit code 2 and one line on stderr, never a traceback.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from typing import Callable, Sequence


from . import fast, model_io
from .activations import ACTIVATION_NAMES
from .chain import format_factors, gradient_table
from .crossval import CrossValidationResult, check, iter_cross_validation
from .data import SEEDS_PATH, load_csv, load_seeds
from .export import trace_dict
from .experiment import TUTORIAL, ExperimentSettings, parse_hidden, prepare
from .gradcheck import TOLERANCE, format_report, gradient_check
from .init import INIT_SCHEMES
from .limits import (MAX_BATCH_SIZE, MAX_EPOCHS, MAX_FOLDS, MAX_LEARNING_RATE, MAX_QUOTE, MAX_SEED, check_hidden,
                     quote, shorten)
from .preprocessing import NORMALISATIONS
from .steps import STEP_LEARNING_RATE, walk_through


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, user text quoted at most MAX_QUOTE long
        unrecognised = "unrecognized arguments: "
        if message.startswith(unrecognised):
            message = unrecognised + shorten(message[len(unrecognised):])
        message = re.sub(r"'([^']*)'", lambda m: quote(m.group(1)), message)
        raise UsageError(shorten(message, 4 * MAX_QUOTE))


def _whole_in(low: int, high: int) -> Callable[[str], int]:
    """An argument type: a whole number from ``low`` to ``high``."""
    def whole(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            digits = re.fullmatch(r"\s*([+-]?)\d+\s*", text, re.ASCII)  # then too many digits for int()
            if not digits:
                raise argparse.ArgumentTypeError(f"expected a whole number, got {quote(text)}") from None
            value = low - 1 if digits.group(1) == "-" else high + 1
        if value < low:
            raise argparse.ArgumentTypeError(f"expected a whole number ≥ {low}, got {quote(text)}")
        if value > high:
            raise argparse.ArgumentTypeError(f"expected a whole number ≤ {high:,}, got {quote(text)}")
        return value
    return whole


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {quote(text)}") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"expected a finite number ≥ 0, got {quote(text)}")
    if value > MAX_LEARNING_RATE:
        raise argparse.ArgumentTypeError(f"expected a number ≤ {MAX_LEARNING_RATE:g}, got {quote(text)}")
    return value


def _fraction(text: str) -> float:
    value = _rate(text)
    if value >= 1:
        raise argparse.ArgumentTypeError(f"expected a number in [0, 1), got {quote(text)}")
    return value


def _share(text: str) -> float:
    value = _rate(text)
    if value >= 1:
        raise argparse.ArgumentTypeError(f"expected a share in [0, 1), got {quote(text)}")
    return value


def _numbers(text: str) -> list[float]:
    try:
        values = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected numbers separated by commas, got {quote(text)}") from None
    if not values or not all(math.isfinite(v) for v in values):
        raise argparse.ArgumentTypeError(f"expected finite numbers separated by commas, got {quote(text)}")
    return values


def _hidden(text: str) -> tuple[int, ...]:
    try:
        return check_hidden(parse_hidden(text))
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


_epochs = _whole_in(1, MAX_EPOCHS)
_folds = _whole_in(1, MAX_FOLDS)
_seed = _whole_in(0, MAX_SEED)
_batch_size = _whole_in(0, MAX_BATCH_SIZE)
_count = _whole_in(1, 10_000)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m core", description="Backprop Lab engine: the tutorial's "
                     "backpropagation network, from the command line.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    t = TUTORIAL  # every default below is the tutorial's, stated once in core/experiment.py
    rep = commands.add_parser("reproduce", help="the tutorial's 5-fold cross-validation case study")
    rep.add_argument("--data", default=str(SEEDS_PATH), help="CSV file (default: bundled seeds data)")
    rep.add_argument("--folds", type=_folds, default=5)
    rep.add_argument("--lr", type=_rate, default=t.learning_rate, help="learning rate")
    rep.add_argument("--epochs", type=_epochs, default=t.epochs)
    rep.add_argument("--hidden", type=_hidden, default=t.hidden, help="hidden layer sizes, e.g. 5 or 5,4")
    rep.add_argument("--seed", type=_seed, default=t.seed)

    tr = commands.add_parser("train", help="train a network on a CSV file")
    tr.add_argument("--data", default=str(SEEDS_PATH), help="CSV file (default: bundled seeds data)")
    tr.add_argument("--hidden", type=_hidden, default=t.hidden, help="hidden layer sizes, e.g. 5 or 5,4")
    tr.add_argument("--activation", choices=ACTIVATION_NAMES, default=t.activation)
    tr.add_argument("--output", choices=("same", "softmax"), default="same",
                    help="output layer: same activation with squared error, or softmax with cross-entropy")
    tr.add_argument("--lr", type=_rate, default=t.learning_rate, help="learning rate")
    tr.add_argument("--epochs", type=_epochs, default=t.epochs)
    tr.add_argument("--batch-size", type=_batch_size, default=t.batch_size, help="1 = online (the tutorial), 0 = full batch")
    tr.add_argument("--shuffle", action="store_true", help="shuffle the rows every epoch")
    tr.add_argument("--seed", type=_seed, default=t.seed)
    tr.add_argument("--init", choices=INIT_SCHEMES, default=t.init)
    tr.add_argument("--normalise", choices=NORMALISATIONS, default=t.normalisation)
    tr.add_argument("--normalise-on", choices=("training", "all"), default="training",
                    help="fit the normalisation on the training rows (default) or on all rows, as the tutorial does")
    tr.add_argument("--validation", type=_share, default=t.validation_share, help="validation share (stratified)")
    tr.add_argument("--l1", type=_rate, default=t.l1, help="L1 penalty rate λ₁ (weights only)")
    tr.add_argument("--l2", type=_rate, default=t.l2, help="L2 penalty rate λ₂ (weights only)")
    tr.add_argument("--momentum", type=_fraction, default=t.momentum, help="momentum β in [0, 1)")
    tr.add_argument("--early-stopping", action="store_true", help="stop when the error stalls or keeps climbing")
    tr.add_argument("--save", help="write the trained model to this JSON file")

    st = commands.add_parser("step", help="one forward pass, backward pass and update, neuron by neuron")
    st.add_argument("--model", required=True, help="model JSON file")
    st.add_argument("--input", required=True, type=_numbers, help="features, e.g. --input=1,0")
    st.add_argument("--target", required=True, type=_numbers, help="expected outputs, e.g. --target=0,1")
    st.add_argument("--lr", type=_rate, default=STEP_LEARNING_RATE, help="learning rate")
    st.add_argument("--l1", type=_rate, default=0.0, help="L1 penalty rate λ₁ (weights only)")
    st.add_argument("--l2", type=_rate, default=0.0, help="L2 penalty rate λ₂ (weights only)")
    st.add_argument("--save", help="write the updated model to this JSON file")
    st.add_argument("--json", action="store_true", help="print the steps as JSON")

    gc = commands.add_parser("gradcheck", help="every backprop gradient against a central finite difference")
    gc.add_argument("--model", required=True, help="model JSON file")
    gc.add_argument("--input", required=True, type=_numbers, help="features, e.g. --input=1,0")
    gc.add_argument("--target", required=True, type=_numbers, help="expected outputs, e.g. --target=0,1")
    gc.add_argument("--l1", type=_rate, default=0.0, help="L1 weight penalty λ₁")
    gc.add_argument("--l2", type=_rate, default=0.0, help="L2 weight penalty λ₂")
    gc.add_argument("--eps", type=_step_size, default=1e-6, help="finite-difference step")
    gc.add_argument("--limit", type=_count, default=20, help="rows to print, worst first")
    return parser


def _step_size(text: str) -> float:
    value = _rate(text)
    if value == 0 or value > 1:
        raise argparse.ArgumentTypeError(f"expected a step in (0, 1], got {text!r}")
    return value


def _load_data(path: str):
    return load_seeds() if path == str(SEEDS_PATH) else load_csv(path)


def cmd_reproduce(args: argparse.Namespace) -> int:
    dataset = _load_data(args.data)
    settings = TUTORIAL.changed(learning_rate=args.lr, epochs=args.epochs, hidden=args.hidden, seed=args.seed)
    check(dataset, args.folds)
    result = CrossValidationResult(settings, args.folds)
    print(f"{dataset.describe()}; {result.describe()}", file=sys.stderr)
    if fast.NOTICE:
        print(fast.NOTICE, file=sys.stderr)
    for fold in iter_cross_validation(dataset, settings, args.folds):
        result.folds.append(fold)
        print(f"  fold {fold.fold}/{args.folds}: {fold.score:.3f}%", file=sys.stderr)
    print(result.tutorial_text())
    print(f"Zero-rule baseline: {result.baseline_mean:.3f}%")
    return 0


def train_settings(args: argparse.Namespace) -> ExperimentSettings:
    """The experiment ``train`` runs: the same object the Train page builds from its widgets."""
    return ExperimentSettings(
        hidden=args.hidden, activation=args.activation, output_activation="softmax" if args.output == "softmax" else "",
        init=args.init, seed=args.seed, learning_rate=args.lr, epochs=args.epochs, batch_size=args.batch_size,
        shuffle=args.shuffle, l1=args.l1, l2=args.l2, momentum=args.momentum, early_stopping=args.early_stopping,
        normalisation=args.normalise, normalise_on="all rows" if args.normalise_on == "all" else "training rows",
        validation_share=args.validation)


def cmd_train(args: argparse.Namespace) -> int:
    dataset = _load_data(args.data)
    experiment = prepare(dataset, train_settings(args))
    trainer = experiment.trainer()
    print(f"{dataset.describe()}; network {experiment.network.describe()}; {len(experiment.train_rows)} training "
          f"rows, {len(experiment.validation_rows)} validation rows; {experiment.settings.describe()}", file=sys.stderr)
    every = 1 if args.epochs <= 50 else max(args.epochs // 20, 1)
    started = time.perf_counter()
    for snapshot in trainer.snapshots(every):
        h = snapshot.history
        if h.epoch:
            print(f">epoch={h.epoch[-1]}, lrate={args.lr:.3f}, error={h.sse[-1]:.3f}, "
                  + (f"train={h.train_accuracy[-1]:.1f}%" if h.train_accuracy else f"train R²={h.train_r2[-1]:.3f}")
                  + (f", validation={h.validation_accuracy[-1]:.1f}%" if h.validation_accuracy else ""))
    seconds = time.perf_counter() - started
    h = trainer.history
    if trainer.stop_reason:
        print(f"Stopped: {trainer.stop_reason}")
    if h.epoch and h.train_accuracy:
        print(f"Trained {h.epoch[-1]} epochs in {seconds:.2f} s: training accuracy "
              f"{h.train_accuracy[-1]:.3f}%"
              + (f", validation accuracy {h.validation_accuracy[-1]:.3f}%" if h.validation_accuracy else ""))
    elif h.epoch:
        print(f"Trained {h.epoch[-1]} epochs in {seconds:.2f} s: training R² {h.train_r2[-1]:.4f}"
              + (f", validation R² {h.validation_r2[-1]:.4f}" if h.validation_r2 else ""))
    if args.save:
        model_io.save(trainer.network, args.save, feature_names=experiment.input_names,
                      class_names=dataset.class_names, normaliser=experiment.normaliser)
        print(f"Saved the model to {args.save}")
    return 0


def cmd_step(args: argparse.Namespace) -> int:
    network = model_io.load(args.model)
    if len(args.input) != network.n_inputs:
        raise ValueError(f"--input has {len(args.input)} values, the model takes {network.n_inputs} inputs")
    if len(args.target) != network.n_outputs:
        raise ValueError(f"--target has {len(args.target)} values, the model has {network.n_outputs} outputs")
    walk = walk_through(network, args.input, args.target, args.lr, digits=None, l1=args.l1, l2=args.l2)
    if args.json:
        print(json.dumps(trace_dict(walk), indent=1))
    else:
        for number, step in enumerate(walk.steps, start=1):
            print(f"[{number}/{len(walk.steps)}] {step.title}")
            for line in step.text:
                print(f"    {line}")
        _print_factors(walk, args)
        print(f"Loss on this sample: {walk.loss_before!r} -> {walk.loss_after!r} ({walk.change})")
    if args.save:
        model_io.save(walk.updated, args.save)
        print(f"Saved the updated model to {args.save}", file=sys.stderr)
    return 0


def _print_factors(walk, args: argparse.Namespace) -> None:
    print("Chain rule: dE/dw = dE/do * f'(output) * x = delta * x")
    for line in format_factors(gradient_table(walk, l1=args.l1, l2=args.l2), walk.network):
        print(f"    {line}")


def cmd_gradcheck(args: argparse.Namespace) -> int:
    network = model_io.load(args.model)
    report = gradient_check(network, args.input, args.target, args.l1, args.l2, args.eps)
    print(format_report(report, args.limit))
    return 0 if report.passed(TOLERANCE) else 1


COMMANDS = {"reproduce": cmd_reproduce, "train": cmd_train, "step": cmd_step, "gradcheck": cmd_gradcheck}


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command](args)
    except UsageError as err:
        print(f"python -m core: error: {err} (see python -m core --help)", file=sys.stderr)
        return 2
    except ValueError as err:
        print(f"python -m core: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("python -m core: interrupted", file=sys.stderr)
        return 130
