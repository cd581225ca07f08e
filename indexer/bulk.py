"""Whoosh's segment writer with two per-posting costs taken out, for large ingests.

Writing postings is most of what the parent of an ingest does (``indexer.pipeline``
analyses in workers), and two steps of Whoosh 2.7's writer cost far more than they
need to, per posting:

* at flush, every posting's document length is looked up with a seek and a read in
  the length column just written; here each field's lengths are read once, into a list;
* the posting pool estimates each posting's size as it is added and pickles postings
  one by one into its sorted runs; here it counts postings and writes runs in chunks.

The segment files are the same as Whoosh's own writer makes, byte for byte: only the
order of work inside the writer changes, never what is written or when it is committed.
"""

from __future__ import annotations

import marshal
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from whoosh.codec.base import PerDocumentReader
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield, byte_to_length
from whoosh.index import Index
from whoosh.writing import PostingPool, SegmentWriter

# The pool's budget in postings before it writes a sorted run to disk.  A posting held
# in memory costs about 180 bytes, so this is about 300 MB: at most a few runs per
# million passages, and the parent stays within the 1 GB an ingest may use.
POSTINGS_PER_RUN = 1_600_000
RUN_CHUNK = 10_000
_LENGTHS = [byte_to_length(b) for b in range(256)]

Posting = tuple[str, bytes, int, float, bytes]


class _Pool(PostingPool):
    def add(self, item: Posting) -> None:
        self.current.append(item)
        if len(self.current) >= POSTINGS_PER_RUN:
            self.save()

    def _write_run(self, f: BinaryIO, items: Iterable[Posting]) -> None:
        chunk: list[Posting] = []
        for item in items:
            chunk.append(item)
            if len(chunk) == RUN_CHUNK:
                marshal.dump(chunk, f)
                chunk = []
        if chunk:
            marshal.dump(chunk, f)
        f.close()

    def _read_run(self, path: str) -> Iterator[Posting]:
        f = self._open_run(path)
        try:
            while True:
                try:
                    chunk = marshal.load(f)
                except EOFError:
                    return
                yield from chunk
        finally:
            f.close()
            self._remove_run(path)


class _Lengths:
    """The per-document field lengths of the segment being flushed, each field read once."""

    def __init__(self, reader: PerDocumentReader) -> None:
        self.reader = reader
        self.fields: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self.fields.get(fieldname)
        if lengths is None:
            column = self.reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            lengths = self.fields[fieldname] = [_LENGTHS[b] for b in column.load()] if column else []
        return lengths[docnum] if docnum < len(lengths) else default


class BulkWriter(SegmentWriter):
    """``ix.writer(**options)``, cheaper per posting; see the module docstring."""

    def __init__(self, ix: Index, **options: object) -> None:
        super().__init__(ix, **options)
        self.pool = _Pool(self._tempstorage, self.newsegment)

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        reader = self.per_document_reader()
        self.fieldwriter.add_postings(self.schema, _Lengths(reader), self.pool.iter_postings())
        self.fieldwriter.close()
        reader.close()
