"""The records stored with the passages: a passage by its number or id, a document's record,
and the mined terms, read from the segments' stored-record columns and kept per commit where a search
reads the same ones again (``CommitMemory``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property

from whoosh.reading import IndexReader

from itudocs.corpus.termbase import Term
from itudocs.indexer import schema
from itudocs.indexer.records import DocumentRecord, PassageRecord, read_documents, term_from_stored
from itudocs.indexer.store import segments
from itudocs.indexer.stored import StoredFields
from itudocs.search.memory import CommitMemory

# Documents whose passage ids a view keeps (about 120 ids each on council documents).
KEPT_DOCUMENTS = 1024


class StoredRecords:
    """The stored records of one view's commit."""

    def __init__(self, reader: IndexReader, memory: CommitMemory, doc_set: Callable[[str, str], set[int]]) -> None:
        self.reader = reader
        self.memory = memory
        # Every live document holding a term (``Postings.doc_set``).
        self.doc_set = doc_set

    def stored(self, doc: int) -> dict:
        return self._stored_fields[doc]

    @cached_property
    def _stored_fields(self) -> StoredFields:
        return StoredFields(segments(self.reader))

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

    def terms_named(self, key: str) -> list[Term]:
        """The mined terms (``indexer.entries.term_fields``) that have a name folding to ``key``."""
        return [term_from_stored(self.stored(doc)) for doc in sorted(self.doc_set(schema.NAMES, key))]

    def all_terms(self) -> list[Term]:
        return [term_from_stored(self.stored(doc)) for doc in sorted(self.doc_set(schema.KIND, schema.TERM_KIND))]
