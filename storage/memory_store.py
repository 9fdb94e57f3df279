"""Snapshots in this process's memory: the fallback when no file can be used. Lost on restart."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from .snapshots import (EVICT_BATCH, EVICT_SLACK, MEMORY_MAX_BYTES, MEMORY_MAX_SNAPSHOTS, SCHEMA_VERSION, Packed,
                        Snapshot, SnapshotError, SnapshotInfo, check_id, choose_evictions, clean_name, new_id,
                        not_found, pack, unpack)


@dataclass
class _Row:
    packed: Packed  # kept encoded, so every load hands out fresh arrays checked as from a file
    created: float
    name: str | None


class MemoryStore:
    """A SnapshotStore in a dict, capped like the file store (smaller caps by default); thread-safe."""

    persistent = False

    def __init__(self, notice: str | None = None, *, max_bytes: int = MEMORY_MAX_BYTES,
                 max_count: int = MEMORY_MAX_SNAPSHOTS) -> None:
        self.notice = notice
        self.max_bytes, self.max_count = max_bytes, max_count
        self._rows: dict[str, _Row] = {}  # insertion order = oldest first
        self._bytes = 0
        self._lock = threading.Lock()

    def save(self, doc: dict[str, Any], arrays: Mapping[str, np.ndarray], summary: str = "",
             name: str | None = None) -> str:
        packed = pack(doc, arrays, summary, name)
        snapshot_id = new_id()
        with self._lock:
            self._rows[snapshot_id] = _Row(packed, time.time(), packed.name)
            self._bytes += packed.size
            self._drop(EVICT_SLACK, EVICT_BATCH, keep=snapshot_id)
        return snapshot_id

    def load(self, snapshot_id: str) -> Snapshot:
        with self._lock:
            row = self._rows.get(check_id(snapshot_id))
        if row is None:
            raise not_found(snapshot_id)
        p = row.packed
        return unpack(snapshot_id, SCHEMA_VERSION, row.created, row.name, p.summary, p.doc, p.arrays)

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
        return [SnapshotInfo(i, r.name, r.packed.summary, r.created, r.packed.size) for i, r in rows]

    def delete(self, snapshot_id: str) -> None:
        check_id(snapshot_id)
        with self._lock:
            row = self._rows.pop(snapshot_id, None)
            if row is None:
                raise not_found(snapshot_id)
            self._bytes -= row.packed.size

    def evict(self) -> int:
        with self._lock:
            return self._drop(0.0, None)

    def _drop(self, slack: float, batch: int | None, keep: str = "") -> int:
        """Evict the oldest unnamed snapshots beyond the caps (the lock is held)."""
        oldest = ((i, r.packed.size) for i, r in self._rows.items() if r.name is None and i != keep)
        chosen = choose_evictions(oldest, len(self._rows), self._bytes, self.max_count, self.max_bytes, slack,
                                  batch)
        for snapshot_id in chosen:
            self._bytes -= self._rows.pop(snapshot_id).packed.size
        return len(chosen)
