"""Opening and creating the index on disk: whether there is one, opening the current one
(tried again across a rebuild's switch), starting, creating and committing a new one, and
the lock every run that writes holds.

Kept apart from the writer so that searching loads neither the readers nor jieba.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError, IndexVersionError
from whoosh.reading import EmptyReader, IndexReader, SegmentReader

from itudocs.indexer import schema
from itudocs.indexer.damage import close_what_failed_opening, damaged, is_damage, reading_damage
from itudocs.indexer.folder import BUILD_LOCK, delete_files_of
from itudocs.indexer.problems import (
    IndexBusy,
    IndexDamaged,
    IndexIncompatible,
    IndexMissing,
    IndexProblem,
    missing,
    rebuild_hint,
    require_folder,
    unwritable,
)
from itudocs.indexer.settings import current_in, read_settings, started_in, write_settings

READ_ATTEMPTS = 3
T = TypeVar("T")
# What unpickling says of a class that is no longer where the pickle names it.
_UNPICKLED_NAME_GONE = "Can't get attribute"


def segments(reader: IndexReader) -> list[tuple[SegmentReader, int]]:
    """A reader's segments with the number of their first document.  An index whose every
    document was removed has none, and Whoosh reads it with an EmptyReader, which answers
    as no documents but lists itself as its one leaf."""
    return [] if isinstance(reader, EmptyReader) else reader.leaf_readers()


def index_exists(index_dir: Path) -> bool:
    """Whether the folder holds an index; a damaged one raises rather than counting as none,
    so nothing is ever built over it unasked."""
    try:
        settings = read_settings(index_dir)
    except IndexMissing:
        return False
    name = current_in(settings)
    if settings.get("schema_version") != schema.SCHEMA_VERSION:
        # Another version's: ``open_index`` refuses it without reading (unpickling) its files.
        return bool(name)
    return bool(name) and _whoosh_index_exists(index_dir, name)


def _whoosh_index_exists(index_dir: Path, name: str) -> bool:
    try:
        return whoosh_index.exists_in(str(index_dir), indexname=name)
    except (ImportError, AttributeError, IndexVersionError) as error:
        # The table of contents pickles the schema by module path: one written by a
        # layout whose modules have moved cannot be read by this version.
        if isinstance(error, AttributeError) and not str(error).startswith(_UNPICKLED_NAME_GONE):
            raise
        close_what_failed_opening(error)
        raise IndexIncompatible(
            f"{index_dir}: the index was written by another version of itudocs ({error}); {rebuild_hint(index_dir)}"
        ) from error
    except Exception as error:
        if not is_damage(error):
            raise
        close_what_failed_opening(error)
        raise damaged(index_dir, error) from error


def open_index(index_dir: Path) -> whoosh_index.Index:
    """Open an existing index, refusing one built by an incompatible version."""
    settings = read_settings(index_dir)
    if settings.get("schema_version") != schema.SCHEMA_VERSION:
        raise IndexIncompatible(
            f"{index_dir}: index format {settings.get('schema_version')} is not this version's "
            f"{schema.SCHEMA_VERSION}; {rebuild_hint(index_dir)}"
        )
    name = current_in(settings)
    if not name:
        raise missing(index_dir)  # a first build has not committed yet
    if not _whoosh_index_exists(index_dir, name):
        raise IndexDamaged(f"{index_dir}: the index files are gone; {rebuild_hint(index_dir)}")
    # A file not found passes on: callers that read try again (``read_index``), and
    # those that write count it as damage (``writing_errors``).
    with reading_damage(index_dir, missing_passes=True):
        try:
            return whoosh_index.open_dir(str(index_dir), indexname=name)
        except Exception as error:
            close_what_failed_opening(error)
            raise


def read_index(index_dir: Path, read: Callable[[whoosh_index.Index], T]) -> T:
    """``read(index)`` on the folder's current index, tried again if a rebuild switched
    indexes between reading the settings file and opening the index's files."""
    failure: Exception | None = None
    for _ in range(READ_ATTEMPTS):
        try:
            with reading_damage(index_dir, missing_passes=True):
                return read(open_index(index_dir))
        except (EmptyIndexError, FileNotFoundError) as error:
            failure = error
            time.sleep(0.05)
    # Still a file missing after the retries: not a rebuild switching, a file deleted.
    raise damaged(index_dir, failure or EmptyIndexError()) from failure


def start_index(index_dir: Path, keep: str) -> str:
    """The name of a new Whoosh index for the folder, recorded in its settings before any
    of its files is written, so that a build killed at any point leaves only files the
    settings name.  The files of every index the settings name but ``keep`` (the current
    one, which searches may have open) are deleted first: one a rebuild replaced, one a
    killed build left, one too old or damaged to read."""
    index_dir.mkdir(parents=True, exist_ok=True)
    try:
        started = started_in(read_settings(index_dir))
    except IndexProblem:
        started = []
    for name in started:
        if name != keep:
            delete_files_of(index_dir, name)
    name = f"R{time.time_ns()}"
    write_settings(index_dir, keep, [*([keep] if keep else []), name])
    return name


def create_index(index_dir: Path, name: str) -> whoosh_index.Index:
    """A new, empty index called ``name`` (from ``start_index``) in ``index_dir``.

    It becomes the folder's index only when ``mark_committed`` points the settings
    file at it, after its first commit: a build that is killed before then leaves
    whatever index was there before (or none, and the next run starts afresh).
    """
    return whoosh_index.create_in(str(index_dir), schema.make_schema(), indexname=name)


def mark_committed(ix: whoosh_index.Index) -> None:
    """Make a committed index the folder's index: one atomic replace of the settings file.
    The index it replaces stays named, to be cleared by the next ``start_index``."""
    folder = Path(ix.storage.folder)
    try:
        settings = read_settings(folder)
    except IndexProblem:
        settings = {}
    names = list(dict.fromkeys([*started_in(settings), ix.indexname]))
    if settings.get("index") != ix.indexname or settings.get("names") != names:
        write_settings(folder, ix.indexname, names)


@contextmanager
def build_lock(index_dir: Path, *, wait: float, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Held by every run that writes the index, from before it clears or creates
    anything to after its commit, so two runs never build, clear or switch at once.
    ``on_wait`` is called once if another run holds it."""
    require_folder(index_dir)
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        lock = FileStorage(str(index_dir)).lock(BUILD_LOCK)
        deadline = time.monotonic() + wait
        while not lock.acquire(blocking=False):
            if on_wait:
                on_wait()
                on_wait = None
            if time.monotonic() > deadline:
                raise IndexBusy(f"{index_dir}: another itudocs run is writing this index; try again when it ends")
            time.sleep(0.1)
    except OSError as error:
        raise unwritable(index_dir, error) from None
    try:
        yield
    finally:
        lock.release()
