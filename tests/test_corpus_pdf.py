"""The PDF reader on PDF renderings of the seed documents, laid out as council documents are.

Every fixture is drawn here by ``tests/pdfgen.py`` (ReportLab) from the text export of
the same seed, so each PDF must read back into the export's passages.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from pathlib import Path

import pypdfium2
import pytest
from reportlab.pdfgen.canvas import Canvas

from itudocs.corpus.errors import CorpusError, NotADocument
from itudocs.corpus.limits import ReadLimits
from itudocs.corpus.loader import SourceFile, read_document, sample_folder
from itudocs.corpus.model import Document, Kind, Passage
from itudocs.corpus.readers.pdf import read_pdf
from itudocs.search.library import Library
from tests import pdfgen as g

# The first cell of the second row fills its width and wraps: only the rule parts it from the next cell.
TABLE = [
    ["标题", "文件", "会议"],
    ["理事会信息社会世界峰会和可持续发展目标工作组的报告", "C24/53", "理事会2024年会议"],
    ["", "", ""],
]
ENGLISH = Path(__file__).parent / "fixtures" / "C26-31-E.txt"
# The queries of the shared set that a PDF must answer as the text export does.
PDF_QUERIES = ("q01", "q08", "q14")


def seed_path(stem: str) -> Path:
    (path,) = sample_folder().glob(f"{stem}_*.txt")
    return path


@cache
def export(stem: str) -> Document:
    path = ENGLISH if stem == "en" else seed_path(stem)
    return read_document(SourceFile(path, path.stem))


def figure_fragments(stem: str) -> dict[int, list[str]]:
    """The diagram's fragments as the export holds them, one per line, by the figure's seq."""
    figures = [p for p in export(stem).passages if p.kind is Kind.FIGURE]
    if not figures:
        return {}
    (figure,) = figures
    lines = seed_path(stem).read_text(encoding="utf-8").splitlines()[figure.citation.line - 1 :]
    return {figure.seq: [line.strip() for line in lines if line.strip()]}


@cache
def pdf_of(stem: str, *, columns: bool = False, table: bool = False, first_page: int = 1) -> bytes:
    """A PDF of a seed: its annex set in two columns and a ruled table after it, if asked."""
    doc = export(stem)
    annex = [p.seq for p in doc.passages if p.citation.section[:1] == ("附件",) and p.citation.label] if columns else []
    blocks, notes = g.blocks_of_export(doc, figures=figure_fragments(stem), columns=annex)
    if table:
        blocks.append(g.Block("", rows=TABLE))
    english = stem == "en"
    return g.pdf_of_blocks(
        blocks,
        notes,
        symbol="C26/31-E" if english else f"C26/{stem}-C",
        meeting="Council 2026" if english else "理事会2026年会议",
        style=g.ENGLISH if english else g.CHINESE,
        first_page=first_page,
    )


@cache
def read(stem: str, **layout: object) -> Document:
    # The export's document id, so that a title read from neither text is the same file name.
    doc_id = (ENGLISH if stem == "en" else seed_path(stem)).stem
    return read_pdf(pdf_of(stem, **layout), doc_id=doc_id, source=f"{stem}.pdf", sha256="0" * 64)  # type: ignore[arg-type]


def shape(passage: Passage) -> tuple[object, ...]:
    """What every reader must agree on: kind, label, section, text and footnote links."""
    c = passage.citation
    return (
        passage.seq,
        passage.kind,
        c.label,
        c.section,
        c.footnote,
        passage.text,
        passage.footnotes,
        passage.called_from,
    )


def squeezed(text: str) -> str:
    return "".join(text.split())


def page_texts(data: bytes) -> list[str]:
    """The text PDFium finds on each page, white space removed (it breaks lines its own way)."""
    pdf = pypdfium2.PdfDocument(data)
    try:
        return [squeezed(pdf[i].get_textpage().get_text_range()) for i in range(len(pdf))]
    finally:
        pdf.close()


def position(data: bytes, *texts: str) -> list[tuple[int, float]]:
    """Page index and left edge of the first place each text is drawn."""
    pdf = pypdfium2.PdfDocument(data)
    found = []
    try:
        for text in texts:
            for index in range(len(pdf)):
                textpage = pdf[index].get_textpage()
                match = textpage.search(text).get_next()
                if match:
                    found.append((index, textpage.get_charbox(match[0])[0]))
                    break
    finally:
        pdf.close()
    return found


# --- the seeds, as PDF ----------------------------------------------------------------------


@pytest.mark.parametrize("stem", ["000", "001", "002", "003", "004", "en"])
def test_passages_labels_sections_and_footnotes_are_the_text_exports(stem: str) -> None:
    assert [shape(p) for p in read(stem).passages] == [shape(p) for p in export(stem).passages]
    # A text with no title line of its own is titled by the symbol in the PDF's running header.
    untitled = export(stem).title == export(stem).doc_id
    assert read(stem).title == (read(stem).symbol if untitled else export(stem).title)


def test_footnotes_are_linked_both_ways_and_cited_on_their_callers_page() -> None:
    doc = read("003")
    notes = [p for p in doc.passages if p.kind is Kind.FOOTNOTE]
    assert [n.citation.footnote for n in notes] == [1, 2, 3, 4]
    for note in notes:
        caller = doc.passages[note.called_from - 1]
        assert note.citation.footnote in caller.footnotes
        assert note.citation.section == caller.citation.section
        assert note.text.startswith(("WSIS+20", "12月16日", "国际电联秘书长", "南非"))
    pages = page_texts(pdf_of("003"))
    assert all(note.text[:10] in pages[note.citation.page - 1] for note in notes)
    # Paragraph 20 starts on page 2 and calls note 4 after the page break: the note is at the foot of page 3.
    fourth = notes[3]
    assert (doc.passages[fourth.called_from - 1].citation.page, fourth.citation.page) == (2, 3)


def test_a_paragraph_broken_across_pages_is_one_passage_cited_where_it_starts() -> None:
    pages = page_texts(pdf_of("003"))
    paragraphs = [p for p in read("003").passages if p.kind is Kind.PARAGRAPH]
    broken = [p for p in paragraphs if squeezed(p.text)[-12:] not in pages[p.citation.page - 1]]
    assert [p.citation.page for p in broken] == [1, 2, 5]
    for passage in broken:
        assert squeezed(passage.text)[:12] in pages[passage.citation.page - 1]
        assert squeezed(passage.text)[-12:] in pages[passage.citation.page]
        assert passage.text == next(e.text for e in export("003").passages if e.seq == passage.seq)


def test_headers_footers_and_page_numbers_never_reach_the_text_and_page_is_as_printed() -> None:
    doc = read("001", first_page=5)
    everything = "\n".join(p.text for p in doc.passages)
    for furniture in ("理事会2026年会议", "C26/001-C", "– 5 –", "– 6 –"):
        assert furniture not in everything
    assert doc.symbol == "C26/001"
    assert doc.passages[0].citation.page == 5
    assert sorted({p.citation.page for p in doc.passages}) == list(
        range(5, 5 + len(page_texts(pdf_of("001", first_page=5))))
    )
    first = doc.passages[0].citation
    assert (first.line, first.page) == (2, 5)  # below the running header


def test_a_two_column_annex_and_a_ruled_table() -> None:
    doc = read("003", columns=True, table=True)
    body = [p for p in doc.passages if p.kind is not Kind.FOOTNOTE]
    expected = [shape(p) for p in export("003").passages if p.kind is not Kind.FOOTNOTE]
    assert [shape(p) for p in body[: len(expected)]] == expected
    rows = [p.text for p in body[len(expected) :]]
    assert rows == [" | ".join(row) for row in TABLE[:2]]
    # The fixture really is in columns: paragraph 53 starts in the right column and goes on
    # in the left column of the next page.
    para_53 = next(p for p in doc.passages if p.citation.label == "53")
    (page, start_x), (next_page, end_x) = position(pdf_of("003", columns=True), para_53.text[:8], para_53.text[-8:])
    assert (page + 1, next_page + 1) == (para_53.citation.page, para_53.citation.page + 1)
    assert end_x < g.WIDTH / 2 < start_x


def test_a_drawing_is_one_figure_passage_where_it_stands() -> None:
    blocks, notes = g.blocks_of_export(export("002"))
    blocks.insert(3, g.Block("", fragments=["国际电联", "第140号决议", "UNESCO"]))
    doc = read_pdf(
        g.pdf_of_blocks(blocks, notes, symbol="C26/2-C", meeting="理事会"), doc_id="f", source="f", sha256=""
    )
    figure = doc.passages[3]
    assert (figure.kind, figure.text, figure.citation.page) == (Kind.FIGURE, "国际电联第140号决议UNESCO", 1)
    assert figure.citation.section == doc.passages[2].citation.section == ("目的",)
    others = [p.text for p in doc.passages if p is not figure]
    assert others == [p.text for p in export("002").passages]


def test_chinese_list_numbers_written_against_their_text_are_labels() -> None:
    blocks = [
        g.Block("一、背景", heading=True),
        g.Block("（一）国际电联的职责包括落实信息社会世界峰会的成果。"),
        g.Block("二、今后的步骤", heading=True),
    ]
    doc = read_pdf(g.pdf_of_blocks(blocks, {}, symbol="C26/9-C", meeting="理事会"), doc_id="l", source="l", sha256="")
    # One page cannot show which lines repeat on every page: its running header stays a passage.
    assert doc.passages[0].text == "理事会 C26/9-C"
    assert [(p.kind, p.citation.label, p.citation.section, p.text) for p in doc.passages[1:]] == [
        (Kind.HEADING, "一、", (), "背景"),
        (Kind.PARAGRAPH, "（一）", ("一、 背景",), "国际电联的职责包括落实信息社会世界峰会的成果。"),
        (Kind.HEADING, "二、", (), "今后的步骤"),
    ]


def test_numbered_chapters_and_annexes_in_body_type_are_headings() -> None:
    blocks = [
        g.Block("国际电联的贡献", label="II"),
        g.Block("国际电联在整个审查进程中发挥了重要作用。"),
        g.Block("附件"),
        g.Block("成果文件中提及国际电联的段落。", label="20"),
    ]
    doc = read_pdf(g.pdf_of_blocks(blocks, {}, symbol="C26/9-C", meeting="理事会"), doc_id="h", source="h", sha256="")
    assert [(p.kind, p.citation.label, p.citation.section) for p in doc.passages[1:]] == [
        (Kind.HEADING, "II", ()),
        (Kind.PARAGRAPH, None, ("II 国际电联的贡献",)),
        (Kind.HEADING, None, ()),
        (Kind.PARAGRAPH, "20", ("附件",)),
    ]


def test_the_english_version_joins_lines_with_spaces_and_finds_the_bold_headings() -> None:
    doc = read("en")
    assert doc.lang == "en"
    # The masthead lines are passages of their own, as in the text export, not a title glued from them.
    assert [(p.kind, p.text) for p in doc.passages[:3]] == [
        (Kind.PARAGRAPH, "Council 2026"),
        (Kind.PARAGRAPH, "Document C26/31-E"),
        (Kind.HEADING, "Purpose"),
    ]
    (note,) = [p for p in doc.passages if p.kind is Kind.FOOTNOTE]
    assert note.citation.footnote == 3
    assert doc.passages[note.called_from - 1].text.startswith("The ITU Secretary-General")


# --- bad files ---------------------------------------------------------------------------------


def scanned() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    image = Image.new("L", (200, 100), color=200)
    from reportlab.lib.utils import ImageReader

    canvas.drawImage(ImageReader(image), 72, 600, 400, 200)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def encrypted() -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, encrypt="secret")
    canvas.drawString(72, 700, "Council 2026")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "problem", "skipped"),
    [
        (scanned, "no text layer (scanned?)", True),
        (encrypted, "encrypted", False),
        (lambda: b"%PDF-1.7\n" + bytes(range(256)) * 8, "not a readable PDF (Data format error)", False),
        (lambda: pdf_of("002")[:600], "not a readable PDF", False),
    ],
)
def test_a_bad_pdf_is_one_line_naming_it(tmp_path: Path, data, problem: str, skipped: bool) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(data())
    with pytest.raises(CorpusError) as caught:
        read_document(SourceFile(path, "bad"))
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and problem in message
    assert "\n" not in message
    assert isinstance(caught.value, NotADocument) is skipped


def test_a_pdf_over_the_page_limit_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "long.pdf"
    path.write_bytes(pdf_of("001"))
    with pytest.raises(NotADocument, match=r"long\.pdf: more than the 2-page limit \(4 pages\)"):
        read_document(SourceFile(path, "long"), limits=ReadLimits(max_pdf_pages=2))


def test_the_format_is_chosen_by_content(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(pdf_of("002"))
    assert [shape(p) for p in read_document(SourceFile(path, "002")).passages] == [
        shape(p) for p in export("002").passages
    ]


# --- a mixed folder, searched ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Library, object]:
    """Every seed as a PDF, beside a text export, a Word file, a web page and a broken PDF."""
    folder = tmp_path_factory.mktemp("mixed")
    for stem in ("000", "001", "002", "003", "004"):
        (folder / f"{seed_path(stem).stem}.pdf").write_bytes(pdf_of(stem))
    (folder / "english.txt").write_text(ENGLISH.read_text(encoding="utf-8"), encoding="utf-8")
    from tests import docgen

    (folder / "word.docx").write_bytes(docgen.make_docx([docgen.para("Word文件中的第140号决议。")]))
    (folder / "page.html").write_text(docgen.html_page("<p>网页中的第140号决议。</p>"), encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\nnothing else")
    library = Library(tmp_path_factory.mktemp("pdf-index"))
    return library, library.index(folder)


def test_a_mixed_folder_indexes_in_one_run_naming_the_broken_pdf(pdf_library) -> None:
    library, report = pdf_library
    assert len(report.added) == 8
    assert [(Path(p).name, problem.split(" (")[0]) for p, problem in report.failed] == [
        ("broken.pdf", "not a readable PDF")
    ]
    sources = {Path(hit.file).suffix for hit in library.search("第140号决议", limit=None).hits}
    assert sources == {".pdf", ".docx", ".html", ".txt"}  # the English text cites "Resolution 140"


def load_queries() -> dict[str, list[dict[str, str]]]:
    with open(Path(__file__).parent / "data" / "queries.tsv", encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle, delimiter="\t") if row["id"] in PDF_QUERIES]
    return {qid: [row for row in rows if row["id"] == qid] for qid in PDF_QUERIES}


@pytest.mark.parametrize("qid", PDF_QUERIES)
def test_reference_and_label_queries_find_the_same_passages_in_pdfs(pdf_library, qid: str) -> None:
    library, _ = pdf_library
    rows = load_queries()[qid]
    hits = library.search(rows[0]["query"], limit=None).hits
    for row in rows:
        stem = Path(row["file"]).stem
        found = [h for h in hits if Path(h.file).name == f"{stem}.pdf" and row["snippet"] in h.text]
        assert found, f"{qid}: no PDF hit holds {row['snippet']!r}"
        if row["label"]:
            assert found[0].citation.label == row["label"]
        assert found[0].citation.page is not None


def test_every_output_format_carries_the_page(pdf_library, tmp_path: Path) -> None:
    library, _ = pdf_library
    hit = library.search("2.10.1").hits[0]
    assert (hit.citation.label, hit.citation.page) == ("2.10.1", 2)
    assert hit.to_dict()["page"] == 2
    out = tmp_path / "hits.csv"
    library.export("2.10.1", str(out))
    row = next(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert row["page"] == "2"
