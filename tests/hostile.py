"""Helpers for tests that feed the loaders hostile input: what it cost, whether it returned at all."""
from __future__ import annotations

import threading
import tracemalloc
from typing import Any, Callable


def outcome_and_peak(function: Callable[..., Any], *args: Any) -> tuple[Any, int]:
    """``function(*args)``'s result (or the ValueError it raised) and the peak bytes it allocated."""
    tracemalloc.start()
    try:
        try:
            result = function(*args)
        except ValueError as err:
            result = err
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def outcome_within(seconds: float, function: Callable[..., Any], *args: Any) -> Any:
    """``function(*args)``'s result or the exception it raised; AssertionError if still running after
    ``seconds`` (e.g. blocked opening a FIFO). The thread is a daemon, so a hang does not stop pytest."""
    box: list[Any] = []

    def call() -> None:
        try:
            box.append(function(*args))
        except BaseException as err:  # noqa: BLE001 — handed back to the test to inspect
            box.append(err)

    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"{getattr(function, '__name__', function)} still running after {seconds} s"
    return box[0]


def is_one_short_line(message: str, limit: int = 300) -> bool:
    """A message fit to show: one line, and not a wall of quoted input."""
    return "\n" not in message and "\r" not in message and 0 < len(message) <= limit
