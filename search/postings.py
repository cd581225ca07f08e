"""The postings of an index's terms and BM25 over them, read below Whoosh's query machinery:
postings a block at a time, decoded whole and kept for frequent terms, and field lengths
as one array per segment.

Why we own the postings reader and BM25: at 100k passages Whoosh's matcher tree cost
3–4 µs a posting, reading its posting blocks whole with the field lengths loaded once
0.3 µs (README, "How it works"), and a ranked search reads every posting of its words.
The scores are Whoosh's BM25F at its constants, pinned to Whoosh's own matcher and
scorer by ``tests/test_engine_contracts.py``; the private parts of Whoosh this reads
through are in ``indexer.whoosh_private``, each with a contract test.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Collection, Iterator, Sequence
from itertools import compress, repeat
from math import log
from operator import add, eq, mul, truediv

from whoosh.reading import IndexReader
from whoosh.util.numeric import byte_to_length

from itudocs.indexer.whoosh_private import posting_blocks, segment_length_bytes
from itudocs.search.memory import CommitMemory
from itudocs.search.segments import Segment, in_segment

# Whoosh's BM25F defaults, which the index was always ranked with.
K1 = 1.2
B = 0.75
# A term in more than one document in this many is frequent: the documents holding it are
# read from its postings decoded whole; and scoring a decoded term for fewer than one of
# its documents in this many looks them up rather than listing it all.
SPARSE = 8
# Postings kept decoded per view, at 8 bytes each: 32 MB, the least recently used giving way.
CACHED_POSTINGS = 4_000_000
# No document's number: ends a decoded posting list (``_looked_up``); in the section
# index (``search.sections``), a passage in no section.
NO_DOC = 2**32 - 1
# Whoosh's codec writes a term's postings in blocks of this many (``W3Codec``'s ``blocklimit``).
POSTINGS_PER_BLOCK = 128


class Postings:
    """The terms and postings of one view's commit, and BM25 over them."""

    def __init__(self, reader: IndexReader, segments: list[Segment], memory: CommitMemory) -> None:
        self.reader = reader
        self._segments = segments
        self.doc_count_all = reader.doc_count_all()
        self.memory = memory

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
            wanted = None if among is None else in_segment(segment, among)
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

    def count_by(self, fieldname: str, docs: set[int]) -> dict[str, int]:
        """term → how many of ``docs`` hold it, for every term of ``fieldname`` that any does."""
        counts = {}
        for term in self.reader.lexicon(fieldname):
            text = term.decode("utf-8")
            held = len(docs.intersection(self.doc_set(fieldname, text)))
            if held:
                counts[text] = held
        return counts


def _looked_up(ids: array, tfs: array, among: Collection[int]) -> dict[int, float]:
    """doc → frequency for the documents of ``among`` in a decoded posting list (sorted
    ``ids`` ending with a sentinel), by binary search in C rather than a dict of it all."""
    docs = sorted(among)
    at = list(map(bisect_left, repeat(ids), docs))
    held = list(map(eq, map(ids.__getitem__, at), docs))
    return dict(zip(compress(docs, held), map(tfs.__getitem__, compress(at, held)), strict=True))
