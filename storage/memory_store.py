"""Snapshots in this process's memory: the fallback when no file can be used. Lost on restart."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from .snapshots import (EVICT_BATCH, EVICT_SLACK, MEMORY_MAX_BYTES, MEMORY_MAX_SNAPSHOTS, SCHEMA_VERSION, Snapshot,
                        SnapshotError, SnapshotInfo, check_id, clean_name, evict_more, new_id, not_found, pack,
                        unpack)


@dataclass
class _Row:
    doc: str
    arrays: tuple[tuple[str, str], ...]  # (name, key) in order; the bytes live in MemoryStore._arrays
    summary: str
    size: int
    own_size: int
    created: float
    name: str | None


class MemoryStore:
    """A SnapshotStore in a dict, capped like the file store (smaller caps by default), each array kept
    once (encoded, so every load hands out fresh arrays checked as from a file); thread-safe."""

    persistent = False

    def __init__(self, notice: str | None = None, *, max_bytes: int = MEMORY_MAX_BYTES,
                 max_count: int = MEMORY_MAX_SNAPSHOTS) -> None:
        self.notice = notice
        self.max_bytes, self.max_count = max_bytes, max_count
        self._rows: dict[str, _Row] = {}  # insertion order = oldest first
        self._arrays: dict[str, tuple[bytes, int]] = {}  # key → (blob, snapshots referring to it)
        self._bytes = 0  # stored: every row's doc and summary, every array once
        self._lock = threading.Lock()

    def save(self, doc: dict[str, Any], arrays: Mapping[str, np.ndarray], summary: str = "",
             name: str | None = None) -> str:
        packed = pack(doc, arrays, summary, name)
        snapshot_id = new_id()
        with self._lock:
            new = {a.key: a.blob() for a in packed.arrays if a.key not in self._arrays}  # may refuse: nothing changed yet
            for array in packed.arrays:
                blob, references = self._arrays.get(array.key) or (new[array.key], 0)
                self._bytes += 0 if references else len(blob)
                self._arrays[array.key] = (blob, references + 1)
            self._rows[snapshot_id] = _Row(packed.doc, tuple((a.name, a.key) for a in packed.arrays),
                                           packed.summary, packed.size, packed.own_size, time.time(), packed.name)
            self._bytes += packed.own_size
            self._drop(EVICT_SLACK, EVICT_BATCH, keep=snapshot_id)
        return snapshot_id

    def load(self, snapshot_id: str) -> Snapshot:
        with self._lock:
            row = self._rows.get(check_id(snapshot_id))
            blobs = [] if row is None else [(n, k, self._arrays[k][0]) for n, k in row.arrays]
        if row is None:
            raise not_found(snapshot_id)
        return unpack(snapshot_id, SCHEMA_VERSION, row.created, row.name, row.summary, row.doc, blobs)

    def rename(self, snapshot_id: str, name: str | None) -> None:
        check_id(snapshot_id)
        name = clean_name(name)
        with self._lock:
            if snapshot_id not in self._rows:
                raise not_found(snapshot_id)
            self._rows[snapshot_id].name = name

    def named(self, limit: int = 50) -> list[SnapshotInfo]:
        if not isinstance(limit, int) or limit < 0:
            raise SnapshotError(f"limit must be a whole number ≥ 0, got {limit!r:.40}")
        with self._lock:
            rows = [(i, r) for i, r in reversed(self._rows.items()) if r.name is not None][:limit]
        return [SnapshotInfo(i, r.name, r.summary, r.created, r.size) for i, r in rows]

    def delete(self, snapshot_id: str) -> None:
        check_id(snapshot_id)
        with self._lock:
            if snapshot_id not in self._rows:
                raise not_found(snapshot_id)
            self._remove(snapshot_id)

    def evict(self) -> int:
        with self._lock:
            return self._drop(0.0, None)

    def _remove(self, snapshot_id: str) -> None:
        """Drop a row and every array no other row refers to (the lock is held)."""
        row = self._rows.pop(snapshot_id)
        self._bytes -= row.own_size
        for _, key in row.arrays:
            blob, references = self._arrays[key]
            if references > 1:
                self._arrays[key] = (blob, references - 1)
            else:
                del self._arrays[key]
                self._bytes -= len(blob)

    def _drop(self, slack: float, batch: int | None, keep: str = "") -> int:
        """Evict the oldest unnamed snapshots beyond the caps (the lock is held)."""
        if not evict_more(len(self._rows), self._bytes, 0, self.max_count, self.max_bytes):
            return 0
        dropped = 0
        for snapshot_id in [i for i, r in self._rows.items() if r.name is None and i != keep]:
            if not evict_more(len(self._rows), self._bytes, dropped, self.max_count, self.max_bytes, slack, batch):
                break
            self._remove(snapshot_id)
            dropped += 1
        return dropped
