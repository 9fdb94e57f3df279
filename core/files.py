"""Reading and writing the files a user names, safely: regular files only, never more than a cap.

``/dev/zero`` would be read until memory runs out, a named pipe (FIFO) would block until something
writes to it, and a directory cannot be read at all: each is refused with one line instead.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from .limits import megabytes, shorten

_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))
_CHUNK = 2**20


def shown(path: str | Path) -> str:
    """The path as a message shows it: its last 60 characters at most, on one line."""
    return shorten(os.fspath(path), keep_end=True)


def _refuse_irregular(mode: int, path: str | Path, verb: str) -> None:
    if stat.S_ISREG(mode):
        return
    kind = next((name for is_kind, name in _KINDS if is_kind(mode)), "not a regular file")
    raise ValueError(f"cannot {verb} {shown(path)}: it is {kind}, not a regular file")


def read_capped(path: str | Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``, refused (ValueError) beyond ``limit`` bytes.

    The size is checked before reading, and reading stops at ``limit`` + 1 bytes in case the file
    grows or misreports its size. The file is opened non-blocking, so a FIFO never blocks.
    """
    try:
        _refuse_irregular(os.stat(path).st_mode, path, "read")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as err:
        raise ValueError(f"cannot read {shown(path)}: {err.strerror or err}") from None
    with os.fdopen(fd, "rb", buffering=0) as file:
        info = os.fstat(file.fileno())
        _refuse_irregular(info.st_mode, path, "read")  # swapped for something else since stat()
        if info.st_size > limit:
            raise ValueError(f"{shown(path)}: the file is {megabytes(info.st_size)}; "
                             f"the limit is {megabytes(limit)}")
        chunks, total, want = [], 0, info.st_size + 1
        try:
            while total <= limit and (chunk := file.read(min(want, limit + 1 - total))):
                chunks.append(chunk)
                total += len(chunk)
                want = _CHUNK
        except OSError as err:
            raise ValueError(f"cannot read {shown(path)}: {err.strerror or err}") from None
    if total > limit:
        raise ValueError(f"{shown(path)}: the file is larger than {megabytes(limit)}, the limit")
    return b"".join(chunks)


def write_text(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path``, a new or a regular file; a FIFO or device is refused."""
    try:
        if os.path.exists(path):
            _refuse_irregular(os.stat(path).st_mode, path, "write")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | getattr(os, "O_NONBLOCK", 0), 0o666)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            _refuse_irregular(os.fstat(file.fileno()).st_mode, path, "write")
            file.truncate(0)
            file.write(text)
    except OSError as err:
        raise ValueError(f"cannot write {shown(path)}: {err.strerror or err}") from None
