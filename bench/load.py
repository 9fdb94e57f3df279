"""A classroom on one machine: N students training, M stepping through a pass, one probe — measured.

    python -m bench.load                          # 10 training + 40 stepping on a server it starts
    python -m bench.load --train 3 --step 10      # a smaller room
    python -m bench.load --url http://127.0.0.1:8080 --pid 1234 --pid 1235   # a running deployment

Every student is a protocol-level client (bench/protocol.py: Streamlit's own websocket messages, no
browser). Trainers press Start on the Train page with its defaults (the tutorial's 500 epochs, pace
"steady") and keep its live charts redrawing until the run ends; steppers click Next on the
step-through every 3 s; a separate probe session clicks Next once a second and times each answer.
Reported: probe click p50/p95, redraws per training session per second, runs finished and how long
they took, redraws cut short by the next one, errors, server CPU and memory (psutil if installed,
else /proc) — idle, at peak, and after every session has closed.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.protocol import Tab  # noqa: E402

STEP_SECONDS = 3.0
PROBE_SECONDS = 1.0
SESSION_TTL = 5  # seconds a closed session's state is kept by servers this benchmark starts (Streamlit: 120)


# -- the server's processes ---------------------------------------------------------------------------
class Processes:
    """CPU seconds and resident memory of the server's processes, from psutil or /proc."""

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids
        self._tick = os.sysconf("SC_CLK_TCK")

    def cpu_seconds(self) -> float:
        total = 0.0
        for pid in self.pids:
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / self._tick
        return total

    def rss_mb(self) -> float:
        total = 0
        for pid in self.pids:
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        return total / 1024


def start_servers(port: int, count: int, db: Path, log_dir: Path) -> list[subprocess.Popen]:
    """``count`` app processes on ports port, port+1, … sharing one lesson store; healthy on return."""
    servers = []
    for k in range(count):
        command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true",
                   f"--server.port={port + k}", f"--server.disconnectedSessionTTL={SESSION_TTL}"]
        log = (log_dir / f"server-{port + k}.log").open("w")
        servers.append(subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                        env={**os.environ, "BACKPROP_LAB_DB": str(db), "PYTHONUNBUFFERED": "1"}))
    for k in range(count):
        wait_healthy(f"http://127.0.0.1:{port + k}")
    return servers


def wait_healthy(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.read() == b"ok":
                    return
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not become healthy within {timeout:g} s")


# -- the students ------------------------------------------------------------------------------------
@dataclass
class Room:
    errors: list[str] = field(default_factory=list)
    probe: list[float] = field(default_factory=list)
    steps: list[float] = field(default_factory=list)
    opens: list[float] = field(default_factory=list)
    runs: list[float] = field(default_factory=list)  # seconds from Start to the last epoch on screen
    unfinished: int = 0


def finished(tab: Tab) -> bool:
    return "· finished" in tab.text() or "· stopped" in tab.text()


async def train(tab: Tab, room: Room, deadline: float) -> None:
    began = time.monotonic()
    await tab.click("train_start")
    while not finished(tab):
        if time.monotonic() > deadline:
            room.unfinished += 1
            return
        await asyncio.sleep(0.2)
    if "· stopped" in tab.text():
        room.errors.append(f"a run stopped: {tab.text()[-200:]}")
    room.runs.append(time.monotonic() - began)


async def step(tab: Tab, stop: asyncio.Event, period: float, times: list[float]) -> None:
    await asyncio.sleep(random.uniform(0, period))
    while not stop.is_set():
        began = time.monotonic()
        key = "step_reset" if tab.widget("step_next").disabled else "step_next"
        run = await tab.click(key)
        times.append(run.seconds)
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), max(0.0, period - (time.monotonic() - began)))


def source_of(k: int, sources: int) -> str | None:
    """Student k's address: one of ``sources`` loopback networks (127.0.1.1, 127.0.2.1, …), so that a
    proxy balancing by client address (nginx ip_hash: the first three octets) sees many machines."""
    return f"127.0.{k % sources + 1}.1" if sources else None


async def opened(url: str, page: str, room: Room, gate: asyncio.Semaphore, source: str | None = None) -> Tab:
    async with gate:  # a room arrives over a few seconds, not in one instant
        tab = Tab(url, page, source=source)
        run = await tab.open()
        room.opens.append(run.seconds)
        return tab


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def warm_up(url: str, sources: tuple[str | None, ...] = (None,)) -> None:
    """Open each page once and train a few epochs: imports, caches and the compiled loop are loaded
    (from each of ``sources``, so that behind a proxy every app process is warmed)."""
    for source in sources:
        tabs = [Tab(url, page, source=source) for page in ("", "Step_through", "Train")]
        for tab in tabs:
            await tab.open()
        trainer = tabs[-1]
        await trainer.set_value("_w_train_pace", "instant")
        await trainer.set_value("_w_tr_epochs", 20)
        await trainer.click("train_start")
        deadline = time.monotonic() + 60
        while not finished(trainer) and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        for tab in tabs:
            await tab.close()


async def classroom(url: str, processes: Processes, n_train: int, n_step: int, limit: float,
                    settle: float, sources: int = 0) -> dict:
    """Run the room once; the measurements as a dict."""
    await warm_up(url, tuple(source_of(k, sources) for k in range(min(sources, 8))) or (None,))
    await asyncio.sleep(SESSION_TTL + settle)  # the warm-up's sessions are gone
    idle = processes.rss_mb()
    room, gate = Room(), asyncio.Semaphore(8)
    began_opening = time.monotonic()
    trainers = await asyncio.gather(*[opened(url, "Train", room, gate, source_of(k, sources))
                                      for k in range(n_train)])
    steppers = await asyncio.gather(*[opened(url, "Step_through", room, gate, source_of(n_train + k, sources))
                                      for k in range(n_step)])
    probe = await opened(url, "Step_through", room, gate, source_of(n_train + n_step, sources))
    opening = time.monotonic() - began_opening
    cpu0, t0, peak = processes.cpu_seconds(), time.monotonic(), processes.rss_mb()
    self0 = resource.getrusage(resource.RUSAGE_SELF)
    stop = asyncio.Event()
    deadline = t0 + limit
    walkers = [asyncio.create_task(step(tab, stop, STEP_SECONDS, room.steps)) for tab in steppers]
    walkers.append(asyncio.create_task(step(probe, stop, PROBE_SECONDS, room.probe)))
    runs = asyncio.gather(*[train(tab, room, deadline) for tab in trainers])
    while not runs.done():
        peak = max(peak, processes.rss_mb())
        await asyncio.sleep(0.5)
    await runs
    if time.monotonic() - t0 < 20:  # keep the steppers going for a while even when training was quick
        await asyncio.sleep(20 - (time.monotonic() - t0))
    stop.set()
    results = await asyncio.gather(*walkers, return_exceptions=True)
    room.errors += [f"{type(r).__name__}: {r}" for r in results if isinstance(r, BaseException)]
    seconds, cpu = time.monotonic() - t0, processes.cpu_seconds() - cpu0
    self1 = resource.getrusage(resource.RUSAGE_SELF)
    peak = max(peak, processes.rss_mb())
    redraws = [sum(1 for r in tab.runs if r.auto and r.status == "fragment") for tab in trainers]
    cut_short = sum(1 for tab in trainers + steppers + [probe] for r in tab.runs if r.cut_short)
    total_runs = sum(len(tab.runs) for tab in trainers + steppers + [probe])
    largest = max(tab.largest_message for tab in trainers + steppers + [probe])
    for tab in trainers + steppers + [probe]:
        room.errors += tab.exceptions
        await tab.close()
    await asyncio.sleep(SESSION_TTL + settle)
    after = processes.rss_mb()
    run_seconds = room.runs or [float("nan")]
    return {
        "sessions": f"{n_train} training + {n_step} stepping + 1 probe",
        "probe click p50 / p95 (ms)": f"{1000 * percentile(room.probe, 0.5):.0f} / {1000 * percentile(room.probe, 0.95):.0f}",
        "stepper click p50 / p95 (ms)": f"{1000 * percentile(room.steps, 0.5):.0f} / {1000 * percentile(room.steps, 0.95):.0f}",
        "page opened p95 (s)": f"{percentile(room.opens, 0.95):.2f} ({len(room.opens)} sessions in {opening:.1f} s)",
        "runs finished": f"{len(room.runs)} of {n_train}",
        "run time, Start to last epoch (s): median / max":
            f"{statistics.median(run_seconds):.1f} / {max(run_seconds):.1f}",
        "redraws per training session per s":
            f"{statistics.mean(redraws) / seconds:.2f}" if redraws else "—",
        "runs cut short (replaced by the next before any of it was shown)": f"{cut_short} of {total_runs}",
        "largest message (KB)": f"{largest / 1024:.0f}",
        "errors": str(len(room.errors) + room.unfinished) + (f" ({room.errors[0][:120]})" if room.errors else ""),
        "server CPU (% of one core)": f"{100 * cpu / seconds:.0f}",
        "benchmark's own CPU (% of one core)":
            f"{100 * (self1.ru_utime + self1.ru_stime - self0.ru_utime - self0.ru_stime) / seconds:.0f}",
        "server memory (MB): idle / peak / after close": f"{idle:.0f} / {peak:.0f} / {after:.0f}",
        "_ok": (not room.errors and not room.unfinished and percentile(room.probe, 0.95) <= 1.0
                and max(run_seconds) <= limit and after <= 1.2 * idle),
    }


async def interaction_costs(url: str, processes: Processes, clicks: int = 40, seconds: float = 8.0) -> dict:
    """Server CPU per interaction on an otherwise idle server (CPU seconds from /proc, so everything the
    server does for it counts: the script, Streamlit's bookkeeping, serialising, sending)."""
    await warm_up(url)
    stepper = Tab(url, "Step_through")
    await stepper.open()
    for _ in range(3):
        await stepper.click("step_next")
    cpu0, waits = processes.cpu_seconds(), []
    for _ in range(clicks):
        run = await stepper.click("step_reset" if stepper.widget("step_next").disabled else "step_next")
        waits.append(run.seconds)
    next_cpu = (processes.cpu_seconds() - cpu0) / clicks
    click_bytes = statistics.median(r.bytes for r in stepper.runs[-clicks:])
    trainer = Tab(url, "Train")
    await trainer.open()
    await trainer.set_value("_w_train_pace", "slow, for a lecture")  # 5 epochs/s: training costs ~nothing
    await trainer.click("train_start")
    await asyncio.sleep(1.0)
    done0, cpu0 = sum(r.status == "fragment" for r in trainer.runs), processes.cpu_seconds()
    await asyncio.sleep(seconds)
    redraws = sum(r.status == "fragment" for r in trainer.runs) - done0
    redraw_cpu = (processes.cpu_seconds() - cpu0) / max(redraws, 1)
    redraw_bytes = statistics.median(r.bytes for r in trainer.runs if r.status == "fragment")
    await trainer.click("train_stop")
    for tab in (stepper, trainer):
        await tab.close()
    return {
        "step-through Next click: server CPU (ms)": f"{1000 * next_cpu:.1f}",
        "step-through Next click: answered in, median (ms)": f"{1000 * statistics.median(waits):.0f}",
        "step-through Next click: bytes sent": f"{click_bytes:,.0f}",
        "Train page redraw: server CPU (ms)": f"{1000 * redraw_cpu:.1f} ({redraws} redraws in {seconds:g} s)",
        "Train page redraw: bytes sent": f"{redraw_bytes:,.0f}",
    }


def table(results: dict) -> str:
    lines = ["| measurement | value |", "| --- | --- |"]
    lines += [f"| {k} | {v} |" for k, v in results.items() if not k.startswith("_")]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=int, default=10, help="sessions training (default 10)")
    parser.add_argument("--step", type=int, default=40, help="sessions stepping every 3 s (default 40)")
    parser.add_argument("--limit", type=float, default=60, help="seconds a run may take (default 60)")
    parser.add_argument("--url", help="a running app (or its proxy); without it, servers are started here")
    parser.add_argument("--pid", type=int, action="append", default=[], help="a server process to measure")
    parser.add_argument("--start", type=int, default=1, help="app processes to start (default 1)")
    parser.add_argument("--port", type=int, default=8599, help="the first one's port (default 8599)")
    parser.add_argument("--settle", type=float, default=3, help="seconds to let memory settle before measuring")
    parser.add_argument("--sources", type=int, default=0,
                        help="connect from this many loopback networks (127.0.k.1): a proxy sees many machines")
    parser.add_argument("--cost", action="store_true", help="instead: server CPU per click and per redraw, one user")
    args = parser.parse_args(argv)
    servers = []
    work = Path(tempfile.mkdtemp(prefix="backprop-lab-load-"))
    try:
        if args.url is None:
            servers = start_servers(args.port, args.start, work / "lessons.sqlite3", work)
            args.url = f"http://127.0.0.1:{args.port}"
            args.pid = [s.pid for s in servers]
        if args.cost:
            print(table(asyncio.run(interaction_costs(args.url, Processes(args.pid)))))
            return 0
        results = asyncio.run(classroom(args.url, Processes(args.pid), args.train, args.step, args.limit,
                                        args.settle, args.sources))
    finally:
        for server in servers:
            server.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(timeout=20)
    print(table(results))
    print(f"\ntargets (probe p95 ≤ 1 s, every run within {args.limit:g} s, no error, memory within 20 % of "
          f"idle): {'met' if results['_ok'] else 'NOT met'}")
    return 0 if results["_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
