"""Backprop Lab's engine: the tutorial's backpropagation network in numpy, with every step kept.

Read it in the tutorial's order: activations → network/init → forward → backward → update →
training → crossval. Nothing here imports a UI library.
"""
from .activations import ACTIVATION_NAMES, OUTPUT_ACTIVATION_NAMES, get_activation, output_range
from .backward import Gradients, backward
from .crossval import CrossValidationResult, FoldResult, cross_validate, iter_cross_validation
from .experiment import NORMALISE_ON, TUTORIAL, Experiment, ExperimentSettings, parse_hidden, prepare
from . import playground
from .data import Dataset, load_csv, load_seeds, parse_csv
from .features import FEATURES, FeatureMap
from .forward import ForwardTrace, forward, predict
from .init import INIT_SCHEMES, initialise, toy_network, tutorial_network
from .landscape import (PCA, Grid, Landscape, Plane, bounds_of, landscape, landscape_grid, landscape_on, neuron_map,
                        output_change, pca, plane_for)
from .losses import loss_change, one_hot
from .evaluation import Evaluation, evaluate
from .export import trace_csv, trace_dict, trace_latex
from .metrics import accuracy, confusion_matrix, precision_recall, zero_rule_accuracy
from .network import Network
from .names import neuron_name, weight_name
from .preprocessing import NORMALISATIONS, Normaliser, fit_normaliser, kfold_indices, normalise, train_validation_split
from .steps import PHASES, Pass, Step, walk_through
from .training import History, Trainer, TrainingConfig, snapshot_interval, train
from .update import Update, apply_update, update, weight_steps

__all__ = [name for name in dir() if not name.startswith("_")]
