"""Snapshots in a local SQLite file, safe for many threads and several processes at once.

WAL mode (readers never wait for the writer), ``synchronous=NORMAL`` (a commit does not wait for
the disk; a power cut may lose the last few saves but never damages the file), a busy timeout,
and every write in its own short ``BEGIN IMMEDIATE`` transaction (so a writer waits its turn
instead of failing with "database is locked"). Connections are pooled: a thread borrows one for a
single operation and gives it back, so the many threads Streamlit runs sessions on share a few.

Deleting is ``secure_delete = FAST``: freed pages are zeroed only where that costs no extra writes,
so a deleted or evicted lesson may linger in free pages until they are reused (with ON, evicting
16 lessons took 20 ms instead of 0.5). SQLite's automatic checkpoint (every ~4 MB written) makes
about one save of the default lesson in 60 wait for a disk sync (~9 ms on the benchmark machine;
moving checkpoints to a background thread was tried and made the slow saves slower).

Each array is stored once (``arrays``, keyed by its sha256; see snapshots.py for the schema): a save
sends SQLite only the arrays the file does not hold yet, so saving a lesson with a 5 MB upload again
costs hashing it (~4 ms), not writing it. A schema-1 file is upgraded when it is opened (migration.py).
"""
from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Iterator, Mapping

import numpy as np

from . import migration
from .snapshots import (EVICT_BATCH, EVICT_SCAN, EVICT_SLACK, MAX_SNAPSHOT_BYTES, MAX_SNAPSHOTS, MAX_STORE_BYTES,
                        SCHEMA_VERSION, Packed, Snapshot, SnapshotError, SnapshotInfo, check_id, clean_name, damaged,
                        evict_more, new_id, not_found, pack, unpack)

BUSY_TIMEOUT_S = 10.0
MAX_IDLE_CONNECTIONS = 8
OWN_BYTES = "length(CAST({0}.doc AS BLOB)) + length(CAST({0}.summary AS BLOB))"  # a row's stored bytes

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    f"INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '{SCHEMA_VERSION}')",
    """CREATE TABLE IF NOT EXISTS snapshots (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        schema INTEGER NOT NULL,
        created REAL NOT NULL,
        name TEXT,
        summary TEXT NOT NULL,
        size INTEGER NOT NULL,
        doc TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS snapshots_unnamed ON snapshots (created, seq) WHERE name IS NULL",
    "CREATE INDEX IF NOT EXISTS snapshots_named ON snapshots (created, seq) WHERE name IS NOT NULL",
    """CREATE TABLE IF NOT EXISTS arrays (
        key TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        data BLOB NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS snapshot_arrays (
        seq INTEGER NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL, key TEXT NOT NULL,
        PRIMARY KEY (seq, position)) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS snapshot_arrays_key ON snapshot_arrays (key)",
    """CREATE TABLE IF NOT EXISTS totals (
        one INTEGER PRIMARY KEY CHECK (one = 1), count INTEGER NOT NULL, bytes INTEGER NOT NULL)""",
    f"""CREATE TRIGGER IF NOT EXISTS snapshot_added AFTER INSERT ON snapshots BEGIN
        UPDATE totals SET count = count + 1, bytes = bytes + {OWN_BYTES.format("NEW")} WHERE one = 1; END""",
    f"""CREATE TRIGGER IF NOT EXISTS snapshot_removed AFTER DELETE ON snapshots BEGIN
        UPDATE totals SET count = count - 1, bytes = bytes - ({OWN_BYTES.format("OLD")}) WHERE one = 1;
        DELETE FROM snapshot_arrays WHERE seq = OLD.seq; END""",
    """CREATE TRIGGER IF NOT EXISTS reference_removed AFTER DELETE ON snapshot_arrays BEGIN
        DELETE FROM arrays WHERE key = OLD.key AND NOT EXISTS (SELECT 1 FROM snapshot_arrays WHERE key = OLD.key);
        END""",
    """CREATE TRIGGER IF NOT EXISTS array_added AFTER INSERT ON arrays BEGIN
        UPDATE totals SET bytes = bytes + NEW.size WHERE one = 1; END""",
    """CREATE TRIGGER IF NOT EXISTS array_removed AFTER DELETE ON arrays BEGIN
        UPDATE totals SET bytes = bytes - OLD.size WHERE one = 1; END""",
)
RECOUNT = ("INSERT INTO totals SELECT 1, (SELECT count(*) FROM snapshots), "
           f"(SELECT coalesce(sum({OWN_BYTES.format('snapshots')}), 0) FROM snapshots) "
           "+ (SELECT coalesce(sum(size), 0) FROM arrays)")


class StoreUnavailable(SnapshotError):
    """The file cannot be used as a store; the message says why (for ``open_store``'s notice)."""


def _reason(err: sqlite3.Error) -> str:
    return str(err).splitlines()[0] if str(err) else type(err).__name__


def _schema_version(conn: sqlite3.Connection, path: Path) -> int | None:
    """The file's schema version, None for an empty database; StoreUnavailable if it is not ours."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        return None
    if "meta" not in tables:
        raise StoreUnavailable(f"{path} is not a Backprop Lab lesson database (it holds other tables)")
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    try:
        return int(row[0])
    except (TypeError, ValueError):
        raise StoreUnavailable(f"{path} has no readable schema version; it was left as it is") from None


def _first_file(folder: Path) -> Path:
    """The part of ``folder``'s path that exists but is not a folder."""
    return next((p for p in reversed(folder.parents) if p.exists() and not p.is_dir()), folder)


def _refuse_newer(version: int | None, path: Path) -> None:
    """StoreUnavailable for a schema this version can neither read nor upgrade (newer, or unknown)."""
    if version is not None and version > SCHEMA_VERSION:
        raise StoreUnavailable(f"{path} was written by a newer version of Backprop Lab (schema {version}; "
                               f"this version reads {SCHEMA_VERSION}); it was left as it is")
    if version is not None and version < migration.OLDEST:
        raise StoreUnavailable(f"{path} has schema {version}, which no version of Backprop Lab wrote; "
                               "it was left as it is")


class SQLiteStore:
    """A SnapshotStore in one SQLite file. Raises StoreUnavailable if the file cannot serve."""

    persistent = True
    notice: str | None = None

    def __init__(self, path: str | Path, *, max_bytes: int = MAX_STORE_BYTES, max_count: int = MAX_SNAPSHOTS,
                 timeout: float = BUSY_TIMEOUT_S) -> None:
        self.path = Path(path).expanduser()
        self.max_bytes, self.max_count, self.timeout = max_bytes, max_count, timeout
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._prepare()

    # --- opening -------------------------------------------------------------------------------

    def _prepare(self) -> None:
        """Check the file without writing to it, then create the schema if it is missing."""
        path = self.path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise StoreUnavailable(f"{_first_file(path.parent)} is a file, not a folder") from None
        except OSError as err:
            raise StoreUnavailable(f"{path.parent} cannot be created ({err.strerror or err})") from None
        if path.is_dir():
            raise StoreUnavailable(f"{path} is a directory, not a database file")
        if path.exists() and path.stat().st_size > 0:
            self._check_read_only()
        try:
            with contextlib.closing(self._connect()) as conn:
                self._create_schema(conn)
        except sqlite3.Error as err:
            reason = _reason(err)
            if "readonly" in reason or "unable to open" in reason or "disk I/O" in reason:
                raise StoreUnavailable(f"{path} is not writable ({reason})") from None
            raise StoreUnavailable(f"{path} cannot be used ({reason}); it was left as it is") from None

    def _check_read_only(self) -> None:
        """Damaged, foreign or newer files are refused here, through a read-only connection."""
        try:
            with contextlib.closing(sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                                    timeout=self.timeout)) as probe:
                version = _schema_version(probe, self.path)
        except sqlite3.Error as err:
            raise StoreUnavailable(f"{self.path} is damaged or not a lesson database ({_reason(err)}); "
                                   "it was left as it is") from None
        _refuse_newer(version, self.path)

    def _create_schema(self, conn: sqlite3.Connection) -> None:
        deadline = time.monotonic() + self.timeout
        while True:  # switching to WAL needs a moment alone with the file; other processes may be opening it
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                break
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = _schema_version(conn, self.path)  # another process may have won the race
            _refuse_newer(version, self.path)
            old = migration.set_aside(conn) if version == migration.OLDEST else None  # schema 1: upgrade it
            for statement in SCHEMA:
                conn.execute(statement)
            if old:
                migration.move_lessons(conn, old, _insert)
            if conn.execute("SELECT count(*) FROM totals").fetchone() == (0,):  # new, or lost: count afresh
                conn.execute(RECOUNT)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA secure_delete = FAST")  # ON (some builds' default) rewrites every freed page
        return conn

    # --- connections ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """Borrow a pooled connection for one operation; sqlite3 errors become SnapshotError."""
        with self._lock:
            if self._pid != os.getpid():  # forked: the parent's connections are not ours to use
                self._idle, self._pid = [], os.getpid()
            conn = self._idle.pop() if self._idle else None
        try:
            if conn is None:
                conn = self._connect()
            yield conn
        except sqlite3.Error as err:
            if conn is not None:
                conn.close()
            raise SnapshotError(f"the lesson store at {self.path} failed ({_reason(err)})") from None
        except BaseException:
            if conn is not None:
                conn.close()
            raise
        else:
            with self._lock:
                if len(self._idle) < MAX_IDLE_CONNECTIONS:
                    self._idle.append(conn)
                    conn = None
            if conn is not None:
                conn.close()

    @contextlib.contextmanager
    def _writing(self, begin: str = "BEGIN IMMEDIATE") -> Iterator[sqlite3.Connection]:
        """One short transaction: a write, taken at once (BEGIN IMMEDIATE) so the busy timeout applies,
        or with ``begin="BEGIN"`` a read that sees one state of the file throughout."""
        with self._connection() as conn:
            conn.execute(begin)
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        """Close the idle connections (the store can still be used; it reconnects)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    # --- the SnapshotStore interface -------------------------------------------------------------

    def save(self, doc: dict[str, Any], arrays: Mapping[str, np.ndarray], summary: str = "",
             name: str | None = None) -> str:
        packed = pack(doc, arrays, summary, name)
        snapshot_id = new_id()
        with self._writing() as conn:
            _insert(conn, snapshot_id, packed, time.time())
            count, total = conn.execute("SELECT count, bytes FROM totals").fetchone()
        if count > self.max_count or total > self.max_bytes:
            self._evict(EVICT_SLACK, EVICT_BATCH, keep=snapshot_id)
        return snapshot_id

    def load(self, snapshot_id: str) -> Snapshot:
        """The snapshot and its arrays, read in one transaction; sizes are checked before any blob is read."""
        check_id(snapshot_id)
        refs: list[tuple[Any, Any, Any]] = []
        blobs: list[tuple[Any]] = []
        with self._writing("BEGIN") as conn:
            row = conn.execute("SELECT seq, schema, created, name, summary, length(doc), "
                               "CASE WHEN length(doc) <= ? THEN doc END FROM snapshots WHERE id = ?",
                               (MAX_SNAPSHOT_BYTES, snapshot_id)).fetchone()
            if row is not None:
                refs = conn.execute("SELECT r.name, r.key, length(a.data) FROM snapshot_arrays r LEFT JOIN arrays a "
                                    "ON a.key = r.key WHERE r.seq = ? ORDER BY r.position", (row[0],)).fetchall()
                length = (row[5] or 0) + sum(n or 0 for _, _, n in refs)
                if length <= MAX_SNAPSHOT_BYTES:  # larger ones are refused without reading them
                    blobs = conn.execute("SELECT a.data FROM snapshot_arrays r LEFT JOIN arrays a ON a.key = r.key "
                                         "WHERE r.seq = ? ORDER BY r.position", (row[0],)).fetchall()
        if row is None:
            raise not_found(snapshot_id)
        _, schema, created, name, summary, _, doc_text = row
        if length > MAX_SNAPSHOT_BYTES:
            raise damaged(snapshot_id, f"it takes {length / 2**20:.1f} MB; the limit is "
                                       f"{MAX_SNAPSHOT_BYTES // 2**20} MB")
        missing = next((n for n, _, size in refs if size is None), None)
        if missing is not None:
            raise damaged(snapshot_id, f"its array {missing!r:.60} is missing")
        arrays = [(n, k, b) for (n, k, _), (b,) in zip(refs, blobs, strict=True)]
        return unpack(snapshot_id, schema, created, name, summary, doc_text, arrays)

    def rename(self, snapshot_id: str, name: str | None) -> None:
        check_id(snapshot_id)
        name = clean_name(name)
        with self._connection() as conn:
            changed = conn.execute("UPDATE snapshots SET name = ? WHERE id = ?", (name, snapshot_id)).rowcount
        if not changed:
            raise not_found(snapshot_id)

    def named(self, limit: int = 50) -> list[SnapshotInfo]:
        if not isinstance(limit, int) or limit < 0:
            raise SnapshotError(f"limit must be a whole number ≥ 0, got {limit!r:.40}")
        with self._connection() as conn:
            rows = conn.execute("SELECT id, name, summary, created, size FROM snapshots WHERE name IS NOT NULL "
                                "ORDER BY created DESC, seq DESC LIMIT ?", (limit,)).fetchall()
        return [SnapshotInfo(*row) for row in rows]

    def delete(self, snapshot_id: str) -> None:
        check_id(snapshot_id)
        with self._connection() as conn:
            changed = conn.execute("DELETE FROM snapshots WHERE id = ?", (snapshot_id,)).rowcount
        if not changed:
            raise not_found(snapshot_id)

    def evict(self) -> int:
        """Drop the oldest unnamed snapshots until both caps hold; how many were dropped."""
        dropped = 0
        while batch := self._evict(0.0, None):
            dropped += batch
        return dropped

    def _evict(self, slack: float, batch: int | None, keep: str = "") -> int:
        """One short transaction dropping at most EVICT_SCAN of the oldest unnamed snapshots; the totals
        are read again after each (what a drop frees depends on the arrays still shared)."""
        with self._writing() as conn:
            def totals() -> tuple[int, int]:
                return conn.execute("SELECT count, bytes FROM totals").fetchone()

            if not evict_more(*totals(), 0, self.max_count, self.max_bytes):
                return 0
            oldest = conn.execute("SELECT seq FROM snapshots WHERE name IS NULL AND id != ? "
                                  "ORDER BY created, seq LIMIT ?", (keep, EVICT_SCAN)).fetchall()
            dropped = 0
            for (seq,) in oldest:
                if not evict_more(*totals(), dropped, self.max_count, self.max_bytes, slack, batch):
                    break
                dropped += conn.execute("DELETE FROM snapshots WHERE seq = ? AND name IS NULL", (seq,)).rowcount
        return dropped


def _insert(conn: sqlite3.Connection, snapshot_id: str, packed: Packed, created: float) -> None:
    """Write a snapshot's row and references, and those of its arrays the file does not hold yet
    (inside the caller's write transaction, so no other writer can drop one in between)."""
    keys = list(dict.fromkeys(a.key for a in packed.arrays))
    held = {k for (k,) in conn.execute(f"SELECT key FROM arrays WHERE key IN ({', '.join('?' * len(keys))})",
                                       keys)} if keys else set()
    new = {a.key: a for a in packed.arrays if a.key not in held}
    conn.executemany("INSERT INTO arrays (key, size, data) VALUES (?, ?, ?)",
                     [(a.key, a.size, a.blob()) for a in new.values()])
    seq = conn.execute("INSERT INTO snapshots (id, schema, created, name, summary, size, doc) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (snapshot_id, SCHEMA_VERSION, created, packed.name, packed.summary, packed.size,
                        packed.doc)).lastrowid
    conn.executemany("INSERT INTO snapshot_arrays (seq, position, name, key) VALUES (?, ?, ?, ?)",
                     [(seq, i, a.name, a.key) for i, a in enumerate(packed.arrays)])
