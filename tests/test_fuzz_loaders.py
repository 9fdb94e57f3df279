"""Hostile and random input to the CSV and model-JSON loaders (hypothesis).

Either a dataset/model comes back or a ValueError with a message — never another exception, never a
hang (hypothesis' deadline), never a large allocation from a small file (tracemalloc).
"""
import json
import string

import numpy as np
from hypothesis import HealthCheck, given, settings, strategies as st

from core import Dataset, Network, fit_normaliser, model_io, parse_csv
from counts import record
from hostile import is_one_short_line, outcome_and_peak

FUZZ = settings(max_examples=400, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
CSV_CHARS = string.digits + ",;\t .-+eE\n\rnaifNAI?x\"'" + "\x00\x85\u2028é"


def check_csv(data) -> Dataset | ValueError:
    result, peak = outcome_and_peak(parse_csv, data)
    record("CSV inputs")
    assert isinstance(result, (Dataset, ValueError)), type(result)
    if isinstance(result, ValueError):
        assert is_one_short_line(str(result)), str(result)  # a message, one line, not an empty error
    assert peak < 200_000 + 400 * len(data), f"{peak} bytes for a {len(data)}-byte file"
    return result


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_as_csv(data):
    check_csv(data)


@FUZZ
@given(st.text(alphabet=CSV_CHARS, max_size=2000))
def test_csv_like_text(text):
    check_csv(text)


@FUZZ
@given(st.lists(st.lists(st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(repr),
                                   st.integers(-5, 5).map(str), st.sampled_from(["", "?", "a", "1e400", "NaN"])),
                         min_size=1, max_size=8), min_size=1, max_size=30),
       st.sampled_from([",", ";", "\t", " ", "\t\t"]))
def test_table_shaped_csv(rows, delimiter):
    check_csv("\n".join(delimiter.join(row) for row in rows))


def check_model(data) -> Network | ValueError:
    result, peak = outcome_and_peak(model_io.loads, data)
    record("model inputs")
    assert isinstance(result, (Network, ValueError)), type(result)
    if isinstance(result, ValueError):
        assert is_one_short_line(str(result)), str(result)
    assert peak < 400_000 + 400 * len(data), f"{peak} bytes for a {len(data)}-byte file"
    return result


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers(-10**30, 10**30) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=8), inner, max_size=6),
    max_leaves=60)


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_as_model(data):
    check_model(data)


@FUZZ
@given(JSON_VALUES)
def test_random_json_as_model(value):
    check_model(json.dumps(value))


@FUZZ
@given(st.lists(st.lists(st.lists(st.one_of(st.floats(), st.integers(), st.text(max_size=2), st.none()),
                                  max_size=5), max_size=4), min_size=1, max_size=4),
       st.sampled_from(["sigmoid", "tanh", "relu", "linear", "softmax", "", "bogus", 3]))
def test_model_shaped_json(layers, activation):
    check_model(json.dumps({"activation": activation, "layers": [{"weights": w} for w in layers]}))


def test_a_small_file_cannot_ask_for_a_huge_allocation():
    # a few bytes that claim huge sizes must not make the loaders allocate them
    check_csv("1," * 70 + "a\n")
    check_model('{"layers": [{"weights": [' + "[1, 2]," * 5000 + "[1, 2]]}]}")
    check_model("[" * 50_000 + "]" * 50_000)


# -- numbers too large for a float, class counts, label spellings, extreme feature values ----------

TOY_SHAPE = [(1, 3), (2, 2)]  # the toy 2-1-2 network, per layer: (neurons, numbers per neuron)


@FUZZ
@given(st.integers(309, 6000), st.sampled_from(["{}", "-{}", "{}.5", "1e{}", "-1E+{}"]),
       st.integers(0, 1), st.data())
def test_a_number_too_large_for_a_float_is_refused_saying_where(digits, form, layer, data):
    # 400 or 5,000 digits once raised OverflowError, or the int-string limit's advice
    number = form.format("9" * digits) if "e" not in form.lower() else form.format(digits)
    neurons, width = TOY_SHAPE[layer]
    neuron, weight = data.draw(st.integers(1, neurons)), data.draw(st.integers(1, width))
    layers = [[["0.5"] * w for _ in range(n)] for n, w in TOY_SHAPE]
    layers[layer][neuron - 1][weight - 1] = number
    text = '{"layers": [%s]}' % ", ".join(
        '{"weights": [%s]}' % ", ".join("[%s]" % ", ".join(row) for row in rows) for rows in layers)
    result = check_model(text)
    assert isinstance(result, ValueError)
    assert str(result) == (f"layer {layer + 1}, neuron {neuron}, weight {weight}: "
                           "the number is too large (not a finite number)")


@settings(max_examples=60, deadline=2000)
@given(st.integers(2, 130), st.randoms(use_true_random=False))
def test_more_than_50_classes_are_refused_and_up_to_50_kept(n_classes, rng):
    labels = [f"class {k}" for k in range(n_classes)] * 2
    rng.shuffle(labels)
    result = check_csv("".join(f"{i},{label}\n" for i, label in enumerate(labels)))
    if n_classes <= 50:
        assert isinstance(result, Dataset) and result.n_classes == n_classes
    else:
        assert isinstance(result, ValueError) and "would be class 51; the limit is 50 classes" in str(result)


def spellings(value: float) -> list[str]:
    """Ways a CSV might write the number ``value``."""
    out = [repr(value), f"{value:.17e}", f"{value:.17g}", f"{value:+.17g}", f" {value!r} "]
    if value.is_integer() and abs(value) < 1e15:
        out += [str(int(value)), f"{int(value)}.0", f"{int(value)}.000"]
    return out


@FUZZ
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=2, max_size=5, unique=True),
       st.data())
def test_numeric_labels_are_one_class_per_value(values, data):
    rows = [(v, data.draw(st.sampled_from(spellings(v)))) for v in values for _ in range(3)]
    rows = data.draw(st.permutations(rows))
    result = check_csv("".join(f"{i},{label}\n" for i, (_, label) in enumerate(rows)))
    assert isinstance(result, Dataset)
    assert result.n_classes == len(values)
    first_spelling = {}
    for v, label in rows:
        first_spelling.setdefault(v, label.strip())
    assert result.class_names == [first_spelling[v] for v in sorted(values)]  # by value, first spelling
    assert [sorted(values)[k] for k in result.labels] == [v for v, _ in rows]


@FUZZ
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=4, max_size=20))
def test_extreme_feature_values_load_and_normalise_or_are_refused_naming_the_column(column):
    result = check_csv("".join(f"{v!r},{'ab'[i % 2]}\n" for i, v in enumerate(column)))
    if isinstance(result, ValueError):
        assert str(result).startswith("column 1 (feature 1): values from")
        return
    for method in ("minmax", "zscore"):
        normaliser = fit_normaliser(result.features, method)
        assert np.all(np.isfinite(normaliser.apply(result.features)))
