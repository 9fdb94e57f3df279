"""A classroom on one server: sessions that speak Streamlit's own websocket protocol (bench/protocol.py)
train at once and each finishes; redraws are paced by their cost; an unwatched run frees its thread;
the address students need is this machine's LAN address."""
import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.load import warm_up
from bench.protocol import Tab
from core import ExperimentSettings, load_seeds, prepare
from e2e_helpers import Server
from ui import classroom, pacing, training_job
from ui.training_job import TrainingJob

SESSIONS = 5
EPOCHS = 100


def run(coroutine):
    """asyncio.run on a thread of its own: the browser tests' Playwright keeps an event loop running
    on the test thread, and asyncio.run refuses to start inside one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.fixture(scope="module")
def server():
    """A server that has shown each page once (imports, caches and the compiled loop loaded), as a
    lecturer's has by the time the students arrive."""
    s = Server()
    run(warm_up(s.url))
    yield s
    s.close()


def test_five_sessions_train_at_once_and_every_run_finishes_uninterrupted(server):
    async def room() -> list[Tab]:
        async def ready(tab: Tab, seed: int) -> None:
            await tab.open(timeout=60)
            await tab.set_value("_w_tr_epochs", EPOCHS)
            await tab.set_value("_w_tr_seed", seed)

        tabs = [Tab(server.url, "Train") for _ in range(SESSIONS)]
        await asyncio.gather(*(ready(tab, k) for k, tab in enumerate(tabs)))  # the room arrives at once
        await asyncio.gather(*(tab.click("train_start") for tab in tabs))
        deadline = time.monotonic() + 20
        while not all("· finished" in tab.text() for tab in tabs):
            assert time.monotonic() < deadline, [tab.text()[-300:] for tab in tabs]
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.3)
        for tab in tabs:
            await tab.close()
        return tabs

    began = time.monotonic()
    tabs = run(room())
    assert time.monotonic() - began < 30
    data = load_seeds()
    for k, tab in enumerate(tabs):
        assert not tab.exceptions, tab.exceptions
        assert f"Epoch {EPOCHS} of {EPOCHS} · finished" in tab.text()
        straight = prepare(data, ExperimentSettings(seed=k, epochs=EPOCHS)).trainer()
        straight.run()
        assert f"Σ(t−o)² **{straight.history.sse[-1]:.3f}**" in tab.text(), f"session {k}'s numbers"
        asked = [run for run in tab.runs if run.auto]
        assert all(run.ended for run in asked)  # every redraw asked for was answered
        redraws = list({run.ended: run for run in asked}.values())  # requests the server ran as one
        assert len(redraws) >= 3
        # Streamlit never stops a redraw part-way for the next one; when one is queued behind it, it may
        # drop what of it is not sent yet (the next draws the same part): rare, never twice in a row
        dropped = [i for i, run in enumerate(redraws) if run.cut_short]
        assert len(dropped) <= max(1, len(redraws) // 10), f"session {k}: {[run.status for run in redraws]}"
        assert all(not redraws[i + 1].cut_short for i in dropped if i + 1 < len(redraws))
        assert any(run.status == "rerun" for run in redraws)  # a redraw reran the page: the results are shown
        assert tab.largest_message < 1_000_000


def test_the_redraw_interval_follows_the_redraws_cost():
    assert pacing.interval_for(0.0) == pacing.BASE_SECONDS == 0.2
    assert pacing.interval_for(0.03) == 0.2  # 5 × 30 ms = 0.15 s: the base pace
    assert pacing.interval_for(0.4) == 2.0  # 5 × 0.4 s
    assert pacing.interval_for(0.41) == 3.0  # rounded up to the next step
    assert pacing.interval_for(60) == 5.0  # never slower than this
    assert pacing.busy_note(0.2) is None
    assert pacing.busy_note(2.0) == "server busy: updating every 2 s"


def test_an_unwatched_paused_run_frees_its_thread(monkeypatch):
    monkeypatch.setattr(training_job, "IDLE_SECONDS", 0.2)
    experiment = prepare(load_seeds(), ExperimentSettings(epochs=30))
    job = TrainingJob(experiment.trainer(), pace=None, start=False)
    deadline = time.monotonic() + 5
    while job.alive:
        assert time.monotonic() < deadline, "a paused run nobody watches kept its thread"
        time.sleep(0.05)
    assert job.progress().status == "paused" and job.progress().epoch == 0
    watched = TrainingJob(experiment.trainer(), pace=None, start=False)
    for _ in range(8):  # looked at, if only now and then: it waits
        watched.progress()
        time.sleep(0.05)
    assert watched.alive
    watched.stop()


def test_the_address_students_need_is_a_lan_address():
    assert classroom.serves_the_room("0.0.0.0") and classroom.serves_the_room("::")
    assert not classroom.serves_the_room("127.0.0.1") and not classroom.serves_the_room(None)
    assert classroom.lan_address(("127.0.0.1",)) is None  # loopback is no address for a room
    assert classroom.student_url(8501, "192.168.1.20") == "http://192.168.1.20:8501"
    assert "http://192.168.1.20:8501" in classroom.banner(8501, "192.168.1.20")
    found = classroom.lan_address()
    assert found is None or not found.startswith("127.")
