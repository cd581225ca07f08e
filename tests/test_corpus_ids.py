"""Passage ids anchored on a paragraph's number or its content, not its position."""

from __future__ import annotations

from itudocs.corpus.loader import SourceFile, read_document, sample_folder
from itudocs.corpus.model import Document, Kind
from itudocs.corpus.readers.textexport import read_text_export


def sample(prefix: str, text: str | None = None) -> Document:
    (path,) = sample_folder().glob(f"{prefix}_*.txt")
    body = path.read_text(encoding="utf-8") if text is None else text
    return read_text_export(body, doc_id=prefix, source=str(path), sha256="0" * 64)


def test_numbered_paragraphs_carry_their_number() -> None:
    assert {"003:67", "003:9", "003:127"} <= {p.id for p in sample("003").passages}
    assert {"001:2.10.1", "001:3.15.2"} <= {p.id for p in sample("001").passages}


def test_a_line_added_above_changes_no_id() -> None:
    (path,) = sample_folder().glob("003_*.txt")
    text = path.read_text(encoding="utf-8")
    before = sample("003", text)
    after = sample("003", "秘书处的说明：本文件已更新。\n" + text)
    moved = {p.text: p for p in after.passages}
    for passage in before.passages:
        twin = moved[passage.text]
        assert twin.id == passage.id, passage.text
        assert twin.seq == passage.seq + 1  # every position moved, no id did


def test_an_edit_changes_only_the_edited_passage() -> None:
    before = sample("002")
    edited = before.passages[8]
    (path,) = sample_folder().glob("002_*.txt")
    text = path.read_text(encoding="utf-8").replace(edited.text, edited.text + "（已修订）", 1)
    after = sample("002", text)
    changed = [(a.id, b.id) for a, b in zip(before.passages, after.passages, strict=True) if a.id != b.id]
    assert changed == [(edited.id, after.passages[8].id)]


def test_footnotes_keep_their_numbers_and_link_to_their_callers_key() -> None:
    doc = sample("003")
    note = next(p for p in doc.passages if p.kind is Kind.FOOTNOTE and p.citation.footnote == 2)
    assert note.id == "003:fn2"
    caller = next(p for p in doc.passages if p.seq == note.called_from)
    assert note.caller == caller.key and 2 in caller.footnotes


def test_the_same_text_twice_gets_a_second_id(tmp_path) -> None:
    path = tmp_path / "twice.txt"
    path.write_text(" \t目的\n同一句话。\n另一句话。\n同一句话。\n", encoding="utf-8")
    ids = [p.id for p in read_document(SourceFile(path, "twice")).passages]
    assert ids[1] + "-2" == ids[3]
    assert len(set(ids)) == len(ids)
