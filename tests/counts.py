"""Counts that robustness tests report at the end of the run (see conftest.pytest_terminal_summary)."""
from collections import Counter
from threading import Lock

COUNTS: Counter = Counter()
_lock = Lock()


def record(what: str, n: int = 1) -> None:
    with _lock:
        COUNTS[what] += n
