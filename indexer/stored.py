"""Stored fields compressed a block of passages at a time.

Whoosh compresses each document's stored fields on its own; a passage is a few hundred
bytes, too little for deflate to find much to share, so stored fields took 1.7× the
text.  Compressed ``BLOCK`` passages at a time (as Lucene does), neighbouring passages
share their section paths, field names and phrases, and stored fields take half the
space (64 passages a block saved a little more, but showing ten hits from ten blocks
then cost a third of a top-10 search).  Reading one passage decompresses its block; the last block read is kept, so
reading passages in order (merges, ``--all``) decompresses each block once.

Within a block each document is JSON of its own, after a table of where each starts, so
reading a passage decodes only it: a ranked search's hits are one or two a block, and
decoding all 32 of a block for them was half the time spent reading them (and a third
of an every-hit listing of a rare name).

Each document is JSON, never a pickle: reading an index received from someone else must
not run code that its files name (Whoosh's own table of contents still unpickles; see
the README).  On disk (docs/FORMAT.md): the header (``indexer.header``, codec
``stored``), the deflated blocks, where each block starts (and the last ends), then the
blocks' size, the document count and the documents per block.

``Codec`` is Whoosh's codec with this one change.  A segment records the codec that
wrote it (pickled in the table of contents), so this class must stay importable here.
"""

from __future__ import annotations

import json
import struct
import zlib
from array import array
from bisect import bisect_right
from itertools import accumulate
from operator import gt

from whoosh.codec.base import Segment
from whoosh.codec.whoosh3 import W3Codec, W3PerDocReader, W3PerDocWriter
from whoosh.columns import Column, ColumnReader, ColumnWriter
from whoosh.filedb.filestore import Storage
from whoosh.filedb.structfile import StructFile
from whoosh.reading import SegmentReader

from itudocs.indexer.header import check_header, damaged_file, header, header_size
from itudocs.indexer.whoosh_private import per_document_reader

CODEC = "stored"
# Bump with the layout (and the index's SCHEMA_VERSION).
VERSION = 2
BLOCK = 32
LEVEL = 6
_STORED = "_stored"  # the name Whoosh's per-document writer gives the stored-fields column
_TAIL = struct.Struct("<QII")  # compressed size, documents, documents per block
_END = struct.Struct("<I")  # in a block's table: where a document's JSON starts, and the last ends


class BlockStoredColumn(Column):
    """Each document's stored-fields dict, as JSON deflated ``BLOCK`` documents at a time."""

    def writer(self, dbfile: StructFile) -> BlockStoredWriter:
        return BlockStoredWriter(dbfile)

    def reader(self, dbfile: StructFile, basepos: int, length: int, doccount: int) -> BlockStoredReader:
        return BlockStoredReader(dbfile, basepos, length, doccount)

    def default_value(self, reverse: bool = False) -> None:
        return None


class BlockStoredWriter(ColumnWriter):
    def __init__(self, dbfile: StructFile) -> None:
        super().__init__(dbfile)
        self._block: list[dict | None] = []
        self._count = 0
        self._offsets = array("Q")
        self._written = 0
        dbfile.write(header(CODEC, VERSION))

    def add(self, docnum: int, value: dict) -> None:
        while self._count < docnum:
            self._append(None)
        self._append(dict(value))  # the caller clears its dict after this call

    def _append(self, value: dict | None) -> None:
        self._block.append(value)
        self._count += 1
        if len(self._block) == BLOCK:
            self._flush()

    def _flush(self) -> None:
        data = zlib.compress(encode_block(self._block), LEVEL)
        self._offsets.append(self._written)
        self._dbfile.write(data)
        self._written += len(data)
        self._block = []

    def finish(self, doccount: int) -> None:
        while self._count < doccount:
            self._append(None)
        if self._block:
            self._flush()
        self._offsets.append(self._written)
        self._dbfile.write(self._offsets.tobytes())
        self._dbfile.write(_TAIL.pack(self._written, self._count, BLOCK))


class BlockStoredReader(ColumnReader):
    def __init__(self, dbfile: StructFile, basepos: int, length: int, doccount: int) -> None:
        super().__init__(dbfile, basepos, length, doccount)
        check_header(dbfile, basepos, CODEC, VERSION)
        self._start = basepos + header_size(CODEC)
        size, count, self._block = _TAIL.unpack(dbfile.get(basepos + length - _TAIL.size, _TAIL.size))
        self._offsets = array("Q")
        blocks = -(-count // self._block) if self._block else -1
        if basepos + length - self._start - size - _TAIL.size != (blocks + 1) * self._offsets.itemsize:
            raise damaged_file(dbfile, "its offsets do not fit its length")
        self._offsets.frombytes(dbfile.get(self._start + size, (blocks + 1) * self._offsets.itemsize))
        self._cached: tuple[int, bytes, tuple[int, ...]] = (-1, b"", ())

    def __getitem__(self, docnum: int) -> dict | None:
        number = docnum // self._block
        if number >= len(self._offsets) - 1:
            return None
        cached = self._cached  # one read, so that threads sharing a reader never mix blocks
        if cached[0] != number:
            start, end = self._offsets[number], self._offsets[number + 1]
            data = self._dbfile.get(self._start + start, end - start)
            try:
                data = zlib.decompress(data)
                cached = self._cached = (number, data, block_ends(data))
            except (zlib.error, ValueError) as error:
                raise damaged_file(self._dbfile, f"block {number}: {error}") from error
        _, data, ends = cached
        at = docnum % self._block
        try:
            return decode_document(data, ends, at)
        except ValueError as error:
            raise damaged_file(self._dbfile, f"block {number}: {error}") from error

    def __iter__(self):
        return (self[docnum] for docnum in range(self._doccount))


def encode_block(block: list[dict | None]) -> bytes:
    """Where each document's JSON starts and the last ends, then the documents' JSON (none
    for a document without stored fields)."""
    documents = [b"" if fields is None else _encode(fields) for fields in block]
    ends = accumulate(map(len, documents), initial=_END.size * (len(documents) + 1))
    return b"".join(map(_END.pack, ends)) + b"".join(documents)


def _encode(fields: dict) -> bytes:
    # surrogatepass: a lone surrogate in a passage's text is stored as read.
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


def block_ends(data: bytes) -> tuple[int, ...]:
    """A decompressed block's table: where each document starts, then where the last ends."""
    table = _END.unpack_from(data)[0] if len(data) >= _END.size else 0
    if table < 2 * _END.size or table % _END.size or table > len(data):
        raise ValueError("its table of documents does not fit it")
    ends = struct.unpack_from(f"<{table // _END.size}I", data)
    if ends[-1] != len(data) or any(map(gt, ends, ends[1:])):
        raise ValueError("its table of documents does not fit it")
    return ends


def decode_document(data: bytes, ends: tuple[int, ...], at: int) -> dict | None:
    """The stored fields of the block's document ``at`` (None for one without any)."""
    if at + 1 >= len(ends):
        raise ValueError(f"it holds {len(ends) - 1} documents, not {at + 1}")
    start, end = ends[at], ends[at + 1]
    return json.loads(data[start:end].decode("utf-8", "surrogatepass")) if end > start else None


STORED_COLUMN = BlockStoredColumn()


class _PerDocWriter(W3PerDocWriter):
    def _create_column(self, fieldname: str, column: Column) -> None:
        super()._create_column(fieldname, STORED_COLUMN if fieldname == _STORED else column)


class _PerDocReader(W3PerDocReader):
    def stored_fields(self, docnum: int) -> dict:
        reader = self.stored_column()
        return (reader[docnum] if reader is not None else None) or {}

    def stored_column(self) -> BlockStoredReader | None:
        """The segment's stored-fields column, opened once; None where it has none."""
        return self._cached_reader(_STORED, STORED_COLUMN)


class StoredFields:
    """Each document's stored fields, by its number in a reader of one or more segments,
    read from the segments' block columns directly.

    Whoosh's ``stored_fields`` copies each document's dict through a check of every key
    against the schema (about 15 µs a hit in a search listing every hit); the keys of
    ours are the schema's, written by the one writer (``schema.SCHEMA_VERSION`` names them).
    """

    def __init__(self, leaves: list[tuple[SegmentReader, int]]) -> None:
        self._starts = [start for _, start in leaves]
        self._columns = [_stored_column(segment) for segment, _ in leaves]

    def __getitem__(self, doc: int) -> dict:
        number = bisect_right(self._starts, doc) - 1
        column = self._columns[number]
        return (column[doc - self._starts[number]] if column is not None else None) or {}


def _stored_column(segment: SegmentReader) -> BlockStoredReader | None:
    perdoc = per_document_reader(segment)
    if not isinstance(perdoc, _PerDocReader):
        raise TypeError(f"a segment not written by itudocs' codec: {type(perdoc).__name__}")
    return perdoc.stored_column()


class Codec(W3Codec):
    """Whoosh's W3 codec with stored fields compressed in blocks."""

    def per_document_writer(self, storage: Storage, segment: Segment) -> W3PerDocWriter:
        return _PerDocWriter(self, storage, segment)

    def per_document_reader(self, storage: Storage, segment: Segment) -> W3PerDocReader:
        return _PerDocReader(storage, segment)
