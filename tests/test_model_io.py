"""Model JSON: round trip, the minimal format, and validation of bad files."""
import json

import pytest

from core import initialise, model_io, toy_network


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
