"""Twenty sessions alive at once in one process, their clicks interleaved and their training runs on
worker threads at the same time: each steps and trains its own network, and none sees another's weights.

Sessions are AppTest instances (each has its own session state, as each browser tab does). AppTest
cannot run scripts in parallel threads (it swaps a process-wide runtime), so the sessions' script runs
take turns, the way one server interleaves them; their training runs go on in parallel; real parallel
users are in tests/e2e/test_browser_load.py.
"""
import time

import numpy as np
from streamlit.testing.v1 import AppTest

from apptest import ROOT, lesson
from core import ExperimentSettings, load_seeds, prepare, walk_through
from counts import record

SESSIONS = 20
EPOCHS = 20
DEADLINE_SECONDS = 300


def lr_of(k: int) -> float:
    return round(0.1 * (k + 1), 1)


def timed_run(at: AppTest, latencies: list[float]) -> AppTest:
    began = time.monotonic()
    at.run()
    latencies.append(time.monotonic() - began)
    return at


def test_twenty_sessions_keep_their_own_networks():
    started, latencies = time.monotonic(), []
    steppers, trainers = [], []
    for k in range(SESSIONS):
        at = AppTest.from_file(str(ROOT / "pages" / "2_Step_through.py"), default_timeout=300)
        at.query_params.update({"sample": str(k), "step": "25", "lr": f"{lr_of(k):g}"})
        steppers.append(timed_run(at, latencies))
    for at in steppers:
        at.button(key="apply_update").click()
        timed_run(at, latencies)
    for k in range(SESSIONS):
        at = timed_run(AppTest.from_file(str(ROOT / "pages" / "3_Train.py"), default_timeout=300), latencies)
        at.number_input(key="_w_tr_seed").set_value(k)
        at.number_input(key="_w_tr_epochs").set_value(EPOCHS)
        at.select_slider(key="_w_train_pace").set_value("instant")
        timed_run(at, latencies)
        trainers.append(at)
    for at in trainers:
        at.button(key="train_start").click()
        timed_run(at, latencies)
    while any(at.session_state["job"].progress().status == "running" for at in trainers):
        assert time.monotonic() - started < DEADLINE_SECONDS
        time.sleep(0.05)
    for at in trainers:
        timed_run(at, latencies)

    data = load_seeds()
    for k in range(SESSIONS):
        for at in (steppers[k], trainers[k]):
            assert not at.exception, [e.value for e in at.exception]
        experiment = prepare(data, ExperimentSettings())
        expected = walk_through(experiment.network, experiment.inputs[k], np.eye(3)[data.labels[k]], lr_of(k)).updated
        assert lesson(steppers[k]).network.same_weights(expected), f"session {k}'s step"
        straight = prepare(data, ExperimentSettings(seed=k, epochs=EPOCHS)).trainer()
        straight.run()
        assert lesson(trainers[k]).network.same_weights(straight.network), f"session {k}'s training"
    assert max(latencies) < 30, f"a script run took {max(latencies):.1f} s"
    record("sessions alive at once (AppTest)", SESSIONS)
    record("script runs across those sessions", len(latencies))
    record("slowest script run under load (ms)", int(max(latencies) * 1000))
