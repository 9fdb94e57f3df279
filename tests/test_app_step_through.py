"""The step-through page: the tutorial's numbers on screen, Back, Apply, and the URL position."""
import numpy as np

from apptest import no_errors, open_page, texts
from core import forward, toy_network, walk_through


def toy_page():
    at = open_page("pages/2_Step_through.py")
    at.radio(key="_w_step_source").set_value("toy").run()
    return at


def test_stepping_through_the_tutorial_example_shows_its_numbers():
    at = toy_page()
    walk = walk_through(toy_network(), [1, 0], [0, 1], 0.5)
    assert at.session_state["step_index"] == 0
    assert "0.7105668883115941" in texts(at)  # the hidden neuron's output, step 1
    seen = texts(at)
    for _ in range(len(walk.steps) - 1):
        at.button(key="step_next").click().run()
        no_errors(at)
        seen += texts(at)
    assert at.session_state["step_index"] == len(walk.steps) - 1
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
    assert at.session_state["step_index"] == 2
    assert texts(at) == third


def test_phase_jump():
    at = toy_page()
    at.segmented_control(key="step_phase").set_value("backward").run()
    assert at.session_state["step_index"] == 4  # 3 forward steps, the error, then backward
    assert "Backward" in texts(at)


def test_apply_changes_the_session_network_by_exactly_what_core_computes():
    at = open_page("pages/2_Step_through.py", sample="7", step="1", lr="0.3")
    no_errors(at)
    assert at.session_state["step_row"] == 7 and at.session_state["step_lr"] == 0.3
    before = at.session_state["network"].copy()
    data = at.session_state["dataset"]
    x = (data.features[7] - data.features.min(axis=0)) / (data.features.max(axis=0) - data.features.min(axis=0))
    expected = walk_through(before, x, np.eye(3)[data.labels[7]], 0.3).updated
    at.segmented_control(key="step_phase").set_value("update").run()
    while not at.button(key="step_next").disabled:
        at.button(key="step_next").click().run()
    assert "went down" in texts(at) or "(**down**)" in texts(at)
    at.button(key="apply_update").click().run()
    no_errors(at)
    after = at.session_state["network"]
    assert after.same_weights(expected) and not after.same_weights(before)
    assert at.session_state["step_index"] == 0


def test_apply_on_the_tutorial_example_leaves_the_session_network_alone():
    at = toy_page()
    session_net = at.session_state["network"].copy()
    at.segmented_control(key="step_phase").set_value("update").run()
    while not at.button(key="step_next").disabled:
        at.button(key="step_next").click().run()
    at.button(key="apply_update").click().run()
    assert at.session_state["network"].same_weights(session_net)
    expected = walk_through(toy_network(), [1, 0], [0, 1], 0.5).updated
    assert at.session_state["toy_network"].same_weights(expected)
    assert forward(expected, np.array([1.0, 0.0])).output[1] > 0.7253160725279748  # closer to its target 1


def test_the_position_is_read_from_and_kept_in_the_url():
    at = open_page("pages/2_Step_through.py", sample="42", step="7", lr="0.25")
    no_errors(at)
    assert at.session_state["step_row"] == 42 and at.session_state["step_index"] == 6
    assert "Step 7 of 25" in " ".join(p.proto.text for p in at.get("progress"))
    at.button(key="step_next").click().run()
    assert at.query_params["step"] == ["8"] or at.query_params["step"] == "8"
    assert at.query_params["sample"] in (["42"], "42")


def test_a_bad_url_does_not_break_the_page():
    at = open_page("pages/2_Step_through.py", sample="abc", step="-4", lr="lots")
    no_errors(at)
    assert at.session_state["step_index"] == 0


def test_every_number_on_the_page_agrees_with_the_cli(tmp_path, capsys):
    """Step through row 5 to the end; every value `python -m core step` prints for the same model and
    sample is on the page."""
    import json

    from core import model_io
    from core.cli import main

    at = open_page("pages/2_Step_through.py", sample="5", step="1", lr="0.5")
    network, data = at.session_state["network"], at.session_state["dataset"]
    model = tmp_path / "model.json"
    model_io.save(network, model)
    x = (data.features[5] - data.features.min(axis=0)) / (data.features.max(axis=0) - data.features.min(axis=0))
    target = np.eye(3)[data.labels[5]]
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
