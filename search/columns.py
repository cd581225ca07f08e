"""The unit columns (``indexer.column``) of an index, mapped in place: where a string stands
as whole units, in every document or in a few."""

from __future__ import annotations

from itudocs.indexer import schema
from itudocs.indexer.column import UnitColumnReader
from itudocs.search.segments import Segment, in_segment


class UnitColumns:
    """The unit columns of one view's segments."""

    def __init__(self, segments: list[Segment]) -> None:
        self._segments = segments

    def find(
        self, column: str, needle: bytes, *, latin_start: bool, latin_end: bool, skip: set[int] | None = None
    ) -> list[int]:
        """Live documents whose ``column`` holds ``needle`` as whole units, in order; those in
        ``skip`` (already known to match something else) may be left out."""
        found: list[int] = []
        for segment in self._segments:
            reader = _column(segment, column)
            if reader is None:
                continue
            offset = segment.offset
            local = skip if not offset or not skip else {doc - offset for doc in skip}
            docs = reader.find_docs(needle, latin_start=latin_start, latin_end=latin_end, skip=local)
            if segment.deleted:
                docs = [doc for doc in docs if doc not in segment.deleted]
            found.extend(map(offset.__add__, docs) if offset else docs)
        return found

    def unit_stream(self, doc: int) -> str:
        """One document's text as its unit stream (``indexer.column``); "" where it has none."""
        for segment in reversed(self._segments):
            if doc >= segment.offset:
                reader = _column(segment, schema.UNITS)
                return reader.stream(doc - segment.offset) if reader is not None else ""
        return ""

    def holding(self, column: str, docs: set[int], needle: bytes, *, latin_start: bool, latin_end: bool) -> set[int]:
        """Those of ``docs`` whose ``column`` holds ``needle`` as whole units."""
        found: set[int] = set()
        ordered = sorted(docs)
        for segment in self._segments:
            reader = _column(segment, column)
            local = in_segment(segment, ordered)
            if reader is not None and local:
                held = reader.holding(needle, local, latin_start=latin_start, latin_end=latin_end)
                found.update(map(segment.offset.__add__, held))
        return found


def _column(segment: Segment, name: str) -> UnitColumnReader | None:
    """A segment's unit column, opened once; None where no document of the segment has one."""
    if name not in segment.columns:
        reader = segment.reader
        segment.columns[name] = reader.column_reader(name, translate=False) if reader.has_column(name) else None
    return segment.columns[name]
