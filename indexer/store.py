"""Opening and creating the index on disk, and the settings that say how it was built.

Kept apart from the writer so that searching loads neither the readers nor jieba.
"""

from __future__ import annotations

import json
import pickle
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError

from itudocs.indexer import schema as f

SETTINGS_FILE = "itudocs.json"
BUILD_LOCK = "itudocs.lock"
READ_ATTEMPTS = 3
T = TypeVar("T")


class IndexProblem(Exception):
    """The index cannot be used as asked; the message says why and what to do."""


class IndexMissing(IndexProblem):
    pass


class IndexIncompatible(IndexProblem):
    pass


class IndexBusy(IndexProblem):
    pass


# The Whoosh index name a first build uses; a rebuild writes under a new name beside
# it and the settings file, replaced atomically, says which name is the index.
FIRST_NAME = "MAIN"


def _read_settings(index_dir: Path) -> dict:
    try:
        return json.loads((index_dir / SETTINGS_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexMissing(f"{index_dir}: no itudocs index here; build one with `itudocs index FOLDER`") from None
    except (OSError, ValueError) as error:
        raise IndexIncompatible(f"{index_dir}: unreadable {SETTINGS_FILE} ({error})") from None


def current_name(index_dir: Path) -> str:
    """The Whoosh index name the settings file points at."""
    return _read_settings(index_dir).get("index", FIRST_NAME)


def index_exists(index_dir: Path) -> bool:
    try:
        name = current_name(index_dir)
    except IndexProblem:
        return False
    return _whoosh_index_exists(index_dir, name)


def _whoosh_index_exists(index_dir: Path, name: str) -> bool:
    try:
        return whoosh_index.exists_in(str(index_dir), indexname=name)
    except (ImportError, AttributeError, pickle.UnpicklingError) as error:
        # The table of contents pickles the schema by module path: one written by a
        # layout whose modules have moved cannot be read by this version.
        problem = f"{index_dir}: the index was written by another version of itudocs ({error})"
    # Raised outside the handler, so no context keeps Whoosh's open file alive.
    raise IndexIncompatible(f"{problem}; rebuild it with `itudocs index --rebuild FOLDER`")


def open_index(index_dir: Path) -> whoosh_index.Index:
    """Open an existing index, refusing one built by an incompatible version."""
    settings = _read_settings(index_dir)
    if settings.get("schema_version") != f.SCHEMA_VERSION:
        raise IndexIncompatible(
            f"{index_dir}: index format {settings.get('schema_version')} is not this version's "
            f"{f.SCHEMA_VERSION}; rebuild it with `itudocs index --rebuild FOLDER`"
        )
    name = settings.get("index", FIRST_NAME)
    if not _whoosh_index_exists(index_dir, name):
        raise IndexMissing(f"{index_dir}: the index files are gone; rebuild with `itudocs index --rebuild FOLDER`")
    return whoosh_index.open_dir(str(index_dir), indexname=name)


def read_index(index_dir: Path, read: Callable[[whoosh_index.Index], T]) -> T:
    """``read(index)`` on the folder's current index, tried again if a rebuild switched
    indexes between reading the settings file and opening the index's files."""
    failure: Exception | None = None
    for _ in range(READ_ATTEMPTS):
        try:
            return read(open_index(index_dir))
        except (EmptyIndexError, FileNotFoundError) as error:
            failure = error
            time.sleep(0.05)
    raise IndexMissing(f"{index_dir}: the index kept changing while being read ({failure}); try again")


def create_index(index_dir: Path, name: str = FIRST_NAME) -> whoosh_index.Index:
    """A new, empty index called ``name`` in ``index_dir``.

    It becomes the folder's index only when ``mark_committed`` points the settings
    file at it, after its first commit: a build that is killed before then leaves
    whatever index was there before (or none, and the next run starts afresh).
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    return whoosh_index.create_in(str(index_dir), f.make_schema(), indexname=name)


def mark_committed(ix: whoosh_index.Index) -> None:
    """Make a committed index the folder's index: one atomic replace of the settings file."""
    folder = Path(ix.storage.folder)
    wanted = {"schema_version": f.SCHEMA_VERSION, "index": ix.indexname}
    try:
        if _read_settings(folder) == wanted:
            return
    except IndexProblem:
        pass
    partial = folder / (SETTINGS_FILE + ".partial")
    partial.write_text(json.dumps(wanted), encoding="utf-8")
    partial.replace(folder / SETTINGS_FILE)


def clear_other_indexes(index_dir: Path, keep: str) -> None:
    """Delete the files of every Whoosh index in ``index_dir`` but ``keep``: one a
    rebuild replaced, or one a killed build left half-written (with its ``.tmp`` folder)."""
    for path in index_dir.iterdir():
        name = path.name.lstrip("_").split("_", 1)[0].removesuffix(".tmp")
        if path.name.startswith("itudocs") or name == keep:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


@contextmanager
def build_lock(index_dir: Path, *, wait: float) -> Iterator[None]:
    """Held by every run that writes the index, from before it clears or creates
    anything to after its commit, so two runs never build, clear or switch at once."""
    index_dir.mkdir(parents=True, exist_ok=True)
    lock = FileStorage(str(index_dir)).lock(BUILD_LOCK)
    deadline = time.monotonic() + wait
    while not lock.acquire(blocking=False):
        if time.monotonic() > deadline:
            raise IndexBusy(f"{index_dir}: another itudocs run is writing this index; try again when it ends")
        time.sleep(0.1)
    try:
        yield
    finally:
        lock.release()
