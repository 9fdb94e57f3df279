"""Benchmark: one 50 × 50 decision landscape of a 2-8-8-1 network (target ≤ 5 ms).

    python -m bench.landscape

Prints the median and spread of many runs. A number, not a timed test: CI machines are too noisy.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import FeatureMap, Plane, fit_normaliser, initialise, landscape, playground  # noqa: E402

TARGET_MS = 5.0


def measure(repeats: int = 200, resolution: int = 50) -> dict:
    """Median, min and max milliseconds of ``landscape()`` on the spiral data's plane, with the
    feature map and a min-max normaliser composed into ``to_inputs`` as the app would."""
    data = playground.generate("spiral", 200, 0.1, seed=1)
    features = FeatureMap(("x1", "x2"))
    normaliser = fit_normaliser(features.apply(data.features))
    network = initialise([2, 8, 8, 1], activation="tanh", scheme="xavier", seed=1)
    plane = Plane.data(data.feature_names)
    bounds = ((-6.0, 6.0), (-6.0, 6.0))

    def to_inputs(raw):
        return normaliser.apply(features.apply(raw))

    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        landscape(network, plane, bounds, to_inputs, resolution)
        times.append((time.perf_counter() - began) * 1e3)
    median = statistics.median(times)
    return {"network": network.describe(), "resolution": resolution, "repeats": repeats,
            "median_ms": median, "min_ms": min(times), "max_ms": max(times),
            "target_ms": TARGET_MS, "met": median <= TARGET_MS}


def main() -> None:
    r = measure()
    print(f"landscape {r['resolution']}×{r['resolution']}, {r['network']}: "
          f"{r['median_ms']:.2f} ms median ({r['min_ms']:.2f}–{r['max_ms']:.2f}) over {r['repeats']} runs; "
          f"target ≤ {r['target_ms']:g} ms: {'met' if r['met'] else 'NOT met'}")


if __name__ == "__main__":
    main()
