"""The PDF reader on Word files printed to PDF by LibreOffice, as council documents are published.

The PDFs in ``tests/data/pdf_office`` were made by ``tests/officepdf.py`` from the
sample text exports (and an English report): running header and page-number footer,
heading styles, Word lists, real page-foot footnotes.  Each passage must come back as
the text export has it.
"""

from __future__ import annotations

import re
import shutil
from functools import cache
from pathlib import Path

import pytest

from itudocs.corpus.loader import SourceFile, read_document, sample_folder
from itudocs.corpus.model import Document, FootnoteCall, Kind, Passage
from itudocs.corpus.readers.pdf import read_pdf
from itudocs.search.library import Library
from tests import officepdf
from tests.test_search_eval import QUERIES, SECTION_SCOPE

STEMS = list(officepdf.SAMPLES)
# Han next to a Latin letter or digit across a space: in the sources almost never (0.2 %).
HAN_LATIN_SPACE = re.compile(r"[\u4e00-\u9fff] [A-Za-z0-9]|[A-Za-z0-9] [\u4e00-\u9fff]")


@cache
def export(stem: str) -> Document:
    path = sample_folder() / f"{stem}.txt"
    return read_document(SourceFile(path, path.stem))


@cache
def read(stem: str) -> Document:
    data = (officepdf.FOLDER / f"{stem}.pdf").read_bytes()
    return read_pdf(data, doc_id=stem, source=f"{stem}.pdf", sha256="0" * 64)


def squeezed(text: str) -> str:
    return "".join(text.split())


def body(doc: Document) -> list[Passage]:
    return [p for p in doc.passages if p.kind in (Kind.PARAGRAPH, Kind.HEADING)]


def counterpart(stem: str, passage: Passage) -> Passage | None:
    """The PDF passage with the export passage's text (white space aside) and label, in its
    section if the text recurs."""
    same = [
        candidate
        for candidate in body(read(stem))
        if squeezed(candidate.text) == squeezed(passage.text) and candidate.citation.label == passage.citation.label
    ]
    in_section = [candidate for candidate in same if candidate.citation.section == passage.citation.section]
    return (in_section or same or [None])[0]


@pytest.mark.parametrize("stem", STEMS)
def test_paragraphs_and_headings_are_the_exports_with_their_labels_and_sections(stem: str) -> None:
    wanted = body(export(stem))
    found = {p.seq: counterpart(stem, p) for p in wanted}
    assert sum(q is not None for q in found.values()) >= 0.95 * len(wanted)
    for p in wanted:
        q = found[p.seq]
        assert q is None or q.citation.section == p.citation.section, p.text[:30]
        assert q is None or q.kind is p.kind, p.text[:30]


@pytest.mark.parametrize("stem", STEMS)
def test_layout_spaces_between_chinese_and_latin_are_not_text(stem: str) -> None:
    wanted = body(export(stem))
    same = [p for p in wanted if (q := counterpart(stem, p)) is not None and q.text == p.text]
    assert len(same) >= 0.95 * len(wanted)
    spaced = sum(len(HAN_LATIN_SPACE.findall(p.text)) for p in body(read(stem)))
    assert spaced <= sum(len(HAN_LATIN_SPACE.findall(p.text)) for p in wanted)


@pytest.mark.parametrize("stem", ["000_1ec08987ad33214d", "003_039c71ca7392b1ab"])
def test_page_foot_footnotes_are_linked_both_ways_to_their_calls(stem: str) -> None:
    pdf, text = read(stem), export(stem)
    notes = {p.citation.footnote: p for p in pdf.passages if p.kind is Kind.FOOTNOTE}
    wanted = {p.citation.footnote: p for p in text.passages if p.kind is Kind.FOOTNOTE}
    assert sorted(notes) == sorted(wanted)
    for number, note in notes.items():
        assert squeezed(note.text) == squeezed(wanted[number].text)
        caller = pdf.passages[note.called_from - 1]
        assert squeezed(caller.text) == squeezed(text.passages[wanted[number].called_from - 1].text)
        assert number in caller.footnotes
        assert note.citation.section == wanted[number].citation.section


def test_the_title_is_the_pdfs_own_else_its_first_large_lines() -> None:
    titled = [stem for stem, (_, has_title) in officepdf.SAMPLES.items() if has_title]
    assert titled and all(read(stem).title == officepdf.core_titles()[stem] for stem in titled)
    for stem in set(STEMS) - set(titled):
        assert read(stem).title == export(stem).title
    assert read("003_039c71ca7392b1ab").symbol == "C26/31"


@cache
def report() -> Document:
    data = (officepdf.FOLDER / "report_en.pdf").read_bytes()
    return read_pdf(data, doc_id="report_en", source="report_en.pdf", sha256="0" * 64)


def test_notes_whose_numbers_are_not_raised_are_read_and_linked() -> None:
    doc = report()
    notes = {p.citation.footnote: p for p in doc.passages if p.kind is Kind.FOOTNOTE}
    assert {n: p.text for n, p in notes.items()} == officepdf.REPORT_NOTES
    callers = {n: doc.passages[p.called_from - 1] for n, p in notes.items()}
    assert [callers[n].citation.label for n in (1, 2, 3)] == ["1.1", "2.1", "3.1"]
    called_after = callers[1].text.index("offline in 2024") + len("offline in 2024")
    assert callers[1].calls == (FootnoteCall(number=1, offset=called_after),)


def test_lists_numbers_and_a_table_over_a_page_break() -> None:
    doc = report()
    labels = [p.citation.label for p in doc.passages if p.kind is Kind.PARAGRAPH and p.citation.label]
    assert labels == ["1.1", "1.2", "•", "•", "•", "2.1", "2.2", "3.1", "3.2", "3.3"]
    rows = [p for p in doc.passages if " | " in p.text]
    assert [p.text.split(" | ") for p in rows] == officepdf.REPORT_TABLE
    places = [(p.citation.page, p.citation.line) for p in rows]
    assert len({page for page, _ in places}) == 2 and places == sorted(set(places))
    (last,) = [p for p in doc.passages if p.citation.label == "3.3"]
    assert last.text == officepdf.prose(10)
    assert [p.text for p in doc.passages if p.kind is Kind.HEADING][1:] == [
        "Introduction",
        "Activities",
        "Partnerships",
        "Action required by the Council",
    ]


# --- the shared query set on an index of the PDFs alone --------------------------------------


@pytest.fixture(scope="module")
def pdf_library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    folder = tmp_path_factory.mktemp("pdfs")
    for stem in STEMS:
        shutil.copy(officepdf.FOLDER / f"{stem}.pdf", folder)
    library = Library(tmp_path_factory.mktemp("ix"))
    report = library.index(folder)
    assert sorted(report.added) == STEMS
    return library


@pytest.mark.parametrize("qid", sorted(QUERIES))
def test_the_query_set_holds_on_the_pdfs(pdf_library: Library, qid: str) -> None:
    rows = QUERIES[qid]
    result = pdf_library.search(rows[0]["query"], limit=None, section=SECTION_SCOPE.get(qid))
    expect = rows[0]["expect"]
    depth = None if expect == "all" else int(expect.removeprefix("top"))
    for row in rows:
        pdf = Path(row["file"]).with_suffix(".pdf").name
        ranks = [k for k, hit in enumerate(result.hits) if hit.file.endswith(pdf) and row["snippet"] in hit.text]
        assert ranks, f"{qid}: no hit holds {row['snippet']!r}"
        if depth is not None:
            assert ranks[0] < depth, f"{qid}: {row['snippet']!r} ranked {ranks[0] + 1}, wanted top {depth}"
        if row["label"]:
            assert result.hits[ranks[0]].citation.label == row["label"]


def test_sort_doc_is_page_then_reading_order(pdf_library: Library) -> None:
    result = pdf_library.search("国际电联", limit=None, doc="003", sort="doc")
    body_hits = [hit for hit in result.hits if hit.kind != "footnote"]
    places = [(hit.citation.page, hit.citation.line) for hit in body_hits]
    # Lines are counted per page: by line alone a passage low on page 1 would follow the top of page 6.
    assert len({page for page, _ in places}) > 3
    assert places == sorted(places)
