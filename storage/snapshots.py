"""Lesson snapshots: what a snapshot is, its limits, and the interface every store offers.

A snapshot is immutable: a JSON-ready ``doc``, named numpy ``arrays``, a one-line ``summary`` and an
optional ``name``. It is found again by its id, 22 URL-safe characters from ``secrets.token_urlsafe``
(128 random bits; nothing counts up, so ids cannot be guessed from one another). Only the name
can change after saving.

Arrays are stored once: each is encoded alone (``codec.encode_array``) and kept under the sha256 of
those bytes, so an uploaded dataset that every snapshot of a lesson carries takes its space once,
however many snapshots refer to it. An array goes when the last snapshot referring to it goes.

The SQLite schema (``sqlite_store.py``; version ``SCHEMA_VERSION``; schema-1 files are upgraded on
opening, see ``migration.py``)::

    meta(key TEXT PRIMARY KEY, value TEXT)            -- ("schema_version", "2")
    snapshots(seq INTEGER PRIMARY KEY,                -- insertion order, never shown
              id TEXT UNIQUE, schema INTEGER,         -- every row carries the schema version too
              created REAL, name TEXT NULL, summary TEXT,
              size INTEGER,                           -- the snapshot's bytes: doc + summary + its arrays
              doc TEXT)                               -- compact ASCII JSON (codec.encode_doc)
    arrays(key TEXT PRIMARY KEY,                      -- sha256 of the array's bytes, hex
           size INTEGER, data BLOB)                   -- codec.encode_array; size = length(data)
    snapshot_arrays(seq, position, name, key)         -- a snapshot's arrays in order, by name and key
    totals(count, bytes)                              -- one row, kept by triggers: snapshots, and the
                                                      -- bytes stored (doc + summary + each array once)

Deleting a snapshot deletes its rows in ``snapshot_arrays`` and every array no other row refers
to (triggers, so no reference count can drift). Reading a snapshot checks each array against its
sha256 before decoding it.

Limits: a snapshot ≤ ``MAX_SNAPSHOT_BYTES`` (8 MB, counting every array it refers to, shared or not;
checked on save and again on load); the store ≤ ``MAX_STORE_BYTES`` (500 MB of bytes stored, each
array once) and ≤ ``MAX_SNAPSHOTS`` (20 000). Beyond a cap the oldest *unnamed* snapshots are
evicted: a save that finds the totals over a cap drops as many as the caps demand and then up to
``EVICT_BATCH`` more, towards 2 % under the caps, so that saves at the cap stay fast (under a
millisecond for 16 default lessons); named snapshots are never evicted.
Names ≤ 100 characters, summaries ≤ 300 (whitespace collapsed, no control characters).
The in-memory fallback is capped too, at 100 MB and 2 000 snapshots, and stores arrays once as well.
"""
from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any, Mapping, Protocol, Sequence, runtime_checkable

import numpy as np

from . import codec

SCHEMA_VERSION = 2
MAX_SNAPSHOT_BYTES = 8 * 1024 * 1024
MAX_STORE_BYTES = 500 * 1024 * 1024
MAX_SNAPSHOTS = 20_000
MEMORY_MAX_BYTES = 100 * 1024 * 1024  # the in-memory fallback holds less
MEMORY_MAX_SNAPSHOTS = 2_000
EVICT_SLACK = 0.02  # a save that evicts goes on to 2 % under the caps …
EVICT_BATCH = 16  # … evicting at most 16 for that (more only if the caps themselves demand it)
EVICT_SCAN = 256  # at most this many evicted in one transaction
MAX_NAME = 100
MAX_SUMMARY = 300
ID_BYTES = 16
ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{22}")  # token_urlsafe(16): 128 bits in 22 characters


class SnapshotError(ValueError):
    """Anything a store refuses or cannot do, in one line."""


@dataclass(frozen=True)
class Snapshot:
    id: str
    doc: dict[str, Any]
    arrays: dict[str, np.ndarray]
    summary: str
    name: str | None
    created: float  # seconds since the epoch (time.time())


@dataclass(frozen=True)
class SnapshotInfo:
    id: str
    name: str | None
    summary: str
    created: float
    size: int  # the snapshot's bytes: doc + summary + its arrays (shared ones counted in full)


@runtime_checkable
class SnapshotStore(Protocol):
    """What the app needs from a store; SQLite today, perhaps a shared server later."""

    persistent: bool  # False for the in-memory fallback
    notice: str | None  # one line for the user when lessons are not being saved

    def save(self, doc: dict[str, Any], arrays: Mapping[str, np.ndarray], summary: str = "",
             name: str | None = None) -> str: ...
    def load(self, snapshot_id: str) -> Snapshot: ...
    def rename(self, snapshot_id: str, name: str | None) -> None: ...
    def named(self, limit: int = 50) -> list[SnapshotInfo]: ...
    def delete(self, snapshot_id: str) -> None: ...
    def evict(self) -> int: ...


@dataclass(frozen=True)
class StoredArray:
    """One array as stored: its name in the snapshot and its key, the sha256 of its blob."""

    name: str
    key: str  # sha256 of the blob, 64 hex digits
    head: bytes
    data: np.ndarray  # contiguous, little-endian: the blob is head + data's bytes

    @property
    def size(self) -> int:
        return len(self.head) + self.data.nbytes

    def blob(self) -> bytes:
        """The array's bytes (codec.encode_array), built only when the store does not hold them yet and
        checked against the key once more: an array changed while it is saved must not be stored."""
        blob = b"".join((self.head, self.data))
        if array_key(blob) != self.key:
            raise SnapshotError(f"cannot save this lesson: array {quote(self.name)} changed while it was being saved")
        return blob


@dataclass(frozen=True)
class Packed:
    """A snapshot as stored: checked, encoded and measured."""

    doc: str
    arrays: tuple[StoredArray, ...]
    summary: str
    name: str | None
    size: int  # doc + summary + every array

    @property
    def own_size(self) -> int:
        """The bytes the snapshot's own row holds: doc + summary (its arrays are stored apart)."""
        return len(self.doc) + len(self.summary.encode("utf-8"))


def quote(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def new_id() -> str:
    return secrets.token_urlsafe(ID_BYTES)


def check_id(snapshot_id: Any) -> str:
    """The id itself if it has an id's form; SnapshotError before any query otherwise."""
    if not isinstance(snapshot_id, str) or not ID_PATTERN.fullmatch(snapshot_id):
        shown = quote(snapshot_id) if isinstance(snapshot_id, str) else type(snapshot_id).__name__
        raise SnapshotError(f"lesson id {shown} is malformed (expected 22 letters, digits, '-' or '_'; "
                            "check the link)")
    return snapshot_id


def not_found(snapshot_id: str) -> SnapshotError:
    return SnapshotError(f"lesson {quote(snapshot_id)} not found (it may have been deleted or the link mistyped)")


def clean_text(text: Any, what: str, limit: int) -> str:
    """Whitespace runs → one space, ends stripped; control characters and lone surrogates refused."""
    if not isinstance(text, str):
        raise SnapshotError(f"a {what} must be text, got {type(text).__name__}")
    text = " ".join(text.split())
    if len(text) > limit:
        raise SnapshotError(f"a {what} of {len(text)} characters; the limit is {limit}")
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in text):
        raise SnapshotError(f"the {what} {quote(text)} contains control characters or broken Unicode")
    return text


def clean_name(name: Any) -> str | None:
    """A name to show as plain text, or None (unnamed) for None or blank."""
    return None if name is None else clean_text(name, "name", MAX_NAME) or None


def array_key(*parts: Any) -> str:
    """sha256 of the bytes ``parts`` hold, one after the other, as 64 hex digits."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    return digest.hexdigest()


def pack(doc: Any, arrays: Any, summary: Any = "", name: Any = None) -> Packed:
    """Check and encode everything a save needs; SnapshotError says what is wrong."""
    summary, name = clean_text(summary, "summary", MAX_SUMMARY), clean_name(name)
    if isinstance(arrays, Mapping):
        raw = sum(a.nbytes for a in arrays.values() if isinstance(a, np.ndarray))
        if raw > MAX_SNAPSHOT_BYTES:
            raise too_large(raw)
    try:
        doc_text, split = codec.encode_doc(doc), codec.split_arrays(arrays)
    except ValueError as err:
        raise SnapshotError(f"cannot save this lesson: {err}") from None
    size = len(doc_text) + len(summary.encode("utf-8")) + sum(len(head) + data.nbytes for _, head, data in split)
    if size > MAX_SNAPSHOT_BYTES:
        raise too_large(size)
    stored = tuple(StoredArray(n, array_key(head, data), head, data) for n, head, data in split)
    return Packed(doc_text, stored, summary, name, size)


def too_large(size: int) -> SnapshotError:
    return SnapshotError(f"cannot save this lesson: it takes {size / 2**20:.1f} MB; "
                         f"the limit is {MAX_SNAPSHOT_BYTES // 2**20} MB")


def unpack(snapshot_id: str, schema: Any, created: Any, name: Any, summary: Any, doc_text: Any,
           arrays: Sequence[tuple[Any, Any, Any]]) -> Snapshot:
    """A stored row and its arrays, (name, key, blob) in order, → a Snapshot, checked as strictly as
    a save (each blob against its key, the sha256 it was stored under); SnapshotError if damaged or
    newer."""
    if isinstance(schema, int) and schema > SCHEMA_VERSION:
        raise SnapshotError(f"lesson {quote(snapshot_id)} was saved by a newer version of Backprop Lab "
                            f"(format {schema}; this version reads {SCHEMA_VERSION})")
    try:
        if schema != SCHEMA_VERSION:
            raise ValueError(f"unknown format {schema!r}")
        if not isinstance(created, float) or not isinstance(summary, str) or not isinstance(name, (str, type(None))):
            raise ValueError("its date, summary or name is not of the right type")
        if not isinstance(doc_text, str) or not all(isinstance(b, bytes) for _, _, b in arrays):
            raise ValueError("its doc or arrays are missing or of the wrong type")
        size = (len(doc_text.encode("utf-8", "surrogatepass")) + len(summary.encode("utf-8"))
                + sum(len(b) for _, _, b in arrays))
        if size > MAX_SNAPSHOT_BYTES:
            raise ValueError(f"it takes {size / 2**20:.1f} MB; the limit is {MAX_SNAPSHOT_BYTES // 2**20} MB")
        if len(arrays) > codec.MAX_ARRAYS:
            raise ValueError(f"{len(arrays)} arrays; the limit is {codec.MAX_ARRAYS}")
        doc, decoded = codec.decode_doc(doc_text), {}
        for array_name, key, blob in arrays:
            codec.check_name(array_name)
            if array_name in decoded:
                raise ValueError(f"array name {quote(array_name)} is repeated")
            if array_key(blob) != key:
                raise ValueError(f"array {quote(array_name)} does not match its checksum")
            decoded[array_name] = codec.decode_array(blob, array_name)
    except ValueError as err:
        raise damaged(snapshot_id, str(err)) from None
    return Snapshot(snapshot_id, doc, decoded, summary, name, created)


def damaged(snapshot_id: str, reason: str) -> SnapshotError:
    return SnapshotError(f"lesson {quote(snapshot_id)} is damaged and cannot be restored ({reason})")


def evict_more(count: int, total: int, dropped: int, max_count: int, max_bytes: int, slack: float = 0.0,
               batch: int | None = None) -> bool:
    """Whether to drop one more of the oldest unnamed snapshots, with ``dropped`` dropped already by this
    eviction and ``count`` snapshots of ``total`` stored bytes left: yes while either cap is exceeded;
    then, once dropping has begun and while fewer than ``batch`` are dropped, on to ``slack`` (a
    fraction) under both caps, so that the next saves need not evict. (A store measures ``total``
    after each drop: what a drop frees depends on which arrays other snapshots still share.)"""
    if count > max_count or total > max_bytes:
        return True
    if dropped == 0 or (batch is not None and dropped >= batch):
        return False
    return count > max_count - int(max_count * slack) or total > max_bytes - int(max_bytes * slack)
