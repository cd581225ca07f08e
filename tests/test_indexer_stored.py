"""Stored fields compressed in blocks: every document's fields come back, gaps and all."""

from __future__ import annotations

from io import BytesIO

import pytest
from whoosh.filedb.structfile import BufferFile, StructFile

from itudocs.indexer.store import open_index, segments
from itudocs.indexer.stored import BLOCK, STORED_COLUMN, StoredFields, block_ends, decode_document, encode_block
from itudocs.search.library import Library


def test_block_column_round_trips_documents_across_blocks_and_gaps() -> None:
    out = StructFile(BytesIO())
    writer = STORED_COLUMN.writer(out)
    written = {}
    for docnum in range(0, 3 * BLOCK + 5):
        if docnum % 7 == 3:
            continue  # a document without stored fields
        fields = {"id": f"d:{docnum}", "text": "全权代表大会第140号决议" * (docnum % 5)}
        writer.add(docnum, fields)
        fields["text"] = "changed after add"  # the writer keeps its own copy
        written[docnum] = {"id": f"d:{docnum}", "text": "全权代表大会第140号决议" * (docnum % 5)}
    count = 3 * BLOCK + 9  # the last documents of the segment have no stored fields either
    writer.finish(count)
    data = out.file.getvalue()
    reader = STORED_COLUMN.reader(BufferFile(data), 0, len(data), count)
    backwards = [reader[docnum] for docnum in reversed(range(count))][::-1]
    assert backwards == [written.get(docnum) for docnum in range(count)]


def test_stored_fields_survive_an_update_that_merges_segments(tmp_path, write_corpus) -> None:
    folder = write_corpus({"a.txt": "一\t第140号决议。\n二\t数字鸿沟。\n", "b.txt": "1\t国际电联。\n"})
    library = Library(tmp_path / "index")
    library.index(folder)
    (folder / "a.txt").write_text("一\t第1400号决议。\n二\t数字鸿沟。\n", encoding="utf-8")
    library.index(folder)
    assert [hit.text for hit in library.search("决议", limit=None).hits] == ["第1400号决议。"]
    assert library.show(library.search("国际电联").hits[0].id).hit.text == "国际电联。"
    assert library.check().problems == ()


def test_stored_fields_read_directly_are_whooshs_for_every_document_of_every_segment(tmp_path, write_corpus) -> None:
    folder = write_corpus({"a.txt": "一\t第140号决议。\n二\t数字鸿沟。\n", "b.txt": "1\tITU-R Study Group 5.\n"})
    library = Library(tmp_path / "index")
    library.index(folder)
    (folder / "c.txt").write_text("1\t全球数字契约。\n", encoding="utf-8")
    (folder / "a.txt").write_text("一\t第1400号决议。\n", encoding="utf-8")
    library.index(folder)  # a second segment, and the first one's passages of a.txt deleted
    with open_index(library.index_dir).reader() as reader:
        leaves = segments(reader)
        assert len(leaves) == 2 and reader.has_deletions()
        direct = StoredFields(leaves)
        every = range(reader.doc_count_all())
        assert [direct[doc] for doc in every] == [reader.stored_fields(doc) for doc in every]
        texts = {direct[doc].get("text") for doc in every}
        assert texts >= {"第1400号决议。", "全球数字契约。", "ITU-R Study Group 5."}


def test_a_block_holds_each_documents_json_after_a_table_of_where_each_starts() -> None:
    data = encode_block([{"id": "a"}, None, {"text": "文\ud800"}])
    first = len('{"id":"a"}')
    assert block_ends(data) == (16, 16 + first, 16 + first, len(data))
    assert data[16:].decode("utf-8", "surrogatepass") == '{"id":"a"}{"text":"文\ud800"}'
    ends = block_ends(data)
    assert [decode_document(data, ends, at) for at in range(3)] == [{"id": "a"}, None, {"text": "文\ud800"}]
    with pytest.raises(ValueError, match="it holds 3 documents, not 4"):
        decode_document(data, ends, 3)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x04\x00\x00\x00",  # a table of no documents
        b"\x0c\x00\x00\x00\x0c\x00\x00\x00",  # a table longer than the block
        b"\x0c\x00\x00\x00\x0e\x00\x00\x00\x0d\x00\x00\x00{}",  # a document ending before it starts
        b"\x08\x00\x00\x00\x09\x00\x00\x00{}",  # the last document ending before the block does
    ],
)
def test_a_block_whose_table_does_not_fit_it_is_refused(data: bytes) -> None:
    with pytest.raises(ValueError, match="its table of documents does not fit it"):
        block_ends(data)
