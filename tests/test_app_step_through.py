"""The step-through page: the tutorial's numbers on screen, Back, Apply, the URL position, the CLI's numbers."""
import json

import numpy as np

from apptest import lesson, no_errors, open_page, texts
from core import ExperimentSettings, forward, load_seeds, model_io, prepare, toy_network, walk_through
from core.cli import main


def toy_page():
    at = open_page("pages/2_Step_through.py")
    at.radio(key="_w_step_source").set_value("toy").run()
    return at


def inputs_of(row: int) -> tuple[np.ndarray, np.ndarray]:
    """What the default lesson's network sees for ``row``: the experiment's inputs, one-hot target."""
    data = load_seeds()
    return prepare(data, ExperimentSettings()).inputs[row], np.eye(3)[data.labels[row]]


def test_stepping_through_the_tutorial_example_shows_its_numbers():
    at = toy_page()
    walk = walk_through(toy_network(), [1, 0], [0, 1], 0.5)
    assert lesson(at).step.index == 0
    assert "0.7105668883115941" in texts(at)  # the hidden neuron's output, step 1
    seen = texts(at)
    for _ in range(len(walk.steps) - 1):
        at.button(key="step_next").click().run()
        no_errors(at)
        seen += texts(at)
    assert lesson(at).step.index == len(walk.steps) - 1
    for number in ("0.6629970129852887", "0.7253160725279748",  # outputs
                   repr(float(walk.gradients.deltas[1][0])), repr(float(walk.gradients.deltas[0][0])),  # deltas
                   repr(float(walk.updated.weights[0][0, 0])), repr(float(walk.updated.weights[1][1, 1]))):
        assert number in seen, number
    assert at.button(key="step_next").disabled


def test_back_returns_to_the_previous_step():
    at = toy_page()
    at.button(key="step_next").click().run()
    at.button(key="step_next").click().run()
    third = texts(at)
    at.button(key="step_next").click().run()
    at.button(key="step_back").click().run()
    assert lesson(at).step.index == 2
    assert texts(at) == third


def test_phase_jump():
    at = toy_page()
    at.segmented_control(key="step_phase").set_value("backward").run()
    assert lesson(at).step.index == 4  # 3 forward steps, the error, then backward
    assert "Backward" in texts(at)


def test_apply_changes_the_lessons_network_by_exactly_what_core_computes():
    at = open_page("pages/2_Step_through.py", sample="7", step="1", lr="0.3")
    no_errors(at)
    assert lesson(at).step.row == 7 and lesson(at).step.learning_rate == 0.3
    before = lesson(at).network.copy()
    x, t = inputs_of(7)
    expected = walk_through(before, x, t, 0.3).updated
    at.segmented_control(key="step_phase").set_value("update").run()
    while not at.button(key="step_next").disabled:
        at.button(key="step_next").click().run()
    assert "(**down**)" in texts(at)
    at.button(key="apply_update").click().run()
    no_errors(at)
    after = lesson(at).network
    assert after.same_weights(expected) and not after.same_weights(before)
    assert lesson(at).step.index == 0 and "update applied on the step-through" in lesson(at).provenance
    assert any("Update applied" in t.proto.body for t in at.get("toast"))


def test_apply_on_the_tutorial_example_leaves_the_lessons_network_alone():
    at = toy_page()
    network = lesson(at).network.copy()
    at.segmented_control(key="step_phase").set_value("update").run()
    while not at.button(key="step_next").disabled:
        at.button(key="step_next").click().run()
    at.button(key="apply_update").click().run()
    assert lesson(at).network.same_weights(network)
    expected = walk_through(toy_network(), [1, 0], [0, 1], 0.5).updated
    assert lesson(at).toy_network.same_weights(expected)
    assert forward(expected, np.array([1.0, 0.0])).output[1] > 0.7253160725279748  # closer to its target 1


def test_the_position_is_read_from_and_kept_in_the_url():
    at = open_page("pages/2_Step_through.py", sample="42", step="7", lr="0.25")
    no_errors(at)
    assert lesson(at).step.row == 42 and lesson(at).step.index == 6
    assert "Step 7 of 25" in " ".join(p.proto.text for p in at.get("progress"))
    at.button(key="step_next").click().run()
    assert at.query_params["step"] in (["8"], "8") and at.query_params["sample"] in (["42"], "42")


def test_a_bad_url_is_refused_part_by_part_and_never_breaks_the_page():
    for query in (dict(sample="abc", step="-4", lr="lots"), dict(step="25", lr="nan"), dict(lr="inf", sample="9" * 400),
                  dict(lr="1e309", step="99999999999999999999")):
        at = open_page("pages/2_Step_through.py", **query)
        no_errors(at)
        assert lesson(at).step.learning_rate == 0.5 and "could not be used" in texts(at)
        at.button(key="step_reset").click().run()
        no_errors(at)


def test_every_number_on_the_page_agrees_with_the_cli(tmp_path, capsys):
    """Step through row 5 to the end; every value `python -m core step` prints for the same model and
    sample is on the page."""
    at = open_page("pages/2_Step_through.py", sample="5", step="1", lr="0.5")
    model = tmp_path / "model.json"
    model_io.save(lesson(at).network, model)
    x, target = inputs_of(5)
    assert main(["step", "--model", str(model), "--input=" + ",".join(repr(float(v)) for v in x),
                 "--target=" + ",".join(repr(float(v)) for v in target), "--lr", "0.5", "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    seen = texts(at)
    while not at.button(key="step_next").disabled:
        at.button(key="step_next").click().run()
        seen += texts(at)
    assert len(cli["steps"]) == 25
    for step in cli["steps"]:
        for name, value in step["values"].items():
            assert repr(value) in seen, (step["title"], name, value)
    for layer in cli["updated_model"]["layers"]:
        for row in layer["weights"]:
            for value in row:
                assert repr(value) in seen
    assert repr(cli["loss_before"]) in seen and repr(cli["loss_after"]) in seen
