"""The header that opens every file itudocs writes inside a Whoosh segment.

Lucene's ``CodecUtil`` idea: a magic, the name of the codec that wrote the file and its
version, checked before anything else is read.  A file whose magic or name is wrong is
not what the segment says it is (damage); one of another version was written by another
version of itudocs.  Either way the reader raises the index's own error naming the
file, never whatever decoding the rest would have raised.  docs/FORMAT.md lists the files.

    >>> header("units", 1)
    b'\\x89ITU\\x05units\\x01\\x00'
"""

from __future__ import annotations

import struct
from pathlib import Path

from whoosh.filedb.structfile import StructFile

from itudocs.indexer.problems import IndexDamaged, IndexIncompatible, rebuild_hint

# A high first byte, as PNG's, so a text file (or a pickle, which opens with 0x80) is never taken for ours.
MAGIC = b"\x89ITU"
_VERSION = struct.Struct("<H")


def header(codec: str, version: int) -> bytes:
    name = codec.encode("ascii")
    return MAGIC + bytes([len(name)]) + name + _VERSION.pack(version)


def header_size(codec: str) -> int:
    return len(header(codec, 0))


def check_header(dbfile: StructFile, basepos: int, codec: str, version: int) -> None:
    """Raise IndexDamaged or IndexIncompatible, naming the file, unless the file (at
    ``basepos``) opens with ``codec``'s header at ``version``."""
    expected = header(codec, version)
    found = dbfile.get(basepos, len(expected))
    if found[: -_VERSION.size] != expected[: -_VERSION.size]:
        raise damaged_file(dbfile, f"not an itudocs {codec} file")
    where = file_path(dbfile)
    (written,) = _VERSION.unpack(found[-_VERSION.size :])
    if written != version:
        raise IndexIncompatible(
            f"{where.parent}: {where.name} is a {codec} file of version {written}, which this version of itudocs "
            f"does not read (it reads {version}); {rebuild_hint(where.parent)}"
        )


def damaged_file(dbfile: StructFile, problem: str) -> Exception:
    """The index's damage error for one of its files: the folder, the file, what is wrong."""
    where = file_path(dbfile)
    return IndexDamaged(f"{where.parent}: the index is damaged ({where.name}: {problem}); {rebuild_hint(where.parent)}")


def file_path(dbfile: StructFile) -> Path:
    """The path of the file a Whoosh StructFile reads (its name alone inside a compound file)."""
    raw = getattr(dbfile, "file", None)
    return Path(getattr(raw, "name", None) or getattr(dbfile, "_name", None) or "?")
