"""The app in a real browser: pages by URL, keyboard stepping, live training, uploads, two users."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np
import pytest

from core import TrainingConfig, initialise, load_seeds, normalise, toy_network, train, train_validation_split, walk_through
from e2e_helpers import no_error_box, settle, shoot

PAGES = {"": "home", "Network": "network", "Step_through": "step-through", "Train": "train",
         "Cross_validation": "cross-validation", "Data": "data"}


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_opened_first_on_a_fresh_server(path, fresh_server, page, offline):
    page.goto(f"{fresh_server.url}/{path}")
    settle(page)
    no_error_box(page)
    assert page.get_by_text("210 rows · 7 features · 3 classes").count() >= 1  # the sidebar
    if path in ("", "Network", "Step_through"):  # the graph renders (plotly.js is served locally)
        page.wait_for_selector(".js-plotly-plot", timeout=30_000)
    shoot(page, f"page-{PAGES[path]}")
    assert offline == []


def test_right_arrow_walks_the_whole_pass_with_cores_numbers(server, page, offline):
    walk = walk_through(toy_network(), [1, 0], [0, 1], 0.5)
    page.goto(f"{server.url}/Step_through?sample=toy&step=1&lr=0.5")
    page.get_by_text("Step 1 of 10").wait_for(timeout=30_000)
    settle(page)
    seen = page.inner_text("body")
    for number in range(2, len(walk.steps) + 1):
        page.keyboard.press("ArrowRight")
        page.get_by_text(f"Step {number} of 10").wait_for(timeout=20_000)
        settle(page)
        seen += page.inner_text("body")
    for value in (0.7105668883115941, 0.6629970129852887, 0.7253160725279748, walk.gradients.deltas[1][0],
                  walk.gradients.deltas[0][0], walk.updated.weights[1][1, 1]):
        assert repr(float(value)) in seen
    assert "step=10" in page.url
    page.keyboard.press("ArrowLeft")
    page.get_by_text("Step 9 of 10").wait_for(timeout=20_000)
    no_error_box(page)
    shoot(page, "step-through-keyboard")
    assert offline == []


def _epoch(page) -> int:
    text = page.locator("[data-testid='stProgress']").first.inner_text()
    return int(re.search(r"Epoch (\d+) of", text).group(1))


def test_training_live_pause_resume(server, page, offline):
    page.goto(f"{server.url}/Train")
    settle(page)
    page.get_by_role("button", name="Start").click()
    page.get_by_text(re.compile(r"Epoch \d+ of 500 · running")).wait_for(timeout=30_000)
    first = _epoch(page)
    page.wait_for_timeout(2500)
    second = _epoch(page)
    assert second > first  # the charts and the count grow while the run is live
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 3")  # loss, accuracy, graph
    page.get_by_role("button", name="Pause").click()
    page.get_by_text(re.compile(r"· paused")).wait_for(timeout=20_000)
    held = _epoch(page)
    page.wait_for_timeout(2000)
    assert _epoch(page) == held  # Pause holds
    shoot(page, "train-paused")
    page.get_by_role("button", name="Resume").click()
    page.get_by_text("Finished 500 epochs").wait_for(timeout=180_000)
    settle(page)
    no_error_box(page)
    shoot(page, "train-finished")
    assert offline == []


def test_cross_validation_shows_93_333(server, page, offline):
    page.goto(f"{server.url}/Cross_validation")
    settle(page)
    page.get_by_role("button", name="Reproduce the tutorial").click()
    page.get_by_text("Mean Accuracy: 93.333%").wait_for(timeout=60_000)
    settle(page)
    assert page.get_by_text("93.333%").count() >= 2
    no_error_box(page)
    shoot(page, "cross-validation-result")
    assert offline == []


def test_a_broken_csv_is_refused_and_the_data_stays(server, page, offline, tmp_path):
    broken = tmp_path / "broken.csv"
    broken.write_text("1,2,a\n1,oops,b\n3,4,a\n5,6,b\n")
    page.goto(f"{server.url}/Data")
    settle(page)
    page.locator("input[type='file']").first.set_input_files(str(broken))
    page.get_by_text("row 2, column 2 (feature 2): 'oops' is not a number").wait_for(timeout=30_000)
    settle(page)
    assert page.get_by_text("Wheat seeds (UCI): 210 rows, 7 features, 3 classes").count() == 1
    no_error_box(page)
    shoot(page, "data-broken-csv")
    go_to(page, "Network")  # the app is still fully working, on the same data
    no_error_box(page)
    assert page.get_by_text("Row 0: true class Kama").count() == 1
    assert offline == []


def test_presentation_mode_at_1280_by_720(server, browser, offline):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(f"{server.url}/Step_through?sample=3&step=4")
    settle(page)
    page.get_by_text("Presentation mode").click()
    settle(page)
    page.get_by_text("Step through one pass").click()  # focus leaves the toggle, as a click on the page does
    page.keyboard.press("ArrowRight")
    page.get_by_text("Step 5 of 25").wait_for(timeout=20_000)
    settle(page)
    graph = page.locator(".js-plotly-plot").first.bounding_box()
    assert graph["width"] > 450 and graph["y"] < 720  # the graph is big and on screen
    no_error_box(page)
    shoot(page, "presentation-1280x720")
    context.close()


def go_to(page, name: str) -> None:
    """Follow the sidebar's link: the same session (a new URL would start a new one)."""
    page.locator("[data-testid='stSidebar']").get_by_role("link", name=name).click()
    settle(page)


def _download_model(page) -> dict:
    go_to(page, "Network")
    page.get_by_text("Model file (JSON)").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the model").click()
    return json.loads(download.value.path().read_text())


def test_two_users_have_two_networks(server, browser):
    trainer_ctx, stepper_ctx = browser.new_context(), browser.new_context()
    trainer, stepper = trainer_ctx.new_page(), stepper_ctx.new_page()
    trainer.goto(f"{server.url}/Train")
    stepper.goto(f"{server.url}/Step_through?sample=0&step=25&lr=0.5")
    settle(trainer)
    settle(stepper)
    trainer.get_by_role("button", name="Start").click()
    stepper.get_by_role("button", name="Apply update").click()
    settle(stepper)
    trainer.get_by_text("Finished 500 epochs").wait_for(timeout=180_000)
    assert server.healthy()
    trained = _download_model(trainer)["layers"]
    stepped = _download_model(stepper)["layers"]

    data = load_seeds()
    x = normalise(data.features)
    rows, val = train_validation_split(data.labels, 0.2, 1)
    expected_trained = train(initialise([7, 5, 3]), x[rows], data.labels[rows], TrainingConfig(),
                             validation=(x[val], data.labels[val])).network
    expected_stepped = walk_through(initialise([7, 5, 3]), x[0], np.eye(3)[data.labels[0]], 0.5).updated
    assert [np.array(l["weights"]).tolist() for l in trained] == [w.tolist() for w in expected_trained.weights]
    assert [np.array(l["weights"]).tolist() for l in stepped] == [w.tolist() for w in expected_stepped.weights]
    trainer_ctx.close()
    stepper_ctx.close()


def test_the_server_listens_on_loopback_only(server):
    """Every listening TCP socket of the server process is bound to 127.0.0.1 (from /proc/net)."""
    pid = server.process.pid
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        target = os.readlink(fd)
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in open(table).read().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # state LISTEN, owned by the server
                listening.append(fields[1])
    assert listening, "the server listens on no TCP socket"
    port = f"{server.port:04X}"
    assert all(address == f"0100007F:{port}" for address in listening), listening
