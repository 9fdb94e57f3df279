"""Loading and validating a classification dataset from CSV text.

The last column is the class label; every other column is a numeric feature. Labels are
encoded by their *sorted* unique values → 0…k−1 (the tutorial used a ``set``, whose order
can change between runs; sorted is deterministic). Every problem raises ``ValueError`` with a
message naming the row and column.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAX_FEATURES = 64
MAX_ROWS = 100_000
MAX_BYTES = 50 * 1024 * 1024
MISSING = {"", "?", "na", "n/a", "nan", "null", "none"}

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SEEDS_PATH = DATA_DIR / "seeds_dataset.csv"
SEEDS_FEATURES = ["area", "perimeter", "compactness", "kernel length", "kernel width",
                  "asymmetry coefficient", "kernel groove length"]
SEEDS_CLASSES = {"1": "Kama", "2": "Rosa", "3": "Canadian"}


TASKS = ("classification", "regression")


@dataclass
class Dataset:
    """Features (rows × columns, raw values), what to predict, and the names that go with them.

    For classification ``labels`` holds each row's class index (0…k−1) and ``class_names`` the k
    names; for regression ``labels`` holds each row's target value and ``class_names`` is empty.
    """

    features: np.ndarray
    labels: np.ndarray
    feature_names: list[str]
    class_names: list[str]
    name: str = "dataset"
    task: str = "classification"

    @property
    def n_rows(self) -> int:
        return int(self.features.shape[0])

    @property
    def n_features(self) -> int:
        return int(self.features.shape[1])

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    @property
    def is_regression(self) -> bool:
        return self.task == "regression"

    @property
    def n_outputs(self) -> int:
        """Output neurons a network for this data needs: one per class, or one target value."""
        return 1 if self.is_regression else self.n_classes

    def targets(self, rows: np.ndarray | None = None) -> np.ndarray:
        """Target vectors: one-hot rows (the tutorial's ``expected``), or the value as a 1-vector."""
        labels = self.labels if rows is None else self.labels[rows]
        if self.is_regression:
            return np.asarray(labels, dtype=float)[:, None]
        out = np.zeros((len(labels), self.n_classes))
        out[np.arange(len(labels)), labels] = 1.0
        return out

    def class_counts(self) -> np.ndarray:
        return np.bincount(self.labels, minlength=self.n_classes)

    def summary(self) -> dict[str, list]:
        """Per-feature minimum, maximum, mean and standard deviation."""
        x = self.features
        return {"feature": list(self.feature_names), "min": x.min(axis=0).tolist(), "max": x.max(axis=0).tolist(),
                "mean": x.mean(axis=0).tolist(), "std": x.std(axis=0).tolist()}

    def describe(self) -> str:
        what = "a value to predict" if self.is_regression else f"{self.n_classes} classes"
        return f"{self.name}: {self.n_rows} rows, {self.n_features} features, {what}"


def _to_number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value


def _split_line(line: str, delimiter: str | None) -> list[str]:
    if delimiter is None:
        return line.split()
    return [field.strip() for field in line.split(delimiter)]


def _detect_delimiter(line: str) -> str | None:
    """Comma or semicolon if the line has one, else any run of tabs/spaces (UCI's seeds file)."""
    for delimiter in (",", ";"):
        if delimiter in line:
            return delimiter
    return None


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    if len(data) > MAX_BYTES:
        raise ValueError(f"the file is {len(data) / 1e6:.0f} MB; the limit is {MAX_BYTES // 2**20} MB")
    if b"\x00" in data:
        raise ValueError("this is not a text file (it contains binary data); expected a CSV")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ValueError(
            f"this is not a UTF-8 text file (byte {err.start} cannot be read); expected a CSV"
        ) from None


def _sorted_labels(values: set[str]) -> list[str]:
    """Numeric labels sort by value (2 before 10), others alphabetically."""
    if all(_to_number(v) is not None for v in values):
        return sorted(values, key=lambda v: (float(v), v))
    return sorted(values)


def parse_csv(data: bytes | str, name: str = "uploaded data") -> Dataset:
    """Parse CSV text (comma, semicolon, tab or whitespace separated; header optional) into a Dataset."""
    text = _decode(data)
    rows: list[tuple[int, list[str]]] = []
    delimiter: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if not rows:
            delimiter = _detect_delimiter(line)
        rows.append((number, _split_line(line, delimiter)))
        if len(rows) > MAX_ROWS + 1:
            raise ValueError(f"the file has more than {MAX_ROWS:,} rows; the limit is {MAX_ROWS:,}")
    if not rows:
        raise ValueError("the file is empty: expected rows of numeric features with the class label last")

    first_number, first = rows[0]
    n_columns = len(first)
    if n_columns < 2:
        raise ValueError(f"row {first_number} has a single column; expected at least one feature "
                         "column followed by the class label")
    if n_columns - 1 > MAX_FEATURES:
        raise ValueError(f"the file has {n_columns - 1} feature columns; the limit is {MAX_FEATURES}")
    has_header = all(_to_number(field) is None for field in first[:-1])
    if has_header:
        feature_names = [field or f"feature {i + 1}" for i, field in enumerate(first[:-1])]
        rows = rows[1:]
        if not rows:
            raise ValueError("the file has a header but no data rows")
    else:
        feature_names = [f"feature {i + 1}" for i in range(n_columns - 1)]
    if len(rows) > MAX_ROWS:
        raise ValueError(f"the file has {len(rows):,} data rows; the limit is {MAX_ROWS:,}")

    features = np.empty((len(rows), n_columns - 1))
    labels: list[str] = []
    for r, (number, fields) in enumerate(rows):
        if len(fields) != n_columns:
            raise ValueError(f"row {number} has {len(fields)} columns, but row {first_number} has "
                             f"{n_columns}: every row needs the same number of columns")
        for c, field in enumerate(fields[:-1]):
            value = _to_number(field)
            where = f"row {number}, column {c + 1} ({feature_names[c]})"
            if field.lower() in MISSING:
                raise ValueError(f"{where}: missing value")
            if value is None:
                raise ValueError(f"{where}: {field[:40]!r} is not a number")
            if not math.isfinite(value):
                raise ValueError(f"{where}: {field!r} is not a finite number")
            features[r, c] = value
        label = fields[-1]
        if label.lower() in MISSING:
            raise ValueError(f"row {number}, column {n_columns} (class label): missing value")
        labels.append(label)

    class_values = _sorted_labels(set(labels))
    if len(class_values) < 2:
        raise ValueError(f"the class label column (column {n_columns}) has a single class "
                         f"({class_values[0]!r}); classification needs at least two")
    if len(rows) < 2 * len(class_values):
        raise ValueError(f"{len(rows)} rows for {len(class_values)} classes: "
                         f"need at least {2 * len(class_values)} rows (two per class)")
    index = {value: i for i, value in enumerate(class_values)}
    encoded = np.array([index[label] for label in labels], dtype=np.int64)
    return Dataset(features, encoded, feature_names, class_values, name)


def load_csv(path: str | Path, name: str | None = None) -> Dataset:
    """Read and parse a CSV file; a missing or unreadable file is a ``ValueError`` too."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ValueError(f"{path}: the file is {size / 1e6:.0f} MB; the limit is {MAX_BYTES // 2**20} MB")
        data = path.read_bytes()
    except OSError as err:
        raise ValueError(f"cannot read {path}: {err.strerror or err}") from None
    try:
        return parse_csv(data, name or path.name)
    except ValueError as err:
        raise ValueError(f"{path.name}: {err}") from None


def load_seeds(path: str | Path = SEEDS_PATH) -> Dataset:
    """The bundled UCI wheat-seeds data: 210 rows, 7 measurements, varieties Kama, Rosa, Canadian."""
    dataset = load_csv(path, name="Wheat seeds (UCI)")
    dataset.feature_names = list(SEEDS_FEATURES)
    dataset.class_names = [SEEDS_CLASSES.get(v, v) for v in dataset.class_names]
    return dataset
