"""Real-browser fixtures. Playwright cannot download browsers here, so it drives Debian's Chromium;
without it these tests skip with that reason (CI installs it, so there they run). Every request a page
makes to anything but loopback is blocked and recorded: the app must work with no network at all.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from e2e_helpers import CHROMIUM, LOOPBACK, Server

pytest.importorskip("pytest_playwright", reason="pytest-playwright is not installed: "
                    "pip install -r requirements-dev.txt to run the browser tests")
if not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium to run the browser tests "
                "(.ci/run does)", allow_module_level=True)


@pytest.fixture(scope="session")
def server():
    s = Server()
    yield s
    s.close()


@pytest.fixture
def fresh_server():
    s = Server()
    yield s
    s.close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run",
                     # pages in other contexts count as background tabs: keep their timers (the
                     # training ticks) running at full rate
                     "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                     "--disable-backgrounding-occluded-windows"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 800}, "accept_downloads": True}


def block_outside(context, blocked: list[str]) -> None:
    """Let ``context`` reach loopback only; every other request is aborted and recorded in ``blocked``."""
    def route(r):
        host = urlparse(r.request.url).hostname or ""
        if host in LOOPBACK or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)


@pytest.fixture
def offline(context):
    """Block every request of the test's own page that does not go to loopback; the blocked URLs."""
    blocked: list[str] = []
    block_outside(context, blocked)
    yield blocked
    assert blocked == [], f"the page tried to reach outside the machine: {blocked[:3]}"


@pytest.fixture
def contexts(browser):
    """New browser contexts on demand, each offline like ``offline``; checked and closed at the end."""
    made, blocked = [], []

    def make(**options):
        context = browser.new_context(accept_downloads=True, **options)
        block_outside(context, blocked)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()
    assert blocked == [], f"a page tried to reach outside the machine: {blocked[:3]}"


