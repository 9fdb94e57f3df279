"""CSV loading, validation messages, normalisation and splits."""
import numpy as np
import pytest

from core import fit_normaliser, load_csv, load_seeds, normalise, parse_csv, train_validation_split
from core.data import MAX_FEATURES, MAX_ROWS
from core.metrics import confusion_matrix, precision_recall, zero_rule_accuracy


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
