"""The lesson store: how long a save and a load take, and whether it holds up under many sessions.

    python -m bench.store                                  # speed, then 20 sessions for 60 s
    python -m bench.store --sessions 8 --seconds 10 --processes 2

Speed: the default lesson (7-5-3 sigmoid on the seeds data, 500 epochs of history) saved and loaded
``runs`` times on a temporary database. Concurrency: ``sessions`` threads spread over ``processes``
processes save, load back and compare for ``seconds``; afterwards every id saved is loaded again and
compared with what was saved. Everything happens in a temporary folder that is removed afterwards.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import random
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from core import initialise, load_seeds  # noqa: E402
from storage import SnapshotError, SnapshotStore, SQLiteStore  # noqa: E402
from storage.snapshots import pack  # noqa: E402

HISTORY = ("loss", "accuracy", "validation_loss", "validation_accuracy", "learning_rate", "epoch_seconds")
UNCAPPED = {"max_count": 10**9, "max_bytes": 10**15}  # the concurrency check must find every snapshot


def sample_lesson(seed: int = 1, upload_bytes: int = 0) -> tuple[dict[str, Any], dict[str, np.ndarray], str]:
    """The default lesson as the app would save it: a doc of ~30 keys and its arrays. With
    ``upload_bytes``, an uploaded dataset of that many bytes of float64 features (10 per row) instead
    of the seeds data."""
    data = load_seeds()
    network = initialise([data.n_features, 5, data.n_classes], seed=seed)
    rng = np.random.default_rng(seed)
    arrays = {f"weights/{l}": w for l, w in enumerate(network.weights)}
    arrays |= {f"history/{h}": rng.random(500) for h in HISTORY}
    arrays |= {"data/features": data.features, "data/labels": data.labels.astype(np.int64)}
    if upload_bytes:
        rows = max(1, upload_bytes // 80)
        arrays |= {"data/features": rng.random((rows, 10)), "data/labels": rng.integers(0, 3, rows)}
    doc = {
        "app": "Backprop Lab", "format": 1, "page": "Train", "presentation": False, "normalisation": "minmax",
        "dataset_name": data.name, "task": data.task, "n_rows": data.n_rows,
        "feature_names": data.feature_names, "class_names": data.class_names,
        "minimums": data.features.min(axis=0).tolist(), "maximums": data.features.max(axis=0).tolist(),
        "hidden": [5], "activation": "sigmoid", "output_activation": "", "loss": "squared error",
        "init": "tutorial", "seed": seed, "network_version": 3,
        "learning_rate": 0.3, "epochs": 500, "batch_size": 1, "momentum": 0.0, "l1": 0.0, "l2": 0.0,
        "shuffle": False, "epochs_done": 500, "train_running": False, "graph_sample": 0,
        "step": {"sample": 42, "step": 7, "learning_rate": 0.3},
        "cv_runs": [{"folds": 5, "epochs": 500, "mean": 93.333, "scores": [92.857, 97.619, 92.857, 90.476, 92.857]}],
    }
    return doc, arrays, "7-5-3 sigmoid · Wheat seeds · trained 500 epochs"


def spread(times: list[float]) -> dict[str, float]:
    """Seconds → {"median", "min", "max"} in milliseconds."""
    return {"median": statistics.median(times) * 1e3, "min": min(times) * 1e3, "max": max(times) * 1e3}


def measure(runs: int = 200, upload_bytes: int = 0, first_runs: int = 5) -> dict[str, Any]:
    """Median/min/max ms of saving and of loading the default lesson on a temporary database, each save
    a new state of it (its first layer's weights changed, as by an applied update). With
    ``upload_bytes``, the lesson carries an uploaded dataset that size: ``first_save_ms`` times saves
    whose dataset the store does not hold yet (``first_runs`` different ones), ``save_ms`` the saves
    that follow (the dataset stored once already); ``db_mb`` is the file's size at the end."""
    doc, arrays, summary = sample_lesson(upload_bytes=upload_bytes)
    weights = arrays["weights/0"]
    with tempfile.TemporaryDirectory(prefix="backprop-lab-bench-") as folder:
        path = Path(folder) / "lessons.sqlite3"
        store = SQLiteStore(path)
        warm_doc, warm_arrays, _ = sample_lesson(seed=2)
        for _ in range(10):  # warm up: connections, caches
            store.load(store.save(warm_doc, warm_arrays, summary))
        firsts = []
        for k in range(first_runs if upload_bytes else 0):
            new = dict(arrays, **{"data/features": arrays["data/features"] + (k + 1)})
            began = time.perf_counter()
            store.save(doc, new, summary)
            firsts.append(time.perf_counter() - began)
        saves, loads, ids = [], [], []
        for k in range(runs):
            arrays["weights/0"] = weights + k * 1e-3
            began = time.perf_counter()
            ids.append(store.save(doc, arrays, summary))
            saves.append(time.perf_counter() - began)
        for snapshot_id in ids:
            began = time.perf_counter()
            store.load(snapshot_id)
            loads.append(time.perf_counter() - began)
        store.close()
        db_mb = sum(f.stat().st_size for f in Path(folder).iterdir()) / 2**20
    stored = pack(doc, arrays, summary).size
    return {"runs": runs, "save_ms": spread(saves), "load_ms": spread(loads), "snapshot_kb": stored / 1024,
            "first_save_ms": spread(firsts) if firsts else None, "db_mb": db_mb}


def digest(doc: dict[str, Any], arrays: dict[str, np.ndarray], summary: str, name: str | None) -> str:
    """A fingerprint of everything a snapshot holds, bit for bit."""
    h = hashlib.sha256(json.dumps([doc, summary, name], sort_keys=True).encode())
    for key in sorted(arrays):
        a = np.ascontiguousarray(arrays[key])
        h.update(f"{key}|{a.dtype.str}|{a.shape}|".encode())
        h.update(a.tobytes())
    return h.hexdigest()


def _session(store: SnapshotStore, seconds: float, seed: int, capped: bool, out: list[dict[str, Any]]) -> None:
    """One user: save a changed lesson (every tenth named; only the first if the store evicts), load it
    back and compare; now and then reload an older one (a named one, if the store evicts)."""
    doc, arrays, summary = sample_lesson(seed % 7 + 1)
    rng, pick = np.random.default_rng(seed), random.Random(seed)
    saved: list[tuple[str, str, bool]] = []
    errors: list[str] = []
    loads = early = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            arrays["history/loss"] = rng.random(500)
            doc["step"]["sample"] = int(rng.integers(210))
            named = not saved if capped else len(saved) % 10 == 0  # named ones past a cap crowd out the rest
            name = f"lesson {seed}.{len(saved)}" if named else None
            snapshot_id = store.save(doc, arrays, summary, name)
            saved.append((snapshot_id, digest(doc, arrays, summary, name), name is not None))
            try:
                back = store.load(snapshot_id)
                loads += 1
                if digest(back.doc, back.arrays, back.summary, back.name) != saved[-1][1]:
                    errors.append(f"{snapshot_id} came back different")
            except SnapshotError as err:  # evicted already, if this thread sat still while others saved
                if not (capped and name is None and "not found" in str(err)):
                    raise
                early += 1
            if len(saved) % 5 == 0:
                old_id, old_digest, _ = pick.choice([s for s in saved if s[2] or not capped])
                old = store.load(old_id)
                loads += 1
                if digest(old.doc, old.arrays, old.summary, old.name) != old_digest:
                    errors.append(f"{old_id} came back different later")
            if len(saved) % 20 == 0:
                store.named(10)
        except Exception as err:  # counted and reported, never hidden
            errors.append(f"{type(err).__name__}: {err}")
    out.append({"saved": saved, "loads": loads, "early": early, "errors": errors})


def _process(path: str, threads: int, seconds: float, first_seed: int, start_at: float,
             caps: dict[str, int]) -> dict[str, Any]:
    """One server process: open the store (all processes at once) and run ``threads`` sessions."""
    time.sleep(max(0.0, start_at - time.time()))
    store = SQLiteStore(path, **caps)
    out: list[dict[str, Any]] = []
    capped = caps != UNCAPPED
    workers = [threading.Thread(target=_session, args=(store, seconds, first_seed + t, capped, out))
               for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return {"saved": [s for o in out for s in o["saved"]], "loads": sum(o["loads"] for o in out),
            "early": sum(o["early"] for o in out), "errors": [e for o in out for e in o["errors"]]}


def concurrency_check(sessions: int = 20, seconds: float = 60.0, processes: int = 4,
                      folder: str | Path | None = None, max_count: int | None = None) -> dict[str, Any]:
    """``sessions`` threads over ``processes`` processes saving and loading for ``seconds``; then every
    id saved is loaded once more and compared. Uncapped, every snapshot must be there; with
    ``max_count`` the stores evict as they go, and every named one must be there. Reports counts;
    ``ok`` is True if nothing went wrong."""
    caps = UNCAPPED if max_count is None else {"max_count": max_count}
    processes = max(1, min(processes, sessions))
    shares = [sessions // processes + (p < sessions % processes) for p in range(processes)]
    with tempfile.TemporaryDirectory(prefix="backprop-lab-concurrency-", dir=folder) as tmp:
        path = str(Path(tmp) / "lessons.sqlite3")
        start_at = time.time() + 1.0 + 0.3 * processes  # time for every process to start
        with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = [pool.submit(_process, path, n, seconds, 1000 * p, start_at, caps)
                       for p, n in enumerate(shares)]
            results = [f.result() for f in futures]
        saved = [s for r in results for s in r["saved"]]
        errors = [e for r in results for e in r["errors"]]
        store = SQLiteStore(path, **UNCAPPED)
        lost, evicted = [], 0
        for snapshot_id, expected, named in saved:
            try:
                s = store.load(snapshot_id)
                if digest(s.doc, s.arrays, s.summary, s.name) != expected:
                    lost.append(f"{snapshot_id} differs")
            except SnapshotError as err:
                if max_count is not None and not named and "not found" in str(err):
                    evicted += 1
                else:
                    lost.append(f"{snapshot_id}: {err}")
        store.close()
        size_mb = sum(f.stat().st_size for f in Path(tmp).iterdir()) / 2**20
    locked = sum("locked" in e for e in errors)
    unique = len({s[0] for s in saved})
    return {"sessions": sessions, "processes": processes, "seconds": seconds, "saves": len(saved),
            "saves_per_second": len(saved) / seconds, "loads": sum(r["loads"] for r in results),
            "unique_ids": unique, "named": sum(s[2] for s in saved), "evicted": evicted,
            "evicted_before_reload": sum(r["early"] for r in results),
            "errors": len(errors), "locked": locked, "first_errors": errors[:5], "lost": len(lost),
            "first_lost": lost[:5], "db_mb": size_mb,
            "ok": not errors and not lost and unique == len(saved)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200, help="saves and loads timed (default 200)")
    parser.add_argument("--sessions", type=int, default=20, help="concurrent sessions (default 20)")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long they run (default 60)")
    parser.add_argument("--processes", type=int, default=4, help="processes the sessions are spread over")
    args = parser.parse_args(argv)
    for label, upload in (("default lesson", 0), ("lesson with a 5 MB upload", 5 * 2**20)):
        speed = measure(args.runs, upload)
        print(f"{label}, {speed['snapshot_kb']:.0f} KB, {speed['runs']} runs; ms: median (min–max)")
        for what in ("first_save", "save", "load"):
            if t := speed[f"{what}_ms"]:
                print(f"  {what.replace('_', ' ')}: {t['median']:.2f} ({t['min']:.2f}–{t['max']:.2f})")
        print(f"  database after {speed['runs']} saves: {speed['db_mb']:.1f} MB")
    print(f"concurrency: {args.sessions} sessions over {args.processes} processes for {args.seconds:g} s …",
          flush=True)
    c = concurrency_check(args.sessions, args.seconds, args.processes)
    print(f"  saves {c['saves']} ({c['saves_per_second']:.0f}/s), loads {c['loads']}, errors {c['errors']} "
          f"(database is locked: {c['locked']}), lost {c['lost']}, unique ids {c['unique_ids']}, "
          f"database {c['db_mb']:.0f} MB")
    for line in c["first_errors"] + c["first_lost"]:
        print(f"  ! {line}")
    assert c["locked"] == 0, "some saves or loads met 'database is locked'"
    assert c["lost"] == 0, "some snapshots could not be loaded back identical"
    assert c["ok"], "the concurrency check found errors"
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
