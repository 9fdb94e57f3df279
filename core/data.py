"""Loading and validating a classification dataset from CSV text.

The last column is the class label; every other column is a numeric feature. Labels are
encoded by their *sorted* unique values → 0…k−1 (the tutorial used a ``set``, whose order
can change between runs; sorted is deterministic). A label that is a number is one class per
value — "1", "1.0" and " 1 " are the same class, named by the spelling seen first in the file;
any other label is compared as stripped text. Every problem raises ``ValueError`` with a
one-line message naming the row and column.

The limits (bytes, rows, features, classes, values) are ``core.limits``'; the file is read one
line at a time, so one beyond a limit is refused when reading reaches it, before anything of
that size is allocated.
"""
from __future__ import annotations

import math
import re
from array import array
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Iterator

import numpy as np

from .files import read_capped, shown
from .limits import (MAX_CELLS, MAX_CLASSES, MAX_CSV_BYTES, MAX_FEATURES, MAX_NAME_CHARS, MAX_ROWS, megabytes,
                     quote, shorten)

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


def _split_line(line: str, delimiter: str | None, max_fields: int) -> list[str]:
    """The line's fields, at most ``max_fields`` + 1 of them (the last one then holds the rest)."""
    if delimiter is None:
        return line.split(None, max_fields)
    return [field.strip() for field in line.split(delimiter, max_fields)]


def _detect_delimiter(line: str) -> str | None:
    """Comma or semicolon if the line has one, else any run of tabs/spaces (UCI's seeds file)."""
    for delimiter in (",", ";"):
        if delimiter in line:
            return delimiter
    return None


LINE_BREAKS = ("\n", "\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")  # str.splitlines'
_NON_BLANK_LINE = re.compile(r"\S[^" + "".join(LINE_BREAKS) + "]*")


def _non_blank_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line without leading blanks) for each line that is not blank, one at a time.

    Numbered as ``str.splitlines`` would number them, without building the list of every line.
    """
    breaks = [b for b in LINE_BREAKS if b in text]
    crlf = "\r\n" in text
    number, last = 1, 0
    for match in _NON_BLANK_LINE.finditer(text):
        start = match.start()
        number += sum(text.count(b, last, start) for b in breaks)
        number -= text.count("\r\n", last, start) if crlf else 0  # one break, counted twice above
        last = start
        yield number, match.group()


def _decode(data: bytes | str) -> str:
    if len(data) > MAX_CSV_BYTES:
        raise ValueError(f"the file is {megabytes(len(data))}; the limit is {megabytes(MAX_CSV_BYTES)}")
    if isinstance(data, str):
        return data
    if b"\x00" in data:
        raise ValueError("this is not a text file (it contains binary data); expected a CSV")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ValueError(
            f"this is not a UTF-8 text file (byte {err.start} cannot be read); expected a CSV"
        ) from None


def _check_name(name: str, row: int, column: int) -> None:
    """Refuse a column name or class label longer than MAX_NAME_CHARS: pages show every one."""
    if len(name) > MAX_NAME_CHARS:
        raise ValueError(f"row {row}, column {column}: {quote(name)} is {len(name):,} characters long; "
                         f"names and class labels are limited to {MAX_NAME_CHARS}")


def _class_key(label: str) -> float | str:
    """What makes two labels the same class: the value of a (finite) number, else the stripped text."""
    value = _to_number(label)
    return value if value is not None and math.isfinite(value) else label.strip()


class _Classes:
    """The distinct class labels met so far, each with the spelling seen first; at most MAX_CLASSES."""

    def __init__(self) -> None:
        self.index: dict[float | str, int] = {}
        self.names: list[str] = []

    def code(self, label: str, row: int, column: int) -> int:
        """The class number of ``label`` (in order of first appearance), met in line ``row``."""
        key = _class_key(label)
        code = self.index.get(key)
        if code is None:
            if len(self.names) == MAX_CLASSES:
                raise ValueError(f"row {row}: class label {quote(label)} would be class {MAX_CLASSES + 1}; "
                                 f"the limit is {MAX_CLASSES} classes")
            _check_name(label, row, column)
            code = self.index[key] = len(self.names)
            self.names.append(label)
        return code

    def sorted_codes(self) -> list[int]:
        """Codes in class order: numeric labels by value (2 before 10), others alphabetically."""
        keys = list(self.index)
        if all(isinstance(k, float) for k in keys):
            return sorted(range(len(keys)), key=lambda c: keys[c])
        return sorted(range(len(keys)), key=lambda c: self.names[c])


def _check_columns(features: np.ndarray, feature_names: list[str]) -> None:
    """Refuse a column whose range, mean or standard deviation overflows (values near ±1e308)."""
    with np.errstate(over="ignore", invalid="ignore"):
        low, high = features.min(axis=0), features.max(axis=0)
        finite = (np.isfinite(high - low) & np.isfinite(features.mean(axis=0))
                  & np.isfinite(features.std(axis=0)))
    for c in np.flatnonzero(~finite)[:1]:
        raise ValueError(f"column {c + 1} ({shorten(feature_names[c])}): values from {low[c]:.6g} to "
                         f"{high[c]:.6g} are too large to compute with (their range, mean or spread overflows)")


def _refuse_row(number: int, fields: list[str], feature_names: list[str]) -> None:
    """The ValueError for the first feature in row ``number`` that is missing or not a finite number."""
    for c, field in enumerate(fields[:-1]):
        value = _to_number(field)
        where = f"row {number}, column {c + 1} ({shorten(feature_names[c])})"
        if field.lower() in MISSING:
            raise ValueError(f"{where}: missing value")
        if value is None:
            raise ValueError(f"{where}: {quote(field)} is not a number")
        if not math.isfinite(value):
            raise ValueError(f"{where}: {quote(field)} is not a finite number")


def parse_csv(data: bytes | str, name: str = "uploaded data") -> Dataset:
    """Parse CSV text (comma, semicolon, tab or whitespace separated; header optional) into a Dataset."""
    lines = _non_blank_lines(_decode(data))
    first_number, line = next(lines, (0, ""))
    if not first_number:
        raise ValueError("the file is empty: expected rows of numeric features with the class label last")
    delimiter = _detect_delimiter(line)
    first = _split_line(line, delimiter, MAX_FEATURES + 1)
    n_columns = len(first)
    n_features = n_columns - 1
    if n_columns < 2:
        raise ValueError(f"row {first_number} has a single column; expected at least one feature "
                         "column followed by the class label")
    if n_features > MAX_FEATURES:
        raise ValueError(f"the file has more than {MAX_FEATURES} feature columns; the limit is {MAX_FEATURES}")
    has_header = all(_to_number(field) is None for field in first[:-1])
    if has_header:
        for c, field in enumerate(first[:-1]):
            _check_name(field, first_number, c + 1)
        feature_names = [field or f"feature {i + 1}" for i, field in enumerate(first[:-1])]
    else:
        feature_names = [f"feature {i + 1}" for i in range(n_features)]
        lines = chain([(first_number, line)], lines)

    values = array("d")
    codes = array("q")
    classes = _Classes()
    n_rows = 0
    for number, line in lines:
        n_rows += 1
        if n_rows > MAX_ROWS:
            raise ValueError(f"the file has more than {MAX_ROWS:,} rows; the limit is {MAX_ROWS:,}")
        if n_rows * n_features > MAX_CELLS:
            raise ValueError(f"the file has more than {MAX_CELLS // n_features:,} rows of {n_features} features; "
                             f"the limit is {MAX_CELLS:,} values (rows × features)")
        fields = _split_line(line, delimiter, n_columns)
        if len(fields) != n_columns:
            count = f"more than {n_columns}" if len(fields) > n_columns else f"{len(fields)}"
            raise ValueError(f"row {number} has {count} columns, but row {first_number} has "
                             f"{n_columns}: every row needs the same number of columns")
        try:
            row = [float(field) for field in fields[:-1]]
        except ValueError:
            row = []
        if len(row) != n_features or not all(map(math.isfinite, row)):
            _refuse_row(number, fields, feature_names)
        values.extend(row)
        label = fields[-1]
        if label.lower() in MISSING:
            raise ValueError(f"row {number}, column {n_columns} (class label): missing value")
        codes.append(classes.code(label, number, n_columns))
    if not n_rows:
        raise ValueError("the file has a header but no data rows")

    n_classes = len(classes.names)
    if n_classes < 2:
        raise ValueError(f"the class label column (column {n_columns}) has a single class "
                         f"({quote(classes.names[0])}); classification needs at least two")
    if n_rows < 2 * n_classes:
        raise ValueError(f"{n_rows} rows for {n_classes} classes: "
                         f"need at least {2 * n_classes} rows (two per class)")
    features = np.frombuffer(values, dtype=float).reshape(n_rows, n_features)
    _check_columns(features, feature_names)
    order = classes.sorted_codes()
    rank = np.empty(n_classes, dtype=np.int64)
    rank[order] = np.arange(n_classes)
    encoded = rank[np.frombuffer(codes, dtype=np.int64)]
    return Dataset(features, encoded, feature_names, [classes.names[c] for c in order], name)


def load_csv(path: str | Path, name: str | None = None) -> Dataset:
    """Read (at most MAX_CSV_BYTES of a regular file) and parse a CSV; every problem is a ValueError."""
    data = read_capped(path, MAX_CSV_BYTES)
    try:
        return parse_csv(data, name or Path(path).name)
    except ValueError as err:
        raise ValueError(f"{shown(Path(path).name)}: {err}") from None


def load_seeds(path: str | Path = SEEDS_PATH) -> Dataset:
    """The bundled UCI wheat-seeds data: 210 rows, 7 measurements, varieties Kama, Rosa, Canadian."""
    dataset = load_csv(path, name="Wheat seeds (UCI)")
    dataset.feature_names = list(SEEDS_FEATURES)
    dataset.class_names = [SEEDS_CLASSES.get(v, v) for v in dataset.class_names]
    return dataset
