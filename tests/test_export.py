"""Exports of one pass: the CSV and the LaTeX hold exactly the numbers ``python -m core step --json`` prints."""
import csv
import io
import json
import re

import numpy as np
import pytest

from core import initialise, model_io, toy_network, walk_through
from core.cli import main
from core.export import CSV_COLUMNS, latex_text, quantities, trace_csv, trace_dict, trace_latex

# (network, input, target, extra CLI arguments): the tutorial's 2-1-2, and a 3-4-3-2 softmax net with an L2 penalty
CASES = {
    "toy": (toy_network(), [1.0, 0.0], [0.0, 1.0], []),
    "softmax": (initialise([3, 4, 3, 2], "tanh", "softmax", "xavier", seed=5), [0.2, -0.7, 1.5], [1.0, 0.0],
                ["--l2", "0.01"]),
}


def cli_json(tmp_path, capsys, case: str) -> dict:
    network, x, t, extra = CASES[case]
    model = tmp_path / "model.json"
    model_io.save(network, model)
    assert main(["step", "--model", str(model), f"--input={','.join(map(repr, x))}",
                 f"--target={','.join(map(repr, t))}", "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def walk_of(case: str, digits: int | None = None):
    network, x, t, extra = CASES[case]
    l2 = float(extra[1]) if extra else 0.0
    return walk_through(network, x, t, 0.5, digits=digits, l2=l2)


def csv_rows(text: str) -> list[dict]:
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and list(rows[0]) == list(CSV_COLUMNS)
    return rows


def numbers_in(value) -> list[float]:
    """Every number anywhere in a JSON value (text lines included)."""
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, (int, float)):
        return [float(value)]
    if isinstance(value, str):
        return [float(m) for m in re.findall(r"-?\d+\.\d+(?:e[-+]?\d+)?|-?\d+e[-+]?\d+", value)]
    items = value.values() if isinstance(value, dict) else value
    return [n for item in items for n in numbers_in(item)]


@pytest.mark.parametrize("case", CASES)
def test_the_cli_prints_trace_dict(tmp_path, capsys, case):
    assert cli_json(tmp_path, capsys, case) == json.loads(json.dumps(trace_dict(walk_of(case))))


@pytest.mark.parametrize("case", CASES)
def test_the_csv_holds_every_number_of_the_json_where_it_belongs(tmp_path, capsys, case):
    data = cli_json(tmp_path, capsys, case)
    rows = csv_rows(trace_csv(walk_of(case, digits=6)))  # the digits shown never change the numbers

    def value(step, name, layer=None, neuron=None) -> float:
        found = [float(r["value"]) for r in rows if r["step"] == str(step) and r["name"] == name
                 and (layer is None or r["layer"] == str(layer)) and (neuron is None or r["neuron"] == str(neuron))]
        assert len(found) == 1, (step, name, layer, neuron, found)
        return found[0]

    assert [value(0, "x", 0, i) for i in range(len(data["input"]))] == data["input"]
    assert value(0, "learning rate") == data["learning_rate"]
    for number, step in enumerate(data["steps"], start=1):
        for name, v in step["values"].items():
            if name.startswith("output ") and step["neuron"] is None:  # a softmax step: one row per output
                assert value(number, "output", step["layer"], int(name.split()[1]) - 1) == v
            else:
                assert value(number, name, step["layer"], "" if step["neuron"] is None else step["neuron"]) == v
    update_steps = {(s["layer"], s["neuron"]): n for n, s in enumerate(data["steps"], start=1) if s["phase"] == "update"}
    for key, model in (("before", data["model"]), ("after", data["updated_model"])):
        for l, layer in enumerate(model["layers"], start=1):
            for j, weights in enumerate(layer["weights"]):
                for i, w in enumerate(weights):
                    symbol = "b" if i == len(weights) - 1 else f"w_{i + 1}"
                    assert value(update_steps[(l, j)], f"{symbol} {key}", l, j) == w
                    if key == "after":
                        assert value(update_steps[(l, j)], f"dE/d{symbol}", l, j) == data["gradients"][l - 1][j][i]
    assert value("", "loss before") == data["loss_before"] and value("", "loss after") == data["loss_after"]
    in_json = {repr(n) for n in numbers_in(data)}
    assert {r["value"] for r in rows} <= in_json  # and nothing the JSON lacks


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("digits", [None, 6])
def test_the_latex_holds_every_result_of_the_json(tmp_path, capsys, case, digits):
    data = cli_json(tmp_path, capsys, case)
    latex = trace_latex(walk_of(case, digits), "row 3 of a_b & c")
    results = [v for s in data["steps"] for v in s["values"].values()] + [data["loss_before"], data["loss_after"]]
    results += [w for layer in data["updated_model"]["layers"] for row in layer["weights"] for w in row]
    results += data["input"] + data["target"]
    if digits is None:  # every digit: the old weights too, as the equations use them
        results += [w for layer in data["model"]["layers"] for row in layer["weights"] for w in row]
    missing = [repr(v) for v in results if repr(float(v)) not in latex]
    assert not missing
    assert latex.count("\\begin{aligned}") == len(data["steps"]) + 2
    for number, step in enumerate(data["steps"], start=1):
        assert f"Step {number} of {len(data['steps'])}. {latex_text(step['title'])}" in latex
    assert "row 3 of a\\_b \\& c" in latex


def test_the_latex_is_the_walks_own_equations():
    walk = walk_of("softmax", 6)
    latex = trace_latex(walk)
    for step in walk.steps:
        assert " \\\\\n".join(step.latex) in latex


def test_user_text_cannot_break_the_latex():
    hostile = "50% of {Kama}_x & $y$ #1 ~ ^ \\end{document}\nnext line"
    escaped = latex_text(hostile)
    assert "\n" not in escaped and "\\end{document}" not in escaped
    unescaped = re.sub(r"\\[{}$&#_%]|\\textbackslash\{\}|\\[~^]\{\}", "", escaped)
    assert not re.search(r"[{}$&#_%~^\\]", unescaped), unescaped


def test_momentum_adds_the_velocity_before_and_after():
    network = toy_network()
    velocity = [np.full_like(w, 0.01) for w in network.weights]
    walk = walk_through(network, [1, 0], [0, 1], 0.5, momentum=0.9, velocity=velocity)
    data = trace_dict(walk)
    assert data["momentum"] == 0.9 and data["velocity"][0] == [[0.01, 0.01, 0.01]]
    rows = {(q.step, q.layer, q.neuron, q.name): q.value for q in quantities(walk)}
    assert rows[(8, 1, 0, "v_w_1 before")] == 0.01
    assert rows[(8, 1, 0, "v_w_1 after")] == data["updated_velocity"][0][0][0]
    assert rows[(8, 1, 0, "w_1 after")] == data["updated_model"]["layers"][0]["weights"][0][0]
