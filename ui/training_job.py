"""A training run computing on its own thread, so that no page waits for it and several students
train on several cores at once (the compiled loop releases the interpreter lock).

The worker trains a chunk of epochs, publishes what it has (epoch, weights, how much history is
complete) under a lock, and goes on — at the pace chosen for the room, or as fast as it can. Pages
only read the latest published state. Pause and Stop take effect at the end of the chunk under way;
a chunk is kept short (≈ 50 ms), so that is well within 0.3 s.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, replace

from core import Network, Trainer

# epochs per second; None: as fast as the machine goes (then the final charts)
PACES: dict[str, float | None] = {"slow, for a lecture": 5.0, "steady": 25.0, "brisk": 100.0, "instant": None}
CHUNK_SECONDS = 0.05  # a chunk of epochs takes about this long, so pause and stop land quickly
IDLE_SECONDS = 120.0  # with nobody watching for this long, a run pauses itself; paused and unwatched
# for as long again, its thread ends (Resume then restarts the run from the lesson: same numbers)


@dataclass(frozen=True)
class Progress:
    """What a page may show: a consistent picture of the run at the end of a chunk."""

    epoch: int
    network: Network
    velocity: list | None  # momentum's velocity, matching ``network``
    n_history: int  # records of trainer.history complete up to here
    status: str  # "running", "paused", "finished", "stopped"
    stop_reason: str | None
    compute_seconds: float


class TrainingJob:
    """Runs ``trainer`` on a daemon thread at ``pace`` epochs per second (None: flat out)."""

    def __init__(self, trainer: Trainer, pace: float | None = None, start: bool = True) -> None:
        self.trainer = trainer
        self.pace = pace
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._acknowledged = threading.Event()
        self._wanted = "running" if start else "paused"
        self._steps = 0  # epochs asked for by step(), trained from a pause
        self._seen = time.monotonic()
        self._compute = 0.0
        self._progress = self._publish_now("running" if start else "paused")
        self._thread = threading.Thread(target=self._work, name="backprop-lab-training", daemon=True)
        self._thread.start()

    # -- what pages call --------------------------------------------------------------------------
    def progress(self) -> Progress:
        """The latest published state (and a sign that somebody is watching)."""
        self._seen = time.monotonic()
        with self._lock:
            return self._progress

    def pause(self, wait: float = 0.25) -> Progress:
        return self._ask("paused", wait)

    def resume(self) -> Progress:
        return self._ask("running", 0.0)

    def stop(self, reason: str = "stopped by the user", wait: float = 0.25) -> Progress:
        with self._lock:
            self._stop_reason = reason
        return self._ask("stopped", wait)

    def step(self, epochs: int = 1, wait: float = 2.0) -> Progress:
        """Train ``epochs`` more epochs, then pause: one step at a time, as Playground's ⏭ does."""
        self._acknowledged.clear()
        with self._lock:
            if self._progress.status in ("finished", "stopped"):
                return self._progress
            self._wanted, self._steps = "paused", max(int(epochs), 1)
        self._wake.set()
        self._acknowledged.wait(wait)  # a few epochs take milliseconds
        return self.progress()

    def set_pace(self, pace: float | None) -> None:
        self.pace = pace
        self._wake.set()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def _ask(self, wanted: str, wait: float) -> Progress:
        self._acknowledged.clear()
        with self._lock:
            if self._progress.status in ("finished", "stopped"):
                return self._progress
            self._wanted = wanted
            if wanted == "running":  # from now on it is running, as far as any page can tell
                self._progress = replace(self._progress, status="running")
                self._seen = time.monotonic()
        self._wake.set()
        if wait:
            self._acknowledged.wait(wait)  # the chunk under way ends well within this
        return self.progress()

    # -- the worker ---------------------------------------------------------------------------------
    def _publish_now(self, status: str) -> Progress:
        t = self.trainer
        return Progress(t.epoch, t.network, t.velocity, len(t.history), status, t.stop_reason, self._compute)

    def _publish(self, status: str) -> None:
        progress = self._publish_now(status)
        with self._lock:
            self._progress = progress
            answered = status in ("stopped", "finished") or status == self._wanted
        if answered:  # what Pause and Stop wait for: not a chunk that ended while running, nor a pause
            self._acknowledged.set()  # reported after Stop was asked

    def _work(self) -> None:
        try:
            self._train()
        except Exception as err:  # a worker must never die silently: the page says what happened
            logging.getLogger(__name__).exception("training failed")
            self.trainer.stop_reason = f"training failed ({type(err).__name__}: {err})"
            self._publish("stopped")

    def _train(self) -> None:
        chunk = 1
        while True:
            with self._lock:
                wanted = self._wanted
            if wanted == "stopped":
                self.trainer.stop(getattr(self, "_stop_reason", "stopped by the user"))
                self._publish("stopped")
                return
            if wanted == "paused" or time.monotonic() - self._seen > IDLE_SECONDS:
                with self._lock:
                    self._wanted, steps, self._steps = "paused", self._steps, 0
                if steps:
                    began = time.perf_counter()
                    self.trainer.run(steps)
                    self._compute += time.perf_counter() - began
                    if self.trainer.done:
                        self._publish("stopped" if self.trainer.stop_reason == "stopped by the user" else "finished")
                        return
                self._publish("paused")
                woken = self._wake.wait(IDLE_SECONDS)
                self._wake.clear()
                if not woken and time.monotonic() - self._seen > IDLE_SECONDS:
                    return  # paused, and nobody has looked for a while (a closed tab): free the thread
                continue
            began = time.perf_counter()
            epochs = chunk if self.pace is None else max(1, min(chunk, round(self.pace * CHUNK_SECONDS * 2)))
            self.trainer.run(epochs)
            spent = time.perf_counter() - began
            self._compute += spent
            if self.trainer.done:
                self._publish("stopped" if self.trainer.stop_reason == "stopped by the user" else "finished")
                return
            self._publish("running")
            per_epoch = spent / max(epochs, 1)
            chunk = max(1, min(1000, int(CHUNK_SECONDS / max(per_epoch, 1e-6))))
            if self.pace is not None:  # wait out the rest of this chunk's share of time
                self._wake.wait(max(0.0, epochs / self.pace - spent))
                self._wake.clear()
