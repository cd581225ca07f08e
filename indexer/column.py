"""The unit-stream column: what exact matching scans, one per segment, written with it.

A passage's *unit stream* is its folded text reduced to the units exact matching
compares (``indexer.analysis.units``): every Han character and every Latin/digit run,
in order, with one space only where two Latin runs would otherwise touch.  Units in
sequence in the text are then exactly a substring of the stream, so a query clause is
found by a plain byte search over one string per segment, with a check only that a
Latin run at either end of the clause is not part of a longer run:

    >>> unit_stream("第 140 号决议（a/res/70/125）")
    '第140号决议a res 70 125'

The column is a Whoosh column (``UnitColumn``), so Whoosh writes it into the segment,
copies it when segments merge and switches it with the same atomic commit as
everything else: a search can never see a column that disagrees with its commit.
On disk: the UTF-8 streams, each followed by a newline (which no stream holds, so
no match can cross from one passage into the next), then the byte offset where each
document's stream starts (and where the last ends), then the length of the text part.
"""

from __future__ import annotations

import mmap
import re
import struct
from array import array
from bisect import bisect_right

from whoosh.columns import Column, ColumnReader, ColumnWriter
from whoosh.filedb.structfile import StructFile

from itudocs.indexer.analysis import HAN

SEAM = b"\n"
_OFFSET = "Q"
_TAIL = struct.Struct("<Q")
_NOT_UNIT = re.compile(rf"[^{HAN}a-z0-9\0]+")
_BETWEEN_LATIN = re.compile(rf"(?<=[a-z0-9])[^{HAN}a-z0-9]+(?=[a-z0-9])")
LATIN = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789")


def unit_stream(folded: str) -> str:
    """The units of already folded text, as one string (see the module docstring)."""
    # NUL marks where two Latin runs meet, so it must not be the text's own.
    marked = _BETWEEN_LATIN.sub("\0", folded.replace("\0", " "))
    return _NOT_UNIT.sub("", marked).replace("\0", " ")


class UnitColumn(Column):
    """A Whoosh column of unit streams; the reader exposes the whole column at once."""

    def writer(self, dbfile: StructFile) -> UnitColumnWriter:
        return UnitColumnWriter(dbfile)

    def reader(self, dbfile: StructFile, basepos: int, length: int, doccount: int) -> UnitColumnReader:
        return UnitColumnReader(dbfile, basepos, length, doccount)

    def default_value(self, reverse: bool = False) -> str:
        return ""


class UnitColumnWriter(ColumnWriter):
    def __init__(self, dbfile: StructFile) -> None:
        super().__init__(dbfile)
        self._starts = array(_OFFSET)
        self._written = 0

    def add(self, docnum: int, value: str | bytes) -> None:
        while len(self._starts) < docnum:  # documents without a value (document records)
            self._append(b"")
        self._append(value.encode("utf-8") if isinstance(value, str) else value)

    def _append(self, data: bytes) -> None:
        self._starts.append(self._written)
        self._dbfile.write(data + SEAM)
        self._written += len(data) + 1

    def finish(self, doccount: int) -> None:
        while len(self._starts) < doccount:
            self._append(b"")
        self._starts.append(self._written)
        self._dbfile.write(self._starts.tobytes())
        self._dbfile.write(_TAIL.pack(self._written))


class UnitColumnReader(ColumnReader):
    """The streams of one segment: ``data`` (bytes-like, searchable with ``find``) and
    ``starts`` (where each document's stream begins, plus the end)."""

    def __init__(self, dbfile: StructFile, basepos: int, length: int, doccount: int) -> None:
        super().__init__(dbfile, basepos, length, doccount)
        (size,) = _TAIL.unpack(dbfile.get(basepos + length - _TAIL.size, _TAIL.size))
        self.starts = array(_OFFSET)
        self.starts.frombytes(dbfile.get(basepos + size, length - size - _TAIL.size))
        self.base, self.end = basepos, basepos + size
        self.data = _mapped(dbfile) or dbfile.get(basepos, size)
        if not isinstance(self.data, mmap.mmap):
            self.base, self.end = 0, size

    def __len__(self) -> int:
        return self._doccount

    def __getitem__(self, docnum: int) -> str:
        start, end = self.base + self.starts[docnum], self.base + self.starts[docnum + 1] - 1
        return bytes(self.data[start:end]).decode("utf-8")

    def __iter__(self):
        return (self[docnum] for docnum in range(self._doccount))

    def find_docs(self, needle: bytes, *, latin_start: bool, latin_end: bool, limit: int | None = None) -> list[int]:
        """Documents (in order) whose stream holds ``needle`` as whole units, at most ``limit``.

        ``latin_start``/``latin_end``: the needle begins/ends with a Latin run, which must
        not continue in the stream (``140`` is not in ``1400``).
        """
        data, base, end, starts = self.data, self.base, self.end, self.starts
        found: list[int] = []
        pos = data.find(needle, base, end)
        while pos >= 0:
            if not self._whole(pos, len(needle), latin_start, latin_end):
                pos = data.find(needle, pos + 1, end)
                continue
            doc = bisect_right(starts, pos - base) - 1
            found.append(doc)
            if limit is not None and len(found) >= limit:
                break
            pos = data.find(needle, base + starts[doc + 1], end)
        return found

    def holds(self, docnum: int, needle: bytes, *, latin_start: bool, latin_end: bool) -> bool:
        """Whether one document's stream holds ``needle`` as whole units."""
        end = self.base + self.starts[docnum + 1]
        pos = self.data.find(needle, self.base + self.starts[docnum], end)
        while pos >= 0 and not self._whole(pos, len(needle), latin_start, latin_end):
            pos = self.data.find(needle, pos + 1, end)
        return pos >= 0

    def _whole(self, pos: int, size: int, latin_start: bool, latin_end: bool) -> bool:
        """Whether a match at ``pos`` is whole units: no Latin run continues past either end
        (every stream ends with a seam, so there is always a byte after the match)."""
        data = self.data
        return not (
            (latin_start and pos > self.base and data[pos - 1] in LATIN) or (latin_end and data[pos + size] in LATIN)
        )


def _mapped(dbfile: StructFile) -> mmap.mmap | None:
    """The column's file mapped into memory, when it is a file of its own (not inside a
    compound segment file), so that opening a segment copies nothing."""
    raw = getattr(dbfile, "file", None)
    fileno = getattr(raw, "fileno", None)
    if fileno is None:
        return None
    try:
        return mmap.mmap(fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
