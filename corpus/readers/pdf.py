"""Read a born-digital PDF (one with a text layer) into cited passages.

``corpus.pdftext`` gives each piece of text drawn on a page with its position, type
size and weight, as PDFium reads it; ``corpus.layout`` turns the pieces into lines in
reading order, without headers, footers and footnotes; this module joins the lines
into paragraphs across line, column and page breaks and tells headings (larger or
bold type) from body text.  Numbered paragraphs keep their numbers as labels,
footnotes are linked both ways to their superscript calls, ruled tables give one
passage per row and the text of embedded drawings becomes figure text.  Each
passage is cited by the page number printed on its page (else the page's position
in the file) and its line on that page.  There is no OCR: a scan is skipped.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import pairwise

from itudocs.corpus.blocks import is_masthead
from itudocs.corpus.builder import DocumentBuilder
from itudocs.corpus.errors import CorpusError, NotADocument
from itudocs.corpus.labels import Style, is_annex, label_level, label_style
from itudocs.corpus.layout import (
    Chunk,
    Figure,
    Line,
    Note,
    Page,
    Run,
    Table,
    group_lines,
    join_lines,
    read_page,
    repeated_furniture,
)
from itudocs.corpus.limits import MAX_PDF_PAGES
from itudocs.corpus.model import Document, FootnoteCall, Kind
from itudocs.corpus.parallel import document_symbol
from itudocs.corpus.pdftext import TextLayer, read_text_layer
from itudocs.corpus.rawtext import CELL_SEPARATOR, join_fragments

# Type this much larger than the body text is a heading, and larger still on the first page a title.
HEADING_GROWTH = 1.1
TITLE_GROWTH = 1.45
# Bold type at least this share of the body text's size is a heading (smaller bold type is not).
BOLD_HEADING_SHRINK = 0.95
# The body type size taken for a document with no body lines, in points.
DEFAULT_BODY_SIZE = 10.0
# Lines whose type sizes differ by more than this many points are in different paragraphs.
SIZE_CHANGE = 0.5
# A line starting more than this share of its type size right of where the text above it
# starts is indented: it opens a paragraph ...
FIRST_LINE_INDENT = 0.8
# ... unless the paragraph so far is one line that ends this many characters or fewer short of
# its column's edge (the hanging indent of a numbered paragraph).
FULL_FIRST_LINE_SHORTFALL = 1.5
# Lines further apart than the usual spacing plus this share of the type size are in different paragraphs.
PARAGRAPH_GAP = 0.3
MAX_LINE_PITCH = 1.6
# A line that ends this many characters or fewer short of its column's edge is full.
FULL_LINE_SHORTFALL = 0.7
# Across a column or page break a paragraph that ends no sentence goes on if its last line ends
# this many characters or fewer short of the edge (a word too long for the line was carried over).
CARRIED_WORD_SHORTFALL = 6
# A line that ends this many characters or fewer short of its column's edge, mid-sentence, ran
# to the edge: a number opening the next line was broken off it.
BROKEN_OFF_SHORTFALL = 0.5
# Characters a heading in body type may have (see _heading_by_shape).
SHAPED_HEADING_MAX = 40
_SENTENCE_END = tuple("。；;！？!?…:：.")


# --- lines to passages ---------------------------------------------------------------------


@dataclass(slots=True)
class _Paragraph:
    page: Page
    first: Line
    label: str | None
    text: str = ""
    calls: list[tuple[int, int]] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    text_x: float = 0.0  # where the text of its last line starts, after any number

    def add(self, chunk: Chunk, line: Line) -> None:
        joined = join_lines([self.text, chunk.text]) if self.text else chunk.text
        start = len(joined) - len(chunk.text)
        self.calls += [(start + offset, number) for offset, number in chunk.calls]
        self.text = joined
        self.lines.append(line)
        self.text_x = chunk.x0


def _body_size(pages: list[Page]) -> float:
    weights: Counter[float] = Counter()
    for page in pages:
        for item in page.body:
            if isinstance(item, Line):
                weights[round(item.size, 1)] += len(item.text)
    return weights.most_common(1)[0][0] if weights else DEFAULT_BODY_SIZE


def _line_pitch(pages: list[Page]) -> float:
    """The distance between lines of one paragraph, as a share of the type size.

    It is the smallest distance that recurs between lines: paragraphs are further apart.
    A document of one-line paragraphs has none, so it is capped at a wide line spacing.
    """
    ratios: Counter[float] = Counter()
    for page in pages:
        lines = [item for item in page.body if isinstance(item, Line)]
        for a, b in pairwise(lines):
            if a.size == b.size and a.baseline > b.baseline:
                ratios[round((a.baseline - b.baseline) / a.size, 1)] += 1
    recurring = [ratio for ratio, count in ratios.items() if count >= 2]
    return min([*recurring, MAX_LINE_PITCH])


def _heading_by_shape(para: _Paragraph) -> bool:
    """A heading set in body type: one short line ending no sentence that is an annex's
    title or carries a chapter number (``II``, ``三``, ``4``)."""
    if len(para.lines) > 1 or len(para.text) > SHAPED_HEADING_MAX or para.text.endswith(_SENTENCE_END):
        return False
    if para.label is None:
        return is_annex(para.text)
    style = label_style(para.label)
    return style in (Style.ROMAN, Style.CJK_NUMERAL) or (style is Style.DECIMAL and para.label.rstrip(".").isdigit())


class _Assembler:
    """Joins lines into paragraphs across line, column and page breaks and feeds the builder."""

    def __init__(self, doc: DocumentBuilder, pages: list[Page]) -> None:
        self.doc = doc
        self.pages = pages
        self.body = _body_size(pages)
        self.pitch = _line_pitch(pages)
        self.open: _Paragraph | None = None
        self.in_title = True
        self.titled = False
        self.callers: dict[int, int] = {}
        self.last_seq_on_page: dict[int, int] = {}

    def _style(self, line: Line) -> str:
        if line.size >= TITLE_GROWTH * self.body:
            return "title"
        if line.size >= HEADING_GROWTH * self.body or (line.bold and line.size >= BOLD_HEADING_SHRINK * self.body):
            return "heading"
        return "body"

    def _continues(self, para: _Paragraph, line: Line, rest: Chunk, *, same_column: bool) -> bool:
        """Whether ``line``, which has no number of its own, carries on the open paragraph."""
        last = para.lines[-1]
        if self._style(line) != self._style(para.first) or abs(line.size - last.size) > SIZE_CHANGE:
            return False
        # A line that runs to the edge of its column did not end its paragraph.
        short_by = (last.edge - last.x1) / line.size
        indented = rest.x0 > para.text_x + FIRST_LINE_INDENT * line.size
        if indented and not (len(para.lines) == 1 and short_by <= FULL_FIRST_LINE_SHORTFALL):
            return False  # an indented first line, not the hanging indent of a numbered paragraph
        if same_column:
            return last.baseline - line.baseline <= (self.pitch + PARAGRAPH_GAP) * line.size
        # Across a column or page break a paragraph goes on if its last line ran to the edge
        # (a full stop's ink ends half a character short of it), or nearly so without ending
        # a sentence (a word too long for the line was carried over).
        if para.text.endswith(_SENTENCE_END):
            return short_by <= FULL_LINE_SHORTFALL
        return short_by <= CARRIED_WORD_SHORTFALL

    def _close(self) -> None:
        para, self.open = self.open, None
        if para is None or not para.text:
            return
        style = self._style(para.first)
        calls = tuple(FootnoteCall(number=n, offset=o) for o, n in para.calls)
        line, page = para.first.number, para.page.number
        if style == "title" and self.in_title and para.page.index == 0:
            # A title carries no label: a number before it is part of its text.
            seq = self.doc.title_part(f"{para.label} {para.text}" if para.label else para.text, line=line, page=page)
            self.titled = True
        elif style in ("heading", "title") or _heading_by_shape(para):
            depth = 0 if is_annex(para.text) else label_level(para.label) if para.label else 1
            seq = self.doc.heading(para.text, depth=depth, label=para.label, calls=calls, line=line, page=page)
        else:
            seq = self.doc.paragraph(para.text, label=para.label, calls=calls, line=line, page=page)
        # The masthead (meeting, place and dates, symbol) stands above the title in small type.
        if style != "title" and not is_masthead(para.text):
            self.in_title = False
        for _, number in para.calls:
            self.callers.setdefault(number, seq)
        self.last_seq_on_page[para.page.index] = seq

    def line(self, page: Page, line: Line, *, same_column: bool) -> None:
        label, rest = line.label()
        whole = line.whole()
        para = self.open
        # What looks like a number opening the line carries on a paragraph whose last line
        # ran to the edge mid-sentence: a number or symbol broken over two lines.
        carried = label is None or (para is not None and self._broken_off(para, line))
        if para and carried and self._continues(para, line, whole, same_column=same_column):
            para.add(whole, line)
            return
        if label is None:
            label, rest = line.inline_label()
        self._close()
        self.open = _Paragraph(page, line, label)
        self.open.add(rest, line)

    @staticmethod
    def _broken_off(para: _Paragraph, line: Line) -> bool:
        last = para.lines[-1]
        return (last.edge - last.x1) <= BROKEN_OFF_SHORTFALL * line.size and not para.text.endswith(_SENTENCE_END)

    def other(self, page: Page, item: Table | Figure) -> None:
        self._close()
        if isinstance(item, Table):
            for k, row in enumerate(item.rows):  # each row takes a line of its own (read_page)
                seq = self.doc.row(CELL_SEPARATOR.join(row), line=item.number + k, page=page.number)
        else:
            text = join_fragments(item.fragments)
            seq = self.doc.paragraph(text, kind=Kind.FIGURE, line=item.number, page=page.number)
        self.in_title = False
        self.last_seq_on_page[page.index] = seq

    def run(self) -> None:
        notes: list[tuple[Page, Note]] = []
        for page in self.pages:
            for k, item in enumerate(page.body):
                if isinstance(item, Line):
                    same = k > 0 and k not in page.column_breaks and isinstance(page.body[k - 1], Line)
                    self.line(page, item, same_column=same)
                else:
                    self.other(page, item)
            for note in page.notes:
                if note.number is not None:
                    notes.append((page, note))
                elif notes and notes[-1][0].index == page.index - 1:
                    # A note's lines continued at the foot of the next page join it.
                    notes[-1][1].text = join_lines([notes[-1][1].text, note.text])
                else:
                    # Small type at the foot of a page that continues no note is a paragraph.
                    self._close()
                    seq = self.doc.paragraph(note.text, line=note.line, page=page.number)
                    self.last_seq_on_page[page.index] = seq
        self._close()
        self._footnotes(notes)

    def _footnotes(self, notes: list[tuple[Page, Note]]) -> None:
        """Each note linked to the passage calling it, else to the last passage before it
        (a note before any passage is one itself)."""
        for page, note in notes:
            before = [seq for index, seq in self.last_seq_on_page.items() if index <= page.index]
            number = note.number or 0
            caller = self.callers.get(number, max(before, default=0))
            if caller:
                self.doc.footnote(number, note.text, called_from=caller, line=note.line, page=page.number)
            else:
                self.doc.paragraph(f"{number} {note.text}", line=note.line, page=page.number)


@dataclass(frozen=True, slots=True)
class PdfReading:
    """A PDF read: its Document, and the running headers, footers and page numbers left out of it."""

    document: Document
    furniture: list[str]


def read_pdf(data: bytes, *, doc_id: str, source: str, sha256: str, max_pages: int = MAX_PDF_PAGES) -> Document:
    """Read one PDF into a Document of cited passages.

    Raises NotADocument for a scan (no text layer) or one over the page limit, and
    CorpusError for an encrypted or broken file, each naming the file.
    """
    return read_pdf_reading(data, doc_id=doc_id, source=source, sha256=sha256, max_pages=max_pages).document


def read_pdf_reading(
    data: bytes, *, doc_id: str, source: str, sha256: str, max_pages: int = MAX_PDF_PAGES
) -> PdfReading:
    """``read_pdf``, with what was left out as page furniture."""
    try:
        layer = read_text_layer(data, source, max_pages)
        if not any(run.text.strip() for content in layer.pages for run in content.runs):
            raise NotADocument(source, "no text layer (scanned?)")
        return _assemble(layer, DocumentBuilder(doc_id=doc_id, source=source, sha256=sha256))
    except CorpusError:
        raise
    except Exception as error:  # one odd PDF must not stop a run over a folder
        reason = f"{type(error).__name__}: {error}"
        raise CorpusError(source, f"could not be read ({reason}; a bug in the PDF reader)") from error


def _assemble(layer: TextLayer, doc: DocumentBuilder) -> PdfReading:
    contents = layer.pages
    sizes: Counter[float] = Counter()
    for content in contents:
        for run in content.runs:
            sizes[round(run.size, 1)] += len(run.text)
    body_size = sizes.most_common(1)[0][0]
    lines = [group_lines((run for run in c.runs if run.figure is None), c.rules) for c in contents]
    furniture = repeated_furniture([(page_lines, c.height) for page_lines, c in zip(lines, contents, strict=True)])
    pages = []
    for index, (page_lines, content) in enumerate(zip(lines, contents, strict=True)):
        figures: dict[int, list[Run]] = {}
        for run in content.runs:
            if run.figure is not None:
                figures.setdefault(run.figure, []).append(run)
        pages.append(
            read_page(
                index,
                page_lines,
                list(figures.values()),
                content.rules,
                width=content.width,
                height=content.height,
                body_size=body_size,
                furniture=furniture,
            )
        )
    assembler = _Assembler(doc, pages)
    assembler.run()
    removed = [text for page in pages for text in page.furniture]
    symbol = document_symbol(removed)
    # The title: the file's own, else its first lines in large type, else its symbol, else its name.
    built = doc.build(title=layer.title or (None if assembler.titled else symbol))
    if built.symbol is None:
        built = replace(built, symbol=symbol)
    return PdfReading(built, removed)
