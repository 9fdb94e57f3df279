"""Where lessons are kept, and opening the store there without ever failing."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from .memory_store import MemoryStore
from .snapshots import SnapshotError, SnapshotStore
from .sqlite_store import SQLiteStore

ENV_PATH = "BACKPROP_LAB_DB"
FILE_NAME = "lessons.sqlite3"


def default_path() -> Path:
    """$BACKPROP_LAB_DB if set; else the user's data folder: Linux $XDG_DATA_HOME (or ~/.local/share)
    /backprop-lab, macOS ~/Library/Application Support/Backprop Lab, Windows %LOCALAPPDATA%\\Backprop Lab."""
    if os.environ.get(ENV_PATH):
        return Path(os.environ[ENV_PATH]).expanduser()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "Backprop Lab" / FILE_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "Backprop Lab" / FILE_NAME
    xdg = os.environ.get("XDG_DATA_HOME", "")
    base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".local" / "share"  # the XDG spec: relative = unset
    return base / "backprop-lab" / FILE_NAME


def open_store(path: str | Path | None = None) -> SnapshotStore:
    """The SQLite store at ``path`` (default_path() if None), or — if that file is damaged, truncated,
    unwritable or from a newer version — a MemoryStore whose notice says why. Never raises."""
    try:
        where = Path(path) if path is not None else default_path()
    except (TypeError, ValueError, RuntimeError) as err:  # e.g. no home directory to be found
        return MemoryStore(_notice(f"no place for them could be found ({err})"))
    try:
        return SQLiteStore(where)
    except SnapshotError as err:
        return MemoryStore(_notice(str(err)))
    except Exception as err:  # anything the checks did not foresee: the app must still start
        return MemoryStore(_notice(f"{where} cannot be used ({type(err).__name__}: {err})"))


def _notice(reason: str) -> str:
    return f"Lessons are not being saved: {reason}. The app works in memory.".replace("\n", " ")
