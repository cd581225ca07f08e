"""Contracts of ``indexer.whoosh_private`` with the installed Whoosh: each function against
Whoosh's public API on a tiny real index.  A Whoosh release that renames or reshapes one of
the private parts it uses fails here, with a message naming the part and the version."""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import whoosh
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.fields import ID, KEYWORD, Schema
from whoosh.index import TOC
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

from itudocs.indexer.bulk import BulkWriter
from itudocs.indexer.damage import close_what_failed_opening
from itudocs.indexer.whoosh_private import (
    length_bytes,
    per_document_reader,
    posting_blocks,
    postings_file,
    reader_at,
    reader_opening,
    segment_length_bytes,
)

WORDS = "words"
TAG = "tag"
# Enough documents for the commonest term to span three of Whoosh's 128-posting blocks.
DOCUMENTS = 300


def _schema() -> Schema:
    # Frequency postings with lengths (scorable), and Existence postings without: the two
    # formats the bulk writer writes.
    return Schema(key=ID(stored=True), **{WORDS: KEYWORD(scorable=True), TAG: ID()})


def _documents() -> list[dict[str, str]]:
    """Every seventh document without words (a length of 0), frequencies 1 to 5."""
    documents = []
    for n in range(DOCUMENTS):
        words = " ".join(["common"] * (1 + n % 5) + (["third"] if n % 3 == 0 else []) + [f"only{n}"])
        fields = {"key": f"d{n}", TAG: "even" if n % 2 == 0 else "odd"}
        if n % 7:
            fields[WORDS] = words
        documents.append(fields)
    return documents


def _build(folder: Path, writer_class: type[SegmentWriter] = SegmentWriter) -> whoosh_index.Index:
    folder.mkdir()
    ix = whoosh_index.create_in(folder, _schema())
    writer = writer_class(ix, compound=False)
    for fields in _documents():
        writer.add_document(**fields)
    writer.commit()
    return ix


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> whoosh_index.Index:
    return _build(tmp_path_factory.mktemp("private") / "ix")


@contextmanager
def contract(internal: str) -> Iterator[None]:
    """Any failure inside, as one message naming the internal and the installed Whoosh."""
    try:
        yield
    except Exception as error:
        pytest.fail(
            f"Whoosh {whoosh.versionstring()} changed {internal}: indexer/whoosh_private.py must follow it "
            f"({type(error).__name__}: {error})"
        )


def _stepped(ix: whoosh_index.Index, term: str) -> list[tuple[int, float]]:
    """A term's postings through Whoosh's public matcher, one at a time."""
    with ix.reader() as reader:
        matcher = reader.postings(WORDS, term)
        postings = []
        while matcher.is_active():
            postings.append((matcher.id(), matcher.weight()))
            matcher.next()
    return postings


@pytest.mark.parametrize("term", ["common", "third", "only5"])
def test_posting_blocks_are_the_matchers_postings(ix, term) -> None:
    expected = _stepped(ix, term)
    with contract("W3LeafMatcher's block reading (_maxid, _read_data, _data, _next_block)"), ix.reader() as reader:
        matcher = reader.postings(WORDS, term)
        assert isinstance(matcher, W3LeafMatcher), f"a segment's postings are a {type(matcher).__name__}"
        blocks = list(posting_blocks(matcher))
        assert [(i, w) for ids, weights in blocks for i, w in zip(ids, weights, strict=True)] == expected
        if term == "common":
            assert len(blocks) == 3


def test_posting_blocks_skip_blocks_without_a_wanted_document(ix) -> None:
    last_id, last_weight = _stepped(ix, "common")[-1]
    with contract("W3LeafMatcher's block header (_maxid, _next_block)"), ix.reader() as reader:
        blocks = list(posting_blocks(reader.postings(WORDS, "common"), [last_id]))
        assert len(blocks) == 1
        ids, weights = blocks[0]
        assert ids[-1] == last_id and weights[-1] == last_weight


def test_length_bytes_are_the_lengths_whoosh_reads(ix) -> None:
    with contract("the lengths column (SegmentReader._perdoc, W3PerDocReader._get_column_file)"), ix.reader() as reader:
        count = reader.doc_count_all()
        for field in (WORDS, TAG):
            # Whoosh answers None for a document without the field.
            lengths = [reader.doc_field_length(doc, field) or 0 for doc in range(count)]
            got = segment_length_bytes(reader, field)
            assert [byte_to_length(b) for b in got] == lengths
            perdoc = reader.codec().per_document_reader(ix.storage, reader.segment())
            try:
                assert length_bytes(perdoc, field) == got
            finally:
                perdoc.close()
        assert 0 in segment_length_bytes(reader, WORDS) and max(segment_length_bytes(reader, WORDS)) > 0
        assert segment_length_bytes(reader, TAG) == bytes(count)  # not scorable: no lengths


def test_per_document_reader_is_what_the_segment_reads_stored_fields_through(ix) -> None:
    with contract("SegmentReader._perdoc"), ix.reader() as reader:
        perdoc = per_document_reader(reader)
        assert perdoc.doc_count_all() == reader.doc_count_all() == DOCUMENTS
        assert [perdoc.stored_fields(doc) for doc in range(DOCUMENTS)] == [
            reader.stored_fields(doc) for doc in range(DOCUMENTS)
        ]
        assert perdoc.stored_fields(5) == {"key": "d5"}


def test_reader_at_reads_the_commit_it_is_given(tmp_path) -> None:
    ix = _build(tmp_path / "ix")
    toc = TOC.read(ix.storage, ix.indexname, gen=1)
    writer = ix.writer()
    writer.add_document(key="later", **{WORDS: "common"})
    writer.commit(merge=False)
    with contract("FileIndex._reader"), reader_at(ix.storage, toc) as first:
        assert first.doc_count_all() == DOCUMENTS
    with ix.reader() as latest:
        assert latest.doc_count_all() == DOCUMENTS + 1


def test_reader_opening_is_where_a_commits_missing_file_fails(tmp_path) -> None:
    ix = _build(tmp_path / "ix")
    (postings,) = (tmp_path / "ix").glob("*.pst")
    postings.unlink()
    toc = TOC.read(ix.storage, ix.indexname)
    with contract("FileIndex._reader"):
        with pytest.raises(OSError) as failed:
            reader_at(ix.storage, toc)
        close_what_failed_opening(failed.value)
        assert reader_opening() in {frame.f_code for frame, _ in traceback.walk_tb(failed.value.__traceback__)}


def test_postings_file_is_the_file_postings_are_read_from(tmp_path) -> None:
    ix = _build(tmp_path / "ix")
    with contract("SegmentReader._terms._postfile"), ix.reader() as reader:
        postings_file(reader).close()
        with pytest.raises(ValueError, match="closed file"):
            list(posting_blocks(reader.postings(WORDS, "common")))


def test_written_posting_blocks_are_the_blocks_whooshs_writer_writes(tmp_path) -> None:
    theirs, ours = _build(tmp_path / "whoosh"), _build(tmp_path / "bulk", BulkWriter)
    with contract("W3PostingsWriter's block state (_blocklimit, _ids, _weights, _values, _write_block, …)"):
        for fieldname in (WORDS, TAG):
            with theirs.reader() as expected, ours.reader() as written:
                for term in expected.lexicon(fieldname):
                    assert list(written.postings(fieldname, term).all_items()) == list(
                        expected.postings(fieldname, term).all_items()
                    )
        files = {p.suffix: p.read_bytes() for p in (tmp_path / "whoosh").glob("*.pst")}
        assert files == {p.suffix: p.read_bytes() for p in (tmp_path / "bulk").glob("*.pst")}
