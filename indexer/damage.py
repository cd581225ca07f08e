"""Telling damage to an index's files from a bug: only the few errors that decoding bytes
itudocs did not write raises (in the places Whoosh decodes them) are damage, named in one
line with the rebuild to run; any other error is a bug and passes on as one.
"""

from __future__ import annotations

import errno
import pickle
import re
import struct
import traceback
import warnings
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from whoosh.columns import ColumnReader
from whoosh.filedb import structfile
from whoosh.filedb.filetables import FileFormatError
from whoosh.filedb.structfile import StructFile
from whoosh.index import TOC
from whoosh.reading import SegmentReader
from whoosh.util import varints

from itudocs.indexer.problems import IndexDamaged, rebuild_hint, unwritable
from itudocs.indexer.whoosh_private import reader_opening

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
