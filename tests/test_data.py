"""CSV loading, validation messages, normalisation and splits."""
import os
from pathlib import Path

import numpy as np
import pytest

from core import (fit_normaliser, load_csv, load_seeds, normalise, parse_csv, toy_network, train_validation_split,
                  walk_through)
from core.data import MAX_FEATURES, MAX_ROWS
from core.files import read_capped
from core.limits import MAX_CELLS, MAX_CLASSES, MAX_CSV_BYTES, MAX_NAME_CHARS
from core.metrics import confusion_matrix, precision_recall, zero_rule_accuracy
from hostile import is_one_short_line, outcome_and_peak, outcome_within


def test_bundled_seeds_data():
    d = load_seeds()
    assert (d.n_rows, d.n_features, d.n_classes) == (210, 7, 3)
    assert d.class_names == ["Kama", "Rosa", "Canadian"]
    assert d.feature_names[0] == "area" and d.feature_names[-1] == "kernel groove length"
    assert d.class_counts().tolist() == [70, 70, 70]
    assert d.features[0].tolist() == [15.26, 14.84, 0.871, 5.763, 3.312, 2.221, 5.22]


def test_uci_tab_separated_file_with_doubled_tabs():
    text = "15.26\t14.84\t0.871\t1\n14.88\t\t14.57\t0.8811\t1\n13.84\t13.94\t0.8955\t2\n16.1\t14.9\t0.9\t2\n"
    d = parse_csv(text)
    assert d.features.shape == (4, 3)
    assert d.features[1].tolist() == [14.88, 14.57, 0.8811]


def test_header_and_string_labels_sorted():
    d = parse_csv("a,b,kind\n1,2,zebra\n3,4,ant\n5,6,zebra\n7,8,ant\n")
    assert d.feature_names == ["a", "b"]
    assert d.class_names == ["ant", "zebra"]
    assert d.labels.tolist() == [1, 0, 1, 0]


def test_numeric_labels_sort_by_value():
    d = parse_csv("1,10\n2,9\n3,10\n4,9\n")
    assert d.class_names == ["9", "10"]


@pytest.mark.parametrize("text,message", [
    ("", "empty"),
    ("\n\n  \n", "empty"),
    ("1,2,a\n1,x,b\n3,4,a\n5,6,b\n", "row 2, column 2 (feature 2): 'x' is not a number"),
    ("1,2,a\n1,,b\n3,4,a\n5,6,b\n", "row 2, column 2 (feature 2): missing value"),
    ("1,2,a\n1,?,b\n3,4,a\n5,6,b\n", "row 2, column 2 (feature 2): missing value"),
    ("1,2,a\n1,2\n3,4,a\n5,6,b\n", "row 2 has 2 columns, but row 1 has 3"),
    ("1,2,a\n3,4,a\n", "single class"),
    ("1,2,a\n3,4,b\n5,6,c\n", "3 rows for 3 classes"),
    ("1,2,a\n1,inf,b\n3,4,a\n5,6,b\n", "not a finite number"),
    ("1,2,\n3,4,b\n5,6,a\n5,6,b\n", "row 1, column 3 (class label): missing value"),
    ("x,y,z\n", "header but no data rows"),
    ("1\n2\n", "single column"),
])
def test_bad_csv_gets_a_clear_message(text, message):
    with pytest.raises(ValueError, match=None) as info:
        parse_csv(text)
    assert message in str(info.value)


def test_binary_and_non_utf8_files_are_refused():
    with pytest.raises(ValueError, match="not a text file"):
        parse_csv(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(ValueError, match="not a UTF-8 text file"):
        parse_csv(b"1,2,\xff\n")


def test_too_many_columns_and_rows():
    wide = ",".join(["1"] * (MAX_FEATURES + 1)) + ",a\n"
    with pytest.raises(ValueError, match="feature columns; the limit is 64"):
        parse_csv(wide * 4)
    tall = "1,a\n2,b\n" * (MAX_ROWS // 2 + 1)
    with pytest.raises(ValueError, match="more than 100,000 rows"):
        parse_csv(tall)


def test_missing_file(tmp_path):
    with pytest.raises(ValueError, match="cannot read"):
        load_csv(tmp_path / "absent.csv")


def test_minmax_normalisation_like_the_tutorial():
    x = load_seeds().features
    n = normalise(x, "minmax")
    assert n.min(axis=0).tolist() == [0.0] * 7 and n.max(axis=0).tolist() == [1.0] * 7
    lo, hi = x[:, 2].min(), x[:, 2].max()
    assert n[5, 2] == (x[5, 2] - lo) / (hi - lo)  # the tutorial's expression, bit for bit


def test_constant_column_normalises_to_zero():
    x = np.array([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]])
    for method in ("minmax", "zscore"):
        out = fit_normaliser(x, method).apply(x)
        assert np.all(np.isfinite(out)) and out[:, 1].tolist() == [0.0, 0.0, 0.0]


def test_stratified_split_is_seeded_and_ordered():
    labels = load_seeds().labels
    train, val = train_validation_split(labels, 0.2, seed=4)
    assert len(val) == 42 and np.bincount(labels[val]).tolist() == [14, 14, 14]
    assert sorted(set(train) | set(val)) == list(range(210)) and not set(train) & set(val)
    assert list(train) == sorted(train)
    again, _ = train_validation_split(labels, 0.2, seed=4)
    assert again.tolist() == train.tolist()


def test_a_class_with_one_row_stays_in_training():
    labels = np.array([0, 0, 0, 0, 1])
    train, val = train_validation_split(labels, 0.5)
    assert 4 in train


def test_metrics():
    cm = confusion_matrix([0, 0, 1, 2, 2], [0, 1, 1, 2, 0], 3)
    assert cm.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 1]]
    precision, recall = precision_recall(cm)
    assert precision.tolist() == [0.5, 0.5, 1.0] and recall.tolist() == [0.5, 1.0, 0.5]
    assert zero_rule_accuracy(np.array([1, 1, 0]), np.array([1, 0, 1, 1]), 2) == 75.0


# -- hostile input: limits, overflow, long values, labels, files that are not files ---------------

def rows_of_classes(n_classes: int, per_class: int = 2) -> str:
    return "".join(f"{i},{i % n_classes}\n" for i in range(n_classes * per_class))


def test_fifty_classes_are_accepted_and_fifty_one_refused():
    assert parse_csv(rows_of_classes(MAX_CLASSES)).n_classes == 50
    with pytest.raises(ValueError, match=r"^row 51: class label '50' would be class 51; the limit is 50 classes$"):
        parse_csv(rows_of_classes(MAX_CLASSES + 1))


def test_ten_thousand_classes_are_refused_at_the_51st_before_anything_large_exists():
    text = rows_of_classes(10_000)  # ~180 KB; once made a training start peak at 7 GB
    error, peak = outcome_and_peak(parse_csv, text)
    assert isinstance(error, ValueError) and str(error).startswith("row 51: class label '50' would be class 51")
    assert peak < 500_000, peak  # the rows after the 51st were never read


def test_rows_times_features_are_capped(monkeypatch):
    assert MAX_CELLS == 600_000
    monkeypatch.setattr("core.data.MAX_CELLS", 40)
    assert parse_csv("1,2,a\n3,4,b\n" * 10).n_rows == 20  # 20 rows × 2 features = 40 values
    with pytest.raises(ValueError, match=r"more than 20 rows of 2 features; the limit is 40 values"):
        parse_csv("1,2,a\n3,4,b\n" * 10 + "5,6,a\n")


@pytest.mark.parametrize("column", [
    ["1e308", "-1e308", "0", "0"],       # max − min overflows
    ["-1.7e308", "1.7e308", "1", "2"],
    ["1.5e308"] * 4,                    # the sum behind the mean overflows
    ["1e300", "1e300", "-1e300", "-1e300"],  # the squares behind the standard deviation overflow
])
def test_values_whose_range_or_spread_overflows_are_refused_naming_the_column(column):
    text = "x,size,kind\n" + "".join(f"{i},{v},{'ab'[i % 2]}\n" for i, v in enumerate(column))
    with pytest.raises(ValueError, match=r"^column 2 \(size\): values from .* are too large to compute with"):
        parse_csv(text)


def test_large_values_that_do_not_overflow_are_kept():
    d = parse_csv("1e150,a\n-1e150,b\n5e149,a\n0,b\n1e-300,a\n")
    for method in ("minmax", "zscore"):
        assert np.all(np.isfinite(normalise(d.features, method)))


@pytest.mark.parametrize("method", ["minmax", "zscore"])
def test_fit_normaliser_refuses_what_would_overflow(method):
    x = np.array([[0.0, 1e308], [1.0, -1e308], [2.0, 0.0]])
    with pytest.raises(ValueError, match=r"^column 2: cannot normalise: .* is not a finite number"):
        fit_normaliser(x, method)


def test_normalising_far_outside_the_fitted_range_is_refused():
    n = fit_normaliser(np.array([[0.0], [1e-300]]))
    assert n.apply(np.array([[5e-301]])).tolist() == [[0.5]]
    with pytest.raises(ValueError, match="column 1: normalising gives a value too large"):
        n.apply(np.array([[1e10]]))


def test_one_and_one_point_zero_are_one_class_named_as_first_seen():
    d = parse_csv("1,1.0\n2,2\n3,1\n4,2.00\n5, 1e0 \n6,10\n7,10.0\n")
    assert d.class_names == ["1.0", "2", "10"] and d.labels.tolist() == [0, 1, 0, 1, 0, 2, 2]
    d = parse_csv("1,b\n2,a\n3, b\n4,1\n5,1.0\n6,a \n")  # mixed: numbers by value, text stripped
    assert d.class_names == ["1", "a", "b"] and d.labels.tolist() == [2, 1, 2, 0, 0, 1]


LONG = "x" * 4000
NAME = "x" * MAX_NAME_CHARS  # the longest name allowed, still too long to quote whole


@pytest.mark.parametrize("text", [
    f"1,{LONG},a\n2,3,b\n",                      # a 4 KB field that is not a number
    f"1,{'9' * 4000},a\n2,3,b\n",                 # … not finite
    f"a,{NAME},c\n1,x,a\n2,3,b\n",                # a long header name in 'row 2, column 2 (…)'
    f"a,{LONG},c\n1,2,a\n2,3,b\n",                # a 4 KB header name
    f"1,2,{NAME}\n3,4,{NAME}\n",                  # a long class label, the only one
    f"1,2,{LONG}\n3,4,b\n",                       # a 4 KB class label
    f"1,2,a\n2,3,b\n" + "".join(f"{i},1,{NAME[:90]}{i}\n" for i in range(60)),  # the 51st class
    f"{NAME},k\n1e308,a\n-1e308,b\n1,a\n2,b\n",    # a long column name, values that overflow
    "1,\x1b[31m\r\u2028" + LONG + ",a\n2,3,b\n",  # control characters in the quoted value
])
def test_messages_quote_at_most_about_60_characters_on_one_line(text):
    with pytest.raises(ValueError) as info:
        parse_csv(text)
    message = str(info.value)
    assert is_one_short_line(message, 200), message
    assert "x" * 61 not in message and "9" * 61 not in message


def test_names_and_labels_of_at_most_100_characters_are_kept():
    d = parse_csv(f"{'n' * 100},label\n1,{'c' * 100}\n2,b\n3,{'c' * 100}\n4,b\n")
    assert d.feature_names == ["n" * 100] and d.class_names == ["b", "c" * 100]
    with pytest.raises(ValueError, match=r"^row 1, column 1: 'n{60}…' is 101 characters long; names and class "
                                         r"labels are limited to 100$"):
        parse_csv(f"{'n' * 101},label\n1,a\n2,b\n3,a\n4,b\n")
    with pytest.raises(ValueError, match=r"^row 3, column 2: 'c{60}…' is 5,000 characters long"):
        parse_csv(f"1,a\n2,b\n3,{'c' * 5000}\n4,b\n")


def test_a_long_file_name_is_shortened_in_messages(tmp_path):
    path = tmp_path / ("n" * 200 + ".csv")
    path.write_text("1,2,a\n1,x,b\n")
    with pytest.raises(ValueError) as info:
        load_csv(path)
    assert is_one_short_line(str(info.value), 200) and "n" * 61 not in str(info.value)


def test_devices_directories_and_fifos_are_refused_without_reading_or_blocking(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    for path, kind in [("/dev/zero", "a device"), (tmp_path, "a directory"), (fifo, "a named pipe (FIFO)")]:
        error = outcome_within(10, load_csv, path)
        assert isinstance(error, ValueError) and str(error).endswith(f"it is {kind}, not a regular file")


def test_a_file_over_the_byte_cap_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "big.csv"
    with open(big, "wb") as file:
        file.truncate(MAX_CSV_BYTES + 1)  # sparse: nothing written, but 50 MB long
    error, peak = outcome_and_peak(load_csv, big)
    assert isinstance(error, ValueError) and "the file is 50 MB; the limit is 50 MB" in str(error)
    assert peak < 1_000_000, peak


def test_reading_stops_at_the_cap_when_the_size_is_misreported(tmp_path):
    status = Path("/proc/self/status")  # a regular file whose stat() size is 0
    assert status.stat().st_size == 0 and len(read_capped(status, 100_000)) > 100
    with pytest.raises(ValueError, match="larger than 100 bytes, the limit"):
        read_capped(status, 100)


def test_core_builds_no_markup_from_user_text():
    # names come from uploaded files: they go into titles (plain text), never into the LaTeX
    hostile = ["<script>x</script>", "\\href{javascript:x}{y}", "$\\x$", "<b>"]
    walk = walk_through(toy_network(), [1.0, 0.0], [0.0, 1.0], feature_names=hostile[2:], class_names=hostile[:2])
    latex = "\n".join(line for step in walk.steps for line in step.latex)
    titles = "\n".join(step.title for step in walk.steps)
    assert "<script>x</script>" in titles and "javascript" in titles
    assert not any(name in latex for name in hostile) and "script" not in latex
