"""The index's typed records: what the writer stores reads back as the same record, and
the stored form is the one the index format names (key for key)."""

from __future__ import annotations

import pickle

from itudocs.corpus.model import Citation
from itudocs.indexer.records import DocumentRecord, PassageRecord, StoredRef, read_documents
from itudocs.indexer.store import open_index
from itudocs.search.library import Library

FOOTNOTE = PassageRecord(
    id="003:fn2",
    kind="footnote",
    lang="zh",
    seq=40,
    text="见全权代表大会第140号决议。",
    citation=Citation(doc_id="003", title="", section=("一、导言", "1.1"), footnote=2, line=88, anchor="fn2", page=3),
    calls=((1, 4),),
    called_from="67",
    refs=(StoredRef("PP-RES-140", "resolution", "140", "PP", 1, 14),),
)


def test_a_passage_record_reads_back_as_written() -> None:
    stored = pickle.loads(pickle.dumps(FOOTNOTE.to_stored()))  # as the index gives it back
    assert PassageRecord.from_stored(stored) == FOOTNOTE
    assert stored["record"]["refs"] == [("PP-RES-140", "resolution", "140", "PP", 1, 14)]
    assert list(stored["record"]) == [
        "section", "label", "footnote", "line", "anchor", "page", "calls", "called_from", "refs",
    ]  # fmt: skip


def test_a_document_record_reads_back_as_written() -> None:
    record = DocumentRecord(
        doc_id="003",
        title="信息社会世界峰会成果落实情况",
        lang="zh",
        source="council/003.txt",
        sha256="ab" * 32,
        root="council",
        passages=120,
        footnotes=4,
        symbol="C26/31",
        stamp=(2048, 1_700_000_000_000_000_000),
        meta={"title": None, "symbol": None, "date": "2024-06", "meeting": "C24", "language": None},
        date="2024-06",
        meeting="C24",
        terms=({"id": "ungis", "en": "UNGIS", "acronyms": ("UNGIS",), "zh": (), "kind": "body", "source": "x"},),
        sections=("一、导言", "一、导言 › 1.1"),
        refs={"PP-RES-140": {"kind": "resolution", "body": "PP", "number": "140", "editions": [], "passages": [3]}},
    )
    stored = pickle.loads(pickle.dumps(record.to_stored()))
    assert stored["kind"] == "document" and stored["id"] == "document:003"
    assert DocumentRecord.from_stored(stored) == record


def test_read_documents_gives_every_indexed_document(sample_library: Library) -> None:
    with open_index(sample_library.index_dir).reader() as reader:
        records = read_documents(reader)
    listed = {info.doc_id: info for info in sample_library.docs()}
    assert sorted(records) == sorted(listed)
    for doc_id, record in records.items():
        assert (record.title, record.source, record.passages) == (
            listed[doc_id].title,
            listed[doc_id].source,
            listed[doc_id].passages,
        )
