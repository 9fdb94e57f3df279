"""Upgrading a schema-1 lesson file, in the transaction that opens it (all or nothing).

Schema 1 kept each snapshot's arrays in one blob on its own row (codec.encode_arrays), so an
uploaded dataset was stored again with every snapshot. Upgrading sets the old table aside, creates
schema 2, moves every lesson across (same id, date, name, summary and doc; each array now stored
once) and drops the old table. A row that schema 1 itself could not have loaded (damaged, or of
another format) is left behind: its link now says "not found" instead of "damaged".
"""
from __future__ import annotations

import sqlite3
from typing import Callable

from . import codec
from .snapshots import SCHEMA_VERSION, Packed, SnapshotError, pack

OLDEST = 1  # the one schema before this one, and the only one there was
OLD_TABLE = "snapshots_v1"
Insert = Callable[[sqlite3.Connection, str, Packed, float], None]


def set_aside(conn: sqlite3.Connection) -> str:
    """Rename the schema-1 snapshots table out of the way of schema 2 (its totals, triggers and
    indexes go); return the name it now has."""
    for statement in ("DROP TRIGGER IF EXISTS snapshot_added", "DROP TRIGGER IF EXISTS snapshot_removed",
                      "DROP INDEX IF EXISTS snapshots_unnamed", "DROP INDEX IF EXISTS snapshots_named",
                      "DROP TABLE IF EXISTS totals", f"ALTER TABLE snapshots RENAME TO {OLD_TABLE}"):
        conn.execute(statement)
    return OLD_TABLE


def move_lessons(conn: sqlite3.Connection, old_table: str, insert: Insert) -> int:
    """Move every loadable schema-1 row into schema 2 in insertion order; how many were moved."""
    moved = 0
    rows = conn.execute(f"SELECT id, schema, created, name, summary, doc, arrays FROM {old_table} ORDER BY seq")
    for snapshot_id, schema, created, name, summary, doc_text, blob in rows:  # one row in memory at a time
        try:
            if schema != 1 or not isinstance(created, float):
                raise ValueError(f"format {schema!r}")
            packed = pack(codec.decode_doc(doc_text), codec.decode_arrays(blob), summary, name)
        except (SnapshotError, ValueError):
            continue
        insert(conn, snapshot_id, packed, created)
        moved += 1
    conn.execute(f"DROP TABLE {old_table}")
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
    return moved
