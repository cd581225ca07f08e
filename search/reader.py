"""One view of an index: what a search reads, through one object.

Whoosh holds the passages, their stored fields, the postings and the commits; a search
reads them below Whoosh's query machinery, where it spends its time.  Each kind of
file has its own reader, and a view is made of them:

- ``search.postings``: terms, their postings a block at a time, and BM25 (why we own
  them is at the top of that module);
- ``search.columns``: the unit columns, where a string stands as whole units;
- ``search.records``: the stored records of passages, documents and mined terms;
- ``search.sections``: which section each passage is in, and its headings' path.

What they decode is shared by every view of the same commit (``search.memory``), and
views are lent to one request at a time by ``search.views.open_view``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from whoosh.reading import IndexReader

from itudocs.corpus.termbase import Term
from itudocs.indexer.records import DocumentRecord, PassageRecord
from itudocs.search.columns import UnitColumns
from itudocs.search.memory import CommitMemory
from itudocs.search.postings import Postings
from itudocs.search.records import StoredRecords
from itudocs.search.sections import Sections
from itudocs.search.segments import segments_of


class IndexView:
    """One generation of one index, read-only, used by one reader at a time (``search.views``).

    Each method hands its call on to the part that does that job."""

    def __init__(
        self, reader: IndexReader, memory: CommitMemory | None = None, key: tuple[str, str, int] | None = None
    ) -> None:
        self.reader = reader
        # (folder, index name, generation) where the view came from an index's shelf: what
        # lies beside the index, such as its learned translations, is found by it.
        self.key = key
        segments = segments_of(reader)
        self.doc_count_all = reader.doc_count_all()
        self.memory = memory or CommitMemory()
        self._postings = Postings(reader, segments, self.memory)
        self._columns = UnitColumns(segments)
        self._records = StoredRecords(reader, self.memory, self._postings.doc_set)
        self._sections = Sections(reader, self.memory, self._postings.postings, self._records.record)
        self._closed = False

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.reader.close()

    # Terms, postings and BM25 (``search.postings``)

    def has_term(self, fieldname: str, text: str) -> bool:
        return self._postings.has_term(fieldname, text)

    def doc_frequency(self, fieldname: str, text: str) -> int:
        return self._postings.doc_frequency(fieldname, text)

    def idf(self, fieldname: str, text: str) -> float:
        return self._postings.idf(fieldname, text)

    def idf_of(self, frequency: int) -> float:
        return self._postings.idf_of(frequency)

    def postings(
        self, fieldname: str, text: str, among: Sequence[int] | None = None
    ) -> Iterator[tuple[int, Sequence[int], Sequence[float]]]:
        return self._postings.postings(fieldname, text, among)

    def doc_set(self, fieldname: str, text: str) -> set[int]:
        return self._postings.doc_set(fieldname, text)

    def live(self, docs: set[int]) -> set[int]:
        return self._postings.live(docs)

    def having(self, fieldname: str, text: str, docs: set[int]) -> set[int]:
        return self._postings.having(fieldname, text, docs)

    def bm25(self, fieldname: str, text: str, boost: float, into: dict[int, float]) -> None:
        self._postings.bm25(fieldname, text, boost, into)

    def max_bm25(self, fieldname: str, text: str, boost: float) -> float:
        return self._postings.max_bm25(fieldname, text, boost)

    def count_by(self, fieldname: str, docs: set[int]) -> dict[str, int]:
        return self._postings.count_by(fieldname, docs)

    # Unit columns (``search.columns``)

    def find(
        self, column: str, needle: bytes, *, latin_start: bool, latin_end: bool, skip: set[int] | None = None
    ) -> list[int]:
        return self._columns.find(column, needle, latin_start=latin_start, latin_end=latin_end, skip=skip)

    def unit_stream(self, doc: int) -> str:
        return self._columns.unit_stream(doc)

    def holding(self, column: str, docs: set[int], needle: bytes, *, latin_start: bool, latin_end: bool) -> set[int]:
        return self._columns.holding(column, docs, needle, latin_start=latin_start, latin_end=latin_end)

    # Stored records (``search.records``)

    def stored(self, doc: int) -> dict:
        return self._records.stored(doc)

    def passage_at(self, doc: int) -> PassageRecord:
        return self._records.passage_at(doc)

    def passage(self, passage_id: str) -> PassageRecord | None:
        return self._records.passage(passage_id)

    def record(self, doc_id: str) -> DocumentRecord | None:
        return self._records.record(doc_id)

    def document_ids(self) -> list[str]:
        return self._records.document_ids()

    def records_of(self, doc_ids: Iterable[str]) -> dict[str, DocumentRecord]:
        return self._records.records_of(doc_ids)

    def records(self) -> dict[str, DocumentRecord]:
        return self._records.records()

    def terms_named(self, key: str) -> list[Term]:
        return self._records.terms_named(key)

    def all_terms(self) -> list[Term]:
        return self._records.all_terms()

    # Sections (``search.sections``)

    def in_sections(self, docs: set[int], wanted: Callable[[str], bool]) -> set[int]:
        return self._sections.in_sections(docs, wanted)
