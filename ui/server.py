"""What the server does once, at the first page any session opens (``started()``, from page_setup).

- ``gc.freeze()``: the objects alive by then are the libraries and the app's modules (plotly, numba
  and its compiled loop, pandas, numpy, streamlit). Frozen, a full garbage collection never walks them
  again: a full collection over them took 120–230 ms, holding the interpreter lock, which every other
  session's click waited for. (The compiled loop is loaded first, and the table libraries imported,
  so that their objects are frozen too.) The config also turns off Streamlit's collection after each
  script run (``runner.postScriptGC``) for the same reason; unreachable cycles are still collected by
  Python's own generational collector, now cheaply.
- TCP_NODELAY on the server's sockets. Streamlit 1.67 binds its listening socket without naming the
  protocol, so asyncio does not switch Nagle's algorithm off on the connections it accepts; a reply of
  several websocket frames then waited for the browser's delayed ACK — 40 ms added to every click.
  Set on the listening socket, the option is inherited by every connection accepted from then on.
- the interpreter's switch interval down from 5 ms to 1 ms (``BACKPROP_LAB_SWITCH`` seconds): Streamlit's
  one event loop sends every session's messages, and each time it has waited on a socket it must win
  the interpreter lock back from a script or training thread — up to a whole interval per message.
- in classroom mode (listening on 0.0.0.0), the address students need is printed once and kept for
  the sidebar.
"""
from __future__ import annotations

import contextlib
import gc
import os
import socket
import sys
from dataclasses import dataclass

import streamlit as st

from core import fast, libm

from . import classroom

SWITCH_SECONDS = float(os.environ.get("BACKPROP_LAB_SWITCH", "0.001"))
BANNER_PRINTED = "BACKPROP_LAB_BANNER_PRINTED"  # set by classroom.py, which prints it before start-up


@dataclass(frozen=True)
class Server:
    room_url: str | None  # http://<LAN address>:<port> when serving a classroom, else None
    serves_the_room: bool


@st.cache_resource(show_spinner=False)
def started() -> Server:
    """Run once per server process; the facts pages show about it."""
    fast.warm()  # compiled (or loaded from numba's cache) now, so their objects are among those frozen
    libm.warm()
    with contextlib.suppress(ImportError):
        import pandas  # noqa: F401 — Streamlit's tables import it at the first table; import it before freezing
        import pyarrow  # noqa: F401
    gc.collect()
    no_nagle()
    gc.freeze()
    sys.setswitchinterval(SWITCH_SECONDS)
    port = int(st.get_option("server.port"))
    room = classroom.serves_the_room(st.get_option("server.address"))
    url = classroom.student_url(port) if room else None
    if room and not os.environ.get(BANNER_PRINTED):
        print(f"\n  Backprop Lab is serving a classroom.\n{classroom.banner(port)}\n", file=sys.stderr, flush=True)
    return Server(url, room)


def no_nagle() -> int:
    """Switch Nagle's algorithm off on every TCP socket of this process (listening ones pass it on to
    the connections they accept). Returns how many sockets were set."""
    done = 0
    for thing in gc.get_objects():
        if not issubclass(type(thing), socket.socket):  # type(), not isinstance(): safe on dead weak proxies
            continue
        try:
            if thing.family in (socket.AF_INET, socket.AF_INET6) and thing.type == socket.SOCK_STREAM:
                thing.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                done += 1
        except OSError:  # closed meanwhile
            pass
    return done
