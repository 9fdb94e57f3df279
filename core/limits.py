"""Every size limit in one place, and why it exists.

The app is served to classrooms: anyone can upload a CSV or a model JSON, and the CLI reads any
path. A limit exists wherever a small input could otherwise make the engine allocate, compute or
print something large. The same limits hold for the app, the CLI and uploaded models.

Data (core/data.py)

- ``MAX_CSV_BYTES`` (50 MB): a file is read into memory whole; enough for the largest table
  allowed below (600,000 values of up to ~80 characters each).
- ``MAX_FEATURES`` (64): one input neuron per feature; the network graph and the step-through
  write out one term per input, which stop being readable long before 64.
- ``MAX_CLASSES`` (50): one output neuron, one one-hot column and one confusion-matrix row and column
  per class; 10,000 classes made one training run allocate 7 GB. Counted while reading, so a file
  with too many classes is refused before anything of that size exists.
- ``MAX_NAME_CHARS`` (100): a column name or class label is shown on every page that names it (graph
  labels, tables, legends); a 5 MB upload could otherwise be one 5 MB name.
- ``MAX_ROWS`` (100,000) and ``MAX_CELLS`` (600,000 = rows × features): the feature table is
  rows × features × 8 bytes (4.8 MB at the cap), and every epoch visits every row. The cap also keeps
  a lesson with the largest data (features, labels, a 10,000-epoch history) within the 8 MB a lesson
  snapshot may take (storage/snapshots.py), so every dataset the app accepts can be saved.

Networks (core/model_io.py, the CLI's ``--hidden``, the app's hidden-layer field)

- ``MAX_HIDDEN_LAYERS`` (4) of at most ``MAX_NEURONS`` (64) neurons, at most ``MAX_FEATURES`` inputs
  and ``MAX_OUTPUTS`` (= ``MAX_CLASSES``) outputs: what the app's pages can draw and step through.
  An uploaded 7-1500-1500-3 model (4.5 MB) took the server to 3.7 GB before this applied to uploads.
- ``MAX_MODEL_BYTES`` (2 MB): the largest model allowed above has 19,890 numbers, 0.5 MB as
  ``model_io.dumps`` writes it with names and normalisation (0.8 MB re-indented by 4); the rest is
  room for other tools' formatting.

Training settings (the CLI's arguments; the app's number inputs stay within the same bounds)

- ``MAX_EPOCHS`` (10,000) and ``MAX_FOLDS`` (20): a run's length is bounded (cross-validation
  trains one network per fold).
- ``MAX_LEARNING_RATE`` (1000): far beyond any useful rate, but finite, so a typo cannot make the
  first update overflow every weight.
- ``MAX_SEED`` (2³¹ − 1, and ≥ 0: numpy refuses negative seeds) and ``MAX_BATCH_SIZE``
  (= ``MAX_ROWS``; a larger batch is the full batch anyway): no setting needs a larger number.
- ``MAX_ORDER_ENTRIES`` (1,000,000): a Trainer draws the row order of several epochs at once; it
  draws at most this many row indices (8 MB) at a time, whatever epochs × rows is.
- ``MAX_SNAPSHOT_VALUES`` (60,000): a run keeps its weights every few epochs for its animation (about
  60 frames), and the lesson saves them with every snapshot; at most this many numbers (0.5 MB) in
  all, so the largest network keeps fewer frames rather than a larger lesson.

Messages

- ``MAX_QUOTE`` (60): an error message quotes at most this many characters of what the user gave
  (a 4 KB CSV line was once quoted whole), with control characters escaped, so it stays one line.
"""
from __future__ import annotations

from typing import Sequence

MAX_CSV_BYTES = 50 * 2**20
MAX_FEATURES = 64
MAX_CLASSES = 50
MAX_NAME_CHARS = 100
MAX_ROWS = 100_000
MAX_CELLS = 600_000

MAX_HIDDEN_LAYERS = 4
MAX_NEURONS = 64
MAX_OUTPUTS = MAX_CLASSES
MAX_MODEL_BYTES = 2 * 2**20

MAX_EPOCHS = 10_000
MAX_FOLDS = 20
MAX_LEARNING_RATE = 1000.0
MAX_SEED = 2**31 - 1
MAX_BATCH_SIZE = MAX_ROWS
MAX_ORDER_ENTRIES = 1_000_000
MAX_SNAPSHOT_VALUES = 60_000

MAX_QUOTE = 60


def megabytes(n_bytes: int) -> str:
    """A byte count for a message: "50 MB", "2.5 MB", "12 KB", "100 bytes" (KB = 2¹⁰, MB = 2²⁰ bytes)."""
    if n_bytes < 2**10:
        return f"{n_bytes} bytes"
    if n_bytes < 2**20:
        return f"{n_bytes / 2**10:.0f} KB"
    mb = n_bytes / 2**20
    return f"{mb:.1f} MB" if mb < 10 else f"{mb:.0f} MB"


def shorten(text: object, limit: int = MAX_QUOTE, keep_end: bool = False) -> str:
    """User text fit for a one-line message: control characters escaped, at most ``limit``
    characters of it kept (the start, or the end for paths) and "…" where the rest was cut."""
    text = str(text)
    if len(text) <= limit and text.isprintable():
        return text
    if len(text) > limit:
        text = "…" + text[-limit:] if keep_end else text[:limit] + "…"
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def quote(text: object, limit: int = MAX_QUOTE) -> str:
    """``shorten(text)`` in quotes, as a message quotes a user's value: 'abc', 'abcdef…'."""
    return f"'{shorten(text, limit)}'"


def check_hidden(sizes: Sequence[int]) -> tuple[int, ...]:
    """``sizes`` as a tuple if within MAX_HIDDEN_LAYERS layers of at most MAX_NEURONS neurons each."""
    sizes = tuple(sizes)
    too_big = [s for s in sizes if s > MAX_NEURONS]
    if len(sizes) > MAX_HIDDEN_LAYERS or too_big:
        got = (f"{len(sizes)} hidden layers" if len(sizes) > MAX_HIDDEN_LAYERS
               else f"a layer of {shorten(too_big[0])} neurons")
        raise ValueError(f"at most {MAX_HIDDEN_LAYERS} hidden layers of at most {MAX_NEURONS} neurons each; "
                         f"got {got}")
    return sizes
