"""Opening and creating the index on disk, and the settings that say how it was built.

Kept apart from the writer so that searching loads neither the readers nor jieba.
"""

from __future__ import annotations

import errno
import json
import pickle
import re
import shlex
import shutil
import struct
import time
import traceback
import warnings
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from whoosh import index as whoosh_index
from whoosh.columns import ColumnReader
from whoosh.filedb import structfile
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.filetables import FileFormatError
from whoosh.filedb.structfile import StructFile
from whoosh.index import TOC, EmptyIndexError, IndexVersionError
from whoosh.reading import EmptyReader, IndexReader, SegmentReader
from whoosh.util import varints

from itudocs.corpus.errors import Problem
from itudocs.indexer import schema
from itudocs.indexer.whoosh_private import reader_opening

SETTINGS_FILE = "itudocs.json"
BUILD_LOCK = "itudocs.lock"
READ_ATTEMPTS = 3
T = TypeVar("T")


class IndexProblem(Problem):
    """The index cannot be used as asked; the message says why and what to do."""


class IndexMissing(IndexProblem):
    pass


class IndexIncompatible(IndexProblem):
    pass


class IndexBusy(IndexProblem):
    pass


class IndexDamaged(IndexProblem):
    pass


# What decoding bytes that are not what was written raises, wherever they are decoded:
# a cut or overwritten file, a table of contents garbled.
CORRUPT = (EOFError, struct.error, zlib.error, pickle.UnpicklingError, UnicodeDecodeError, FileFormatError)
# Whoosh's byte layer seeks and reads at offsets and lengths it read from the file
# itself; from a cut file they make the seek or read fail ("read length must be
# non-negative", "cannot fit 'int' into an offset-sized integer", [Errno 22], ord() of
# nothing).  A column reader's constructor reads the table at its file's end, which cut
# short is no whole number of entries.  Raised there, and only there, these errors are
# the file's.
_BYTE_LAYER = frozenset({structfile.__file__, varints.__file__})
_OUT_OF_FILE = (ValueError, TypeError, OverflowError)
_CLOSED = "closed file"
# Where Whoosh opens the files of a commit: its table of contents, and its segments' readers.
_OPENINGS = frozenset({TOC.read.__func__.__code__, reader_opening(), SegmentReader.__init__.__code__})
# Whoosh's postings reader meeting a block header it never wrote raises a bare Exception.
_BLOCK_TAG = "Block tag error"
# What unpickling says of a class that is no longer where the pickle names it.
_UNPICKLED_NAME_GONE = "Can't get attribute"


def segments(reader: IndexReader) -> list[tuple[SegmentReader, int]]:
    """A reader's segments with the number of their first document.  An index whose every
    document was removed has none, and Whoosh reads it with an EmptyReader, which answers
    as no documents but lists itself as its one leaf."""
    return [] if isinstance(reader, EmptyReader) else reader.leaf_readers()


def rebuild_hint(index_dir: Path) -> str:
    """What to run, naming the index asked about: a rebuild of another would not help."""
    return f"rebuild it with `itudocs index --rebuild FOLDER --index {shlex.quote(str(index_dir))}`"


def damaged(index_dir: Path, error: BaseException) -> IndexDamaged:
    """The one line for an index whose files cannot be read; nothing is touched."""
    return IndexDamaged(f"{index_dir}: the index is damaged ({_what_failed(error)}); {rebuild_hint(index_dir)}")


def _what_failed(error: BaseException) -> str:
    """The error in a few words, with the file's name when it is known."""
    if isinstance(error, FileNotFoundError):
        return f"{Path(error.filename or '').name or 'a file'} is missing"
    what = getattr(error, "strerror", None) or str(error) or type(error).__name__
    name = getattr(_file_decoded(error), "_name", None)
    return f"{name}: {what}" if name else what


def close_what_failed_opening(error: BaseException) -> None:
    """Close the files Whoosh opened for a table of contents or a reader it then failed to
    open: it leaves them to the collector, referenced only by the failed calls' frames.
    Only frames from such an opening inwards are looked at, so every file found is the
    failed opening's own; a file of a reader that was open before (another reader's,
    perhaps) is never closed here."""
    opening = False
    for frame, _ in traceback.walk_tb(error.__traceback__):
        opening = opening or frame.f_code in _OPENINGS
        if opening:
            for value in frame.f_locals.values():
                if isinstance(value, StructFile) and not value.is_closed:
                    value.close()


def is_damage(error: BaseException) -> bool:
    """Whether ``error`` means the index's files are not what itudocs wrote: one of the
    few errors that decoding such files raises, and nothing else.  Any other error is a
    bug of itudocs (or Whoosh) and must be reported as one, never with advice to rebuild."""
    if isinstance(error, CORRUPT):
        return True
    if type(error) is Exception and str(error).startswith(_BLOCK_TAG):
        return True
    if isinstance(error, OSError):
        return error.errno == errno.EIO or (error.errno == errno.EINVAL and _file_decoded(error) is not None)
    # A read of a closed file ("seek of closed file") is ours, whatever the file holds.
    return isinstance(error, _OUT_OF_FILE) and _CLOSED not in str(error) and _file_decoded(error) is not None


def _file_decoded(error: BaseException) -> StructFile | None:
    """The index file being decoded where ``error`` was raised: by Whoosh's byte layer (the
    innermost frames being that layer's), or by a column reader's constructor; else None."""
    frames = [frame for frame, _ in traceback.walk_tb(error.__traceback__)]
    if not frames:
        return None
    innermost = frames[-1]
    if innermost.f_code.co_name == "__init__" and isinstance(innermost.f_locals.get("self"), ColumnReader):
        file = innermost.f_locals.get("dbfile")
        return file if isinstance(file, StructFile) else None
    for frame in reversed(frames):
        if frame.f_code.co_filename not in _BYTE_LAYER:
            return None
        file = frame.f_locals.get("self")
        if isinstance(file, StructFile):
            return file
    return None


@contextmanager
def _unclosed_index_files_ignored(index_dir: Path) -> Iterator[None]:
    """Whoosh retries opening a segment ten times on an OSError, leaving each try's files
    open for the collector; on a damaged segment that is ten warnings of files no one can
    close.  Only those warnings, about this index's own files, are silenced."""
    with warnings.catch_warnings():
        pattern = rf"unclosed file <_io\.\w+ name='{re.escape(str(index_dir))}"
        warnings.filterwarnings("ignore", message=pattern, category=ResourceWarning)
        yield


@contextmanager
def reading_damage(index_dir: Path, *, missing_passes: bool = False) -> Iterator[None]:
    """Name damage met while reading the index's files, rather than passing Whoosh's error
    on; a file of the index not found is damage too, unless ``missing_passes`` (for a
    reader that tries again: a commit or a rebuild may have replaced it meanwhile)."""
    try:
        with _unclosed_index_files_ignored(index_dir):
            yield
    except Exception as error:
        close_what_failed_opening(error)
        if isinstance(error, FileNotFoundError) and missing_passes:
            raise
        if not (isinstance(error, FileNotFoundError) or is_damage(error)):
            raise
        raise damaged(index_dir, error) from error


# Why a folder cannot be written, as opposed to an index that cannot be read.
UNWRITABLE = frozenset({errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EDQUOT})


@contextmanager
def writing_errors(index_dir: Path) -> Iterator[None]:
    """Name what goes wrong writing the index: a folder that cannot be written, or damage
    (a file of the index gone, or ``is_damage``); anything else is a bug and passes on."""
    try:
        with _unclosed_index_files_ignored(index_dir):
            yield
    except OSError as error:
        close_what_failed_opening(error)
        if error.errno in UNWRITABLE:
            raise unwritable(index_dir, error) from error
        if not (isinstance(error, FileNotFoundError) or is_damage(error)):
            raise
        raise damaged(index_dir, error) from error
    except Exception as error:
        close_what_failed_opening(error)
        if not is_damage(error):
            raise
        raise damaged(index_dir, error) from error


def require_folder(index_dir: Path) -> None:
    if index_dir.exists() and not index_dir.is_dir():
        raise IndexProblem(f"{index_dir}: is a file; --index wants a folder")


def missing(index_dir: Path) -> IndexMissing:
    build = f"`itudocs index FOLDER --index {index_dir}`"
    return IndexMissing(f"{index_dir}: no itudocs index here; build one with {build}")


# What marks a folder as an itudocs index: its settings file, which opens with this key and
# value (the file's magic), says which Whoosh index in the folder is the current one and
# every Whoosh index it has started there.  The format is written down in docs/FORMAT.md.
FORMAT_KEY, FORMAT_NAME = "format", "itudocs index"
SETTINGS_PARTIAL = SETTINGS_FILE + ".partial"
OWN_FILES = frozenset({SETTINGS_FILE, SETTINGS_PARTIAL, BUILD_LOCK})
# What a file manager leaves in a folder it has only shown: not the user's files.
FOLDER_CLUTTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
# An index name the settings may record (R and the time in ns; MAIN before format 9):
# letters and digits only, so that it names files by Whoosh's patterns below and nothing else.
_INDEX_NAME = re.compile(r"[A-Za-z0-9]+")
# Files named after a Whoosh index (whoosh.index.TOC, whoosh.codec.base.Segment, the
# writer's lock and temporary folder): every generation's table of contents (and the
# temporary one it is written as), each segment's files (16 characters of [0-9a-z] name
# a segment), the write lock, the temporary folder; and the word translations learned with
# that index (``indexer.translations``), which a rebuild replaces.
_WHOOSH_FILES = (
    r"_{0}_\d+\.toc(?:\.\d+(?:\.\d+)?)?|{0}_[0-9a-z]{{16}}\.[A-Za-z0-9_.]+|{0}_WRITELOCK|{0}\.tmp|{0}_translations\.tsv"
)


class NotAnIndexFolder(IndexProblem):
    """A folder given to build an index in that holds other files and is not an itudocs index."""


def _read_settings(index_dir: Path) -> dict:
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


def current_name(index_dir: Path) -> str:
    """The Whoosh index name the settings file points at; "" before a first build's commit."""
    return _current(_read_settings(index_dir))


def _current(settings: dict) -> str:
    name = settings.get("index")
    return name if isinstance(name, str) and _INDEX_NAME.fullmatch(name) else ""


def index_exists(index_dir: Path) -> bool:
    """Whether the folder holds an index; a damaged one raises rather than counting as none,
    so nothing is ever built over it unasked."""
    try:
        settings = _read_settings(index_dir)
    except IndexMissing:
        return False
    name = _current(settings)
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
    settings = _read_settings(index_dir)
    if settings.get("schema_version") != schema.SCHEMA_VERSION:
        raise IndexIncompatible(
            f"{index_dir}: index format {settings.get('schema_version')} is not this version's "
            f"{schema.SCHEMA_VERSION}; {rebuild_hint(index_dir)}"
        )
    name = _current(settings)
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


def require_index_folder(index_dir: Path) -> None:
    """Refuse, touching nothing, to build an index in a folder that holds anything but an
    itudocs index: a documents folder given as ``--index`` by mistake must keep its files."""
    require_folder(index_dir)
    if not index_dir.exists() or (index_dir / SETTINGS_FILE).exists():
        return
    others = sorted(
        entry.name + ("/" if entry.is_dir() else "")
        for entry in index_dir.iterdir()
        if entry.name not in OWN_FILES | FOLDER_CLUTTER
    )
    if others:
        shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
        raise NotAnIndexFolder(
            f"{index_dir}: not an itudocs index, and not empty (it holds {shown}); give --index an empty or new folder"
        )


def index_files(folder: Path) -> frozenset[str]:
    """The names of the entries in ``folder`` that belong to the itudocs index there (none
    where there is no index): its own files and those of each Whoosh index its settings
    name.  Only these are ever deleted, or passed over when the folder is also walked for
    documents."""
    if not (folder / SETTINGS_FILE).exists():
        return frozenset()
    try:
        names = _started_names(_read_settings(folder))
    except IndexProblem:
        names = []  # unreadable settings name no index: none of its files can be told apart
    entries = [entry.name for entry in folder.iterdir()]
    whoosh = [name for name in entries if any(_whoosh_files(index).fullmatch(name) for index in names)]
    return frozenset(OWN_FILES.intersection(entries).union(whoosh))


def _whoosh_files(name: str) -> re.Pattern[str]:
    return re.compile(_WHOOSH_FILES.format(re.escape(name)))


def _started_names(settings: dict) -> list[str]:
    """Every Whoosh index the settings say was started in the folder: the current one, one a
    rebuild replaced (kept for searches that opened it), one a killed build left."""
    names = settings.get("names", [])
    started = [*(names if isinstance(names, list) else []), _current(settings)]
    return list(dict.fromkeys(name for name in started if isinstance(name, str) and _INDEX_NAME.fullmatch(name)))


def _write_settings(index_dir: Path, index: str, names: list[str]) -> None:
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


def start_index(index_dir: Path, keep: str) -> str:
    """The name of a new Whoosh index for the folder, recorded in its settings before any
    of its files is written, so that a build killed at any point leaves only files the
    settings name.  The files of every index the settings name but ``keep`` (the current
    one, which searches may have open) are deleted first: one a rebuild replaced, one a
    killed build left, one too old or damaged to read."""
    index_dir.mkdir(parents=True, exist_ok=True)
    try:
        started = _started_names(_read_settings(index_dir))
    except IndexProblem:
        started = []
    for name in started:
        if name != keep:
            _delete_files_of(index_dir, name)
    name = f"R{time.time_ns()}"
    _write_settings(index_dir, keep, [*([keep] if keep else []), name])
    return name


def _delete_files_of(index_dir: Path, name: str) -> None:
    pattern = _whoosh_files(name)
    for path in index_dir.iterdir():
        if not pattern.fullmatch(path.name):
            continue
        if path.is_dir() and not path.is_symlink():
            # Whoosh's temporary folder holds only files its writers named.
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


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
        settings = _read_settings(folder)
    except IndexProblem:
        settings = {}
    names = list(dict.fromkeys([*_started_names(settings), ix.indexname]))
    if settings.get("index") != ix.indexname or settings.get("names") != names:
        _write_settings(folder, ix.indexname, names)


def unwritable(index_dir: Path, error: OSError) -> IndexProblem:
    reason = (error.strerror or str(error)).lower()
    return IndexProblem(f"{index_dir}: cannot write the index here ({reason})")


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
