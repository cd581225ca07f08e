"""The one open view of an index a search reads, kept while its commit is current.

Whoosh holds the passages, their stored fields, the postings and the commits; this
module reads them below Whoosh's query machinery, where a search spends its time:
postings a block at a time (Whoosh's matcher tree costs microseconds per posting),
field lengths as one array per segment, and the unit columns (``indexer.column``)
mapped in place.  A view stays valid for the index generation it was opened on; a
process that searches again reuses it until a commit or a rebuild replaces it, so a
warm process pays for opening once and a fresh one loads only what its query reads.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from math import log
from pathlib import Path

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.index import Index
from whoosh.matching import Matcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader, SegmentReader
from whoosh.util.numeric import byte_to_length

from itudocs.corpus.termbase import Term
from itudocs.indexer import schema as f
from itudocs.indexer.column import UnitColumn, UnitColumnReader

# Whoosh's BM25F defaults, which the index was always ranked with.
K1 = 1.2
B = 0.75
_COLUMN = UnitColumn()


@dataclass(slots=True)
class _Segment:
    reader: SegmentReader
    offset: int
    deleted: frozenset[int]
    columns: dict[str, UnitColumnReader | None] = field(default_factory=dict)
    lengths: dict[str, bytes] = field(default_factory=dict)


class IndexView:
    """One generation of one index, read-only."""

    def __init__(self, ix: Index) -> None:
        self.key = view_key(ix)
        self.reader: IndexReader = ix.reader()
        leaves = self.reader.leaf_readers()
        self._segments = [_Segment(seg, offset, frozenset(seg.deleted_docs_set or ())) for seg, offset in leaves]
        self.doc_count_all = self.reader.doc_count_all()
        self._norms: dict[str, list[float]] = {}
        self._records: dict[str, dict] = {}
        self._doc_of: dict[int, str] | None = None

    def close(self) -> None:
        self.reader.close()

    # Terms and postings

    def has_term(self, fieldname: str, text: str) -> bool:
        return (fieldname, text) in self.reader

    def doc_frequency(self, fieldname: str, text: str) -> int:
        return self.reader.doc_frequency(fieldname, text)

    def idf(self, fieldname: str, text: str) -> float:
        return self.idf_of(self.doc_frequency(fieldname, text))

    def idf_of(self, frequency: int) -> float:
        """Whoosh's idf, so scores keep the scale the ranking constants were tuned on."""
        return log(self.doc_count_all / (frequency + 1)) + 1

    def postings(self, fieldname: str, text: str) -> Iterator[tuple[int, Sequence[int], Sequence[float]]]:
        """(segment offset, doc numbers in the segment, weights) a block at a time; deleted
        documents included (callers drop them with ``live``)."""
        if not self.has_term(fieldname, text):
            return
        for segment in self._segments:
            if (fieldname, text) not in segment.reader:
                continue
            for ids, weights in _blocks(segment.reader.postings(fieldname, text)):
                yield segment.offset, ids, weights

    def doc_set(self, fieldname: str, text: str) -> set[int]:
        """Every live document holding the term."""
        found = {offset + doc for offset, ids, _ in self.postings(fieldname, text) for doc in ids}
        return self.live(found)

    def live(self, docs: set[int]) -> set[int]:
        for segment in self._segments:
            if segment.deleted:
                docs.difference_update(segment.offset + doc for doc in segment.deleted)
        return docs

    def bm25(self, fieldname: str, text: str, boost: float, into: dict[int, float]) -> None:
        """Add ``boost`` × BM25 of the term to ``into[doc]`` for every document of ``into`` holding it."""
        idf = self.idf(fieldname, text) * boost * (K1 + 1)
        for offset, ids, weights in self.postings(fieldname, text):
            norms = self._segment_norms(fieldname, offset)
            for doc, tf in zip(ids, weights, strict=True):
                if offset + doc in into:
                    into[offset + doc] += idf * tf / (tf + norms[doc])

    def _segment_norms(self, fieldname: str, offset: int) -> list[float]:
        """K1 × (1 - B + B × length ÷ average length) of every document in a segment."""
        key = f"{fieldname}@{offset}"
        norms = self._norms.get(key)
        if norms is None:
            segment = next(s for s in self._segments if s.offset == offset)
            average = self.reader.field_length(fieldname) / (self.doc_count_all or 1) or 1.0
            by_byte = [K1 * ((1 - B) + B * byte_to_length(b) / average) for b in range(256)]
            norms = [by_byte[b] for b in _length_bytes(segment.reader, fieldname)]
            self._norms[key] = norms
        return norms

    # Unit columns

    def find(
        self, column: str, needle: bytes, *, latin_start: bool, latin_end: bool, limit: int | None = None
    ) -> list[int]:
        """Live documents whose ``column`` holds ``needle`` as whole units, in order, at most ``limit``."""
        found: list[int] = []
        for segment in self._segments:
            reader = _column(segment, column)
            if reader is None:
                continue
            more = None if limit is None else limit - len(found)
            docs = reader.find_docs(needle, latin_start=latin_start, latin_end=latin_end, limit=more)
            if segment.deleted:
                docs = [doc for doc in docs if doc not in segment.deleted]
            found.extend(segment.offset + doc for doc in docs)
            if limit is not None and len(found) >= limit:
                break
        return found

    def has_units(self, column: str, doc: int, needle: bytes, *, latin_start: bool, latin_end: bool) -> bool:
        """Whether one document's ``column`` holds ``needle`` as whole units."""
        for segment in reversed(self._segments):
            if doc >= segment.offset:
                reader = _column(segment, column)
                local = doc - segment.offset
                return reader is not None and reader.holds(local, needle, latin_start=latin_start, latin_end=latin_end)
        return False

    # Stored fields

    def stored(self, doc: int) -> dict:
        return self.reader.stored_fields(doc)

    def first(self, fieldname: str, text: str) -> dict | None:
        """The stored fields of the live document holding a unique term."""
        docs = self.doc_set(fieldname, text)
        return self.stored(min(docs)) if docs else None

    def record(self, doc_id: str) -> dict:
        """A document's stored record ({} if it is not indexed), read once per view."""
        record = self._records.get(doc_id)
        if record is None:
            fields = self.first(f.ID_, f"document:{doc_id}")
            record = self._records[doc_id] = fields[f.RECORD] if fields else {}
        return record

    def records(self) -> dict[str, dict]:
        """doc id → record of every indexed document (for listings and ``--doc`` by title)."""
        docs = sorted(self.doc_set(f.KIND, f.DOCUMENT_KIND))
        for doc in docs:
            fields = self.stored(doc)
            self._records.setdefault(fields[f.DOC], fields[f.RECORD])
        return {doc_id: record for doc_id, record in self._records.items() if record}

    def doc_of(self) -> dict[int, str]:
        """doc number → doc id of every passage, from the postings of the doc field (no stored fields)."""
        if self._doc_of is None:
            self._doc_of = {
                offset + doc: doc_id
                for doc_id in (term.decode("utf-8") for term in self.reader.lexicon(f.DOC))
                for offset, ids, _ in self.postings(f.DOC, doc_id)
                for doc in ids
            }
        return self._doc_of

    def terms_named(self, key: str) -> list[Term]:
        """The mined terms (``indexer.writer.term_fields``) that have a name folding to ``key``."""
        return [Term(**self.stored(doc)[f.RECORD]) for doc in sorted(self.doc_set(f.NAMES, key))]

    def all_terms(self) -> list[Term]:
        return [Term(**self.stored(doc)[f.RECORD]) for doc in sorted(self.doc_set(f.KIND, f.TERM_KIND))]


def view_key(ix: Index) -> tuple[str, str, int]:
    return (str(Path(ix.storage.folder).resolve()), ix.indexname, ix.latest_generation())


_VIEWS: dict[str, IndexView] = {}


def open_view(ix: Index) -> IndexView:
    """The view of ``ix``'s latest commit: the one this process opened already, if still current."""
    key = view_key(ix)
    view = _VIEWS.get(key[0])
    if view is None or view.key != key:
        if view is not None:
            view.close()
        view = _VIEWS[key[0]] = IndexView(ix)
    return view


def _column(segment: _Segment, name: str) -> UnitColumnReader | None:
    """A segment's unit column, opened once; None where no document of the segment has one."""
    if name not in segment.columns:
        perdoc = segment.reader._perdoc  # Whoosh's per-document reader: its columns
        segment.columns[name] = perdoc.column_reader(name, _COLUMN) if perdoc.has_column(name) else None
    return segment.columns[name]


def _blocks(matcher: Matcher) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
    """A term's postings a block at a time: a block's ids and weights decode in one go,
    where stepping Whoosh's matcher costs a method call or three per posting."""
    if isinstance(matcher, FilterMatcher):  # deletions, which callers filter themselves
        matcher = matcher.child
    if isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            # Private to Whoosh's codec (pinned in pyproject): the decoded block.
            matcher._read_ids()
            matcher._read_weights()
            yield matcher._ids, matcher._weights
            matcher._next_block()
        return
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    yield ids, weights


def _length_bytes(segment: SegmentReader, fieldname: str) -> bytes:
    """The segment's length byte of ``fieldname`` for every document (Whoosh's lengths column)."""
    count = segment.doc_count_all()
    name = f"_{fieldname}_len"
    perdoc = segment._perdoc
    if not perdoc.has_column(name):
        return bytes(count)
    colfile, offset, length = perdoc._get_column_file(name)
    try:
        raw = colfile.get(offset, min(length, count))
    finally:
        colfile.close()
    return raw + bytes(count - len(raw))
