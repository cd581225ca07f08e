"""One document, one answer: the same council document read from a text export, a web
page and a Word file gives the same passages, labels, section paths, footnote links,
title and reading order, in Chinese and in English (``tests/onedoc.py`` writes them).

The PDF case is its own test function, ``test_pdf_reads_as_the_other_formats``: the
same assertions, kept apart because the PDF reader is the work of its own branch.
"""

from __future__ import annotations

import pytest

from itudocs.corpus.model import Document, Kind
from itudocs.corpus.readers.docx import read_docx
from itudocs.corpus.readers.html import read_html
from itudocs.corpus.readers.pdf import read_pdf
from itudocs.corpus.readers.textexport import read_text_export
from tests import onedoc


def _read(fmt: str, lang: str) -> Document:
    parts = onedoc.DOCUMENTS[lang]
    where = {"doc_id": f"report-{lang}", "source": f"report-{lang}.{fmt}", "sha256": ""}
    if fmt == "txt":
        return read_text_export(onedoc.text_export(parts), **where)
    if fmt == "html":
        return read_html(onedoc.html(parts), **where)
    if fmt == "docx":
        return read_docx(onedoc.docx(parts), **where)
    return read_pdf(onedoc.pdf(parts, lang=lang), **where)


def _shape(doc: Document) -> tuple[list[tuple], list[tuple]]:
    """What a reader made of a document, without where in its file each passage stood."""
    body = [
        (p.kind.value, p.citation.label, p.text, p.citation.section, tuple((c.number, c.offset) for c in p.calls))
        for p in doc.passages
        if p.kind is not Kind.FOOTNOTE
    ]
    notes = [
        (p.citation.footnote, p.text, p.citation.section, p.called_from)
        for p in doc.passages
        if p.kind is Kind.FOOTNOTE
    ]
    return body, notes


def _assert_reads_as_written(fmt: str, lang: str) -> None:
    parts = onedoc.DOCUMENTS[lang]
    doc = _read(fmt, lang)
    body, notes = onedoc.expected(parts)
    got_body, got_notes = _shape(doc)
    assert got_body == body
    assert got_notes == notes
    assert doc.title == onedoc.title_of(parts)
    assert doc.symbol == "C25/45"
    # The passage a footnote names as its caller calls it, and both carry the same number.
    for note in (p for p in doc.passages if p.kind is Kind.FOOTNOTE):
        caller = doc.passages[note.called_from - 1]
        assert note.citation.footnote in caller.footnotes
        assert note.caller == caller.key


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("fmt", ["txt", "html", "docx"])
def test_every_format_reads_as_written(fmt: str, lang: str) -> None:
    _assert_reads_as_written(fmt, lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pdf_reads_as_the_other_formats(lang: str) -> None:
    _assert_reads_as_written("pdf", lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_formats_agree_on_passage_keys(lang: str) -> None:
    """``show DOC:1.1`` finds the same passage whatever the format it was read from."""
    keys = {fmt: [p.key for p in _read(fmt, lang).passages] for fmt in ("txt", "html", "docx")}
    assert keys["html"] == keys["txt"]
    assert keys["docx"] == keys["txt"]
    assert ("1.1" if lang == "en" else "1") in keys["txt"]
