"""How often a live fragment redraws: as often as the server can afford, and never more often.

A fragment with ``run_every`` is rerun by a timer in the browser, whether or not its last redraw has
finished; on a busy server the requests queue up and every session's clicks wait behind them. So the
interval follows the cost of the redraws themselves: interval = max(0.2 s, 5 × the recent redraw's
server time) — a session spends at most a fifth of its time on redraws — rounded up to a few steps so
the browser's timer is not reset on every redraw, and at most 5 s. A redraw's server time runs from
when it was due (the last one's start + the interval) to when it has drawn: on a busy server a
redraw also waits before it starts (for the interpreter lock, for the server's one event loop), and
that wait is the clearest sign that everyone's redraws should come less often.

Streamlit sets a fragment's interval only when a full run calls it; ``ask_every`` sends the same
message a full run would, from inside the fragment, so the pace changes without rerunning the page.
"""
from __future__ import annotations

import time

import streamlit as st

BASE_SECONDS = 0.2
SHARE = 5  # a redraw may take at most 1 / SHARE of the time between redraws
FLUSH_PAUSE_SECONDS = 0.03
STEPS = (0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0)


def interval_for(redraw_seconds: float) -> float:
    """max(0.2 s, 5 × ``redraw_seconds``), rounded up to the next of STEPS (5 s at most)."""
    wanted = max(BASE_SECONDS, SHARE * redraw_seconds)
    return next((step for step in STEPS if step >= wanted - 1e-9), STEPS[-1])


def busy_note(interval: float) -> str | None:
    """What the page says when it redraws less often than it would like to."""
    if interval <= BASE_SECONDS:
        return None
    return f"server busy: updating every {interval:g} s"


def interval(key: str) -> float:
    """The interval to give the fragment ``key`` in a full run (``@st.fragment(run_every=…)``)."""
    seconds = interval_for(st.session_state.get(f"_{key}_seconds", 0.0))
    st.session_state[f"_{key}_interval"] = seconds
    st.session_state.pop(f"_{key}_began", None)  # a full run restarts the timer: nothing is due yet
    return seconds


class Redraw:
    """Times one redraw of the live fragment ``key``; when the redraws' cost calls for another
    interval, asks the browser for it (only while ``live``: a stopped timer stays stopped).

        with pacing.Redraw("train_live", live=running) as redraw:   # inside the fragment
            ... draw; st.caption(redraw.note) if redraw.note ...
    """

    def __init__(self, key: str, live: bool = True) -> None:
        self.key, self.live = key, live
        self.estimate = st.session_state.get(f"_{key}_seconds", 0.0)
        self.interval = st.session_state.get(f"_{key}_interval", interval_for(self.estimate))
        self.note = busy_note(self.interval) if live else None

    def __enter__(self) -> "Redraw":
        self._began = time.perf_counter()
        last = st.session_state.get(f"_{self.key}_began")
        due = last + self.interval if last is not None else self._began
        self._late = min(max(0.0, self._began - due), STEPS[-1])
        st.session_state[f"_{self.key}_began"] = self._began
        return self

    def __exit__(self, *exc) -> None:
        spent = time.perf_counter() - self._began + self._late
        # down at once when redraws get cheap again, up by half the step when they get dearer
        estimate = spent if not self.estimate or spent < self.estimate else (spent + self.estimate) / 2
        st.session_state[f"_{self.key}_seconds"] = estimate
        wanted = interval_for(estimate)
        if self.live and exc[0] is None and wanted != self.interval and ask_every(wanted):
            st.session_state[f"_{self.key}_interval"] = wanted
        if self.live:
            # The next redraw may be queued already (the browser's timer does not wait) and start the
            # moment this one ends; Streamlit then drops whatever of this one its event loop has not
            # sent yet. A moment's pause lets the loop send it (a sleep holds no lock, costs no CPU).
            time.sleep(FLUSH_PAUSE_SECONDS)


def ask_every(interval: float) -> bool:
    """Ask the browser to rerun the fragment under way every ``interval`` seconds from now on.
    Returns False where that is not possible (outside a fragment, or a Streamlit without the message)."""
    try:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        from streamlit.runtime.scriptrunner_utils.script_run_context import ThreadState, get_script_run_ctx

        ctx, fragment_id = get_script_run_ctx(), ThreadState.get().fragment_id
    except (ImportError, AttributeError, RuntimeError):
        return False
    if ctx is None or not fragment_id:
        return False
    msg = ForwardMsg()
    msg.auto_rerun.interval = interval
    msg.auto_rerun.fragment_id = fragment_id
    ctx.enqueue(msg)
    return True
