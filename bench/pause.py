"""How soon Pause and Stop take hold on the Train page's worker: at every pace, the time from
``TrainingJob.pause()`` (or ``stop()``) to a run that has stopped moving, and whether it then holds."""
from __future__ import annotations

import time

from core import ExperimentSettings, load_seeds, prepare
from ui.training_job import PACES, TrainingJob

TARGET_MS = 300.0  # the promise: Pause and Stop take effect within 0.3 s at any pace


def measure(repeats: int = 5) -> dict[str, list[float]]:
    """Milliseconds from the call to a held run, ``repeats`` pauses and one stop per pace, by pace name."""
    experiment = prepare(load_seeds(), ExperimentSettings(epochs=100_000))
    times: dict[str, list[float]] = {}
    for name, pace in PACES.items():
        job = TrainingJob(experiment.trainer(), pace)
        taken = []
        for _ in range(repeats):
            time.sleep(0.15)
            began = time.perf_counter()
            held = job.pause(wait=2.0)
            taken.append((time.perf_counter() - began) * 1e3)
            time.sleep(0.1)
            if held.status != "paused" or job.progress().epoch != held.epoch:
                raise SystemExit(f"Pause did not hold at the pace {name!r}")
            job.resume()
        time.sleep(0.15)
        began = time.perf_counter()
        if job.stop(wait=2.0).status != "stopped":
            raise SystemExit(f"Stop did not stop at the pace {name!r}")
        taken.append((time.perf_counter() - began) * 1e3)
        times[name] = taken
    return times


if __name__ == "__main__":
    for pace, taken in measure().items():
        print(f"{pace}: {', '.join(f'{t:.1f}' for t in taken)} ms")
