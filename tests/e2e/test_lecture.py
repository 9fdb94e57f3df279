"""Lecture-ready in a real browser: presentation mode fits 16:9 screens, measured by element geometry; a
phone keeps Next in reach; a clicker's PageDown steps; Stop says where it stopped; every page in both themes
lands in test-artifacts/."""
from __future__ import annotations

import re

from e2e_helpers import no_error_box, settle, shoot

SCREENS = [(1280, 720), (1920, 1080)]
GEOMETRY = """() => {
  const box = e => { if (!e) return null; const r = e.getBoundingClientRect();
                     return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
  const display = document.querySelector('.st-key-step_equation .katex-display');
  return {
    equation: box(display), content: box(display && display.querySelector('.katex-html')),
    font: display ? parseFloat(getComputedStyle(display.querySelector('.katex')).fontSize) : 0,
    graph: box(document.querySelector('.st-key-step_graph .js-plotly-plot')),
    back: box(document.querySelector('.st-key-step_back button')),
    next: box(document.querySelector('.st-key-step_next button')),
    apply: box(document.querySelector('.st-key-apply_update button')),
    counter: box(document.querySelector('[data-testid=stProgress]')),
    width: innerWidth, height: innerHeight };
}"""


def step(page, number: int) -> None:
    page.get_by_text(re.compile(rf"Step {number} of 25")).first.wait_for(timeout=20_000)  # two while a rerun swaps them
    settle(page)
    page.wait_for_function("document.querySelector('.st-key-step_graph .js-plotly-plot')", timeout=20_000)


def inside(box: dict, g: dict) -> bool:
    return box["left"] >= -1 and box["top"] >= -1 and box["right"] <= g["width"] + 1 and box["bottom"] <= g["height"] + 1


def assert_fits(page, what: str, last: bool = False) -> dict:
    g = page.evaluate(GEOMETRY)
    for name in ("equation", "graph", "back", "next", "counter") + (("apply",) if last else ()):
        assert g[name] is not None and inside(g[name], g), f"{what}: the {name} {g[name]} is not on the screen"
    content, equation = g["content"], g["equation"]
    assert content["right"] <= equation["right"] + 1 and content["left"] >= equation["left"] - 1, \
        f"{what}: the equation is {content['right'] - content['left']:.0f} px wide in a " \
        f"{equation['right'] - equation['left']:.0f} px box"
    return g


def test_presentation_mode_fits_16_9_and_a_phone_keeps_next_in_reach(server, contexts):
    page = contexts(viewport={"width": 1280, "height": 720}).new_page()
    page.goto(f"{server.url}/Step_through?sample=3&step=25")
    step(page, 25)
    page.locator("[data-testid='stSidebar']").get_by_role("button", name="Presentation mode").click()
    step(page, 25)
    checks = [(25, None), (9, "Error"), (18, "Update")]  # the last step, the widest lines, the tallest
    for number, phase in checks:
        if phase:
            page.get_by_role("radio", name=phase).click()
            step(page, number)
        for width, height in SCREENS:
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(300)
            g = assert_fits(page, f"step {number} at {width}×{height}", last=number == 25)
            if width == 1280:
                assert g["font"] >= 18, f"step {number}: equations in {g['font']} px type"
            shoot(page, f"presentation-step{number}-{width}x{height}")
        page.set_viewport_size({"width": 1280, "height": 720})
    page.keyboard.press("PageDown")  # a presentation clicker's "next"
    step(page, 19)
    page.keyboard.press("PageUp")
    step(page, 18)
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("button", name="Leave", exact=True).click()
    step(page, 18)
    g = page.evaluate(GEOMETRY)
    assert inside(g["next"], g) and inside(g["back"], g), f"on a phone Next is at {g['next']}"
    assert g["content"]["right"] <= g["equation"]["right"] + 1
    no_error_box(page)
    shoot(page, "phone-step18-390x844")


WATCH = """(button) => new Promise(resolve => {
  const word = button === 'Pause' ? 'paused' : 'stopped';
  const shown = () => { const p = document.querySelector('[data-testid=stProgress]');
                        return p && p.innerText.match(new RegExp(word + ' at epoch (\\\\d+)')); };
  const began = performance.now();
  const watch = new MutationObserver(() => { const m = shown();
    if (m) { watch.disconnect(); resolve([performance.now() - began, +m[1]]); } });
  watch.observe(document.body, {subtree: true, childList: true, characterData: true});
  [...document.querySelectorAll('button')].find(b => b.innerText.trim().endsWith(button)).click();
})"""


def test_stop_says_where_it_stopped(server, contexts):
    """Stop while a run goes on at a lecture's pace: the page says at which epoch, and the run stays there
    (Pause holding is checked by test_browser.py's test_training_live_pause_resume)."""
    page = contexts(viewport={"width": 1280, "height": 720}).new_page()
    page.goto(f"{server.url}/Train")
    settle(page)
    slider = page.get_by_role("slider", name=re.compile("Pace"))
    slider.focus()
    slider.press("Home")  # slow, for a lecture
    settle(page)
    page.get_by_role("button", name="Start").click()
    page.get_by_text(re.compile(r"Epoch \d+ of 500 · running")).wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    _, epoch = page.evaluate(WATCH, "Stop")
    settle(page)
    try:  # the results arrive with the page's rerun that the stop starts
        page.get_by_text(f"Stopped at epoch {epoch} by the user.").wait_for(timeout=20_000)
    except Exception:
        said = [line for line in page.inner_text("body").splitlines() if "topped" in line or "Finished" in line]
        raise AssertionError(f"Stop showed epoch {epoch}; the page then said {said}") from None
    assert f"stopped at epoch {epoch}" in page.locator("[data-testid='stProgress']").inner_text()
    no_error_box(page)


PAGES = {"Home": "home", "Network": "network", "Step-through": "step-through", "Train": "train", "Playground": "playground",
         "Cross-validation": "cross-validation", "Data": "data", "Lessons": "lessons"}


def test_every_page_in_both_themes(server, contexts):
    """The light theme is Streamlit's own (every page is shot in it by test_browser.py, as page-*.png); the
    dark one is this app's CSS layer: every page in it, with its background and text checked."""
    page = contexts(viewport={"width": 1280, "height": 720}).new_page()
    page.goto(f"{server.url}/")
    settle(page)
    for theme in ("light", "dark"):
        if theme == "dark":
            page.locator("[data-testid='stSidebar']").get_by_role("button", name="Dark theme").click()
            settle(page)
        for name, slug in PAGES.items() if theme == "dark" else [("Home", "home")]:
            page.locator("[data-testid='stSidebar']").get_by_role("link", name=name).click()
            settle(page)
            no_error_box(page)
            colours = page.evaluate("""() => [getComputedStyle(document.querySelector('[data-testid=stApp]'))
                .backgroundColor, getComputedStyle(document.querySelector('[data-testid=stMain] h3, h1')).color]""")
            dark = colours[0] == "rgb(14, 17, 23)" and colours[1] == "rgb(241, 243, 247)"
            assert dark == (theme == "dark"), f"{name} in the {theme} theme: background and text {colours}"
            shoot(page, f"theme-{theme}-{slug}")
