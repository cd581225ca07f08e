"""Where the index lives: ``--index DIR``, else ``$ITUDOCS_INDEX``, else the user's data folder.

The bundled sample gets an index of its own in the data folder, beside (never inside)
the user's: it is what commands use while the user has built no index.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def default_index_dir() -> Path:
    configured = os.environ.get("ITUDOCS_INDEX")
    if configured:
        return Path(configured).expanduser()
    return data_dir() / "index"


def sample_index_dir() -> Path:
    """The sample's own index, used only while no index has been built or chosen."""
    return data_dir() / "sample-index"


def index_chosen(index_dir: str | os.PathLike[str] | None) -> bool:
    """Whether the user named an index (``--index`` or ``$ITUDOCS_INDEX``) rather than taking the default."""
    return bool(index_dir) or bool(os.environ.get("ITUDOCS_INDEX"))


def data_dir() -> Path:
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "itudocs"


def resolve_index_dir(index_dir: str | os.PathLike[str] | None) -> Path:
    return Path(index_dir).expanduser() if index_dir else default_index_dir()
