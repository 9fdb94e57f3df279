"""The lesson snapshot store: bit-exact round trips, hostile files and rows, limits, eviction, threads
and processes. Everything lives in tmp_path; the real user data folder is never touched."""
from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import math
import re
import sqlite3
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from bench.store import concurrency_check
from storage import (MemoryStore, SnapshotError, SnapshotStore, SQLiteStore, default_path,
                     open_store)
from storage import codec
from storage.snapshots import SCHEMA_VERSION, evict_more, new_id, pack

ID = re.compile(r"[A-Za-z0-9_-]{22}")
MISSING = "A" * 22  # well-formed; with 128 random bits in every id, never going to be issued


@pytest.fixture(autouse=True)
def no_real_data_folder(tmp_path, monkeypatch):
    """Should any code fall back to default_path(), it lands in tmp_path."""
    monkeypatch.setenv("BACKPROP_LAB_DB", str(tmp_path / "default" / "lessons.sqlite3"))


def make_store(kind: str, folder: Path, **caps) -> SnapshotStore:
    return SQLiteStore(folder / "lessons.sqlite3", **caps) if kind == "sqlite" else MemoryStore(**caps)


@pytest.fixture(params=["sqlite", "memory"])
def kind(request):
    return request.param


@pytest.fixture
def store(kind, tmp_path):
    return make_store(kind, tmp_path)


def raw(path: Path) -> contextlib.closing:
    return contextlib.closing(sqlite3.connect(path, isolation_level=None))


def fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def lesson(i: int = 0) -> tuple[dict, dict]:
    return {"i": i, "net": {"hidden": [5], "activation": "sigmoid"}}, {"w": np.arange(6.0).reshape(2, 3) + i}


# --- round trips ---------------------------------------------------------------------------------

SHAPES = [(), (0,), (5,), (0, 3), (3, 0), (2, 3), (2, 3, 4), (1, 0, 2)]


def special_values(dtype: np.dtype) -> np.ndarray:
    if dtype.kind == "f":
        info = np.finfo(dtype)
        return np.array([-0.0, 0.0, info.smallest_subnormal, -info.smallest_subnormal, info.tiny / 3,
                         info.max, info.min, info.eps, 1 / 3, -2.5], dtype=dtype)
    if dtype.kind == "i":
        info = np.iinfo(dtype)
        return np.array([info.min, info.max, 0, -1, 1, 7], dtype=dtype)
    return np.array([True, False, True], dtype=dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32, np.bool_])
def test_every_dtype_and_shape_comes_back_bit_for_bit(store, dtype):
    dtype = np.dtype(dtype)
    values = special_values(dtype)
    arrays = {f"a{i}": np.resize(values, shape).astype(dtype) for i, shape in enumerate(SHAPES)}
    arrays["big-endian"] = values.astype(dtype.newbyteorder(">"))
    arrays["strided"] = np.resize(values, (4, 6)).astype(dtype)[::2, ::-3]  # not contiguous
    snap = store.load(store.save({}, arrays))
    assert list(snap.arrays) == list(arrays)
    for key, original in arrays.items():
        back = snap.arrays[key]
        assert back.dtype == dtype.newbyteorder("=") and back.shape == original.shape, key
        assert back.tobytes() == np.ascontiguousarray(original, dtype=dtype.newbyteorder("=")).tobytes(), key
    if dtype.kind == "f":
        assert np.signbit(snap.arrays["a2"][0]) and snap.arrays["a2"][2] == np.finfo(dtype).smallest_subnormal


def test_loaded_arrays_are_fresh_and_writeable(store):
    snapshot_id = store.save(*lesson())
    first = store.load(snapshot_id).arrays["w"]
    first[0, 0] = 99.0
    assert store.load(snapshot_id).arrays["w"][0, 0] == 0.0


def test_docs_with_unicode_and_edge_numbers_come_back_identical(store):
    doc = {"名前": "Weizen 🌾 — ñandú", "rtl": "בדיקה", "combining": "e\u0301", "nul": "a\x00b",
           "lone surrogate": "\ud800", "": "empty key", "nested": [[[{"deep": [None, True, False]}]]],
           "ints": [0, -1, 2**62, -(2**63) + 1], "floats": [-0.0, 5e-324, 1.7976931348623157e308, 0.1, 1.0],
           "long": "x" * codec.MAX_STRING}
    snap = store.load(store.save(doc, {}, summary="Wheat seeds · 🌾", name="Ünïcode lesson"))
    assert snap.doc == doc
    assert json.dumps(snap.doc, sort_keys=True) == json.dumps(doc, sort_keys=True)  # ints stay ints, -0.0 stays
    assert math.copysign(1, snap.doc["floats"][0]) == -1 and isinstance(snap.doc["floats"][4], float)
    assert (snap.summary, snap.name) == ("Wheat seeds · 🌾", "Ünïcode lesson")


def test_snapshot_fields(store):
    before = time.time()
    snapshot_id = store.save(*lesson(3), summary="7-5-3 sigmoid", name=None)
    snap = store.load(snapshot_id)
    assert (snap.id, snap.summary, snap.name, snap.doc["i"]) == (snapshot_id, "7-5-3 sigmoid", None, 3)
    assert before <= snap.created <= time.time()
    assert isinstance(store, SnapshotStore)


def test_totals_lost_are_counted_afresh(tmp_path):
    path = tmp_path / "lessons.sqlite3"
    store = SQLiteStore(path)
    sizes = [pack(*lesson(i)).size for i in range(3)]
    for i in range(3):
        store.save(*lesson(i))
    with raw(path) as db:
        db.execute("DROP TABLE totals")
    SQLiteStore(path)
    with raw(path) as db:
        assert db.execute("SELECT count, bytes FROM totals").fetchone() == (3, sum(sizes))


# --- ids -----------------------------------------------------------------------------------------

def test_ids_are_unique_url_safe_and_carry_128_random_bits(store):
    ids = [store.save({}, {}) for _ in range(200)] + [new_id() for _ in range(5000)]
    assert len(set(ids)) == len(ids)
    for snapshot_id in ids[:300]:
        assert ID.fullmatch(snapshot_id)
        assert len(base64.urlsafe_b64decode(snapshot_id + "==")) == 16  # 16 bytes = 128 bits
    assert len(set("".join(ids))) > 60  # the whole URL-safe alphabet is in use, not a counter's digits


@pytest.mark.parametrize("bad", ["", "abc", "A" * 21, "A" * 23, "A" * 21 + "/", "' OR 1=1 --aaaaaaaaaaaa",
                                 "A" * 21 + "\n", "../../etc/passwd", None, 42])
def test_malformed_ids_are_refused_before_any_query(store, bad):
    for action in (store.load, store.delete, lambda i: store.rename(i, "x")):
        with pytest.raises(SnapshotError, match="malformed"):
            action(bad)


def test_unknown_id_says_not_found(store):
    store.save(*lesson())
    for action in (store.load, store.delete, lambda i: store.rename(i, "x")):
        with pytest.raises(SnapshotError, match=r"lesson 'A{22}' not found \(it may have been deleted"):
            action(MISSING)


# --- what a save refuses -------------------------------------------------------------------------

@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_numbers_are_refused(store, value):
    with pytest.raises(SnapshotError, match=r"doc\['a'\]\[1\]\['b'\]: NaN or infinity"):
        store.save({"a": [0, {"b": value}]}, {})
    for dtype in (np.float64, np.float32):
        with pytest.raises(SnapshotError, match="array 'w' contains NaN or infinity"):
            store.save({}, {"w": np.array([[1.0, value]], dtype=dtype)})


def test_a_10_mb_array_is_refused(store):
    with pytest.raises(SnapshotError, match=r"10\.0 MB; the limit is 8 MB"):
        store.save({}, {"features": np.zeros(10 * 2**20 // 8)})
    with pytest.raises(SnapshotError, match="the limit is 8 MB"):  # in parts, and in the doc
        store.save({"big": ["x" * 10_000] * 900}, {"a": np.zeros(2**19), "b": np.zeros(2**19)})


@pytest.mark.parametrize("doc, message", [
    ([1, 2], "doc must be a dict"),
    ({"t": (1, 2)}, r"doc\['t'\]: a tuple is not JSON; use a list"),
    ({"n": np.int64(3)}, "int64 is not JSON"),
    ({"s": {1, 2}}, "set is not JSON"),
    ({1: "x"}, "is not text"),
    ({"s": "x" * (codec.MAX_STRING + 1)}, "the limit is 10000"),
    ({"i": 2**63}, "beyond 64 bits"),
    ({"b": b"bytes"}, "bytes is not JSON"),
])
def test_docs_that_are_not_plain_json_are_refused(store, doc, message):
    with pytest.raises(SnapshotError, match=message):
        store.save(doc, {})


def test_nesting_is_limited_to_32(store):
    def nested(depth):
        doc: dict = {}
        inner = doc
        for _ in range(depth - 1):
            inner["x"] = {}
            inner = inner["x"]
        return doc
    store.save(nested(33), {})  # the doc itself plus 32 levels below it
    with pytest.raises(SnapshotError, match="nested more than 32"):
        store.save(nested(34), {})
    loop: list = []
    loop.append(loop)
    with pytest.raises(SnapshotError, match="nested more than 32"):
        store.save({"loop": loop}, {})


@pytest.mark.parametrize("arrays, message", [
    ({"w": [1.0, 2.0]}, "is a list, not a numpy array"),
    ({"w": np.zeros(3, np.int16)}, "dtype int16"),
    ({"w": np.zeros(3, np.complex128)}, "dtype complex128"),
    ({"w": np.array(["a"])}, "dtype <U1"),
    ({"w": np.zeros((1, 1, 1, 1))}, "4 dimensions; the limit is 3"),
    ({"": np.zeros(1)}, "array names must be text"),
    ({5: np.zeros(1)}, "array names must be text"),
    ([np.zeros(1)], "must be a dict"),
])
def test_arrays_that_cannot_be_stored_are_refused(store, arrays, message):
    with pytest.raises(SnapshotError, match=message):
        store.save({}, arrays)


def test_names_are_tidied_and_limited(store):
    snapshot_id = store.save(*lesson(), name="  Week 3 \n\t demo  ")
    assert store.load(snapshot_id).name == "Week 3 demo"
    store.rename(snapshot_id, "   ")
    assert store.load(snapshot_id).name is None
    for bad, message in [("x" * 101, "limit is 100"), ("a\x00b", "control characters"), (7, "must be text")]:
        with pytest.raises(SnapshotError, match=message):
            store.rename(snapshot_id, bad)
    with pytest.raises(SnapshotError, match="limit is 300"):
        store.save({}, {}, summary="s" * 301)


# --- naming, listing, deleting, eviction ---------------------------------------------------------

def test_rename_named_and_delete(store):
    ids = [store.save(*lesson(i)) for i in range(5)]
    store.rename(ids[1], "first")
    store.rename(ids[3], "second")
    store.rename(ids[0], "third")
    assert [(i.id, i.name) for i in store.named()] == [(ids[3], "second"), (ids[1], "first"), (ids[0], "third")]
    assert [i.name for i in store.named(limit=2)] == ["second", "first"]
    info = store.named()[0]
    assert info.summary == "" and info.size > 0 and info.created == store.load(ids[3]).created
    store.rename(ids[1], None)
    assert [i.name for i in store.named()] == ["second", "third"]
    store.delete(ids[3])
    assert [i.name for i in store.named()] == ["third"]
    with pytest.raises(SnapshotError, match="not found"):
        store.load(ids[3])
    assert store.load(ids[4]).doc["i"] == 4


def test_eviction_drops_the_oldest_unnamed_and_keeps_every_named(kind, tmp_path):
    store = make_store(kind, tmp_path)
    ids = [store.save(*lesson(i), name="keep" if i in (0, 2) else None) for i in range(8)]
    store.max_count = 5  # 8 now: three must go, the oldest unnamed ones (1, 3, 4)
    assert store.evict() == 3
    alive = {i for i, snapshot_id in enumerate(ids) if _exists(store, snapshot_id)}
    assert alive == {0, 2, 5, 6, 7}
    assert store.evict() == 0


def test_saving_past_the_count_cap_evicts_but_never_a_named_or_the_new_one(kind, tmp_path):
    store = make_store(kind, tmp_path, max_count=4)
    named = store.save(*lesson(), name="keep")
    ids = [store.save(*lesson(i)) for i in range(10)]
    assert _exists(store, named) and all(_exists(store, i) for i in ids[-3:])
    assert not any(_exists(store, i) for i in ids[:-3])
    only_named = make_store(kind, tmp_path / "b", max_count=2) if kind == "memory" else \
        SQLiteStore(tmp_path / "b.sqlite3", max_count=2)
    keep = [only_named.save(*lesson(i), name=f"n{i}") for i in range(3)]
    newest = only_named.save(*lesson())  # nothing unnamed to evict but itself: it stays
    assert all(_exists(only_named, i) for i in keep + [newest])


def test_saving_past_the_byte_cap_evicts_the_oldest(kind, tmp_path):
    size = pack(*lesson()).size
    store = make_store(kind, tmp_path, max_bytes=int(size * 3.5))
    ids = [store.save(*lesson(i)) for i in range(6)]
    assert [_exists(store, i) for i in ids] == [False, False, False, True, True, True]


BIG = 5 * 2**20 // 8  # a 5 MB uploaded dataset's worth of float64


def upload(i: int, features: np.ndarray) -> tuple[dict, dict]:
    """A lesson with an upload: the big ``features`` shared, a small array of its own."""
    return {"i": i}, {"data.features": features, "data.labels": np.arange(8) % 3, "w": np.full((2, 3), float(i))}


def stored_bytes(store: SnapshotStore) -> int:
    """Bytes the store holds (each array once), as its own accounting has it."""
    if isinstance(store, MemoryStore):
        return store._bytes
    with raw(store.path) as db:
        return db.execute("SELECT bytes FROM totals").fetchone()[0]


def file_bytes(store: SQLiteStore) -> int:
    store.close()
    with raw(store.path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return store.path.stat().st_size


def test_two_snapshots_sharing_a_5_mb_array_store_it_once(tmp_path):
    store = SQLiteStore(tmp_path / "lessons.sqlite3")
    features = np.random.default_rng(1).random(BIG)
    empty = file_bytes(store)
    first = store.save(*upload(1, features))
    one_copy = file_bytes(store) - empty
    second = store.save(*upload(2, features.copy()))  # equal bytes, another object
    assert 5 * 2**20 <= one_copy < 5.2 * 2**20
    assert file_bytes(store) - empty - one_copy < 64 * 1024  # the second save added its doc and refs only
    third = store.save(*upload(3, features + 1.0))  # other bytes: stored again
    assert file_bytes(store) - empty > 2 * 5 * 2**20
    for snapshot_id, i in ((first, 1), (second, 2), (third, 3)):
        snap = store.load(snapshot_id)
        assert snap.doc["i"] == i and snap.arrays["w"][0, 0] == i and list(snap.arrays) == list(upload(i, features)[1])
    assert store.load(second).arrays["data.features"].tobytes() == features.tobytes()
    with raw(store.path) as db:
        assert db.execute("SELECT count(*) FROM arrays WHERE size > 1048576").fetchone() == (2,)
        assert db.execute("SELECT sum(size) FROM snapshots").fetchone()[0] > 3 * 5 * 2**20  # each counted in full


def test_deleting_or_evicting_one_keeps_the_other_and_the_last_one_frees_the_array(store):
    features = np.random.default_rng(2).random(BIG)
    empty = stored_bytes(store)
    a, b, c = (store.save(*upload(i, features)) for i in range(3))
    assert 5 * 2**20 < stored_bytes(store) - empty < 5.1 * 2**20
    store.delete(a)
    assert store.load(b).arrays["data.features"].tobytes() == features.tobytes()
    store.max_count = 1
    assert store.evict() == 1  # b, the oldest unnamed
    assert store.load(c).arrays["data.features"].tobytes() == features.tobytes()
    assert 5 * 2**20 < stored_bytes(store) - empty < 5.1 * 2**20
    store.delete(c)
    assert stored_bytes(store) == empty == 0
    if isinstance(store, SQLiteStore):
        with raw(store.path) as db:
            assert db.execute("SELECT count(*) FROM arrays").fetchone() == (0,)
            assert db.execute("SELECT count(*) FROM snapshot_arrays").fetchone() == (0,)
    else:
        assert store._arrays == {}


def test_an_array_repeated_within_a_snapshot_is_stored_once_and_freed_with_it(store):
    empty = stored_bytes(store)
    x = np.random.default_rng(5).random(50_000)
    snapshot_id = store.save({}, {"a": x, "b": x.copy(), "c": x.reshape(100, 500)})  # c: other shape, other key
    assert 2 * x.nbytes < stored_bytes(store) - empty < 2.1 * x.nbytes
    back = store.load(snapshot_id).arrays
    assert back["a"].tobytes() == back["b"].tobytes() == x.tobytes() and back["c"].shape == (100, 500)
    back["a"][0] = -1.0
    assert back["b"][0] == x[0]  # separate arrays, not views of one
    store.delete(snapshot_id)
    assert stored_bytes(store) == empty


def test_an_array_changed_while_it_is_saved_is_refused_and_nothing_is_stored(store, monkeypatch):
    import storage.snapshots as snapshots

    empty = stored_bytes(store)
    real_pack = snapshots.pack

    def pack_then_change(doc, arrays, *args):
        packed = real_pack(doc, arrays, *args)
        arrays["w"][0, 0] = 99.0  # another thread at work, between hashing and storing
        return packed

    monkeypatch.setattr(sys.modules[type(store).__module__], "pack", pack_then_change)
    with pytest.raises(SnapshotError, match="array 'w' changed while it was being saved"):
        store.save(*lesson(7))
    assert stored_bytes(store) == empty and store.named() == []


def test_a_named_snapshot_keeps_a_shared_array_while_unnamed_ones_go(kind, tmp_path):
    features = np.random.default_rng(3).random(BIG // 8)
    size = pack(*upload(0, features)).size
    store = make_store(kind, tmp_path, max_bytes=int(size * 1.5))  # the shared array once, many docs
    named = store.save(*upload(0, features), name="keep")
    ids = [store.save(*upload(i, features)) for i in range(1, 40)]
    assert all(_exists(store, i) for i in [named] + ids)  # sharing, 40 snapshots fit under 1.5 copies
    newest = store.save(*upload(99, features + 1.0))  # a second big array: over the cap, unnamed ones go
    assert _exists(store, named) and _exists(store, newest) and not any(_exists(store, i) for i in ids)
    assert store.load(named).arrays["data.features"].tobytes() == features.tobytes()
    assert stored_bytes(store) < 2.1 * features.nbytes  # the two big arrays, once each: all that is left


def test_totals_always_equal_a_count_from_scratch(tmp_path):
    path = tmp_path / "lessons.sqlite3"
    store = SQLiteStore(path, max_count=6)
    features = np.arange(5000.0)
    ids = [store.save(*upload(i, features if i % 2 else features + i), name="n" if i == 3 else None)
           for i in range(12)]
    store.delete(ids[-1])
    store.rename(ids[3], None)
    store.evict()
    with raw(path) as db:
        kept = db.execute("SELECT count, bytes FROM totals").fetchone()
        db.execute("DELETE FROM totals")
    SQLiteStore(path)
    with raw(path) as db:
        assert db.execute("SELECT count, bytes FROM totals").fetchone() == kept
        assert kept[0] == 5 and db.execute("SELECT count(*) FROM arrays WHERE key NOT IN "
                                           "(SELECT key FROM snapshot_arrays)").fetchone() == (0,)


def evicted(sizes: list[int], count: int, total: int, **policy) -> int:
    """How many of the oldest (of ``sizes`` bytes each) an eviction drops under ``evict_more``."""
    dropped = 0
    for size in sizes:
        if not evict_more(count, total, dropped, **policy):
            break
        count, total, dropped = count - 1, total - size, dropped + 1
    return dropped


def test_evict_more_meets_the_caps_first_then_goes_on_in_small_batches():
    sizes = [10] * 100
    assert evicted(sizes, 50, 500, max_count=50, max_bytes=500, slack=0.5, batch=4) == 0
    assert evicted(sizes, 60, 600, max_count=50, max_bytes=10_000) == 10
    assert evicted(sizes, 60, 600, max_count=50, max_bytes=10_000, slack=0.2, batch=12) == 12
    assert evicted(sizes, 60, 600, max_count=50, max_bytes=10_000, slack=0.2, batch=None) == 20
    assert evicted(sizes, 51, 900, max_count=100, max_bytes=500, batch=1) == 40  # bytes
    assert evicted(sizes[:3], 60, 600, max_count=50, max_bytes=10_000) == 3  # all there is
    assert evicted([0] * 5 + [400], 6, 900, max_count=100, max_bytes=500) == 6  # shared arrays free nothing


def _exists(store: SnapshotStore, snapshot_id: str) -> bool:
    try:
        store.load(snapshot_id)
        return True
    except SnapshotError as err:
        assert "not found" in str(err)
        return False


# --- damaged rows and files ----------------------------------------------------------------------

@pytest.mark.parametrize("column, value, message", [
    ("doc", "{not json", "not valid JSON"),
    ("doc", '{"a": NaN}', "NaN"),
    ("doc", "[1, 2]", "must be a dict"),
    ("schema", SCHEMA_VERSION + 1, "saved by a newer version of Backprop Lab"),
    ("schema", 0, "unknown format 0"),
])
def test_a_damaged_row_gives_a_clear_error(tmp_path, column, value, message):
    path = tmp_path / "lessons.sqlite3"
    store = SQLiteStore(path)
    snapshot_id, other = store.save(*lesson()), store.save(*lesson(1))
    with raw(path) as db:
        db.execute(f"UPDATE snapshots SET {column} = ? WHERE id = ?", (value, snapshot_id))
    with pytest.raises(SnapshotError, match=message) as err:
        store.load(snapshot_id)
    assert "\n" not in str(err.value) and snapshot_id in str(err.value)
    assert store.load(other).doc["i"] == 1  # the rest of the store is fine


def replace_array(path: Path, snapshot_id: str, value: object, rehash: bool = True) -> None:
    """Put ``value`` where the snapshot's only array is stored; with ``rehash``, under its own sha256
    (as a hostile file would), so that the damage gets past the checksum to the decoder."""
    with raw(path) as db:
        [(key,)] = db.execute("SELECT key FROM snapshot_arrays JOIN snapshots USING (seq) WHERE id = ?",
                              (snapshot_id,)).fetchall()
        new_key = hashlib.sha256(value).hexdigest() if rehash and isinstance(value, bytes) else key
        db.execute("UPDATE arrays SET key = ?, size = length(?), data = ? WHERE key = ?", (new_key, value, value, key))
        db.execute("UPDATE snapshot_arrays SET key = ? WHERE key = ?", (new_key, key))


@pytest.mark.parametrize("value, rehash, message", [
    (b"junk", True, "is damaged and cannot be restored"),
    (codec.encode_array(np.ones(4))[:-3], True, "cut short"),
    (codec.encode_array(np.ones(4)).replace(np.ones(1).tobytes(), b"\xff" * 8), True, "NaN"),
    (codec.encode_arrays({"w": np.ones(4)}), True, "bad magic"),  # a schema-1 blob where one array belongs
    ("text, not bytes", True, "doc or arrays are missing or of the wrong type"),
    (codec.encode_array(np.arange(6.0).reshape(2, 3) + 0.5), False, "array 'w' does not match its checksum"),
    (np.zeros(10 * 2**20 // 8).tobytes(), False, r"10\.0 MB; the limit is 8 MB"),
])
def test_a_damaged_array_gives_a_clear_error(tmp_path, value, rehash, message):
    path = tmp_path / "lessons.sqlite3"
    store = SQLiteStore(path)
    snapshot_id, other = store.save(*lesson()), store.save(*lesson(1))
    replace_array(path, snapshot_id, value, rehash)
    with pytest.raises(SnapshotError, match=message) as err:
        store.load(snapshot_id)
    assert "\n" not in str(err.value) and snapshot_id in str(err.value)
    assert store.load(other).doc["i"] == 1


@pytest.mark.parametrize("statement, message", [
    ("DELETE FROM arrays WHERE key IN (SELECT key FROM snapshot_arrays WHERE seq = :seq)", "its array 'w' is missing"),
    ("UPDATE snapshot_arrays SET name = '' WHERE seq = :seq", "array names must be text"),
    ("INSERT INTO snapshot_arrays SELECT seq, 1, name, key FROM snapshot_arrays WHERE seq = :seq", "'w' is repeated"),
])
def test_damaged_references_give_a_clear_error(tmp_path, statement, message):
    path = tmp_path / "lessons.sqlite3"
    store = SQLiteStore(path)
    snapshot_id, other = store.save(*lesson()), store.save(*lesson(1))
    with raw(path) as db:
        [(seq,)] = db.execute("SELECT seq FROM snapshots WHERE id = ?", (snapshot_id,)).fetchall()
        db.execute(statement, {"seq": seq})
    with pytest.raises(SnapshotError, match=message):
        store.load(snapshot_id)
    assert store.load(other).doc["i"] == 1


SCHEMA_1 = (  # how the first version of the store laid a file out: each snapshot's arrays in one blob
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "INSERT INTO meta VALUES ('schema_version', '1')",
    "CREATE TABLE snapshots (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, schema INTEGER NOT NULL, "
    "created REAL NOT NULL, name TEXT, summary TEXT NOT NULL, size INTEGER NOT NULL, doc TEXT NOT NULL, "
    "arrays BLOB NOT NULL)",
    "CREATE INDEX snapshots_unnamed ON snapshots (created, seq) WHERE name IS NULL",
    "CREATE INDEX snapshots_named ON snapshots (created, seq) WHERE name IS NOT NULL",
    "CREATE TABLE totals (one INTEGER PRIMARY KEY CHECK (one = 1), count INTEGER NOT NULL, bytes INTEGER NOT NULL)",
    "INSERT INTO totals VALUES (1, 0, 0)",
    "CREATE TRIGGER snapshot_added AFTER INSERT ON snapshots BEGIN "
    "UPDATE totals SET count = count + 1, bytes = bytes + NEW.size WHERE one = 1; END",
    "CREATE TRIGGER snapshot_removed AFTER DELETE ON snapshots BEGIN "
    "UPDATE totals SET count = count - 1, bytes = bytes - OLD.size WHERE one = 1; END",
)


def test_a_schema_1_file_is_upgraded_with_every_lesson_and_each_array_once(tmp_path):
    path = tmp_path / "lessons.sqlite3"
    features = np.random.default_rng(4).random(20_000)
    rows = [(new_id(), upload(i, features), name) for i, name in enumerate(["first", None, None])]
    with raw(path) as db:
        db.execute("PRAGMA journal_mode = WAL")
        for statement in SCHEMA_1:
            db.execute(statement)
        for k, (snapshot_id, (doc, arrays), name) in enumerate(rows):
            blob = codec.encode_arrays(arrays)
            db.execute("INSERT INTO snapshots (id, schema, created, name, summary, size, doc, arrays) "
                       "VALUES (?, 1, ?, ?, 'old', ?, ?, ?)",
                       (snapshot_id, 1000.0 + k, name, len(blob), codec.encode_doc(doc), blob))
        damaged_id = new_id()
        db.execute("INSERT INTO snapshots (id, schema, created, name, summary, size, doc, arrays) "
                   "VALUES (?, 1, 2000.0, 'broken', '', 4, '{}', x'00010203')", (damaged_id,))
    store = open_store(path)
    assert isinstance(store, SQLiteStore), store.notice
    for snapshot_id, (doc, arrays), name in rows:
        snap = store.load(snapshot_id)
        assert (snap.doc, snap.name, snap.summary) == (doc, name, "old")
        assert snap.created == 1000.0 + rows.index((snapshot_id, (doc, arrays), name))
        assert {k: a.tobytes() for k, a in snap.arrays.items()} == {k: a.tobytes() for k, a in arrays.items()}
    with pytest.raises(SnapshotError, match="not found"):
        store.load(damaged_id)  # schema 1 could not load it either
    assert [i.name for i in store.named()] == ["first"]
    with raw(path) as db:
        assert db.execute("SELECT value FROM meta").fetchone() == (str(SCHEMA_VERSION),)
        assert "snapshots_v1" not in {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
        assert db.execute("SELECT count(*) FROM arrays WHERE size > ?", (features.nbytes,)).fetchone() == (1,)
        assert db.execute("SELECT count FROM totals").fetchone() == (3,)
    store.save(*lesson())  # and it goes on working
    assert SQLiteStore(path).load(rows[0][0]).doc == rows[0][1][0]


def test_damaged_pages_give_snapshot_errors_not_sqlite_errors(tmp_path):
    path = tmp_path / "lessons.sqlite3"
    store = SQLiteStore(path)
    marker = np.full(4096, 1234.5)
    snapshot_id = store.save({}, {"marker": marker})
    store.close()
    data = bytearray(path.read_bytes())
    at = data.find(marker[:8].tobytes())
    data[at - 2048:at + 8192] = b"\xff" * 10240  # NaN bytes over the blob and whatever page header is there
    path.write_bytes(bytes(data))
    store = open_store(path)
    with pytest.raises(SnapshotError):
        store.load(snapshot_id)


def test_a_garbage_file_gives_a_memory_store_and_is_left_alone(tmp_path):
    path = tmp_path / "lessons.sqlite3"
    path.write_bytes(b"these are not the lessons you are looking for\n" * 500)
    before = fingerprint(path)
    store = open_store(path)
    assert isinstance(store, MemoryStore) and not store.persistent
    assert store.notice == (f"Lessons are not being saved: {path} is damaged or not a lesson database "
                            "(file is not a database); it was left as it is. The app works in memory.")
    assert fingerprint(path) == before
    assert store.load(store.save(*lesson(2))).doc["i"] == 2  # and the app still works


def test_a_truncated_file_gives_a_memory_store_and_is_left_alone(tmp_path):
    path = tmp_path / "lessons.sqlite3"
    store = SQLiteStore(path)
    for i in range(40):
        store.save({}, {"w": np.full(2000, float(i))})
    store.close()
    del store
    path.write_bytes(path.read_bytes()[:path.stat().st_size // 2])
    before = fingerprint(path)
    fallback = open_store(path)
    assert isinstance(fallback, MemoryStore)
    assert "damaged" in fallback.notice and str(path) in fallback.notice and "\n" not in fallback.notice
    assert fingerprint(path) == before


def test_a_newer_schema_gives_a_notice_and_the_file_is_never_modified(tmp_path):
    path = tmp_path / "lessons.sqlite3"
    store = SQLiteStore(path)
    snapshot_id = store.save(*lesson())
    store.close()
    del store
    with raw(path) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = fingerprint(path)
    fallback = open_store(path)
    assert isinstance(fallback, MemoryStore)
    assert fallback.notice == (f"Lessons are not being saved: {path} was written by a newer version of Backprop "
                               f"Lab (schema {SCHEMA_VERSION + 1}; this version reads {SCHEMA_VERSION}); it was left "
                               "as it is. The app works in memory.")
    assert fingerprint(path) == before
    with raw(path) as db:
        assert db.execute("SELECT count(*) FROM snapshots WHERE id = ?", (snapshot_id,)).fetchone() == (1,)


def test_an_unknown_older_schema_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "lessons.sqlite3"
    SQLiteStore(path).close()
    with raw(path) as db:
        db.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = fingerprint(path)
    assert "has schema 0, which no version of Backprop Lab wrote" in open_store(path).notice
    assert fingerprint(path) == before


def test_someone_elses_database_is_left_alone(tmp_path):
    path = tmp_path / "other.sqlite3"
    with raw(path) as db:
        db.execute("CREATE TABLE accounts (name TEXT)")
    before = fingerprint(path)
    assert "not a Backprop Lab lesson database" in open_store(path).notice
    assert fingerprint(path) == before


def unwritable_folder(tmp_path: Path) -> Path:
    """A folder this process cannot write in: a read-only one, or (for root, whom modes do not stop) /proc."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    with contextlib.suppress(OSError):
        (folder / "probe").touch()
        (folder / "probe").unlink()
        return Path("/proc")  # root: modes do not apply; the kernel refuses files in /proc to everyone
    return folder


def test_an_unwritable_folder_gives_a_memory_store_with_a_notice(tmp_path):
    folder = unwritable_folder(tmp_path)
    store = open_store(folder / "lessons.sqlite3")
    assert isinstance(store, MemoryStore)
    assert store.notice.startswith(f"Lessons are not being saved: {folder / 'lessons.sqlite3'} is not writable (")
    assert store.notice.endswith(". The app works in memory.")
    blocked = tmp_path / "a-file"
    blocked.write_text("x")
    assert open_store(blocked / "lessons.sqlite3").notice == \
        f"Lessons are not being saved: {blocked} is a file, not a folder. The app works in memory."
    assert "is a directory" in open_store(tmp_path).notice


def test_a_good_path_gives_a_persistent_store_that_a_second_opening_shares(tmp_path):
    path = tmp_path / "deep" / "folder" / "lessons.sqlite3"
    first = open_store(path)
    assert isinstance(first, SQLiteStore) and first.persistent and first.notice is None
    snapshot_id = first.save(*lesson(5), name="shared")
    second = open_store(path)
    assert second.load(snapshot_id).doc["i"] == 5 and [i.id for i in second.named()] == [snapshot_id]
    with raw(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert db.execute("SELECT value FROM meta").fetchone() == (str(SCHEMA_VERSION),)
        assert db.execute("SELECT count, bytes FROM totals").fetchone() == (1, pack(*lesson(5), name="shared").size)


def test_open_store_without_a_path_uses_the_default_path(tmp_path):
    store = open_store()
    assert isinstance(store, SQLiteStore) and store.path == tmp_path / "default" / "lessons.sqlite3"


# --- where the file lives ------------------------------------------------------------------------

def test_default_path_follows_each_platforms_convention(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("BACKPROP_LAB_DB", "~/class/lessons.db")
    assert default_path() == tmp_path / "home" / "class" / "lessons.db"
    monkeypatch.delenv("BACKPROP_LAB_DB")
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_path() == tmp_path / "xdg" / "backprop-lab" / "lessons.sqlite3"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")
    assert default_path() == tmp_path / "home" / ".local" / "share" / "backprop-lab" / "lessons.sqlite3"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert default_path() == tmp_path / "home" / ".local" / "share" / "backprop-lab" / "lessons.sqlite3"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert default_path() == tmp_path / "home" / "Library" / "Application Support" / "Backprop Lab" / "lessons.sqlite3"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    assert default_path() == tmp_path / "local" / "Backprop Lab" / "lessons.sqlite3"


# --- the arrays format under hostile bytes -------------------------------------------------------

ONE = (lambda: codec.encode_array(np.arange(6.0).reshape(2, 3)), lambda b: {"array": codec.decode_array(b)})
SEVERAL = (lambda: codec.encode_arrays({"w": np.arange(6.0).reshape(2, 3), "labels": np.arange(3),
                                         "ok": np.ones(2, bool)}), codec.decode_arrays)


@pytest.mark.parametrize("encode, decode", [ONE, SEVERAL], ids=["one array", "several arrays"])
def test_every_cut_and_every_flipped_header_byte_of_a_blob_is_refused_or_harmless(encode, decode):
    blob = encode()
    for cut in range(len(blob)):
        with pytest.raises(ValueError):
            decode(blob[:cut])
    with pytest.raises(ValueError, match="stray bytes"):
        decode(blob + b"\0")
    for at in range(len(blob)):
        for junk in (0x00, 0x02, 0xFF):
            damaged = blob[:at] + bytes([junk]) + blob[at + 1:]
            try:
                arrays = decode(damaged)
            except ValueError:
                continue
            for a in arrays.values():  # what does get through is still well-formed
                assert a.dtype.str in ("<f8", "<i8", "|b1") and a.ndim <= 3
                assert a.dtype.kind != "f" or np.isfinite(a).all()
                assert a.dtype.kind != "b" or a.view(np.uint8).max(initial=0) <= 1


@pytest.mark.parametrize("field, message", [
    (lambda: codec._HEAD.pack(b"NOPE", 1, 0), "bad magic"),
    (lambda: codec._HEAD.pack(b"BPLA", 9, 0), "format 9"),
    (lambda: codec._HEAD.pack(b"BPLA", 1, 1) + _entry("w", "<f2", (1,), 2, b"\0\0"), "dtype '<f2'"),
    (lambda: codec._HEAD.pack(b"BPLA", 1, 1) + _entry("w", "<f8", (1, 1, 1, 1), 8, b"\0" * 8), "4 dimensions"),
    (lambda: codec._HEAD.pack(b"BPLA", 1, 1) + _entry("w", "<f8", (2,), 8, b"\0" * 8), "do not fit shape"),
    (lambda: codec._HEAD.pack(b"BPLA", 1, 1) + _entry("w", "|b1", (2,), 2, b"\x01\x07"), "bool bytes"),
    (lambda: codec._HEAD.pack(b"BPLA", 1, 2) + _entry("w", "<i4", (1,), 4, b"\0" * 4) * 2, "repeated"),
    (lambda: codec._HEAD.pack(b"BPLA", 1, 1) + _entry("w", "<f8", (2**62, 2**62), 0, b""), "do not fit shape"),
])
def test_malformed_blobs_are_refused_with_a_reason(field, message):
    with pytest.raises(ValueError, match=message):
        codec.decode_arrays(field())


def _entry(name: str, dtype: str, shape: tuple[int, ...], nbytes: int, data: bytes) -> bytes:
    return (codec._U16.pack(len(name)) + name.encode() + codec._U8.pack(len(dtype)) + dtype.encode()
            + codec._U8.pack(len(shape)) + b"".join(codec._U64.pack(n) for n in shape)
            + codec._U64.pack(nbytes) + data)


# --- many sessions at once -----------------------------------------------------------------------

def test_sessions_in_several_processes_lose_nothing_and_never_meet_a_locked_database(tmp_path):
    result = concurrency_check(sessions=20, seconds=2.0, processes=3, folder=tmp_path)
    assert result["locked"] == 0 and result["errors"] == 0, result["first_errors"]
    assert result["lost"] == 0, result["first_lost"]
    assert result["saves"] > 100 and result["unique_ids"] == result["saves"] and result["ok"]


def test_processes_evicting_at_once_keep_every_named_snapshot(tmp_path):
    # a cap of 50: ~300 saves a second on an idle machine, but a busy one (the whole suite on 2 cores)
    # managed fewer than 200, and then nothing was evicted at all
    result = concurrency_check(sessions=8, seconds=1.0, processes=2, folder=tmp_path, max_count=50)
    assert result["locked"] == 0 and result["errors"] == 0, result["first_errors"]
    assert result["lost"] == 0, result["first_lost"]  # every named one, and every survivor identical
    counts = {k: result[k] for k in ("saves", "evicted", "named")}
    assert result["evicted"] > 0 and result["saves"] - result["evicted"] <= 50, counts


def test_threads_share_one_store_object(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    store = SQLiteStore(tmp_path / "lessons.sqlite3")

    def session(i: int) -> bool:
        ids = [store.save(*lesson(i * 100 + k)) for k in range(10)]
        return all(store.load(s).doc["i"] == i * 100 + k for k, s in enumerate(ids))

    with ThreadPoolExecutor(16) as pool:
        assert all(pool.map(session, range(32)))
    with raw(tmp_path / "lessons.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM snapshots").fetchone() == (320,)
