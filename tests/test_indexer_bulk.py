"""The bulk writer writes the very segment files Whoosh's own writer writes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from itudocs.corpus.loader import discover, read_document, sample_folder
from itudocs.indexer import bulk
from itudocs.indexer.bulk import BulkWriter
from itudocs.indexer.schema import make_schema
from itudocs.indexer.stored import Codec
from itudocs.indexer.writer import index_entries


@pytest.fixture(scope="module")
def entries() -> list[list[dict[str, object]]]:
    """Every sample document's entries, made once so both writers get the same records."""
    return [index_entries(read_document(source), "root") for source in discover(sample_folder())]


def _write(folder: Path, writer_class: type, batches: list[list[dict[str, object]]]) -> None:
    """One commit per batch, the later ones merging the earlier segments into theirs.

    Whoosh's writer takes no counted terms: it is given each term as often as it occurs.
    """
    folder.mkdir()
    ix = whoosh_index.create_in(folder, make_schema())
    for batch in batches:
        writer = writer_class(ix, compound=False, codec=Codec())
        for fields in batch:
            if writer_class is SegmentWriter:
                fields = {name: _listed(value) for name, value in fields.items()}
            writer.add_document(**fields)
        writer.commit(optimize=True)


def _listed(value: object) -> object:
    return list(value.elements()) if isinstance(value, Counter) else value


def _segment_files(folder: Path) -> dict[str, bytes]:
    """The segment's files by their extension (a segment's name is random): not the TOC or the lock."""
    files = {p.name.partition(".")[2]: p for p in folder.iterdir() if not p.name.startswith("_")}
    return {ext: p.read_bytes() for ext, p in files.items() if ext}


@pytest.mark.parametrize("run_bytes", [bulk.RUN_BYTES, 4096], ids=["in memory", "through runs"])
def test_the_segment_is_the_one_whooshs_writer_writes(tmp_path, monkeypatch, entries, run_bytes) -> None:
    monkeypatch.setattr(bulk, "RUN_BYTES", run_bytes)
    # Runs of several pieces each.
    monkeypatch.setattr(bulk, "RUN_CHUNK_BYTES", min(bulk.RUN_CHUNK_BYTES, run_bytes // 4))
    everything = [fields for doc in entries for fields in doc]
    _write(tmp_path / "whoosh", SegmentWriter, [everything])
    _write(tmp_path / "bulk", BulkWriter, [everything])
    theirs, ours = _segment_files(tmp_path / "whoosh"), _segment_files(tmp_path / "bulk")
    assert sorted(ours) == sorted(theirs)
    assert {name for name in ours if ours[name] != theirs[name]} == set()


def test_a_merged_segment_is_the_one_whooshs_writer_writes(tmp_path, entries) -> None:
    batches = [[fields for doc in entries[:2] for fields in doc], [fields for doc in entries[2:] for fields in doc]]
    _write(tmp_path / "whoosh", SegmentWriter, batches)
    _write(tmp_path / "bulk", BulkWriter, batches)
    theirs, ours = _segment_files(tmp_path / "whoosh"), _segment_files(tmp_path / "bulk")
    assert sorted(ours) == sorted(theirs)
    assert {name for name in ours if ours[name] != theirs[name]} == set()


def test_a_field_it_cannot_write_is_refused(tmp_path) -> None:
    from whoosh.fields import TEXT, Schema

    ix = whoosh_index.create_in(tmp_path, Schema(body=TEXT()))
    writer = BulkWriter(ix)
    with pytest.raises(TypeError, match="'body'"):
        writer.add_document(body="positions are not written in bulk")
    writer.cancel()


def test_terms_given_as_a_list_are_written_as_their_counts(tmp_path, entries) -> None:
    counted = [fields for doc in entries for fields in doc]
    _write(tmp_path / "counted", BulkWriter, [counted])
    _write(tmp_path / "listed", BulkWriter, [[{name: _listed(value) for name, value in f.items()} for f in counted]])
    assert _segment_files(tmp_path / "listed") == _segment_files(tmp_path / "counted")
