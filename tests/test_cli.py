"""``python -m core``: output in the tutorial's format, and one clear line for bad input."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from core import model_io, toy_network
from core.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(*args):
    return subprocess.run([sys.executable, "-m", "core", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_reproduce_prints_the_tutorial_result():
    out = run("reproduce")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("Scores: [") and lines[1] == "Mean Accuracy: 93.333%"
    assert lines[2].startswith("Zero-rule baseline: ")


def test_step_prints_every_neuron_and_saves(tmp_path, capsys):
    model = tmp_path / "toy.json"
    model_io.save(toy_network(), model)
    saved = tmp_path / "after.json"
    assert main(["step", "--model", str(model), "--input=1,0", "--target=0,1", "--save", str(saved)]) == 0
    out = capsys.readouterr().out
    assert "[1/10] Forward · hidden layer 1, neuron 1" in out
    assert "output = sigmoid(z) = 0.7105668883115941" in out
    assert "output = sigmoid(z) = 0.6629970129852887" in out
    assert out.count("Update ·") == 3 and "(down)" in out
    assert model_io.load(saved).weights[0][0, 0] == 0.1330083452127821


def test_step_json_and_negative_values(tmp_path, capsys):
    model = tmp_path / "toy.json"
    model_io.save(toy_network(), model)
    assert main(["step", "--model", str(model), "--input=-1,0.5", "--target=-0.5,0.2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["target"] == [-0.5, 0.2] and len(data["steps"]) == 10
    assert [s["phase"] for s in data["steps"]][:4] == ["forward", "forward", "forward", "error"]


def test_train_saves_a_model(tmp_path, capsys):
    path = tmp_path / "m.json"
    assert main(["train", "--epochs", "30", "--hidden", "4,3", "--save", str(path)]) == 0
    out = capsys.readouterr().out
    assert ">epoch=30, lrate=0.300" in out and "validation accuracy" in out
    net = model_io.load(path)
    assert net.layer_sizes == [7, 4, 3, 3]


@pytest.mark.parametrize("args,message", [
    (["reproduce", "--lr", "abc"], "--lr: expected a number"),
    (["reproduce", "--folds", "0"], "--folds: expected a whole number ≥ 1"),
    (["train", "--data", "/no/such.csv"], "cannot read /no/such.csv"),
    (["train", "--hidden", "5,x"], "hidden layer sizes must be whole numbers"),
    (["train", "--activation", "swish"], "invalid choice: 'swish'"),
    (["step", "--model", "m.json"], "the following arguments are required"),
    (["frobnicate"], "invalid choice"),
    (["reproduce", "--folds", "500"], "cannot fill 500 folds"),
])
def test_bad_arguments_exit_2_with_one_line(args, message):
    out = run(*args)
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], out.stderr


def test_bad_files_exit_2_with_one_line(tmp_path):
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("1,2,a\n1,x,b\n3,4,a\n5,6,b\n")
    out = run("train", "--data", str(bad_csv))
    assert out.returncode == 2 and "row 2, column 2 (feature 2): 'x' is not a number" in out.stderr
    bad_model = tmp_path / "m.json"
    bad_model.write_text('{"layers": [{"weights": [[1, 2]]}]}')
    out = run("step", "--model", str(bad_model), "--input=1,2", "--target=1")
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and "--input has 2 values" in out.stderr
