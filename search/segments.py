"""An index's segments as a search reads them: each segment's reader, where its document
numbers start among the index's, and its deleted documents."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field

from whoosh.reading import IndexReader, SegmentReader

from itudocs.indexer.column import UnitColumnReader
from itudocs.indexer.store import segments


@dataclass(slots=True)
class Segment:
    """One segment of a view: its reader, its first document's number in the index, its deleted documents."""

    reader: SegmentReader
    offset: int
    deleted: frozenset[int]
    # Its unit columns, opened once (``search.columns``).
    columns: dict[str, UnitColumnReader | None] = field(default_factory=dict)


def segments_of(reader: IndexReader) -> list[Segment]:
    return [Segment(seg, offset, frozenset(seg.deleted_docs_set or ())) for seg, offset in segments(reader)]


def in_segment(segment: Segment, ordered: Sequence[int]) -> list[int]:
    """Those of ``ordered`` (ascending doc numbers) in the segment, numbered within it."""
    offset = segment.offset
    inside = ordered[bisect_left(ordered, offset) : bisect_left(ordered, offset + segment.reader.doc_count_all())]
    return list(map((-offset).__add__, inside)) if offset else list(inside)
