"""Several users at once on one fresh server, in truly parallel browser contexts: each steps and trains
its own network; none sees another's weights and the server stays responsive. (Twenty sessions are
exercised in tests/test_load.py; twenty real browser pages are more than two cores can render.)
Bounded: a few contexts, loopback only, every wait has a time limit."""
from __future__ import annotations

import json
import threading
import time
import urllib.request

import numpy as np

from core import ExperimentSettings, load_seeds, prepare, walk_through
from counts import record
from e2e_helpers import settle, shoot
from test_browser import choose_pace

USERS = 3  # real browser pages: what two cores render at once; tests/test_classroom.py and test_load.py take more sessions
EPOCHS = 20


def lr_of(k: int) -> float:
    return round(0.1 * (k + 1), 1)


def download_model(page) -> list[list[list[float]]]:
    page.locator("[data-testid='stSidebar']").get_by_role("link", name="Network").click()
    settle(page, 180_000)
    page.get_by_text("Model file (JSON)").click()
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Download the model").click()
    return [layer["weights"] for layer in json.loads(download.value.path().read_text())["layers"]]


def test_users_at_once_on_a_fresh_server(fresh_server, contexts):
    latencies, stop = [], threading.Event()

    def probe() -> None:
        while not stop.is_set():
            began = time.monotonic()
            with urllib.request.urlopen(f"{fresh_server.url}/_stcore/health", timeout=30) as reply:
                assert reply.read() == b"ok"
            latencies.append(time.monotonic() - began)
            time.sleep(0.5)

    prober = threading.Thread(target=probe, daemon=True)
    prober.start()
    pages = [contexts().new_page() for _ in range(USERS)]
    try:
        for k, page in enumerate(pages):  # every user opens the last step of their own sample at once
            page.goto(f"{fresh_server.url}/Step_through?sample={k}&step=25&lr={lr_of(k)}", wait_until="commit")
        for page in pages:
            page.get_by_role("button", name="Apply update").wait_for(timeout=180_000)
        for page in pages:
            page.get_by_role("button", name="Apply update").click()
        for page in pages:
            page.get_by_text("Update applied — loss on this sample").wait_for(timeout=180_000)
        stepped = [download_model(page) for page in pages]

        for k, page in enumerate(pages):
            page.locator("[data-testid='stSidebar']").get_by_role("link", name="Train").click()
        for k, page in enumerate(pages):
            settle(page, 180_000)
            for label, value in (("Epochs", EPOCHS), ("Seed", k)):
                field = page.get_by_label(label, exact=True)
                field.fill(str(value))
                field.press("Enter")
                settle(page, 180_000)
            choose_pace(page, "instant")
        for page in pages:  # everyone trains at once
            page.get_by_role("button", name="Start").click()
        for k, page in enumerate(pages):
            try:
                page.get_by_text(f"Finished {EPOCHS} epochs").wait_for(timeout=300_000)
            except Exception:
                shoot(page, f"load-user-{k}-not-finished")
                raise
        trained = [download_model(page) for page in pages]
    finally:
        stop.set()
    prober.join(timeout=30)

    data = load_seeds()
    experiment = prepare(data, ExperimentSettings())
    for k in range(USERS):
        expected = walk_through(experiment.network, experiment.inputs[k], np.eye(3)[data.labels[k]], lr_of(k)).updated
        assert stepped[k] == [w.tolist() for w in expected.weights], f"user {k}'s step"
        straight = prepare(data, ExperimentSettings(seed=k, epochs=EPOCHS)).trainer()
        straight.run()
        assert trained[k] == [w.tolist() for w in straight.network.weights], f"user {k}'s training"
    assert latencies and max(latencies) < 10, f"health check took up to {max(latencies):.1f} s"
    record("concurrent browser sessions", USERS)
    record("health checks under load", len(latencies))
    record("slowest health check under load (ms)", int(max(latencies) * 1000))
