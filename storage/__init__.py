"""Lesson snapshots kept in a local SQLite file: save, load by id, name, list, delete, evict.

Knows nothing of Streamlit or of what a lesson holds: a snapshot is a JSON-ready doc, named numpy
arrays, a summary line and an optional name. ``open_store()`` never fails; if the file cannot be
used it returns an in-memory store whose ``notice`` says why. Schema and limits: ``snapshots.py``.
"""
from .memory_store import MemoryStore
from .opening import default_path, open_store
from .snapshots import (MAX_SNAPSHOT_BYTES, MAX_SNAPSHOTS, MAX_STORE_BYTES, SCHEMA_VERSION, Snapshot,
                        SnapshotError, SnapshotInfo, SnapshotStore)
from .sqlite_store import SQLiteStore, StoreUnavailable

__all__ = ["MAX_SNAPSHOT_BYTES", "MAX_SNAPSHOTS", "MAX_STORE_BYTES", "SCHEMA_VERSION", "MemoryStore",
           "SQLiteStore", "Snapshot", "SnapshotError", "SnapshotInfo", "SnapshotStore", "StoreUnavailable",
           "default_path", "open_store"]
