"""What the server does once, at the first page any session opens (``started()``, from page_setup).

- ``gc.freeze()``: the objects alive by then are the libraries and the app's modules (plotly, numba,
  numpy, streamlit — about a million objects). Frozen, a full garbage collection never walks them again:
  a full collection over them took ~120 ms, holding the interpreter lock, which every other
  session's click waited for. (The config also turns off Streamlit's collection after each script
  run, ``runner.postScriptGC``, for the same reason; unreachable cycles are still collected by
  Python's own generational collector, now cheaply.)
- the compiled training loop is loaded on a background thread, so the first Start does not wait.
- in classroom mode (listening on 0.0.0.0), the address students need is printed once and kept for
  the sidebar.
"""
from __future__ import annotations

import gc
import os
import sys
from dataclasses import dataclass

import streamlit as st

from core import fast

from . import classroom

BANNER_PRINTED = "BACKPROP_LAB_BANNER_PRINTED"  # set by classroom.py, which prints it before start-up


@dataclass(frozen=True)
class Server:
    room_url: str | None  # http://<LAN address>:<port> when serving a classroom, else None
    serves_the_room: bool


@st.cache_resource(show_spinner=False)
def started() -> Server:
    """Run once per server process; the facts pages show about it."""
    fast.warm_in_background()
    gc.collect()
    gc.freeze()
    port = int(st.get_option("server.port"))
    room = classroom.serves_the_room(st.get_option("server.address"))
    url = classroom.student_url(port) if room else None
    if room and not os.environ.get(BANNER_PRINTED):
        print(f"\n  Backprop Lab is serving a classroom.\n{classroom.banner(port)}\n", file=sys.stderr, flush=True)
    return Server(url, room)
