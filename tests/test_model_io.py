"""Model JSON: round trip, the minimal format, and validation of bad files."""
import json
import os

import numpy as np
import pytest

from core import Normaliser, initialise, model_io, toy_network
from core.limits import MAX_FEATURES, MAX_HIDDEN_LAYERS, MAX_MODEL_BYTES, MAX_NEURONS, MAX_OUTPUTS
from hostile import is_one_short_line, outcome_and_peak, outcome_within


def test_round_trip_keeps_every_bit(tmp_path):
    net = initialise([7, 5, 4, 3], "tanh", "softmax", "he", 9)
    path = tmp_path / "m.json"
    model_io.save(net, path, feature_names=list("abcdefg"), class_names=["x", "y", "z"])
    back = model_io.load(path)
    assert back.same_weights(net)
    assert (back.activation, back.output_activation) == ("tanh", "softmax")
    assert json.loads(path.read_text())["class_names"] == ["x", "y", "z"]


def test_minimal_format_is_accepted():
    text = json.dumps({"activation": "sigmoid", "layers": [
        {"weights": [[0.13436424411240122, 0.8474337369372327, 0.763774618976614]]},
        {"weights": [[0.2550690257394217, 0.49543508709194095], [0.4494910647887381, 0.651592972722763]]}]})
    assert model_io.loads(text).same_weights(toy_network())


@pytest.mark.parametrize("text,message", [
    ("not json", "not valid JSON"),
    ("[]", "JSON object"),
    ('{"layers": []}', "non-empty list"),
    ('{"layers": [{"weights": [[1, 2]]}], "activation": "swish"}', "unknown activation 'swish'"),
    ('{"layers": [{"weights": [[1, "a"]]}]}', "layer 1, neuron 1, weight 2: expected a number"),
    ('{"layers": [{"weights": [[1, NaN]]}]}', "not a finite number"),
    ('{"layers": [{"weights": [[1, 2], [1, 2, 3]]}]}', "layer 1, neuron 2: 3 numbers"),
    ('{"layers": [{"weights": [[1, 2, 3]]}, {"weights": [[1, 2, 3]]}]}', "layer 2: each neuron needs 1 weights"),
    ('{"layers": [{"weights": [[1]]}]}', "bias last"),
    ('{"layers": [{"weights": [[1, 2]]}], "loss": "cross_entropy"}', "trains with 'sse'"),
    ('{"layers": [{"weights": [[true, 2]]}]}', "expected a number"),
    ("[" * 100000 + "]" * 100000, "nested too deeply"),
])
def test_bad_models_are_refused_with_a_message(text, message):
    with pytest.raises(ValueError) as info:
        model_io.loads(text)
    assert message in str(info.value)


def test_non_utf8_model():
    with pytest.raises(ValueError, match="not UTF-8"):
        model_io.loads(b"\xff\xfe{")


# -- hostile models: one set of size limits, numbers too large for a float, files that are not files --

def model_text(sizes: list[int]) -> str:
    """A model JSON with layer sizes ``sizes`` (inputs first), every weight 0.5."""
    layers = [{"weights": [[0.5] * (n_in + 1) for _ in range(n_out)]} for n_in, n_out in zip(sizes, sizes[1:])]
    return json.dumps({"activation": "sigmoid", "layers": layers})


@pytest.mark.parametrize("sizes,message", [
    ([7, 65, 3], "layer 1: 65 neurons; the limit is 64 neurons in a hidden layer"),
    ([7, 1500, 3], "layer 1: 1500 neurons; the limit is 64 neurons in a hidden layer"),
    ([7, 5, 5, 5, 5, 5, 3], "the model has 5 hidden layers; the limit is 4"),
    ([65, 5, 3], "layer 1: 65 inputs; the limit is 64 inputs (features)"),
    ([7, 5, 51], "layer 2: 51 neurons; the limit is 50 outputs"),
    ([7, 51], "layer 1: 51 neurons; the limit is 50 outputs"),
])
def test_models_beyond_the_limits_are_refused(sizes, message):
    with pytest.raises(ValueError) as info:
        model_io.loads(model_text(sizes))
    assert str(info.value) == message


@pytest.mark.parametrize("sizes", [[7, 64, 3], [64, 64, 64, 64, 64, 50], [1, 1]])
def test_models_at_the_limits_are_accepted(sizes):
    assert model_io.loads(model_text(sizes)).layer_sizes == sizes


def test_the_largest_model_allowed_fits_the_byte_cap_with_room_to_spare():
    net = initialise([MAX_FEATURES, *[MAX_NEURONS] * MAX_HIDDEN_LAYERS, MAX_OUTPUTS], "tanh", "softmax", "he", 3)
    normaliser = Normaliser("minmax", np.full(MAX_FEATURES, -1 / 3), np.full(MAX_FEATURES, 7 / 3))
    text = model_io.dumps(net, feature_names=["f" * 60] * MAX_FEATURES, class_names=["c" * 60] * MAX_OUTPUTS,
                          normaliser=normaliser)
    assert len(text) < MAX_MODEL_BYTES / 2
    assert model_io.loads(text).same_weights(net)


def test_a_model_over_the_byte_cap_is_refused_before_parsing():
    text = '{"layers": [{"weights": [[1, 2]]}], "pad": "' + " " * MAX_MODEL_BYTES + '"}'
    error, peak = outcome_and_peak(model_io.loads, text)
    assert str(error) == "the model file is larger than 2.0 MB, the limit"
    assert peak < 100_000, peak
    with pytest.raises(ValueError, match="larger than 2.0 MB"):  # the 7-1500-1500-3 model that took 3.7 GB
        model_io.loads(model_text([7, 1500, 1500, 3]).encode())


@pytest.mark.parametrize("number", ["9" * 400, "-" + "9" * 400, "9" * 5000, "1e400", "-1e999", "1" + "0" * 400 + ".5",
                                    "Infinity", "-Infinity"])
def test_a_number_too_large_for_a_float_is_refused_saying_where(number):
    # a 400-digit integer once raised OverflowError, a 5,000-digit one the int-string limit's advice
    text = '{"layers": [{"weights": [[0.5, 0.5, 0.5]]}, {"weights": [[0.5, %s], [1, 2]]}]}' % number
    for data in (text, text.encode()):  # the CLI reads bytes, so does the Network page's upload
        with pytest.raises(ValueError) as info:
            model_io.loads(data)
        assert str(info.value) == "layer 2, neuron 1, weight 2: the number is too large (not a finite number)"


def test_nan_is_refused_saying_where():
    with pytest.raises(ValueError, match=r"^layer 1, neuron 2, weight 1: NaN is not a finite number$"):
        model_io.loads('{"layers": [{"weights": [[1, 2], [NaN, 2]]}]}')


def test_whole_numbers_are_weights_too():
    net = model_io.loads('{"layers": [{"weights": [[1, -2, 30000000000000000000000]]}]}')
    assert net.weights[0].tolist() == [[1.0, -2.0, 3e22]]
    with pytest.raises(ValueError, match="weight 2: the number is too large"):  # a dict built in Python
        model_io.from_dict({"layers": [{"weights": [[1, 10**400]]}]})


@pytest.mark.parametrize("model", [
    {"layers": [{"weights": [[1, 2]]}], "activation": "x" * 4000},
    {"layers": [{"weights": [[1, 2]]}], "output_activation": "\n\r" + "x" * 4000},
    {"layers": [{"weights": [[1, 2]]}], "loss": "x" * 4000},
    {"layers": [{"weights": [[1, "x" * 4000]]}]},
    {"layers": [{"weights": [[1, {"a": ["x" * 4000]}]]}]},
])
def test_messages_quote_at_most_about_60_characters_on_one_line(model):
    with pytest.raises(ValueError) as info:
        model_io.loads(json.dumps(model))
    assert is_one_short_line(str(info.value), 200) and "x" * 61 not in str(info.value), str(info.value)


def test_a_long_init_text_is_shortened():
    net = model_io.loads(json.dumps({"layers": [{"weights": [[1, 2]]}], "init": "y" * 4000}))
    assert len(net.init) <= 61
    net = model_io.loads(json.dumps({"layers": [{"weights": [[1, 2]]}], "init": [1] * 1000}))
    assert net.init == "loaded from JSON"


def test_devices_directories_and_fifos_are_refused_without_reading_or_blocking(tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    for path, kind in [("/dev/zero", "a device"), (tmp_path, "a directory"), (fifo, "a named pipe (FIFO)")]:
        error = outcome_within(10, model_io.load, path)
        assert isinstance(error, ValueError) and str(error).endswith(f"it is {kind}, not a regular file")


def test_a_model_file_over_the_byte_cap_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "big.json"
    with open(big, "wb") as file:
        file.truncate(MAX_MODEL_BYTES + 1)
    error, peak = outcome_and_peak(model_io.load, big)
    assert str(error).endswith("/big.json: the file is 2.0 MB; the limit is 2.0 MB")
    assert peak < 500_000, peak


def test_saving_to_a_fifo_or_a_directory_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    for path, kind in [(fifo, "a named pipe (FIFO)"), (tmp_path, "a directory"), ("/dev/null", "a device")]:
        error = outcome_within(10, model_io.save, toy_network(), path)
        assert isinstance(error, ValueError) and str(error).endswith(f"it is {kind}, not a regular file")
