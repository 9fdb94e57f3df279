"""Helpers for AppTest: absolute page paths, a fresh fully run app, the lesson, waiting for workers."""
import base64
import json
import re
import time
from pathlib import Path

import numpy as np
import plotly.graph_objects as go

import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["app.py"] + sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))


def open_page(path: str, **query: str) -> AppTest:
    """A fresh session with ``path`` opened first (no other page has run)."""
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / path), default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def no_errors(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def shown(markdown: str) -> str:
    """Markdown as a reader sees it: the backslashes that escape user text (ui.text.plain) removed."""
    return re.sub(r"\\([^A-Za-z0-9\s])", r"\1", markdown)


def errors(at: AppTest) -> str:
    return " ".join(shown(e.value) for e in at.error)


def texts(at: AppTest) -> str:
    """Everything the page wrote as markdown, captions, LaTeX and code, as one string (Markdown as read)."""
    parts = [shown(m.value) for m in at.markdown] + [shown(c.value) for c in at.caption] + [l.value for l in at.latex]
    parts += [c.value for c in at.code] + [shown(e.value) for e in at.error] + [shown(e.value) for e in at.warning]
    parts += [m.value for m in at.metric]
    return "\n".join(str(p) for p in parts)


def _decode(value):
    """plotly sends numpy arrays as {"bdata": base64, "dtype": …}: turn them back into lists."""
    if isinstance(value, dict) and "bdata" in value and "dtype" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        if "shape" in value:
            array = array.reshape([int(n) for n in str(value["shape"]).split(",")])
        return array.tolist()
    if isinstance(value, dict):
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def charts(at: AppTest) -> list[go.Figure]:
    """The page's plotly charts, as figures with plain lists for their data (a live chart's second,
    identical copy — ui.show.live_chart — counted once)."""
    specs = [el.proto.spec for el in at.get("plotly_chart")]
    return [go.Figure(_decode(json.loads(spec))) for i, spec in enumerate(specs) if i == 0 or spec != specs[i - 1]]


def lesson(at: AppTest):
    """The session's lesson: everything the pages show."""
    return at.session_state["lesson"]


def lesson_id(at: AppTest) -> str:
    value = at.query_params["lesson"]
    return value[0] if isinstance(value, list) else value


def settle(at: AppTest, what: str = "job", timeout: float = 120) -> AppTest:
    """Re-run the page until its worker (the training ``job`` or the ``cv_job``) has finished."""
    deadline = time.monotonic() + timeout
    while True:
        worker = at.session_state[what] if what in at.session_state else None
        busy = worker is not None and (worker.progress().status == "running" if what == "job" else not worker.done)
        if not busy:
            return at.run()
        assert time.monotonic() < deadline, f"the {what} did not finish within {timeout} s"
        time.sleep(0.05)
        at.run()
