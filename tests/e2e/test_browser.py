"""The app in a real browser: pages by URL, keyboard stepping, live training, uploads, lessons that
survive a reload, two users. Every page is kept offline and checked for outside requests."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from core import ExperimentSettings, load_seeds, prepare, toy_network, walk_through
from core.chain import weight_story
from e2e_helpers import no_error_box, settle, shoot

PAGES = {"": "home", "Network": "network", "Step_through": "step-through", "Train": "train",
         "Cross_validation": "cross-validation", "Data": "data", "Playground": "playground", "Lessons": "lessons"}


def test_every_page_opened_first_on_a_fresh_server(fresh_server, contexts):
    """Each page is the first a new session opens, and they all arrive at once at a server that has
    shown nothing yet (nothing imported, cached or compiled): each renders, with no error box."""
    pages = {path: contexts().new_page() for path in PAGES}
    for path, page in pages.items():
        page.goto(f"{fresh_server.url}/{path}", wait_until="commit")
    for path, page in pages.items():
        settle(page)
        no_error_box(page)
        assert page.get_by_text("210 rows · 7 features · 3 classes").count() >= 1, path  # the sidebar
        if path in ("", "Network", "Step_through"):  # the graph renders (plotly.js is served locally)
            page.wait_for_selector(".js-plotly-plot", timeout=30_000)
        assert re.search(r"[?&]lesson=[A-Za-z0-9_-]{22}", page.url), path  # the address names the lesson at once
        shoot(page, f"page-{PAGES[path]}")


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


def _epoch(page) -> int:
    text = page.locator("[data-testid='stProgress']").first.inner_text()
    return int(re.search(r"Epoch (\d+) of", text).group(1))


def choose_pace(page, pace: str) -> None:
    """Set the Train page's pace slider by keyboard: Home is the slowest, End is instant."""
    slider = page.get_by_role("slider", name=re.compile("Pace"))
    slider.focus()
    slider.press("Home" if pace == "slow" else "End")
    settle(page)


def test_training_live_pause_resume(server, page, offline):
    page.goto(f"{server.url}/Train")
    settle(page)
    choose_pace(page, "slow")
    page.get_by_role("button", name="Start").click()
    page.get_by_text(re.compile(r"Epoch \d+ of 500 · running")).wait_for(timeout=30_000)
    first = _epoch(page)
    page.wait_for_timeout(1500)
    assert _epoch(page) > first  # the charts and the count grow while the run is live
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 2")  # loss and accuracy, graph
    page.get_by_role("button", name="Pause").click()
    page.get_by_text(re.compile(r"paused at epoch \d+")).wait_for(timeout=20_000)
    held = _epoch(page)
    assert f"paused at epoch {held}" in page.inner_text("body")
    page.wait_for_timeout(1000)
    assert _epoch(page) == held  # Pause holds
    shoot(page, "train-paused")
    choose_pace(page, "instant")
    page.get_by_role("button", name="Resume").click()
    page.get_by_text("Finished 500 epochs").wait_for(timeout=60_000)
    settle(page)
    no_error_box(page)
    shoot(page, "train-finished")


def test_cross_validation_shows_93_333(server, page, offline):
    page.goto(f"{server.url}/Cross_validation")
    settle(page)
    page.get_by_role("button", name="Reproduce the tutorial").click()
    page.get_by_text("Result — the tutorial").wait_for(timeout=60_000)
    settle(page)
    assert page.locator("[data-testid='stMetricValue']").first.inner_text() == "93.333%"
    assert "Mean Accuracy: 93.333%" in page.locator("[data-testid='stCode']").inner_text()
    no_error_box(page)
    shoot(page, "cross-validation-result")


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


def test_playground_draws_the_landscape_and_every_neurons_map(server, contexts):
    page = contexts(viewport={"width": 1280, "height": 720}).new_page()
    page.goto(f"{server.url}/Playground")
    settle(page)
    page.get_by_role("button", name=re.compile("Make 2-D data")).click()
    settle(page)
    page.get_by_role("button", name="Step", exact=True).click()
    settle(page)
    assert "Epoch 1 of 1,000" in page.inner_text("body")
    maps = page.locator(".st-key-pg_maps .hm image")
    maps.first.wait_for(timeout=30_000)
    assert maps.count() == 2 + 4 + 2 + 2  # inputs, hidden layers, outputs of the 2-4-2-2 network
    regions = page.locator(".st-key-pg_landscape")
    assert regions.locator(".hm image").count() == 1 and regions.locator("path.point").count() == 200
    box = regions.bounding_box()
    assert box["width"] > 250 and box["x"] + box["width"] <= 1280  # beside the maps, not clipped
    no_error_box(page)
    shoot(page, "playground-1280x720")


def go_to(page, name: str) -> None:
    """Follow the sidebar's link: the same session (a new URL would start a new one)."""
    page.locator("[data-testid='stSidebar']").get_by_role("link", name=name).click()
    settle(page)


def step_three(page) -> str:
    """The step-through's text once all of it is drawn: the stepper (a fragment) and the sample table
    below it can arrive a moment after the rest of the page, and plotly and KaTeX render a moment after
    the script has finished (0.5–2.5 s here), so reading at once races them."""
    page.get_by_text("Step 3 of 25").wait_for(timeout=20_000)
    page.get_by_text("The sample: row 3").wait_for(timeout=20_000)
    settle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=20_000)
    page.wait_for_selector(".katex", timeout=20_000)
    main = page.locator("[data-testid='stMain']").inner_text()
    return main[:main.index("The sample: row 3")]  # the pass itself; what follows it comes and goes (a toast,
    # the picture of the update just applied)


def test_a_reload_and_a_second_browser_show_the_same_lesson(server, contexts):
    first = contexts().new_page()
    first.goto(f"{server.url}/Step_through?sample=3&step=25&lr=0.7")
    settle(first)
    first.get_by_role("button", name="Apply update").click()
    first.get_by_text("Update applied — loss on this sample").wait_for(timeout=20_000)
    settle(first)
    for _ in range(2):
        first.keyboard.press("ArrowRight")
        settle(first)
    before = step_three(first)
    link = first.url
    first.reload()
    settle(first)
    assert step_three(first) == before  # the same numbers after a reload
    second = contexts().new_page()  # a student's browser, opening the link
    second.goto(link)
    settle(second)
    assert step_three(second) == before
    second.keyboard.press("ArrowRight")
    second.get_by_text("Step 4 of 25").wait_for(timeout=20_000)
    settle(second)
    first.reload()
    settle(first)
    first.get_by_text("Step 3 of 25").wait_for(timeout=20_000)  # the student's step is theirs alone
    shoot(second, "lesson-second-browser")


def test_training_history_survives_a_reload(server, contexts):
    page = contexts().new_page()
    page.goto(f"{server.url}/Train")
    settle(page)
    choose_pace(page, "instant")
    page.get_by_role("button", name="Start").click()
    page.get_by_text("Finished 500 epochs").wait_for(timeout=60_000)
    settle(page)
    page.reload()
    settle(page)
    page.get_by_text("Epoch 500 of 500 · finished").wait_for(timeout=20_000)
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 3")  # the charts are back
    no_error_box(page)


def test_the_server_listens_where_the_config_says_loopback_only(server):
    """Every listening TCP socket of the server process is bound to 127.0.0.1 (read from /proc/net), and
    the server was started without an address flag: the address comes from .streamlit/config.toml."""
    assert not any(arg.startswith("--server.address") for arg in server.process.args)
    pid = server.process.pid
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        target = Path(fd).readlink().as_posix() if fd.is_symlink() else ""
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


def test_clicking_a_weight_in_the_graph_tells_why_it_changes(server, page, offline):
    """A real click on a weight's marker: plotly's event reaches the app, the card shows core's numbers."""
    page.goto(f"{server.url}/Network")
    settle(page)
    page.wait_for_selector(".js-plotly-plot", timeout=30_000)
    graph = page.locator(".js-plotly-plot").first
    graph.scroll_into_view_if_needed()
    x, y = page.evaluate("""() => {
        const gd = document.querySelector('.js-plotly-plot');
        const tr = gd._fullData.find(d => d.name === 'weights');
        const i = Array.from(tr.customdata).indexOf('w:1,1,2');
        const r = gd.getBoundingClientRect(), xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
        return [r.left + xa._offset + xa.l2p(tr.x[i]), r.top + ya._offset + ya.l2p(tr.y[i])];
    }""")
    page.mouse.click(x, y)
    page.get_by_text("Why w[1] compactness → hidden 1·2 changes the way it does").wait_for(timeout=20_000)
    settle(page)
    assert "select=w1.2.3" in page.url
    data = load_seeds()
    experiment = prepare(data, ExperimentSettings())
    story = weight_story(experiment.network, experiment.inputs[0], data.targets(np.array([0]))[0], 1, 1, 2, 0.3)
    assert repr(story.gradient) in page.inner_text("body")
    no_error_box(page)
    shoot(page, "why-a-weight")
