"""Where the index lives: ``--index DIR``, else ``$ITUDOCS_INDEX``, else the user's data folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def default_index_dir() -> Path:
    configured = os.environ.get("ITUDOCS_INDEX")
    if configured:
        return Path(configured).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "itudocs" / "index"


def resolve_index_dir(index_dir: str | os.PathLike[str] | None) -> Path:
    return Path(index_dir).expanduser() if index_dir else default_index_dir()
