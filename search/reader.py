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

import atexit
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from itertools import accumulate, compress, repeat
from math import log
from operator import add, eq, mul, truediv

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.index import Index
from whoosh.matching import Matcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader, SegmentReader
from whoosh.util.numeric import byte_to_length

from itudocs.corpus.termbase import Term
from itudocs.indexer import schema
from itudocs.indexer.analysis import fold
from itudocs.indexer.column import UnitColumnReader
from itudocs.indexer.records import DocumentRecord, PassageRecord, read_documents, term_from_stored

# Whoosh's BM25F defaults, which the index was always ranked with.
K1 = 1.2
B = 0.75
# A term in more than one document in this many is frequent: the documents holding it are
# read from its postings decoded whole; and scoring a decoded term for fewer than one of
# its documents in this many looks them up rather than listing it all.
SPARSE = 8
# Postings kept decoded per view, at 8 bytes each: 32 MB, the least recently used giving way.
CACHED_POSTINGS = 4_000_000
NO_DOC = 2**32 - 1
# Whoosh's codec writes a term's postings in blocks of this many (``W3Codec``'s ``blocklimit``).
POSTINGS_PER_BLOCK = 128
# Documents whose passage ids a view keeps (about 120 ids each on council documents).
KEPT_DOCUMENTS = 1024


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
        self._norms: dict[str, tuple[bytes, list[float]]] = {}
        self._records: dict[str, DocumentRecord | None] = {}
        self._all_records: dict[str, DocumentRecord] | None = None
        self._decoded: dict[tuple[str, str], tuple[array, array]] = {}
        self._decoded_size = 0
        self._sections: tuple[array, list[str]] | None = None
        self._paths: dict[str, str] = {}
        self._passage_ids: dict[str, dict[str, int]] = {}
        self._closed = False

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            # A damaged index's files may be closed already (``indexer.store.damaged`` closes
            # what a failed read held), and Whoosh raises on closing one twice.
            with suppress(Exception):
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

    def postings(
        self, fieldname: str, text: str, among: Sequence[int] | None = None
    ) -> Iterator[tuple[int, Sequence[int], Sequence[float]]]:
        """(segment offset, doc numbers in the segment, weights) a block at a time; deleted
        documents included (callers drop them with ``live``).  With ``among`` (sorted doc
        numbers), blocks holding none of them are skipped unread."""
        if not self.has_term(fieldname, text):
            return
        for segment in self._segments:
            if (fieldname, text) not in segment.reader:
                continue
            wanted = None if among is None else _in_segment(segment, among)
            for ids, weights in _blocks(segment.reader.postings(fieldname, text), wanted):
                yield segment.offset, ids, weights

    def doc_set(self, fieldname: str, text: str) -> set[int]:
        """Every live document holding the term; a frequent term's postings are decoded
        once and kept, as for scoring (``_frequencies``)."""
        cached = self._kept((fieldname, text))
        if cached is None and self.doc_frequency(fieldname, text) * SPARSE >= self.doc_count_all:
            cached = self._decode(fieldname, text)
        if cached is not None:
            found = set(cached[0])
            found.discard(NO_DOC)
        else:
            found = set()
            for offset, ids, _ in self.postings(fieldname, text):
                found.update(map(offset.__add__, ids) if offset else ids)
        return self.live(found)

    def live(self, docs: set[int]) -> set[int]:
        for segment in self._segments:
            if segment.deleted:
                docs.difference_update(segment.offset + doc for doc in segment.deleted)
        return docs

    def having(self, fieldname: str, text: str, docs: set[int]) -> set[int]:
        """Those of ``docs`` holding the term: read from its decoded postings when kept, else
        only in the blocks that can hold ``docs`` when they are few."""
        if not docs or not self.has_term(fieldname, text):
            return set()
        cached = self._kept((fieldname, text))
        if cached is not None:
            return docs.intersection(cached[0])
        return docs & self._frequencies(fieldname, text, docs).keys()

    def bm25(self, fieldname: str, text: str, boost: float, into: dict[int, float]) -> None:
        """Add ``boost`` × BM25 of the term to ``into[doc]`` for every document of ``into`` holding it.

        The arithmetic runs in ``map`` over the documents in both, so that no Python code
        runs per posting or per document: idf × (K1 + 1) × tf ÷ (tf + norm).
        """
        scale = self.idf(fieldname, text) * boost * (K1 + 1)
        tfs = self._frequencies(fieldname, text, into)
        docs = list(into.keys() & tfs.keys())
        tf = list(map(tfs.__getitem__, docs))
        lengths, norm_of_byte = self._norms_of(fieldname)
        norm = map(norm_of_byte.__getitem__, map(lengths.__getitem__, docs))
        part = map(mul, repeat(scale), map(truediv, tf, map(add, tf, norm)))
        into.update(zip(docs, map(add, map(into.__getitem__, docs), part), strict=True))

    def _frequencies(self, fieldname: str, text: str, among: Collection[int] | None) -> dict[int, float]:
        """doc → frequency of the term, for at least the documents of ``among`` (None: every
        document) that hold it.

        A term is decoded whole when the documents asked for are about as many as its
        blocks (they would fall in most of them anyway), and then kept decoded while the
        view lives (``_decode``): decoding is most of what scoring costs, and a warm
        searcher meets the same words query after query.  Asked for fewer documents, the
        term is read only in the blocks that can hold them: decoding a frequent term whole
        would cost a fresh process (one query, nothing to reuse) time that grows with the
        archive.
        """
        key = (fieldname, text)
        cached = self._kept(key)
        if cached is None and (among is None or len(among) * POSTINGS_PER_BLOCK >= self.doc_frequency(*key)):
            cached = self._decode(fieldname, text)
        if cached is not None:
            if among is None or len(among) * SPARSE >= len(cached[0]):
                tfs = dict(zip(*cached, strict=True))
                del tfs[NO_DOC]
                return tfs
            return _looked_up(*cached, among)
        tfs: dict[int, float] = {}
        for offset, ids, weights in self.postings(fieldname, text, sorted(among)):
            tfs.update(zip(map(offset.__add__, ids), weights, strict=True))
        return tfs

    def _kept(self, key: tuple[str, str]) -> tuple[array, array] | None:
        """A term's decoded postings if kept, marked as the most recently used."""
        cached = self._decoded.pop(key, None)
        if cached is not None:
            self._decoded[key] = cached
        return cached

    def _decode(self, fieldname: str, text: str) -> tuple[array, array]:
        """The term's postings as doc numbers (ending with ``NO_DOC``, see ``_looked_up``) and
        frequencies, kept (the least recently used giving way) within ``CACHED_POSTINGS``."""
        ids, tfs = array("I"), array("f")
        for offset, block, weights in self.postings(fieldname, text):
            ids.extend(map(offset.__add__, block) if offset else block)
            tfs.extend(weights)
        ids.append(NO_DOC)
        tfs.append(0.0)
        if len(ids) <= CACHED_POSTINGS:
            while self._decoded_size + len(ids) > CACHED_POSTINGS:
                self._decoded_size -= len(self._decoded.pop(next(iter(self._decoded)))[0])
            self._decoded[(fieldname, text)] = (ids, tfs)
            self._decoded_size += len(ids)
        return ids, tfs

    def max_bm25(self, fieldname: str, text: str, boost: float) -> float:
        """More than ``bm25`` can add to any document: BM25's term frequency part stays below K1 + 1."""
        return self.idf(fieldname, text) * boost * (K1 + 1)

    def _norms_of(self, fieldname: str) -> tuple[bytes, list[float]]:
        """Every document's length byte, and K1 × (1 - B + B × length ÷ average length) of
        each byte, read once per view.  A norm is looked up through its byte: a list of a
        norm per document would cost a fresh process time that grows with the archive."""
        norms = self._norms.get(fieldname)
        if norms is None:
            average = self.reader.field_length(fieldname) / (self.doc_count_all or 1) or 1.0
            by_byte = [K1 * ((1 - B) + B * byte_to_length(b) / average) for b in range(256)]
            lengths = b"".join(_length_bytes(segment.reader, fieldname) for segment in self._segments)
            norms = self._norms[fieldname] = (lengths, by_byte)
        return norms

    # Unit columns

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
                return reader[doc - segment.offset] if reader is not None else ""
        return ""

    def holding(self, column: str, docs: set[int], needle: bytes, *, latin_start: bool, latin_end: bool) -> set[int]:
        """Those of ``docs`` whose ``column`` holds ``needle`` as whole units."""
        found: set[int] = set()
        ordered = sorted(docs)
        for segment in self._segments:
            reader = _column(segment, column)
            local = _in_segment(segment, ordered)
            if reader is not None and local:
                held = reader.holding(needle, local, latin_start=latin_start, latin_end=latin_end)
                found.update(map(segment.offset.__add__, held))
        return found

    # Stored fields

    def stored(self, doc: int) -> dict:
        return self.reader.stored_fields(doc)

    def passage_at(self, doc: int) -> PassageRecord:
        return PassageRecord.from_stored(self.stored(doc))

    def passage(self, passage_id: str) -> PassageRecord | None:
        """A passage by its id, found among its document's: their ids
        are read once per view, so a hit's footnotes (and a missing part of one) cost a
        lookup each, not a pass over the document."""
        doc_id = passage_id.rpartition(":")[0]
        ids = self._passage_ids.get(doc_id)
        if ids is None:
            if len(self._passage_ids) >= KEPT_DOCUMENTS:
                self._passage_ids.clear()
            ids = self._passage_ids[doc_id] = {
                self.stored(doc).get(schema.ENTRY_ID): doc for doc in sorted(self.doc_set(schema.DOC, doc_id))
            }
        doc = ids.get(passage_id)
        return None if doc is None else self.passage_at(doc)

    def record(self, doc_id: str) -> DocumentRecord | None:
        """A document's record (None if it is not indexed), read once per view."""
        if doc_id not in self._records:
            docs = self.doc_set(schema.DOC, doc_id) & self.doc_set(schema.KIND, schema.DOCUMENT_KIND)
            self._records[doc_id] = DocumentRecord.from_stored(self.stored(min(docs))) if docs else None
        return self._records[doc_id]

    def document_ids(self) -> list[str]:
        """Every indexed document's id, without reading any record."""
        records = self.doc_set(schema.KIND, schema.DOCUMENT_KIND)
        ids = (term.decode("utf-8") for term in self.reader.lexicon(schema.DOC))
        return sorted(doc_id for doc_id in ids if not records.isdisjoint(self.doc_set(schema.DOC, doc_id)))

    def records_of(self, doc_ids: Iterable[str]) -> dict[str, DocumentRecord]:
        """doc id → record of those of ``doc_ids`` that are indexed."""
        found = ((doc_id, self.record(doc_id)) for doc_id in doc_ids)
        return {doc_id: record for doc_id, record in found if record is not None}

    def records(self) -> dict[str, DocumentRecord]:
        """doc id → record of every indexed document (for listings and ``--doc`` by title)."""
        if self._all_records is None:
            self._all_records = read_documents(self.reader)
            self._records.update(self._all_records)
        return dict(self._all_records)

    def in_sections(self, docs: set[int], wanted: Callable[[str], bool]) -> set[int]:
        """Those of ``docs`` whose section path, folded, is ``wanted``; each distinct path is
        asked about once, and only the paths of the sections ``docs`` are in are read."""
        section_of, names = self._section_index()
        sections = set(map(section_of.__getitem__, docs))
        sections.discard(NO_DOC)
        by_path: dict[str, list[int]] = {}
        for section in sections:
            by_path.setdefault(self._section_path(names[section]), []).append(section)
        good = {section for path, same in by_path.items() if wanted(path) for section in same}
        return set(compress(docs, map(good.__contains__, map(section_of.__getitem__, docs)))) if good else set()

    def _section_index(self) -> tuple[array, list[str]]:
        """Each document's section (an index into the list of section ids, DOC#N), NO_DOC for
        none: read from the postings of the section field once per view."""
        if self._sections is None:
            section_of = array("I", repeat(NO_DOC, self.doc_count_all))
            names: list[str] = []
            for name in (term.decode("utf-8") for term in self.reader.lexicon(schema.SECTION)):
                number = len(names)
                names.append(name)
                for offset, ids, _ in self.postings(schema.SECTION, name):
                    for doc in ids:
                        section_of[offset + doc] = number
            self._sections = (section_of, names)
        return self._sections

    def _section_path(self, section: str) -> str:
        """The folded path of a section id (DOC#N), from its document's record."""
        path = self._paths.get(section)
        if path is None:
            doc_id = section.rpartition("#")[0]
            record = self.record(doc_id)
            for n, text in enumerate(record.sections if record else ()):
                self._paths[f"{doc_id}#{n}"] = fold(text)
            path = self._paths.setdefault(section, "")
        return path

    def count_by(self, fieldname: str, docs: set[int]) -> dict[str, int]:
        """term → how many of ``docs`` hold it, for every term of ``fieldname`` that any does."""
        counts = {}
        for term in self.reader.lexicon(fieldname):
            text = term.decode("utf-8")
            held = len(docs.intersection(self.doc_set(fieldname, text)))
            if held:
                counts[text] = held
        return counts

    def terms_named(self, key: str) -> list[Term]:
        """The mined terms (``indexer.writer.term_fields``) that have a name folding to ``key``."""
        return [term_from_stored(self.stored(doc)) for doc in sorted(self.doc_set(schema.NAMES, key))]

    def all_terms(self) -> list[Term]:
        return [term_from_stored(self.stored(doc)) for doc in sorted(self.doc_set(schema.KIND, schema.TERM_KIND))]


def view_key(ix: Index) -> tuple[str, str, int]:
    return (str(ix.storage.folder), ix.indexname, ix.latest_generation())


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


# The views stay open for the process's life; closed at its end, their files are not left
# for the interpreter's shutdown to find (and warn about).
@atexit.register
def _close_views() -> None:
    while _VIEWS:
        _VIEWS.popitem()[1].close()


def _looked_up(ids: array, tfs: array, among: Collection[int]) -> dict[int, float]:
    """doc → frequency for the documents of ``among`` in a decoded posting list (sorted
    ``ids`` ending with a sentinel), by binary search in C rather than a dict of it all."""
    docs = sorted(among)
    at = list(map(bisect_left, repeat(ids), docs))
    held = list(map(eq, map(ids.__getitem__, at), docs))
    return dict(zip(compress(docs, held), map(tfs.__getitem__, compress(at, held)), strict=True))


def _in_segment(segment: _Segment, ordered: Sequence[int]) -> list[int]:
    """Those of ``ordered`` (ascending doc numbers) in the segment, numbered within it."""
    offset = segment.offset
    inside = ordered[bisect_left(ordered, offset) : bisect_left(ordered, offset + segment.reader.doc_count_all())]
    return list(map((-offset).__add__, inside)) if offset else list(inside)


def _column(segment: _Segment, name: str) -> UnitColumnReader | None:
    """A segment's unit column, opened once; None where no document of the segment has one."""
    if name not in segment.columns:
        reader = segment.reader
        segment.columns[name] = reader.column_reader(name, translate=False) if reader.has_column(name) else None
    return segment.columns[name]


def _blocks(matcher: Matcher, wanted: Sequence[int] | None = None) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
    """A term's postings a block at a time: a block's ids and weights decode in one go,
    where stepping Whoosh's matcher costs a method call or three per posting.  Blocks
    holding none of ``wanted`` (sorted) are skipped by their header alone."""
    if isinstance(matcher, FilterMatcher):  # deletions, which callers filter themselves
        matcher = matcher.child
    if isinstance(matcher, W3LeafMatcher):
        last = -1
        while matcher.is_active():
            # Private to Whoosh's codec (pinned in pyproject): the block header's largest
            # id, and the block's data (id deltas, weights or one weight or None for 1.0).
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
            deltas, weights = matcher._data[0], matcher._data[1]
            ids = list(accumulate(deltas))
            if weights is None or isinstance(weights, float):
                weights = [weights or 1.0] * len(ids)
            yield ids, weights
            last = top
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
