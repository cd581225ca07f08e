"""One document, one answer: the same council document read from a text export, a web
page and a Word file gives the same passages, labels, section paths, footnote links,
title and reading order, in Chinese and in English (``tests/onedoc.py`` writes them);
and the README's table of what each format keeps says what these documents show.

The PDF cases are their own test functions (``test_pdf_reads_as_the_other_formats``,
``test_the_readme_says_what_the_pdf_reader_keeps``): the same assertions, kept apart
because the PDF reader is the work of its own branch.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

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


# --- the README's table of what each format keeps ------------------------------------------

README = Path(__file__).resolve().parents[1] / "README.md"
Parts = tuple[onedoc.Part, ...]


def _body_where(doc: Document, parts: Parts, keep: Callable[[tuple], bool], field: Callable[[tuple], object]) -> bool:
    got, _ = _shape(doc)
    want, _ = onedoc.expected(parts)
    return [field(p) for p in got if keep(p)] == [field(p) for p in want if keep(p)]


def _labels(doc: Document, parts: Parts) -> bool:
    return _body_where(doc, parts, lambda p: p[0] == "paragraph", lambda p: (p[1], p[2]))


def _headings(doc: Document, parts: Parts) -> bool:
    return _body_where(doc, parts, lambda p: p[0] == "heading", lambda p: (p[1], p[2]))


def _sections(doc: Document, parts: Parts) -> bool:
    return _body_where(doc, parts, lambda p: True, lambda p: (p[2], p[3]))


def _footnotes(doc: Document, parts: Parts) -> bool:
    calls = _body_where(doc, parts, lambda p: bool(p[4]), lambda p: (p[2], p[4]))
    return calls and _shape(doc)[1] == onedoc.expected(parts)[1]


def _rows(doc: Document, parts: Parts) -> bool:
    rows = [p.shown for p in parts if p.kind == "row"]
    return [p.text for p in doc.passages if p.text in rows] == rows


def _masthead(doc: Document, parts: Parts) -> bool:
    lines = [p.text for p in parts if p.kind == "masthead"]
    own = [(p.kind, p.text) for p in doc.passages[: len(lines)]] == [(Kind.PARAGRAPH, t) for t in lines]
    return own and not any(line in doc.title for line in lines)


def _title(doc: Document, parts: Parts) -> bool:
    return doc.title == onedoc.title_of(parts)


def _order(doc: Document, parts: Parts) -> bool:
    return _body_where(doc, parts, lambda p: True, lambda p: p[2])


CHECKS: dict[str, Callable[[Document, Parts], bool]] = {
    "numbered paragraphs and list items labelled": _labels,
    "numbered headings keep their number": _headings,
    "section paths": _sections,
    "footnotes linked both ways": _footnotes,
    "one passage per table row": _rows,
    "masthead lines apart from the title": _masthead,
    "title": _title,
    "reading order": _order,
}


def readme_table() -> dict[str, dict[str, str]]:
    """The "What it reads" table: format (``txt``) → column → cell."""
    section = README.read_text(encoding="utf-8").split("## What it reads", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("| ")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    table = {}
    for line in lines[1:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        table[re.sub(r"[`.]", "", cells[0])] = dict(zip(header[1:], cells[1:], strict=True))
    return table


def _assert_readme_row(fmt: str) -> None:
    row = readme_table()[fmt]
    assert set(CHECKS) <= set(row), "a column of the README's table has no check"
    for lang, parts in onedoc.DOCUMENTS.items():
        doc = _read(fmt, lang)
        said = {column: row[column] == "yes" for column in CHECKS}
        seen = {column: check(doc, parts) for column, check in CHECKS.items()}
        assert seen == said, f"{fmt} ({lang}): the README says {said}"


@pytest.mark.parametrize("fmt", ["txt", "html", "docx"])
def test_the_readme_says_what_each_format_keeps(fmt: str) -> None:
    _assert_readme_row(fmt)


def test_the_readme_says_what_the_pdf_reader_keeps() -> None:
    _assert_readme_row("pdf")


def test_the_readme_table_has_a_row_for_every_format() -> None:
    assert set(readme_table()) == {"txt", "html", "docx", "pdf"}
