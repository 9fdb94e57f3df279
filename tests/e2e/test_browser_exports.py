"""Exports in a real browser, offline: the step-through's pass downloaded through the server (built on
click), and plotly's own PNG button on the graph."""
from __future__ import annotations

from pathlib import Path

from core import toy_network, trace_csv, trace_latex, walk_through
from e2e_helpers import no_error_box, settle, shoot


def test_the_pass_and_the_graph_download_for_slides(server, page, offline):
    walk = walk_through(toy_network(), [1, 0], [0, 1], 0.5, ["x₁", "x₂"], ["output 1", "output 2"])
    page.goto(f"{server.url}/Step_through?sample=toy&step=3&lr=0.5")
    page.get_by_text("Step 3 of 10").wait_for(timeout=30_000)
    settle(page)
    page.get_by_text("Export this pass").click()
    with page.expect_download(timeout=20_000) as csv_file:
        page.get_by_role("button", name="CSV: one row per number").click()
    assert csv_file.value.suggested_filename == "backprop-pass-tutorial-example.csv"
    assert Path(csv_file.value.path()).read_text() == trace_csv(walk)
    with page.expect_download(timeout=20_000) as tex_file:
        page.get_by_role("button", name="LaTeX: aligned equations").click()
    assert Path(tex_file.value.path()).read_text() == trace_latex(
        walk, "the tutorial's worked example: input [1, 0], expected [0, 1]")
    shoot(page, "step-through-export")
    page.keyboard.press("Escape")
    graph = page.locator(".stPlotlyChart").first
    graph.hover()
    buttons = graph.locator(".modebar-btn")
    assert buttons.count() == 1 and "PNG" in buttons.first.get_attribute("data-title")
    with page.expect_download(timeout=20_000) as png:
        buttons.first.click()
    assert png.value.suggested_filename == "network-step.png"
    assert Path(png.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    no_error_box(page)
