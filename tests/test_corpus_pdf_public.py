"""The PDF reader on real PDFs nobody here wrote, and on every PDF fixture: nothing is lost.

``tests/data/pdf_public`` holds 85 files from pdf.js's public test suite (see its
README) with what poppler's ``pdftotext`` reads from each.  Every file is read or
refused in one line naming it; of the words ``pdftotext`` reads, at least 97 % are
read too; and every character of a page's text layer is in some passage, except the
running headers, footers and page numbers left out for repeating.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path

import pypdfium2
import pytest
from reportlab.pdfgen.canvas import Canvas

from itudocs.corpus.errors import CorpusError
from itudocs.corpus.model import Kind
from itudocs.corpus.readers.pdf import PdfReading, read_pdf, read_pdf_reading
from tests import officepdf, publicpdfs

PUBLIC = sorted(publicpdfs.FOLDER.glob("*.pdf"))
# The files that cannot be read, and why (checked against what pdftotext makes of them).
REFUSED = {
    "GHOSTSCRIPT-698804-1-fuzzed.pdf": "no text layer (scanned?)",
    "Pages-tree-refs.pdf": "damaged PDF (page 2 of 2: Failed to load page)",
    "REDHAT-1531897-0.pdf": "not a readable PDF (Data format error)",
    "bitmap-mmr.pdf": "no text layer (scanned?)",
    "empty_protected.pdf": "no text layer (scanned?)",
}
WORD = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]|[^\W_]+")


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


@cache
def outcome(path: Path) -> PdfReading | str:
    """The file read, or the one line it was refused with."""
    try:
        return read_pdf_reading(path.read_bytes(), doc_id=path.stem, source=path.name, sha256="0" * 64)
    except CorpusError as error:
        return str(error)


def test_every_file_is_read_or_refused_in_one_line_naming_it() -> None:
    assert len(PUBLIC) >= 50
    refused = {path.name: result for path in PUBLIC if isinstance(result := outcome(path), str)}
    assert refused == {name: f"{name}: {reason}" for name, reason in REFUSED.items()}


def test_the_words_pdftotext_reads_are_read() -> None:
    """Recall over the files both read: each word of pdftotext's counts as read as often as
    it occurs in the passages (or the furniture), white space aside (pdftotext breaks words
    where the file spaces letters; PDFium keeps them together)."""
    found = total = 0
    for path in PUBLIC:
        reading = outcome(path)
        reference = fold(path.with_name(path.name + publicpdfs.SUFFIX).read_text(encoding="utf-8"))
        words = Counter(WORD.findall(reference))
        if isinstance(reading, str) or not words:
            continue
        ours = fold("".join("".join(text.split()) for text in texts(reading)))
        total += sum(words.values())
        found += sum(min(count, ours.count(word)) for word, count in words.items())
    assert total > 10_000
    assert found / total >= 0.97


def texts(reading: PdfReading) -> list[str]:
    """Everything a reading keeps of the text layer: passages with their labels, note numbers
    and calls, and the page furniture it left out."""
    kept = list(reading.furniture)
    for p in reading.document.passages:
        kept += [p.text, p.citation.label or "", *(str(call.number) for call in p.calls)]
        if p.kind is Kind.FOOTNOTE:
            kept.append(str(p.citation.footnote))
    return kept


def text_layer(data: bytes) -> str:
    pdf = pypdfium2.PdfDocument(data)
    try:
        return "".join(pdf[k].get_textpage().get_text_range() for k in range(len(pdf)))
    finally:
        pdf.close()


def reportlab_fixtures() -> list[tuple[str, bytes]]:
    from tests.test_corpus_pdf import pdf_of

    return [(f"reportlab-{stem}", pdf_of(stem)) for stem in ("000", "003", "en")] + [
        ("reportlab-003-columns", pdf_of("003", columns=True, table=True))
    ]


FIXTURES = [*PUBLIC, *sorted(officepdf.FOLDER.glob("*.pdf"))]


@pytest.mark.parametrize("name, data", [(p.name, p.read_bytes()) for p in FIXTURES] + reportlab_fixtures())
def test_every_character_of_the_text_layer_is_in_a_passage(name: str, data: bytes) -> None:
    try:
        reading = read_pdf_reading(data, doc_id="t", source=name, sha256="0" * 64)
    except CorpusError:
        assert name in REFUSED
        return
    # Hyphens at line ends are joined away; PDFium marks those it finds (U+0002, in its text range U+FFFE).
    layer = Counter("".join(text_layer(data).replace("\x02", "-").replace("\ufffe", "-").split()))
    del layer["-"]
    kept = Counter("".join("".join(texts(reading)).split()))
    assert layer - kept == Counter()


def test_a_superscript_that_is_no_number_is_text() -> None:
    """A Chinese slide's superscript ``³`` stopped whole runs (int("³") fails)."""
    reading = outcome(publicpdfs.FOLDER / "issue12823.pdf")
    assert not isinstance(reading, str)
    assert any("³" in p.text for p in reading.document.passages)


def test_text_drawn_only_by_annotations_and_outside_the_bmp_is_read() -> None:
    reading = outcome(publicpdfs.FOLDER / "issue20504.pdf")
    assert not isinstance(reading, str)
    squeezed = "".join(texts(reading))
    assert "你好世界" in squeezed and "HelloWorld" in "".join(squeezed.split())
    symbols = outcome(publicpdfs.FOLDER / "issue7426.pdf")
    assert not isinstance(symbols, str)
    assert "𑰀" in "".join(texts(symbols))


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("issue16021.pdf", "Hello World"),
        ("annotation-tx.pdf", "tx annotation"),
        ("freetext_no_appearance.pdf", "الإنترنت"),
    ],
)
def test_text_only_an_annotation_without_appearance_holds_is_read_not_called_a_scan(name: str, text: str) -> None:
    reading = outcome(publicpdfs.FOLDER / name)
    assert not isinstance(reading, str), reading
    assert any(text in p.text for p in reading.document.passages if p.kind is Kind.FIGURE)


def test_a_form_fields_text_is_read() -> None:
    reading = outcome(publicpdfs.FOLDER / "issue18036.pdf")
    assert not isinstance(reading, str)
    assert "This certificate or verification of insurance is not an insurance policy" in " ".join(texts(reading))


def test_pdfiums_line_end_hyphen_mark_is_a_hyphen_joined_away() -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.setFont("Times-Roman", 11)
    canvas.drawString(72, 700, "The secretariat reviewed all the commer-")
    canvas.drawString(72, 686, "cial publications of the year.")
    canvas.save()
    doc = read_pdf(buffer.getvalue(), doc_id="h", source="h.pdf", sha256="0" * 64)
    assert [p.text for p in doc.passages] == ["The secretariat reviewed all the commercial publications of the year."]
