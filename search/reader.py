"""Views of an index a search reads, lent to one reader at a time and kept while their commit is current.

Whoosh holds the passages, their stored fields, the postings and the commits; this
module reads them below Whoosh's query machinery, where a search spends its time:
postings a block at a time, field lengths as one array per segment, and the unit
columns (``indexer.column``) mapped in place.  A view stays valid for the index
generation it was opened on; a process that searches again reuses it until a commit or
a rebuild replaces it, so a warm process pays for opening once and a fresh one loads
only what its query reads.

Why we own the postings reader and BM25: at 100k passages Whoosh's matcher tree cost
3–4 µs a posting, reading its posting blocks whole with the field lengths loaded once
0.3 µs (README, "How it works"), and a ranked search reads every posting of its words.
The scores are Whoosh's BM25F at its constants, pinned to Whoosh's own matcher and
scorer by ``tests/test_engine_contracts.py``; the private parts of Whoosh this reads
through are in ``indexer.whoosh_private``, each with a contract test.

Sharing, by design rather than by luck:

- A view's open files belong to one reader at a time.  Whoosh reads a file by a seek
  and then a read on one file object, so two threads reading through one view would
  read each other's bytes (hits reordered, a passage "not in the index").  ``open_view``
  lends a view for one request and takes it back after; a request finding no idle view
  of the current commit opens another, so there are as many views as requests at once.
- What a view decodes into memory (postings, lengths, records, sections) is pure data
  of one commit and is shared by every view of that commit (``CommitMemory``); its
  bookkeeping is done under a lock, its values never change once made.
- A request reads one commit from start to end: its view was opened on one table of
  contents.  A view whose commit is replaced is closed when it is given back, never
  while lent; a view whose request failed is closed, never returned to others.
- A process forked from one holding views (a server's workers) starts with none: the
  inherited file objects share their offsets with the parent's.
"""

from __future__ import annotations

import atexit
import os
import threading
from array import array
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from itertools import compress, repeat
from math import log
from operator import add, eq, mul, truediv
from typing import TypeVar

from whoosh.index import TOC, Index
from whoosh.reading import IndexReader, SegmentReader
from whoosh.util.numeric import byte_to_length

from itudocs.corpus.termbase import Term
from itudocs.indexer import schema
from itudocs.indexer.analysis import fold
from itudocs.indexer.column import UnitColumnReader
from itudocs.indexer.records import DocumentRecord, PassageRecord, read_documents, term_from_stored
from itudocs.indexer.store import close_what_failed_opening, segments
from itudocs.indexer.stored import StoredFields
from itudocs.indexer.whoosh_private import posting_blocks, reader_at, segment_length_bytes

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
T = TypeVar("T")


@dataclass(slots=True)
class _Segment:
    reader: SegmentReader
    offset: int
    deleted: frozenset[int]
    columns: dict[str, UnitColumnReader | None] = field(default_factory=dict)
    lengths: dict[str, bytes] = field(default_factory=dict)


class CommitMemory:
    """What the views of one commit decode into memory, shared by all of them.

    Every value is made once from the commit's files and never changed after, so a
    reader holding one needs no lock; the tables that find them are changed only
    under ``lock`` (two views making the same value at once keep the first made).
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.norms: dict[str, tuple[bytes, list[float]]] = {}
        self.records: dict[str, DocumentRecord | None] = {}
        self.all_records: dict[str, DocumentRecord] | None = None
        # term → decoded postings, least recently used first, within CACHED_POSTINGS.
        self.decoded: dict[tuple[str, str], tuple[array, array]] = {}
        self.decoded_size = 0
        self.sections: tuple[array, list[str]] | None = None
        self.paths: dict[str, str] = {}
        self.passage_ids: dict[str, dict[str, int]] = {}

    def keep(self, table: dict, key: object, value: T) -> T:
        """``value`` as ``table[key]``, or what another view put there first."""
        with self.lock:
            return table.setdefault(key, value)


class IndexView:
    """One generation of one index, read-only, used by one reader at a time (see the module docstring)."""

    def __init__(
        self, reader: IndexReader, memory: CommitMemory | None = None, key: tuple[str, str, int] | None = None
    ) -> None:
        self.reader = reader
        # (folder, index name, generation) where the view came from an index's shelf: what
        # lies beside the index, such as its learned translations, is found by it.
        self.key = key
        self._segments = [
            _Segment(seg, offset, frozenset(seg.deleted_docs_set or ())) for seg, offset in segments(reader)
        ]
        self.doc_count_all = reader.doc_count_all()
        self.memory = memory or CommitMemory()
        self._closed = False

    def close(self) -> None:
        if not self._closed:
            self._closed = True
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
            for ids, weights in posting_blocks(segment.reader.postings(fieldname, text), wanted):
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
                whole = dict(zip(*cached, strict=True))
                del whole[NO_DOC]
                return whole
            return _looked_up(*cached, among)
        assert among is not None  # asked for every document, the term was decoded whole above
        tfs: dict[int, float] = {}
        for offset, ids, weights in self.postings(fieldname, text, sorted(among)):
            tfs.update(zip(map(offset.__add__, ids), weights, strict=True))
        return tfs

    def _kept(self, key: tuple[str, str]) -> tuple[array, array] | None:
        """A term's decoded postings if kept, marked as the most recently used."""
        memory = self.memory
        with memory.lock:
            cached = memory.decoded.pop(key, None)
            if cached is not None:
                memory.decoded[key] = cached
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
        if len(ids) > CACHED_POSTINGS:
            return ids, tfs
        memory = self.memory
        with memory.lock:
            # Another view may have decoded the same term meanwhile: keep one copy.
            kept = memory.decoded.pop((fieldname, text), None)
            if kept is not None:
                memory.decoded_size -= len(kept[0])
            while memory.decoded_size + len(ids) > CACHED_POSTINGS:
                memory.decoded_size -= len(memory.decoded.pop(next(iter(memory.decoded)))[0])
            memory.decoded[(fieldname, text)] = (ids, tfs)
            memory.decoded_size += len(ids)
        return ids, tfs

    def max_bm25(self, fieldname: str, text: str, boost: float) -> float:
        """More than ``bm25`` can add to any document: BM25's term frequency part stays below K1 + 1."""
        return self.idf(fieldname, text) * boost * (K1 + 1)

    def _norms_of(self, fieldname: str) -> tuple[bytes, list[float]]:
        """Every document's length byte, and K1 × (1 - B + B × length ÷ average length) of
        each byte, read once per view.  A norm is looked up through its byte: a list of a
        norm per document would cost a fresh process time that grows with the archive."""
        norms = self.memory.norms.get(fieldname)
        if norms is None:
            average = self.reader.field_length(fieldname) / (self.doc_count_all or 1) or 1.0
            by_byte = [K1 * ((1 - B) + B * byte_to_length(b) / average) for b in range(256)]
            lengths = b"".join(segment_length_bytes(segment.reader, fieldname) for segment in self._segments)
            norms = self.memory.keep(self.memory.norms, fieldname, (lengths, by_byte))
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
        return self._stored_fields[doc]

    @cached_property
    def _stored_fields(self) -> StoredFields:
        return StoredFields([(segment.reader, segment.offset) for segment in self._segments])

    def passage_at(self, doc: int) -> PassageRecord:
        return PassageRecord.from_stored(self.stored(doc))

    def passage(self, passage_id: str) -> PassageRecord | None:
        """A passage by its id, found among its document's: their ids
        are read once per view, so a hit's footnotes (and a missing part of one) cost a
        lookup each, not a pass over the document."""
        doc_id = passage_id.rpartition(":")[0]
        memory = self.memory
        ids = memory.passage_ids.get(doc_id)
        if ids is None:
            entries = ((self.stored(doc).get(schema.ENTRY_ID), doc) for doc in sorted(self.doc_set(schema.DOC, doc_id)))
            ids = {entry: doc for entry, doc in entries if entry is not None}
            with memory.lock:
                if len(memory.passage_ids) >= KEPT_DOCUMENTS:
                    memory.passage_ids.clear()
                ids = memory.passage_ids.setdefault(doc_id, ids)
        doc = ids.get(passage_id)
        return None if doc is None else self.passage_at(doc)

    def record(self, doc_id: str) -> DocumentRecord | None:
        """A document's record (None if it is not indexed), read once per view."""
        records = self.memory.records
        if doc_id in records:
            return records[doc_id]
        docs = self.doc_set(schema.DOC, doc_id) & self.doc_set(schema.KIND, schema.DOCUMENT_KIND)
        record = DocumentRecord.from_stored(self.stored(min(docs))) if docs else None
        return self.memory.keep(records, doc_id, record)

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
        memory = self.memory
        if memory.all_records is None:
            every = read_documents(self.reader)
            with memory.lock:
                memory.records.update(every)
                memory.all_records = every
        return dict(memory.all_records)

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
        if self.memory.sections is None:
            section_of = array("I", repeat(NO_DOC, self.doc_count_all))
            names: list[str] = []
            for name in (term.decode("utf-8") for term in self.reader.lexicon(schema.SECTION)):
                number = len(names)
                names.append(name)
                for offset, ids, _ in self.postings(schema.SECTION, name):
                    for doc in ids:
                        section_of[offset + doc] = number
            with self.memory.lock:
                self.memory.sections = self.memory.sections or (section_of, names)
        return self.memory.sections

    def _section_path(self, section: str) -> str:
        """The folded path of a section id (DOC#N), from its document's record."""
        paths = self.memory.paths
        path = paths.get(section)
        if path is None:
            doc_id = section.rpartition("#")[0]
            record = self.record(doc_id)
            found = {f"{doc_id}#{n}": fold(text) for n, text in enumerate(record.sections if record else ())}
            with self.memory.lock:
                paths.update(found)
                path = paths.setdefault(section, "")
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


class _Shelf:
    """The idle views of one commit of one index, lent out one at a time."""

    def __init__(self, ix: Index, generation: int) -> None:
        self.key = (str(ix.storage.folder), ix.indexname, generation)
        self._storage = ix.storage
        self._lock = threading.Lock()
        self._idle: list[IndexView] = []
        self._retired = False
        self.memory = CommitMemory()

    def lend(self) -> IndexView:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        # Opened outside the lock: others may lend idle views meanwhile.  The reader is
        # opened on this shelf's own table of contents, never on a later one a commit
        # wrote since (Whoosh's ``Index.reader`` reads whichever is the latest).
        _, name, generation = self.key
        try:
            toc = TOC.read(self._storage, name, gen=generation)
            reader = reader_at(self._storage, toc)
        except Exception as error:
            close_what_failed_opening(error)
            raise
        return IndexView(reader, self.memory, self.key)

    def take_back(self, view: IndexView, *, reusable: bool) -> None:
        with self._lock:
            if reusable and not self._retired:
                self._idle.append(view)
                return
        view.close()

    def retire(self, *, fresh_lock: bool = False) -> None:
        """A later commit replaced this one: close the idle views now, the lent ones when given back.
        With ``fresh_lock``, the lock is made anew first: a forked child's copy may be held by
        a thread of the parent that the child does not have."""
        if fresh_lock:
            self._lock = threading.Lock()
        with self._lock:
            self._retired = True
            idle, self._idle = self._idle, []
        for view in idle:
            view.close()


# index folder → the shelf of its latest commit this process has read.
_SHELVES: dict[str, _Shelf] = {}
_SHELVES_LOCK = threading.Lock()


def _shelf_of(ix: Index) -> _Shelf:
    folder = str(ix.storage.folder)
    generation = ix.latest_generation()
    with _SHELVES_LOCK:
        shelf = _SHELVES.get(folder)
        if shelf is not None and shelf.key != (folder, ix.indexname, generation):
            # Listed again holding the lock: another reader may have listed the folder
            # since, and replacing its later shelf by one of a commit already gone would
            # only close views.  (A folder restored from a copy may go back a generation.)
            generation = ix.latest_generation()
        if shelf is not None and shelf.key == (folder, ix.indexname, generation):
            return shelf
        replaced, shelf = shelf, _Shelf(ix, generation)
        _SHELVES[folder] = shelf
    if replaced is not None:
        replaced.retire()
    return shelf


@contextmanager
def open_view(ix: Index) -> Iterator[IndexView]:
    """A view of ``ix``'s latest commit, the caller's alone until the block ends.

    Given back, the view waits for the next reader of the same commit; a view whose
    reader failed is closed rather than given to another (its commit may be gone, or
    the failure a bug that left it in some unforeseen state).
    """
    shelf = _shelf_of(ix)
    view = shelf.lend()
    done = False
    try:
        yield view
        done = True
    finally:
        shelf.take_back(view, reusable=done)


def _forget_views() -> None:
    """Retire every shelf: their idle views are closed (at exit, and in a forked child,
    whose copies of the parent's file objects share their offsets with the parent's)."""
    global _SHELVES_LOCK
    _SHELVES_LOCK = threading.Lock()
    shelves = list(_SHELVES.values())
    _SHELVES.clear()
    for shelf in shelves:
        shelf.retire(fresh_lock=True)


# Closed at the process's end, the views' files are not left for the interpreter's
# shutdown to find (and warn about).
atexit.register(_forget_views)
os.register_at_fork(after_in_child=_forget_views)


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
