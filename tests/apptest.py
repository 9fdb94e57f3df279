"""Helpers for AppTest: absolute page paths and a fresh, fully run app."""
import base64
import json
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


def texts(at: AppTest) -> str:
    """Everything the page wrote as markdown, captions, LaTeX and code, as one string."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [l.value for l in at.latex]
    parts += [c.value for c in at.code] + [e.value for e in at.error] + [e.value for e in at.warning]
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
    """The page's plotly charts, as figures with plain lists for their data."""
    return [go.Figure(_decode(json.loads(el.proto.spec))) for el in at.get("plotly_chart")]
