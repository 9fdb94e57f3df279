"""Hostile and random input to the CSV and model-JSON loaders (hypothesis).

Either a dataset/model comes back or a ValueError with a message — never another exception, never a
hang (hypothesis' deadline), never a large allocation from a small file (tracemalloc).
"""
import json
import string
import tracemalloc

from hypothesis import HealthCheck, given, settings, strategies as st

from core import Dataset, Network, model_io, parse_csv
from counts import record

FUZZ = settings(max_examples=400, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
CSV_CHARS = string.digits + ",;\t .-+eE\n\rnaifNAI?x\"'" + "\x00\x85\u2028é"


def allocation_of(function, data) -> tuple[object, int]:
    tracemalloc.start()
    try:
        try:
            result = function(data)
        except ValueError as err:
            result = err
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def check_csv(data) -> None:
    result, peak = allocation_of(parse_csv, data)
    record("CSV inputs")
    assert isinstance(result, (Dataset, ValueError)), type(result)
    if isinstance(result, ValueError):
        assert str(result)  # a message, not an empty error
    assert peak < 200_000 + 400 * len(data), f"{peak} bytes for a {len(data)}-byte file"


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


def check_model(data) -> None:
    result, peak = allocation_of(model_io.loads, data)
    record("model inputs")
    assert isinstance(result, (Network, ValueError)), type(result)
    if isinstance(result, ValueError):
        assert str(result)
    assert peak < 400_000 + 400 * len(data), f"{peak} bytes for a {len(data)}-byte file"


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
