"""Every use itudocs makes of Whoosh's private parts, in one place.

The postings reader and BM25 (``search.postings``) and the bulk segment writer
(``indexer.bulk``) work below Whoosh's public API, where its per-posting Python calls
are: stepping Whoosh's matcher costs 3–4 µs a posting, reading a block whole about
0.3 µs (README, "How it works"; measured at 100k passages).  What they need of Whoosh's
insides is here, each as a small named function, and ``tests/test_whoosh_private.py`` checks every one on a tiny
real index: a Whoosh release that renames or reshapes one fails there, naming the
installed version, rather than as a wrong ranking or a corrupt segment.  Nowhere else
touches a name of Whoosh's that starts with an underscore (ruff's SLF001).
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from itertools import accumulate
from types import CodeType
from typing import BinaryIO

from whoosh.codec.base import FieldWriter, PerDocumentReader
from whoosh.codec.whoosh3 import W3LeafMatcher, W3PostingsWriter
from whoosh.filedb.filestore import Storage
from whoosh.formats import Format, Frequency
from whoosh.index import TOC, FileIndex
from whoosh.matching import Matcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader, SegmentReader
from whoosh.util.numeric import byte_to_length

_BIG_ENDIAN = sys.byteorder == "big"


def reader_at(storage: Storage, toc: TOC) -> IndexReader:
    """A reader of the commit ``toc`` describes, never of a later one a commit wrote since
    (Whoosh's public ``Index.reader`` reads whichever commit is the latest)."""
    return FileIndex._reader(storage, toc.schema, toc.segments, toc.generation)


def reader_opening() -> CodeType:
    """The code of ``reader_at``'s Whoosh function: an error raised in it is the commit's files'."""
    return FileIndex._reader.__func__.__code__


def posting_blocks(
    matcher: Matcher, wanted: Sequence[int] | None = None
) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
    """A term's postings a block at a time: a block's ids and weights decode in one go,
    where stepping Whoosh's matcher costs a method call or three per posting.  Blocks
    holding none of ``wanted`` (sorted) are skipped by their header alone."""
    if isinstance(matcher, FilterMatcher):  # deletions, which callers filter themselves
        matcher = matcher.child
    if not isinstance(matcher, W3LeafMatcher):
        ids: list[int] = []
        weights: list[float] = []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        yield ids, weights
        return
    last = -1
    while matcher.is_active():
        # The block header's largest id, and the block's data: id deltas, then the
        # weights, one weight for all, or None for 1.0.
        top = matcher._maxid
        if wanted is not None:
            at = bisect_right(wanted, last)
            if at == len(wanted):
                return
            if wanted[at] > top:
                last = top
                matcher._next_block()
                continue
        matcher._read_data()
        deltas, block_weights = matcher._data[0], matcher._data[1]
        block_ids = list(accumulate(deltas))
        if block_weights is None or isinstance(block_weights, float):
            block_weights = [block_weights or 1.0] * len(block_ids)
        yield block_ids, block_weights
        last = top
        matcher._next_block()


def length_bytes(perdoc: PerDocumentReader, fieldname: str) -> bytes:
    """The length byte of ``fieldname`` for every document of a segment, read whole from
    Whoosh's lengths column (0 for a document without the field)."""
    count = perdoc.doc_count_all()
    name = f"_{fieldname}_len"
    if not perdoc.has_column(name):
        return bytes(count)
    colfile, offset, length = perdoc._get_column_file(name)
    try:
        raw = colfile.get(offset, min(length, count))
    finally:
        colfile.close()
    return raw + bytes(count - len(raw))


def segment_length_bytes(segment: SegmentReader, fieldname: str) -> bytes:
    """``length_bytes`` of a segment being read."""
    return length_bytes(segment._perdoc, fieldname)


def per_document_reader(segment: SegmentReader) -> PerDocumentReader:
    """The reader of a segment's per-document columns (stored fields, lengths) that the
    segment reads through."""
    return segment._perdoc


def postings_file(segment: SegmentReader) -> BinaryIO:
    """The open file a segment reads its postings from."""
    return segment._terms._postfile.file


def write_posting_blocks(writer: FieldWriter, format_: Format, pairs: array, lengths: bytes | None) -> None:
    """One term's postings (docnum and frequency interleaved, in document order) in Whoosh's
    blocks, each filled whole as ``add_posting`` would have filled it one posting at a time;
    the writer's ``finish_term`` writes the last.  ``lengths`` holds every document's length
    byte where the field is scorable."""
    out: W3PostingsWriter = writer._postwriter
    docs, freqs = pairs[0::2], pairs[1::2]
    boost = format_.field_boost
    frequency = isinstance(format_, Frequency)
    limit = out._blocklimit
    for start in range(0, len(docs), limit):
        ids, counts = docs[start : start + limit], freqs[start : start + limit]
        out._ids = ids
        if frequency:
            out._weights = array("f", [count * boost for count in counts] if boost != 1.0 else counts)
            out._maxweight = float(max(counts)) * boost
            values = array("I", counts)
            if not _BIG_ENDIAN:
                values.byteswap()
            out._values = [values.tobytes()]
        else:
            out._weights = array("f", [boost]) * len(ids)
            out._maxweight = boost
            out._values = []
        if lengths is not None:
            # Whoosh skips a length of 0 (a document without the field) in a block's bounds.
            held = bytes(map(lengths.__getitem__, ids)).replace(b"\0", b"")
            out._minlength = byte_to_length(min(held)) if held else None
            out._maxlength = byte_to_length(max(held)) if held else 0
        else:
            out._minlength, out._maxlength = None, 0
        if start + limit < len(docs):
            out._write_block()
