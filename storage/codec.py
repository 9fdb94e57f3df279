"""Arrays and documents to bytes and back, validated both ways (never pickle).

One array — the unit a store keeps once, under the sha256 of these bytes — every number little-endian::

    b"BPL1"  u8 format version (1)
    u8 dtype length, the numpy dtype string (ASCII: "<f8", "<f4", "<i8", "<i4" or "|b1")
    u8 ndim (≤ 3), ndim × u64 shape
    u64 byte count (must equal the product of the shape × the item size), the raw bytes, C order

Several named arrays in one blob (how schema-1 stores kept a snapshot's arrays; read when such a
file is upgraded)::

    b"BPLA"  u8 format version (1)  u16 number of arrays
    then per array: u16 name length, the name (UTF-8), and the array as above from its dtype on

Documents: JSON text (ASCII, so lone surrogates survive) holding only dict (str keys), list, str,
int, float, bool and None; floats finite, nesting ≤ 32 deep, strings ≤ 10 000 characters.
"""
from __future__ import annotations

import json
import math
import struct
from typing import Any, Mapping

import numpy as np

MAGIC = b"BPLA"  # several named arrays
ARRAY_MAGIC = b"BPL1"  # one array
FORMAT_VERSION = 1
DTYPES = ("<f8", "<f4", "<i8", "<i4", "|b1")  # float64, float32, int64, int32, bool
MAX_NDIM = 3
MAX_ARRAYS = 256
MAX_ARRAY_NAME = 100
MAX_DEPTH = 32
MAX_STRING = 10_000
MAX_INT = 2**63  # ints must fit in 64 bits (|i| < 2**63)

_HEAD = struct.Struct("<4sBH")
_ARRAY_HEAD = struct.Struct("<4sB")
_U8, _U16, _U64 = struct.Struct("<B"), struct.Struct("<H"), struct.Struct("<Q")


def _quote(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _dtype_code(array: np.ndarray, name: str) -> str:
    dtype = array.dtype
    code = "|b1" if dtype.kind == "b" else f"<{dtype.kind}{dtype.itemsize}"
    if code not in DTYPES:
        raise ValueError(f"array {_quote(name)} has dtype {dtype}; "
                         "only float64, float32, int64, int32 and bool can be saved")
    return code


def check_name(name: Any) -> bytes:
    """An array's name as UTF-8; ValueError unless it is text of 1 to MAX_ARRAY_NAME characters."""
    if not isinstance(name, str) or not 1 <= len(name) <= MAX_ARRAY_NAME:
        raise ValueError(f"array names must be text of 1 to {MAX_ARRAY_NAME} characters, got {_quote(str(name))}")
    try:
        return name.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"array name {_quote(name)} is not valid Unicode") from None


def check_array(name: Any, array: Any) -> str:
    """Raise ValueError unless ``array`` can be saved under ``name``; return its dtype code."""
    check_name(name)
    if not isinstance(array, np.ndarray):
        raise ValueError(f"array {_quote(name)} is a {type(array).__name__}, not a numpy array")
    code = _dtype_code(array, name)
    if array.ndim > MAX_NDIM:
        raise ValueError(f"array {_quote(name)} has {array.ndim} dimensions; the limit is {MAX_NDIM}")
    if code[1] == "f" and not np.isfinite(array).all():
        raise ValueError(f"array {_quote(name)} contains NaN or infinity; only finite numbers can be saved")
    return code


def _body(name: str, array: Any) -> tuple[bytes, np.ndarray]:
    """(dtype, shape and byte count; the data, contiguous and little-endian) of one checked array."""
    code = check_array(name, array)
    data = np.ascontiguousarray(array, dtype=np.dtype(code))
    head = b"".join([_U8.pack(len(code)), code.encode("ascii"), _U8.pack(array.ndim),
                     *(_U64.pack(n) for n in array.shape), _U64.pack(data.nbytes)])
    return head, data


def split_arrays(arrays: Mapping[str, np.ndarray]) -> list[tuple[str, bytes, np.ndarray]]:
    """Named arrays → (name, head, data) for each, checked: the array's own blob (format above) is
    ``head`` followed by ``data``'s bytes, so it can be hashed before (or without) being joined."""
    if not isinstance(arrays, Mapping):
        raise ValueError(f"arrays must be a dict of name → numpy array, got {type(arrays).__name__}")
    if len(arrays) > MAX_ARRAYS:
        raise ValueError(f"{len(arrays)} arrays; the limit is {MAX_ARRAYS}")
    parts = []
    for name, array in arrays.items():
        head, data = _body(name, array)
        parts.append((name, _ARRAY_HEAD.pack(ARRAY_MAGIC, FORMAT_VERSION) + head, data))
    return parts


def encode_array(array: np.ndarray) -> bytes:
    """One array → its blob."""
    [(_, head, data)] = split_arrays({"array": array})
    return b"".join((head, data))


def encode_arrays(arrays: Mapping[str, np.ndarray]) -> bytes:
    """Named arrays → one blob in the several-arrays format."""
    split = split_arrays(arrays)
    parts = [_HEAD.pack(MAGIC, FORMAT_VERSION, len(split))]
    for name, head, data in split:
        name_bytes = name.encode("utf-8")
        parts += [_U16.pack(len(name_bytes)), name_bytes, head[_ARRAY_HEAD.size:], data]
    return b"".join(parts)


class _Reader:
    """Reads the blob front to back; every short read is a ValueError."""

    def __init__(self, data: bytes) -> None:
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise ValueError(f"the arrays are stored as {type(data).__name__}, not bytes")
        self.data, self.at = memoryview(data), 0

    def take(self, n: int, what: str) -> memoryview:
        if n > len(self.data) - self.at:
            raise ValueError(f"the arrays are cut short (in {what})")
        chunk = self.data[self.at:self.at + n]
        self.at += n
        return chunk

    def number(self, fmt: struct.Struct, what: str) -> int:
        return fmt.unpack(self.take(fmt.size, what))[0]

    def end(self) -> None:
        if self.at != len(self.data):
            raise ValueError(f"{len(self.data) - self.at} stray bytes after the last array")


def _read_array(reader: _Reader, name: str) -> np.ndarray:
    """One array from its dtype on (fresh, writeable, native byte order), every field checked."""
    try:
        code = bytes(reader.take(reader.number(_U8, "a dtype"), "a dtype")).decode("ascii")
    except UnicodeDecodeError:
        raise ValueError(f"array {_quote(name)}: its dtype is not text") from None
    if code not in DTYPES:
        raise ValueError(f"array {_quote(name)}: dtype {_quote(code)} is not one of {', '.join(DTYPES)}")
    ndim = reader.number(_U8, "a shape")
    if ndim > MAX_NDIM:
        raise ValueError(f"array {_quote(name)}: {ndim} dimensions; the limit is {MAX_NDIM}")
    shape = tuple(reader.number(_U64, "a shape") for _ in range(ndim))
    dtype = np.dtype(code)
    nbytes = reader.number(_U64, "a byte count")
    if nbytes != math.prod(shape) * dtype.itemsize:
        raise ValueError(f"array {_quote(name)}: {nbytes} bytes do not fit shape {shape} of {code}")
    raw = reader.take(nbytes, f"array {_quote(name)}")
    if dtype.kind == "b" and nbytes and np.frombuffer(raw, np.uint8).max() > 1:
        raise ValueError(f"array {_quote(name)}: bool bytes other than 0 and 1")
    array = np.frombuffer(raw, dtype).astype(dtype.newbyteorder("="), copy=True).reshape(shape)
    if dtype.kind == "f" and not np.isfinite(array).all():
        raise ValueError(f"array {_quote(name)} contains NaN or infinity")
    return array


def _check_header(magic: bytes, version: int, expected: bytes) -> None:
    if magic != expected:
        raise ValueError("the arrays are not in Backprop Lab's format (bad magic bytes)")
    if version != FORMAT_VERSION:
        raise ValueError(f"the arrays are in format {version}; this version reads {FORMAT_VERSION}")


def decode_array(data: bytes, name: str = "array") -> np.ndarray:
    """One array's blob → the array, every field checked (``name`` only labels the messages)."""
    reader = _Reader(data)
    _check_header(*_ARRAY_HEAD.unpack(reader.take(_ARRAY_HEAD.size, "the header")), ARRAY_MAGIC)
    array = _read_array(reader, name)
    reader.end()
    return array


def decode_arrays(data: bytes) -> dict[str, np.ndarray]:
    """A several-arrays blob → named arrays (fresh, writeable, native byte order), every field checked."""
    reader = _Reader(data)
    magic, version, count = _HEAD.unpack(reader.take(_HEAD.size, "the header"))
    _check_header(magic, version, MAGIC)
    if count > MAX_ARRAYS:
        raise ValueError(f"{count} arrays; the limit is {MAX_ARRAYS}")
    arrays: dict[str, np.ndarray] = {}
    for i in range(count):
        try:
            name = bytes(reader.take(reader.number(_U16, "a name"), "a name")).decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError(f"array {i + 1}: its name is not text") from None
        if not 1 <= len(name) <= MAX_ARRAY_NAME or name in arrays:
            raise ValueError(f"array {i + 1}: name {_quote(name)} is empty, too long or repeated")
        arrays[name] = _read_array(reader, name)
    reader.end()
    return arrays


def _where(path: tuple[Any, ...]) -> str:
    return ("doc" + "".join(f"[{_quote(p, 30) if isinstance(p, str) else p}]" for p in path))[:120]


def check_doc(doc: Any) -> None:
    """Raise ValueError, naming the place, unless ``doc`` is a dict of JSON values only."""
    if not isinstance(doc, dict):
        raise ValueError(f"a snapshot's doc must be a dict, got {type(doc).__name__}")
    stack: list[tuple[Any, tuple[Any, ...]]] = [(doc, ())]
    while stack:
        value, path = stack.pop()
        if len(path) > MAX_DEPTH:
            raise ValueError(f"{_where(path[:4])}…: nested more than {MAX_DEPTH} deep")
        if value is None or isinstance(value, bool):
            continue
        if isinstance(value, str):
            if len(value) > MAX_STRING:
                raise ValueError(f"{_where(path)}: text of {len(value)} characters; the limit is {MAX_STRING}")
        elif isinstance(value, int):
            if type(value) is not int:
                raise ValueError(f"{_where(path)}: {type(value).__name__} is not a JSON number")
            if not -MAX_INT < value < MAX_INT:
                raise ValueError(f"{_where(path)}: an integer beyond 64 bits")
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise ValueError(f"{_where(path)}: NaN or infinity is not JSON; only finite numbers can be saved")
        elif isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    raise ValueError(f"{_where(path)}: key {key!r:.40} is not text (JSON keys are strings)")
                if len(key) > MAX_STRING:
                    raise ValueError(f"{_where(path)}: a key of {len(key)} characters; the limit is {MAX_STRING}")
                stack.append((item, path + (key,)))
        elif isinstance(value, list):
            stack.extend((item, path + (i,)) for i, item in enumerate(value))
        else:
            hint = "; use a list" if isinstance(value, tuple) else ""
            raise ValueError(f"{_where(path)}: a {type(value).__name__} is not JSON{hint}")


def encode_doc(doc: dict[str, Any]) -> str:
    """A checked doc → compact ASCII JSON."""
    check_doc(doc)
    return json.dumps(doc, separators=(",", ":"), allow_nan=False)


def _reject_constant(name: str) -> None:
    raise ValueError(f"the doc contains {name}, which is not a finite number")


def decode_doc(text: Any) -> dict[str, Any]:
    """JSON text → the doc, checked as on the way in."""
    if not isinstance(text, str):
        raise ValueError(f"the doc is stored as {type(text).__name__}, not text")
    try:
        doc = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as err:
        raise ValueError(f"the doc is not valid JSON ({err.msg} at character {err.pos})") from None
    except RecursionError:
        raise ValueError("the doc is nested too deeply") from None
    check_doc(doc)
    return doc
