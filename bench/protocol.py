"""A browser tab without a browser: one Streamlit session spoken to in Streamlit's own websocket protocol.

A ``Tab`` connects to ``/_stcore/stream``, asks for a page with a ``BackMsg`` rerun request, and reads
the ``ForwardMsg`` replies with the protobuf classes of the installed streamlit package — exactly what a
browser sends and receives, minus the rendering. Like the browser it clicks buttons by sending a
trigger in the widget states, follows the query string the app sets, and keeps a fragment's
``run_every`` timer: on an ``auto_rerun`` message it sends a fragment rerun every ``interval`` seconds
whether or not the last one has finished (the browser's setInterval), until a full run cancels it.

Every script run is recorded as a ``Run``: when it was asked for, when its ``script_finished`` came,
how it finished, and how many bytes it sent, so a load benchmark can measure what a student waits for.
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY: "finished", ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY: "fragment",
            ForwardMsg.FINISHED_EARLY_FOR_RERUN: "interrupted", ForwardMsg.FINISHED_WITH_COMPILE_ERROR: "error"}


@dataclass
class Run:
    """One script run as the client saw it. ``status``: finished, fragment (a fragment's run finished),
    interrupted (cut short by a newer request), rerun (ended by the page's own st.rerun) or error."""

    asked: float
    fragment: bool
    auto: bool = False  # asked for by a run_every timer, not by the user
    ended: float | None = None
    status: str | None = None
    messages: int = 0
    deltas: int = 0  # elements that reached the client from the run that answered it
    bytes: int = 0
    largest: int = 0

    @property
    def cut_short(self) -> bool:
        """Ended early with nothing of it shown: a newer run started before any of it was sent, and
        Streamlit dropped it (the newer run draws the same part afresh)."""
        return self.status == "interrupted" and not self.deltas

    @property
    def seconds(self) -> float:
        return (self.ended or time.monotonic()) - self.asked


@dataclass
class Widget:
    id: str
    kind: str
    disabled: bool
    fragment_id: str = ""  # a widget inside a fragment reruns only that fragment, as in the browser


@dataclass
class Tab:
    """One session of the app at ``url`` (e.g. ``http://127.0.0.1:8501``), showing ``page`` ("" = home)."""

    url: str
    page: str = ""
    query: str = ""
    source: str | None = None  # the local address to connect from (a student's own machine, to a proxy)
    runs: list[Run] = field(default_factory=list)
    widgets: dict[str, Widget] = field(default_factory=dict)
    texts: dict[tuple[int, ...], str] = field(default_factory=dict)
    exceptions: list[str] = field(default_factory=list)
    auto_reruns: int = 0  # fragment reruns this tab's timer asked for
    endings: dict[str, int] = field(default_factory=dict)  # script_finished messages by status
    largest_message: int = 0

    def __post_init__(self) -> None:
        self._ws = None
        self._reader: asyncio.Task | None = None
        self._timer: asyncio.Task | None = None
        self._timer_key: tuple[str, float] | None = None
        self._page_hash = ""
        self._finished = asyncio.Event()
        self._queued: list[Run] = []  # asked for; no run has started since
        self._serving: list[Run] = []  # being answered by the run under way
        self._cut: list[Run] = []  # the last run's, if it ended early
        self._drawn = 0  # deltas received from the run under way

    # -- what a user does -------------------------------------------------------------------------------
    async def open(self, timeout: float = 120) -> Run:
        """Connect and load the page; returns its first run, finished."""
        address = self.url.replace("http", "ws", 1).rstrip("/") + "/_stcore/stream"
        self._ws = await websockets.connect(address, subprotocols=["streamlit"], max_size=None,
                                            open_timeout=timeout, ping_interval=None,
                                            local_addr=(self.source, 0) if self.source else None)
        self._reader = asyncio.create_task(self._read())
        return await self._ask(page_name=self.page, timeout=timeout)

    async def click(self, key: str, timeout: float = 120) -> Run:
        """Press the button ``key``, as a browser does; returns the run it caused, finished."""
        widget = self.widget(key)
        state = WidgetState(id=widget.id, trigger_value=True)
        return await self._ask(states=[state], fragment_id=widget.fragment_id, timeout=timeout)

    async def set_value(self, key: str, value: float | str | bool, timeout: float = 120) -> Run:
        """Change widget ``key`` (``_w_…`` keys are the app's bound widgets) to ``value``."""
        widget = self.widget(key)
        state = WidgetState(id=widget.id)
        if isinstance(value, bool):
            state.bool_value = value
        elif isinstance(value, (int, float)):
            state.double_value = float(value)
        elif self.widget(key).kind == "slider":  # a select_slider sends its option as a list
            state.string_array_value.data.append(value)
        else:
            state.string_value = value
        return await self._ask(states=[state], fragment_id=widget.fragment_id, timeout=timeout)

    def widget(self, key: str) -> Widget:
        if key not in self.widgets:
            raise KeyError(f"no widget {key!r} on the page; it has {sorted(self.widgets)[:20]}")
        return self.widgets[key]

    @property
    def refresh_interval(self) -> float | None:
        """The interval of the fragment timer the page asked for (None: no timer running)."""
        return self._timer_key[1] if self._timer_key else None

    def text(self) -> str:
        """Every text the page shows now (markdown, alerts, progress captions, metrics), in page order."""
        return "\n".join(self.texts[path] for path in sorted(self.texts))

    async def close(self) -> None:
        self._stop_timer()
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)

    # -- the protocol ----------------------------------------------------------------------------------
    async def _ask(self, states: list[WidgetState] = (), page_name: str = "", fragment_id: str = "",
                   timeout: float | None = 120, auto: bool = False) -> Run:
        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.query_string = self.query
        rerun.page_script_hash = self._page_hash
        rerun.page_name = page_name
        rerun.widget_states.widgets.extend(states)
        rerun.fragment_id, rerun.is_auto_rerun = fragment_id, auto
        run = Run(time.monotonic(), bool(fragment_id), auto)
        self.runs.append(run)
        self._queued.append(run)
        await self._ws.send(msg.SerializeToString())
        if timeout is not None:
            deadline = run.asked + timeout
            while run.ended is None:
                self._finished.clear()
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no answer within {timeout:g} s from {self.page or 'home'}")
                try:
                    await asyncio.wait_for(self._finished.wait(), left)
                except asyncio.TimeoutError:
                    pass
        return run

    async def _read(self) -> None:
        async for raw in self._ws:
            self.largest_message = max(self.largest_message, len(raw))
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "new_session":  # a run starts: it answers every request sent so far
                self._drawn = 0
                if not msg.metadata.run.fragment_ids and all(run.auto for run in self._queued):
                    for run in self._cut:  # no request of ours starts a full run: the page reran itself
                        run.status = "rerun"
                self._cut = []
                self._serving += self._queued
                self._queued = []
            self._drawn += kind == "delta"
            for run in self._serving[:1]:
                run.messages += 1
                run.bytes += len(raw)
                run.largest = max(run.largest, len(raw))
            if kind == "delta":
                self._delta(msg)
            elif kind == "navigation":  # which page this is (a click's rerun must name it)
                self._page_hash = msg.navigation.page_script_hash
            elif kind == "new_session":
                if not msg.metadata.run.fragment_ids:  # a full run: the browser drops its timers
                    self._stop_timer()
            elif kind == "page_info_changed":
                self.query = msg.page_info_changed.query_string
            elif kind == "auto_rerun":
                self._start_timer(msg.auto_rerun.fragment_id, msg.auto_rerun.interval)
            elif kind == "stop_auto_rerun":
                if self._timer_key and self._timer_key[0] in msg.stop_auto_rerun.fragment_ids:
                    self._stop_timer()
            elif kind == "script_finished":
                status, now = FINISHED.get(msg.script_finished, "unknown"), time.monotonic()
                self.endings[status] = self.endings.get(status, 0) + 1
                for run in self._serving:  # requests coalesced into one run share its drawing
                    run.ended, run.status, run.deltas = now, status, self._drawn
                self._cut = self._serving if status == "interrupted" else []
                self._serving = []
                self._finished.set()

    def _delta(self, msg: ForwardMsg) -> None:
        delta = msg.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        body = getattr(element, kind)
        path = tuple(msg.metadata.delta_path)
        widget_id = getattr(body, "id", "") if kind not in ("plotly_chart", "dataframe") else ""
        if widget_id.startswith("$$ID-") and widget_id.count("-") >= 2:
            self.widgets[widget_id.split("-", 2)[2]] = Widget(widget_id, kind, bool(getattr(body, "disabled", False)),
                                                              delta.fragment_id)
        if kind in ("markdown", "alert"):
            self.texts[path] = body.body
        elif kind == "progress":
            self.texts[path] = body.text
        elif kind == "metric":
            self.texts[path] = f"{body.label}: {body.body}"
        elif kind == "exception":
            self.exceptions.append(f"{body.type}: {body.message}")
            self.texts[path] = body.message
        else:
            self.texts.pop(path, None)

    def _start_timer(self, fragment_id: str, interval: float) -> None:
        if self._timer_key == (fragment_id, interval):
            return
        self._stop_timer()
        self._timer_key = (fragment_id, interval)
        self._timer = asyncio.create_task(self._tick(fragment_id, interval))

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer, self._timer_key = None, None

    async def _tick(self, fragment_id: str, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            self.auto_reruns += 1
            await self._ask(fragment_id=fragment_id, timeout=None, auto=True)
