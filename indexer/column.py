"""The unit-stream column: what exact matching scans, one per segment, written with it.

A passage's *unit stream* is its folded text reduced to the units exact matching
compares (``indexer.analysis.units``): every Han character and every Latin/digit run,
in order, with one space only where two Latin runs would otherwise touch.  Units in
sequence in the text are then exactly a substring of the stream, so a query clause is
found by a plain byte search over one string per segment, with a check only that a
Latin run at either end of the clause is not part of a longer run:

    >>> unit_stream("第 140 号决议（a/res/70/125）")
    '第140号决议a res 70 125'

The streams are written in ``indexer.unit_bytes``'s code, not UTF-8: most Han
characters take two bytes there instead of three, the most frequent one, and a byte
search still finds only whole characters.  Needles come in as UTF-8 (as the rest of
search spells them) and are put into that code here.

The column is a Whoosh column (``UnitColumn``), so Whoosh writes it into the segment,
copies it when segments merge and switches it with the same atomic commit as
everything else: a search can never see a column that disagrees with its commit.
On disk (docs/FORMAT.md): the header (``indexer.header``, codec ``units``), the
streams, each followed by a newline (which no stream holds, so no match can cross from
one passage into the next), then the byte offset where each document's stream starts
(and where the last ends), then the length of the text part.
"""

from __future__ import annotations

import mmap
import re
import struct
from array import array
from bisect import bisect_right
from collections.abc import Container, Iterable, Sequence
from functools import lru_cache
from itertools import compress, filterfalse, repeat

from whoosh.columns import Column, ColumnReader, ColumnWriter
from whoosh.filedb.structfile import StructFile

from itudocs.indexer.analysis import NOT_UNIT
from itudocs.indexer.header import check_header, damaged_file, header, header_size
from itudocs.indexer.unit_bytes import decode, encode

CODEC = "units"
# Bump with the layout below (and the index's SCHEMA_VERSION).
VERSION = 2
SEAM = b"\n"
_OFFSET = "Q"
_TAIL = struct.Struct("<Q")
LATIN = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789")
NOT_FOUND = -1
# A needle found in more than one document in this many (checked every so many matches)
# is searched document by document from there on.
FREQUENT = 4
CHECK_EVERY = 64
# A scan maps at most about this much of a column at a time: pages it has passed are
# given back, so a searcher's memory does not grow with the archive (a whole column of
# a million passages is some 210 MB, which every scan of a frequent name would touch).
WINDOW = 16 << 20
# A column up to this size stays mapped whole: giving pages back and mapping them again
# costs a search about a tenth of its time, worth paying only where memory is at stake.
KEEP_MAPPED = 64 << 20
# Documents searched one by one in a single batch, between two returns of pages.
BATCH = 8192


def unit_stream(folded: str) -> str:
    """The units of already folded text, as one string (see the module docstring)."""
    not_unit, between_latin = _stream_patterns()
    # NUL marks where two Latin runs meet, so it must not be the text's own.
    marked = between_latin.sub("\0", folded.replace("\0", " "))
    return not_unit.sub("", marked).replace("\0", " ")


def coded_stream(folded: str) -> bytes:
    """The unit stream of already folded text as the column writes it: worked out where a
    file is read (a worker process), so the one writer only copies the bytes."""
    return encode(unit_stream(folded))


@lru_cache(maxsize=1)
def _stream_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Compiled when first needed (indexing): a search that never builds a stream skips it."""
    return re.compile(rf"(?:(?!\0){NOT_UNIT})+"), re.compile(rf"(?<=[a-z0-9]){NOT_UNIT}+(?=[a-z0-9])")


@lru_cache(maxsize=256)
def whole_units(needle: bytes, latin_start: bool, latin_end: bool) -> re.Pattern[bytes]:
    """A pattern for ``needle`` where no Latin run continues past a Latin end.  The check
    before the needle is a lookbehind after it, so the pattern starts with a literal,
    which ``re`` finds fast.

    >>> [m.start() for m in whole_units(b"140", True, True).finditer(b"1400 140 x140")]
    [5]
    """
    pattern = re.escape(needle)
    if latin_start:
        pattern += rb"(?<![a-z0-9]" + re.escape(needle) + rb")"
    if latin_end:
        pattern += rb"(?![a-z0-9])"
    return re.compile(pattern)


class UnitColumn(Column):
    """A Whoosh column of unit streams; the reader exposes the whole column at once."""

    def writer(self, dbfile: StructFile) -> UnitColumnWriter:
        return UnitColumnWriter(dbfile)

    def reader(self, dbfile: StructFile, basepos: int, length: int, doccount: int) -> UnitColumnReader:
        return UnitColumnReader(dbfile, basepos, length, doccount)

    def default_value(self, reverse: bool = False) -> bytes:
        # What a segment without the column reads for each document: an empty stream, coded.
        return b""


class UnitColumnWriter(ColumnWriter):
    def __init__(self, dbfile: StructFile) -> None:
        super().__init__(dbfile)
        self._starts = array(_OFFSET)
        self._written = 0
        dbfile.write(header(CODEC, VERSION))

    def add(self, docnum: int, value: str | bytes) -> None:
        """A document's unit stream: as text (from a merge of segments) or already in the
        column's code (``coded_stream``)."""
        while len(self._starts) < docnum:  # documents without a value (document records)
            self._append(b"")
        self._append(encode(value) if isinstance(value, str) else value)

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

    _OFFSET_SIZE = array(_OFFSET).itemsize

    def __init__(self, dbfile: StructFile, basepos: int, length: int, doccount: int) -> None:
        super().__init__(dbfile, basepos, length, doccount)
        check_header(dbfile, basepos, CODEC, VERSION)
        start = basepos + header_size(CODEC)
        (size,) = _TAIL.unpack(dbfile.get(basepos + length - _TAIL.size, _TAIL.size))
        if (basepos + length - start - size - _TAIL.size) != (doccount + 1) * self._OFFSET_SIZE:
            raise damaged_file(dbfile, "its offsets do not fit its length")
        self.starts = array(_OFFSET)
        self.starts.frombytes(dbfile.get(start + size, (doccount + 1) * self._OFFSET_SIZE))
        self.base, self.end = start, start + size
        self._bounds: tuple[Sequence[int], Sequence[int]] | None = None
        self._list: list[int] | None = None
        self.data = _mapped(dbfile) or dbfile.get(start, size)
        self._mapped = isinstance(self.data, mmap.mmap)
        self._held_from = self.base  # where the pages a scan has not given back begin
        if not self._mapped:
            self.base, self.end = 0, size

    def __len__(self) -> int:
        return self._doccount

    def __getitem__(self, docnum: int) -> bytes:
        """A document's stream as written, in the unit code: what a merge copies into the
        merged segment and a check compares, neither of which needs it decoded."""
        start, end = self.base + self.starts[docnum], self.base + self.starts[docnum + 1] - 1
        return bytes(self.data[start:end])

    def stream(self, docnum: int) -> str:
        """A document's stream as text."""
        return decode(self[docnum])

    def __iter__(self):
        return (self[docnum] for docnum in range(self._doccount))

    def find_docs(
        self, needle: bytes, *, latin_start: bool, latin_end: bool, skip: Container[int] | None = None
    ) -> list[int]:
        """Documents (in order) whose stream holds ``needle`` (UTF-8) as whole units; those
        in ``skip`` may be left out.

        ``latin_start``/``latin_end``: the needle begins/ends with a Latin run, which must
        not continue in the stream (``140`` is not in ``1400``).  A rare needle is found
        match by match across the whole column; once it proves frequent, the rest of the
        documents (but those in ``skip``) are searched one stream each in a single pass of
        C calls, since Python work per match would then cost more than a search per document.
        """
        # A column kept mapped whole is searched by ``mmap.find`` itself, no Python between matches.
        find = self._find if self._windowed() else self.data.find
        needle = _coded(needle)
        end = self.end
        # The first matches are placed by the stored offsets, shifted; a needle with more
        # goes on with them as a list (``_starts_list``), which costs a pass to build.
        starts: Sequence[int] = self.starts
        shift = self.base
        size = len(needle)
        found: list[int] = []
        self._held_from = self.base
        pos = find(needle, self.base, end)
        while pos >= 0:
            # CHECK_EVERY matches between checks, with as little Python as can be per match.
            for _ in range(CHECK_EVERY):
                if (latin_start or latin_end) and not self._whole(pos, size, latin_start, latin_end):
                    pos = find(needle, pos + 1, end)
                else:
                    doc = bisect_right(starts, pos - shift) - 1
                    found.append(doc)
                    pos = find(needle, starts[doc + 1] + shift, end)
                if pos < 0:
                    return found
            if found and len(found) * FREQUENT > found[-1]:
                found.extend(self._docs_holding(needle, found[-1] + 1, latin_start, latin_end, skip))
                return found
            starts, shift = self._starts_list(), 0
        return found

    def _find(self, needle: bytes, pos: int, end: int) -> int:
        """``data.find(needle, pos, end)`` a window at a time, giving back the pages
        passed once they are a window's worth."""
        data = self.data
        while True:
            if pos - self._held_from >= WINDOW:
                self._give_back(self._held_from, pos)
                self._held_from = pos
            stop = min(end, pos + WINDOW)
            # A match starting before ``stop`` may end past it: the window reads that far.
            at = data.find(needle, pos, min(end, stop + len(needle) - 1))
            if at >= 0 or stop >= end:
                return at
            pos = stop

    def _windowed(self) -> bool:
        return self._mapped and self.end - self.base > KEEP_MAPPED

    def _give_back(self, start: int, stop: int) -> None:
        """Unmap the whole pages between ``start`` and ``stop``: they stay in the OS's file
        cache, and the next search maps them again."""
        first = -(-start // mmap.PAGESIZE) * mmap.PAGESIZE
        last = stop // mmap.PAGESIZE * mmap.PAGESIZE
        if last > first:
            self.data.madvise(mmap.MADV_DONTNEED, first, last - first)

    def _docs_holding(
        self, needle: bytes, first: int, latin_start: bool, latin_end: bool, skip: Container[int] | None
    ) -> list[int]:
        """Documents from ``first`` on, but those in ``skip``, whose stream holds ``needle`` (coded)."""
        docs: Sequence[int] = range(first, self._doccount)
        if skip:
            docs = list(filterfalse(skip.__contains__, docs))
        return self._holding(needle, docs, latin_start, latin_end)

    def holding(self, needle: bytes, docs: Sequence[int], *, latin_start: bool, latin_end: bool) -> list[int]:
        """Those of ``docs`` (ascending) whose stream holds ``needle`` (UTF-8) as whole units:
        one search per document, all of them run by ``map`` in C; on a column too large to keep
        mapped, a batch at a time, the pages of each batch given back before the next."""
        return self._holding(_coded(needle), docs, latin_start, latin_end)

    def _holding(self, needle: bytes, docs: Sequence[int], latin_start: bool, latin_end: bool) -> list[int]:
        """``holding`` with the needle already in the column's code."""
        if self._bounds is None:
            shift, starts = self.base, self.starts
            if shift:
                self._bounds = ([b + shift for b in starts[:-1]], [e + shift for e in starts[1:]])
            else:
                self._bounds = (starts[:-1], starts[1:])
        begins, ends = self._bounds
        pattern = whole_units(needle, latin_start, latin_end) if latin_start or latin_end else None
        windowed = self._windowed()
        step = BATCH if windowed else len(docs) or 1
        found: list[int] = []
        lows: Iterable[int]
        highs: Iterable[int]
        held: Iterable[object]  # match objects or booleans: whatever is true where the needle is
        for at in range(0, len(docs), step):
            batch = docs[at : at + step]
            if isinstance(batch, range):  # a run of documents: slices, no lookup per document
                lows, highs = begins[batch.start : batch.stop], ends[batch.start : batch.stop]
            else:
                lows, highs = map(begins.__getitem__, batch), map(ends.__getitem__, batch)
            if pattern is not None:
                held = map(pattern.search, repeat(self.data), lows, highs)
            else:
                held = map(NOT_FOUND.__lt__, map(self.data.find, repeat(needle), lows, highs))
            found.extend(compress(batch, held))
            if windowed:
                self._give_back(begins[batch[0]], ends[batch[-1]])
        return found

    def _starts_list(self) -> list[int]:
        """Where each document's stream starts in ``data`` (and where the last ends), as a
        list, which ``bisect`` reads several times faster than an array."""
        if self._list is None:
            self._list = [start + self.base for start in self.starts] if self.base else self.starts.tolist()
        return self._list

    def _whole(self, pos: int, size: int, latin_start: bool, latin_end: bool) -> bool:
        """Whether a match at ``pos`` is whole units: no Latin run continues past either end
        (every stream ends with a seam, so there is always a byte after the match)."""
        data = self.data
        return not (
            (latin_start and pos > self.base and data[pos - 1] in LATIN) or (latin_end and data[pos + size] in LATIN)
        )


@lru_cache(maxsize=256)
def _coded(needle: bytes) -> bytes:
    """A UTF-8 needle in the column's code (``indexer.unit_bytes``)."""
    return encode(needle.decode("utf-8"))


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
