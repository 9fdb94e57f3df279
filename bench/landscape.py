"""Benchmark: one 50 × 50 decision landscape of a 2-8-8-1 network (target ≤ 5 ms), and what a live
redraw of "what the network learns" costs in the app (target: the whole Train page ≤ 100 ms).

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

import numpy as np  # noqa: E402

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


def _timed(function, repeats: int) -> str:
    function()
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        function()
        times.append((time.perf_counter() - began) * 1e3)
    return f"{statistics.median(times):.1f} ms median ({min(times):.1f}–{max(times):.1f})"


def redraw(repeats: int = 50, epochs: int = 30) -> dict[str, str]:
    """What one redraw costs on the spiral with a 2-8-8-2 tanh network (2 + 16 + 2 neuron maps): the
    landscape on the kept grid; each figure built and turned into the JSON Streamlit sends; the Train
    page's whole script after a run (AppTest: charts, landscape, neuron maps, graph, results)."""
    import plotly.io
    from streamlit.testing.v1 import AppTest

    from core import ExperimentSettings, landscape_grid, landscape_on, prepare
    from ui.figures.landscape import landscape_figure, neuron_maps_figure

    data = playground.generate("spiral", 200, 0.1, seed=1)
    settings = ExperimentSettings(hidden=(8, 8), activation="tanh", init="xavier", learning_rate=0.03, l2=0.001,
                                  epochs=epochs, normalisation="zscore", validation_share=0.5)
    experiment = prepare(data, settings)
    network = experiment.network
    where = landscape_grid(Plane.data(data.feature_names), ((-6.0, 6.0), (-6.0, 6.0)), experiment.to_inputs, 50)
    view = landscape_on(network, where)
    mask = np.isin(np.arange(data.n_rows), experiment.train_rows)

    def regions():
        return landscape_figure(view, data.features, data.labels, mask, data.class_names,
                                output_activation=network.output_activation)

    def maps():
        return neuron_maps_figure(view, network, experiment.input_names, data.class_names)

    out = {"landscape on the kept grid": _timed(lambda: landscape_on(network, where), repeats * 4),
           "landscape figure + JSON": _timed(lambda: plotly.io.to_json(regions(), validate=False), repeats),
           "neuron maps figure (20 maps) + JSON": _timed(lambda: plotly.io.to_json(maps(), validate=False), repeats)}
    from ui import lesson as lessons

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/3_Train.py").run()
    fresh = lessons.fresh(data, {"kind": "playground", "generator": "spiral", "n_points": 200, "noise": 0.1,
                                 "seed": 1}, settings)
    at.session_state["lesson"] = fresh
    at.select_slider(key="_w_train_pace").set_value("instant").run()
    at.button(key="train_start").click().run()
    while at.session_state["job"].progress().status == "running":
        time.sleep(0.05)
    at.run()
    assert not at.exception, at.exception
    out["Train page, whole script after a run (AppTest)"] = _timed(at.run, repeats)
    at.switch_page("pages/7_Playground.py").run()
    at.button(key="pg_reset").click().run()
    at.button(key="pg_step").click().run()
    assert not at.exception, at.exception
    out["Playground page, whole script, 2-8-8-2 (AppTest)"] = _timed(at.run, repeats)
    return out


def main() -> None:
    r = measure()
    print(f"landscape {r['resolution']}×{r['resolution']}, {r['network']}: "
          f"{r['median_ms']:.2f} ms median ({r['min_ms']:.2f}–{r['max_ms']:.2f}) over {r['repeats']} runs; "
          f"target ≤ {r['target_ms']:g} ms: {'met' if r['met'] else 'NOT met'}")
    for what, spread in redraw().items():
        print(f"{what}: {spread}")


if __name__ == "__main__":
    main()
