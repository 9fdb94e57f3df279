"""Real-browser fixtures. Playwright cannot download browsers here, so it drives Debian's Chromium;
without it these tests skip with that reason (CI installs it, so there they run). Every request a page
makes to anything but loopback is blocked and recorded: the app must work with no network at all.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from e2e_helpers import CHROMIUM, LOOPBACK, Server

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


@pytest.fixture
def offline(context):
    """Block every request that does not go to loopback; the list of blocked URLs is returned."""
    blocked: list[str] = []

    def route(r):
        host = urlparse(r.request.url).hostname or ""
        if host in LOOPBACK or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return blocked


