"""The settings file: what marks a folder as an itudocs index, which of the Whoosh indexes
in it is the current one, and every one started there; read whole, replaced atomically.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from itudocs.indexer import schema
from itudocs.indexer.problems import IndexDamaged, IndexProblem, missing, rebuild_hint, require_folder

SETTINGS_FILE = "itudocs.json"
# What marks a folder as an itudocs index: its settings file, which opens with this key and
# value (the file's magic), says which Whoosh index in the folder is the current one and
# every Whoosh index it has started there.  The format is written down in docs/FORMAT.md.
FORMAT_KEY, FORMAT_NAME = "format", "itudocs index"
SETTINGS_PARTIAL = SETTINGS_FILE + ".partial"
# An index name the settings may record (R and the time in ns; MAIN before format 9):
# letters and digits only, so that it names files by Whoosh's patterns (``indexer.folder``) and nothing else.
_INDEX_NAME = re.compile(r"[A-Za-z0-9]+")


def read_settings(index_dir: Path) -> dict:
    require_folder(index_dir)
    try:
        settings = json.loads((index_dir / SETTINGS_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise missing(index_dir) from None
    except PermissionError as error:
        denied = (error.strerror or "permission denied").lower()
        raise IndexProblem(f"{index_dir}: cannot read the index here ({denied})") from error
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or error
        raise IndexDamaged(f"{index_dir}: {SETTINGS_FILE} is damaged ({reason}); {rebuild_hint(index_dir)}") from error
    if not isinstance(settings, dict) or settings.get(FORMAT_KEY, FORMAT_NAME) != FORMAT_NAME:
        raise IndexDamaged(f"{index_dir}: {SETTINGS_FILE} is damaged (not itudocs settings); {rebuild_hint(index_dir)}")
    return settings


def current_in(settings: dict) -> str:
    """The Whoosh index name the settings point at; "" before a first build's commit."""
    name = settings.get("index")
    return name if isinstance(name, str) and _INDEX_NAME.fullmatch(name) else ""


def started_in(settings: dict) -> list[str]:
    """Every Whoosh index the settings say was started in the folder: the current one, one a
    rebuild replaced (kept for searches that opened it), one a killed build left."""
    names = settings.get("names", [])
    started = [*(names if isinstance(names, list) else []), current_in(settings)]
    return list(dict.fromkeys(name for name in started if isinstance(name, str) and _INDEX_NAME.fullmatch(name)))


def write_settings(index_dir: Path, index: str, names: list[str]) -> None:
    """Replace the settings file in one atomic step; ``index`` "" while none is committed."""
    settings = {
        FORMAT_KEY: FORMAT_NAME,
        "schema_version": schema.SCHEMA_VERSION,
        "index": index or None,
        "names": names,
    }
    partial = index_dir / SETTINGS_PARTIAL
    partial.write_text(json.dumps(settings), encoding="utf-8")
    partial.replace(index_dir / SETTINGS_FILE)
