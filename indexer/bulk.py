"""Whoosh's segment writer with its per-posting Python work taken out, for large ingests.

Why we own this: Whoosh's one writer takes in 0.20 MB of text a second without
segmentation, and profiled at 20k passages the parent of an ingest spent most of its
time in Whoosh's per-posting path; writing each term's blocks whole took the parent
from 8.7 to 4.7 s of CPU and its peak RSS from 318 to 56 MB.  The blocks are written
through Whoosh's private block writer (``indexer.whoosh_private``, with a contract
test), and a test compares the segment with Whoosh's own byte for byte.

Writing postings is most of what the parent of an ingest does (``indexer.pipeline``
analyses in workers).  Whoosh 2.7's writer turns every posting into a tuple
``(field, term, docnum, weight, value)``, sorts millions of them, and then writes them
one call at a time, looking up each one's document length with a seek.  Here:

* each document's terms are counted (``collections.Counter``, in C) and appended to
  that term's list of (docnum, frequency) pairs, two integers in an ``array``: the
  postings arrive already grouped by term and in document order, so nothing is sorted
  but the terms.  Past a budget the lists go to a sorted run on disk, merged term by
  term at the end, so memory does not grow with the corpus;
* at flush, each term's list is cut into Whoosh's blocks whole, and each block written
  by Whoosh's own block writer; document lengths come from the lengths written with the
  documents, read once per field.

The segment files are the same as Whoosh's own writer makes, byte for byte (a test
compares them): only the order of work inside the writer changes, never what is
written or when it is committed.  Only the posting formats of this schema
(``Existence``, ``Frequency``) are written this way; a value for any other is refused.
"""

from __future__ import annotations

import gc
import heapq
import marshal
import sys
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from itertools import groupby
from operator import itemgetter
from typing import BinaryIO

from whoosh.analysis import IDTokenizer
from whoosh.fields import FieldType
from whoosh.filedb.filestore import Storage
from whoosh.formats import Existence, Format, Frequency
from whoosh.index import Index
from whoosh.system import unpack_uint
from whoosh.writing import SegmentWriter, UnknownFieldError

from itudocs.indexer.whoosh_private import length_bytes, write_posting_blocks

# Bytes of postings held in memory before they go to a sorted run on disk: 8 bytes a
# posting in the term's array, about 200 more for each term a run holds (measured at
# 100k passages: the parent's RSS grows about 1.4 times this estimate).  A million
# passages make about ten runs, and the parent stays within a few hundred MB.
RUN_BYTES = 64 * 2**20
TERM_BYTES = 200
# A run is written and read in pieces of about this many bytes, so that neither holds a
# second copy of the whole run.
RUN_CHUNK_BYTES = 4 * 2**20
_BIG_ENDIAN = sys.byteorder == "big"
_WRITABLE = (Existence, Frequency)

Term = tuple[str, str, array]  # field, term, docnum and frequency interleaved


class _Postings:
    """Every posting of the segment being written: field → term → (docnum, frequency)
    pairs, in document order; sorted runs on disk once past ``RUN_BYTES``.

    Also Whoosh's posting pool as far as its writer uses one: ``add`` takes a posting
    tuple (a segment merged into this one), ``cleanup`` and ``cancel`` remove the runs.
    """

    def __init__(self, storage: Storage, formats: Mapping[str, Format]) -> None:
        self.storage = storage
        self.formats = formats
        self.fields: dict[str, dict[str, array]] = {}
        self.runs: list[str] = []
        self.size = 0

    def add_counts(self, fieldname: str, docnum: int, counts: Mapping[str, int]) -> None:
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
        get = terms.get
        new = 0
        for term, freq in counts.items():
            pairs = get(term)
            if pairs is None:
                pairs = terms[term] = array("I")
                new += 1
            pairs.append(docnum)
            pairs.append(freq)
        self.size += 8 * len(counts) + TERM_BYTES * new
        if self.size >= RUN_BYTES:
            self._save()

    def add(self, item: tuple[str, bytes, int, float, bytes]) -> None:
        fieldname, tbytes, docnum, _, value = item
        format_ = self.formats[fieldname]
        if type(format_) not in _WRITABLE:
            raise TypeError(f"BulkWriter cannot merge field {fieldname!r}: only Existence and Frequency postings")
        freq = unpack_uint(value)[0] if type(format_) is Frequency else 1
        self.add_counts(fieldname, docnum, {tbytes.decode("utf-8"): freq})

    def _save(self) -> None:
        name = f"{len(self.runs)}.postings"
        with self.storage.create_file(name).raw_file() as f:
            _write_run(f, self._in_memory())
        self.runs.append(name)
        self.fields = {}
        self.size = 0

    def _in_memory(self) -> Iterator[Term]:
        # UTF-8 orders as code points do, so sorting the strings sorts the terms' bytes.
        for fieldname in sorted(self.fields):
            terms = self.fields[fieldname]
            for term in sorted(terms):
                yield fieldname, term, terms[term]

    def terms(self) -> Iterator[Term]:
        """Every (field, term, pairs), sorted by field and term; a term's pairs from every run, in order."""
        if not self.runs:
            yield from self._in_memory()
            return
        # Runs hold earlier documents than later runs and than memory; the merge keeps that order.
        sources = [_read_run(self.storage, name) for name in self.runs] + [self._in_memory()]
        merged = heapq.merge(*sources, key=itemgetter(0, 1))
        for (fieldname, term), group in groupby(merged, key=itemgetter(0, 1)):
            pairs = array("I")
            for _, _, part in group:
                pairs += part
            yield fieldname, term, pairs

    def cleanup(self) -> None:
        for name in self.runs:
            if self.storage.file_exists(name):
                self.storage.delete_file(name)
        self.runs = []

    cancel = cleanup


def _write_run(f: BinaryIO, terms: Iterable[Term]) -> None:
    chunk: list[tuple[str, str, bytes]] = []
    size = 0
    for fieldname, term, pairs in terms:
        data = pairs.tobytes()
        chunk.append((fieldname, term, data))
        size += len(data) + TERM_BYTES
        if size >= RUN_CHUNK_BYTES:
            marshal.dump(chunk, f)
            chunk, size = [], 0
    if chunk:
        marshal.dump(chunk, f)


def _read_run(storage: Storage, name: str) -> Iterator[Term]:
    with storage.open_file(name).raw_file() as f:
        while True:
            try:
                chunk = marshal.load(f)
            except EOFError:
                return
            for fieldname, term, data in chunk:
                pairs = array("I")
                pairs.frombytes(data)
                yield fieldname, term, pairs


def _check_writable(name: str, field: FieldType) -> None:
    if type(field.format) not in _WRITABLE or field.vector or field.separate_spelling():
        raise TypeError(f"BulkWriter cannot write field {name!r}: only Existence and Frequency postings")


def _counts(field: FieldType, value: object) -> Mapping[str, int]:
    """term → frequency, as ``field.index(value)`` would give them: a list is its terms, unanalysed;
    a mapping is its terms already counted (which Whoosh's own writer does not take)."""
    existence = isinstance(field.format, Existence)
    if isinstance(value, Mapping):
        return dict.fromkeys(value, 1) if existence else value
    if isinstance(value, (list, tuple)):
        return dict.fromkeys(value, 1) if existence else Counter(value)
    if type(field.analyzer) is IDTokenizer and isinstance(value, str):
        return {value: 1}
    return {word: freq for word, freq, _, _ in field.format.word_values(value, field.analyzer, mode="index")}


class BulkWriter(SegmentWriter):
    """``ix.writer(**options)``, with far less Python per posting; see the module docstring."""

    def __init__(self, ix: Index, **options: object) -> None:
        super().__init__(ix, **options)
        self.pool = _Postings(self._tempstorage, {name: field.format for name, field in self.schema.items()})

    def add_document(self, **fields: object) -> None:
        """Whoosh's ``add_document`` for plain fields: no ``_boost`` or ``_stored_`` arguments."""
        self._check_state()
        perdoc, schema, docnum = self.perdocwriter, self.schema, self.docnum
        perdoc.start_doc(docnum)
        try:
            for name in sorted(fields):
                value = fields[name]
                if value is None:
                    continue
                if name not in schema:
                    raise UnknownFieldError(f"No field named {name!r} in {schema}")
                field = schema[name]
                length = 0
                if field.indexed:
                    _check_writable(name, field)
                    counts = _counts(field, value)
                    self.pool.add_counts(name, docnum, counts)
                    if field.scorable:
                        length = sum(counts.values())
                perdoc.add_field(name, field, value if field.stored else None, length)
                if field.column_type:
                    perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        reader = self.per_document_reader()
        writer = self.fieldwriter
        for fieldname, terms in groupby(self.pool.terms(), key=itemgetter(0)):
            field = self.schema[fieldname]
            writer.start_field(fieldname, field)
            lengths = length_bytes(reader, fieldname) if field.scorable else None
            for _, term, pairs in terms:
                writer.start_term(term.encode("utf-8"))
                write_posting_blocks(writer, field.format, pairs, lengths)
                writer.finish_term()
            writer.finish_field()
        writer.close()
        reader.close()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a run writes, and back as it was after.

    The writer allocates millions of short-lived containers (each passage's fields)
    beside a growing pool of postings, and every full collection walks all of them:
    7 % of the writer's time at 10k passages, more as the pool grows.  What the writer
    makes holds no reference cycles to speak of (its peak RSS is the same either way),
    and any there are go at the first collection after the run.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
