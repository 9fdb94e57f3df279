"""``python -m core``: output in the tutorial's format, and one clear line for bad input."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core import model_io, parse_hidden, toy_network
from core.cli import UsageError, build_parser, main
from hostile import is_one_short_line

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
    (["reproduce", "--folds", "500"], "--folds: expected a whole number ≤ 20, got '500'"),
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


# -- hostile arguments and files: bounded, refused with exit 2 and one short line ------------------

def refused(args, capsys) -> str:
    """Run the CLI in this process; assert exit 2, nothing on stdout, one short line on stderr."""
    assert main(args) == 2
    out = capsys.readouterr()
    assert out.out == "" and is_one_short_line(out.err.strip()), out.err
    return out.err


@pytest.mark.parametrize("args,message", [
    (["train", "--hidden", "5,65"], "at most 4 hidden layers of at most 64 neurons each; got a layer of 65"),
    (["train", "--hidden", "1,1,1,1,1"], "at most 4 hidden layers of at most 64 neurons each; got 5 hidden"),
    (["reproduce", "--hidden", "9" * 400], "at most 64 neurons each; got a layer of 999"),
    (["train", "--epochs", "10001"], "--epochs: expected a whole number ≤ 10,000, got '10001'"),
    (["reproduce", "--epochs", "9" * 5000], "--epochs: expected a whole number ≤ 10,000, got '999"),
    (["reproduce", "--folds", "21"], "--folds: expected a whole number ≤ 20, got '21'"),
    (["train", "--lr", "1001"], "--lr: expected a number ≤ 1000, got '1001'"),
    (["step", "--model", "m.json", "--input=1", "--target=1", "--lr", "inf"], "--lr: expected a finite number ≥ 0"),
    (["train", "--lr", "-0.1"], "--lr: expected a finite number ≥ 0"),
    (["train", "--seed", "-1"], "--seed: expected a whole number ≥ 0, got '-1'"),
    (["train", "--seed", "2147483648"], "--seed: expected a whole number ≤ 2,147,483,647"),
    (["train", "--batch-size", "100001"], "--batch-size: expected a whole number ≤ 100,000"),
    (["train", "--validation", "1"], "--validation: expected a share in [0, 1), got '1'"),
    (["step", "--model", "m.json", "--input=" + "x" * 4000, "--target=1"], "expected numbers separated by commas"),
    (["train", "--activation", "x" * 4000], "invalid choice: 'xxx"),
    (["train", "--hidden", "5,x" + "x" * 4000], "hidden layer sizes must be whole numbers"),
    (["train", "x" * 4000], "unrecognized arguments: xxx"),
    (["train", "--data", "/no/such/" + "d" * 4000 + "/such.csv"], "/such.csv: No such file or directory"),
])
def test_bad_values_are_bounded_and_quoted_short(args, message, capsys):
    err = refused(args, capsys)
    assert message in err and "x" * 61 not in err and "9" * 61 not in err and "d" * 61 not in err, err


def test_values_at_the_limits_are_accepted():
    args = build_parser().parse_args(["train", "--hidden", "64,64,64,64", "--epochs", "10000", "--lr", "1000",
                                      "--seed", "2147483647", "--batch-size", "100000"])
    assert (args.hidden, args.epochs, args.lr, args.seed, args.batch_size) == ((64,) * 4, 10_000, 1000.0,
                                                                             2**31 - 1, 100_000)
    assert build_parser().parse_args(["reproduce", "--folds", "20"]).folds == 20


def test_more_folds_than_rows_still_refused(tmp_path, capsys):
    small = tmp_path / "small.csv"
    small.write_text("1,a\n2,b\n3,a\n4,b\n5,a\n6,b\n")
    assert "cannot fill 20 folds" in refused(["reproduce", "--data", str(small), "--folds", "20"], capsys)


@pytest.mark.parametrize("command", [["train", "--data"], ["step", "--input=1,0", "--target=0,1", "--model"]])
def test_devices_and_directories_exit_2(command, tmp_path, capsys):
    assert "/dev/zero: it is a device, not a regular file" in refused([*command, "/dev/zero"], capsys)
    assert "it is a directory, not a regular file" in refused([*command, str(tmp_path)], capsys)


def test_fifos_exit_2_without_blocking(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for args in (["train", "--data", str(fifo)], ["step", "--model", str(fifo), "--input=1,0", "--target=0,1"],
                 ["train", "--epochs", "1", "--save", str(fifo)]):
        out = subprocess.run([sys.executable, "-m", "core", *args], cwd=ROOT, capture_output=True, text=True,
                             timeout=30)  # a read or write that blocked would hang here
        last = out.stderr.splitlines()[-1]  # (train describes the data on stderr before it saves)
        assert out.returncode == 2 and out.stdout.count("Saved") == 0, out.stderr
        assert last.startswith("python -m core: error: ")
        assert last.endswith("it is a named pipe (FIFO), not a regular file")
        assert out.stderr.count("\n") == (1 if "--save" not in args else 2), out.stderr


@pytest.mark.parametrize("digits", [400, 5000])
def test_a_weight_too_large_for_a_float_exits_2_saying_where(digits, tmp_path, capsys):
    model = tmp_path / "m.json"
    model.write_text('{"layers": [{"weights": [[0.5, 0.5, 0.5]]}, {"weights": [[0.5, %s], [1, 2]]}]}' % ("9" * digits))
    err = refused(["step", "--model", str(model), "--input=1,0", "--target=0,1"], capsys)
    assert err.endswith("m.json: layer 2, neuron 1, weight 2: the number is too large (not a finite number)\n")


@pytest.mark.parametrize("text,message", [
    ("".join(f"{i},{i % 51}\n" for i in range(102)), "row 51: class label '50' would be class 51"),
    ("1e308,a\n-1e308,b\n1,a\n2,b\n", "column 1 (feature 1): values from -1e+308 to 1e+308 are too large"),
    ("1,2,a\n" + "1," * 70 + "a\n", "row 2 has more than 3 columns"),
])
def test_hostile_data_files_exit_2(text, message, tmp_path, capsys):
    data = tmp_path / "d.csv"
    data.write_text(text)
    assert message in refused(["train", "--data", str(data)], capsys)


def test_a_model_beyond_the_limits_exits_2(tmp_path, capsys):
    model = tmp_path / "wide.json"
    model.write_text(json.dumps({"layers": [{"weights": [[0.1] * 8] * 65}, {"weights": [[0.1] * 66] * 3}]}))
    err = refused(["step", "--model", str(model), "--input=1,0,0,0,0,0,0", "--target=0,1,0"], capsys)
    assert "wide.json: layer 1: 65 neurons; the limit is 64 neurons in a hidden layer" in err


def test_any_usage_message_is_capped_and_hidden_sizes_quote_short():
    with pytest.raises(UsageError) as info:  # whatever argparse builds a message from
        build_parser().error("unusual: " + "a b " * 500)
    assert is_one_short_line(str(info.value), 250)
    with pytest.raises(ValueError) as info:  # the app's hidden-layer field calls this too
        parse_hidden("5," + "x" * 4000)
    assert is_one_short_line(str(info.value), 200) and "x" * 61 not in str(info.value)
