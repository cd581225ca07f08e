"""Read a born-digital PDF (one with a text layer) into cited passages.

PDFium (through pypdfium2) gives each piece of text drawn on a page with its
position, type size and font; ``corpus.layout`` turns the pieces into lines in
reading order, without headers, footers and footnotes; this module joins the lines
into paragraphs across line, column and page breaks and tells headings (larger or
bold type) from body text.  Numbered paragraphs keep their numbers as labels,
footnotes are linked both ways to their superscript calls, ruled tables give one
passage per row and the text of embedded drawings becomes figure text.  Each
passage is cited by the page number printed on its page (else the page's position
in the file) and its line on that page.  There is no OCR: a scan is skipped.
"""

from __future__ import annotations

import ctypes
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from itertools import pairwise
from types import ModuleType

from itudocs.corpus.builder import DocumentBuilder
from itudocs.corpus.errors import CorpusError, NotADocument
from itudocs.corpus.labels import Style, is_annex, label_level, label_style
from itudocs.corpus.layout import (
    Chunk,
    Figure,
    Line,
    Note,
    Page,
    Rule,
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
from itudocs.corpus.rawtext import CELL_SEPARATOR, join_fragments
from itudocs.corpus.text import is_wide

# Type this much larger than the body text is a heading, and larger still on the first page a title.
HEADING_GROWTH = 1.1
TITLE_GROWTH = 1.45
# Lines further apart than the usual spacing plus this share of the type size are in different paragraphs.
PARAGRAPH_GAP = 0.3
MAX_LINE_PITCH = 1.6
# A line that ends this many characters or fewer short of its column's edge is full.
FULL_LINE_SHORTFALL = 0.7
# Characters a heading in body type may have (see _heading_by_shape).
SHAPED_HEADING_MAX = 40
_BOLD_NAMES = ("bold", "black", "heavy", "semibold", "demi")
_FORCE_BOLD = 1 << 18  # PDF font descriptor flag
_SENTENCE_END = tuple("。；;！？!?…:：.")


def _pdfium() -> tuple[ModuleType, ModuleType]:
    """pypdfium2 and its raw PDFium bindings, imported only when a PDF is read."""
    import pypdfium2
    import pypdfium2.raw

    return pypdfium2, pypdfium2.raw


# --- reading the text layer with PDFium ----------------------------------------------------


# An affine map (a, b, c, d, e, f) as PDF writes them: x' = a·x + c·y + e, y' = b·x + d·y + f.
Transform = tuple[float, float, float, float, float, float]
IDENTITY: Transform = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _then(inner: Transform, outer: Transform) -> Transform:
    """``inner`` followed by ``outer``."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


class _ObjectReader:
    """Reads PDFium's page objects, reusing its buffers: a page holds thousands of them."""

    def __init__(self, raw: ModuleType) -> None:
        self.r = raw
        self.box = [ctypes.c_float() for _ in range(4)]
        self.size = ctypes.c_float()
        self.matrix = raw.FS_MATRIX()
        self.text = ctypes.create_string_buffer(256)
        self.bold: dict[int, bool] = {}

    def _matrix(self, obj: object) -> Transform:
        m = self.matrix
        self.r.FPDFPageObj_GetMatrix(obj, m)
        return (m.a, m.b, m.c, m.d, m.e, m.f)

    def _bounds(self, obj: object) -> tuple[float, float, float, float]:
        left, bottom, right, top = self.box
        self.r.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
        return left.value, bottom.value, right.value, top.value

    def _is_bold(self, font: object) -> bool:
        key = ctypes.cast(font, ctypes.c_void_p).value or 0
        if key not in self.bold:
            r = self.r
            length = r.FPDFFont_GetBaseFontName(font, None, 0)
            name = ctypes.create_string_buffer(max(length, 1))
            r.FPDFFont_GetBaseFontName(font, name, length)
            lowered = name.value.decode("latin-1").lower()
            self.bold[key] = (
                r.FPDFFont_GetWeight(font) >= 600
                or bool(r.FPDFFont_GetFlags(font) & _FORCE_BOLD)
                or any(word in lowered for word in _BOLD_NAMES)
            )
        return self.bold[key]

    def _text(self, obj: object, textpage: object) -> str:
        r = self.r
        length = r.FPDFTextObj_GetText(obj, textpage, None, 0)  # bytes of UTF-16, terminator included
        if length <= 2:
            return ""
        if length > len(self.text):
            self.text = ctypes.create_string_buffer(2 * length)
        r.FPDFTextObj_GetText(obj, textpage, ctypes.cast(self.text, ctypes.POINTER(ctypes.c_ushort)), length)
        return self.text.raw[: length - 2].decode("utf-16-le", errors="replace")

    def _texts(self, textpage: object) -> dict[int, str]:
        """The text of each text object on the page, as PDFium reads it character by character.

        PDFium adds a space where it sees a gap (``FPDFText_IsGenerated``).  Such a space is kept
        only inside an object and between two characters that are not Chinese: the gap LibreOffice
        or Word leave between Chinese and Latin text, or before Chinese punctuation, is layout,
        and where the source had a space a space glyph was drawn.  Between objects the gap
        decides (``corpus.layout``).  A space drawn on its own goes with the text before it.
        """
        r = self.r
        texts: dict[int, list[str]] = {}
        last: int | None = None
        pending = False  # a generated space after the last character
        for index in range(r.FPDFText_CountChars(textpage)):
            ch = _character(r.FPDFText_GetUnicode(textpage, index))
            if r.FPDFText_IsGenerated(textpage, index):
                pending = pending or ch == " "
                continue
            key = ctypes.cast(r.FPDFText_GetTextObject(textpage, index), ctypes.c_void_p).value or last
            if key is None:
                continue
            chars = texts.setdefault(key, [])
            if pending and key == last and chars and not is_wide(chars[-1]) and not is_wide(ch):
                chars.append(" ")
            if ch.isspace() and not "".join(chars).strip() and last is not None and last != key:
                texts[last].append(" ")  # a space drawn as an object of its own
            chars.append(ch)
            last, pending = key, False
        return {key: "".join(chars) for key, chars in texts.items()}

    def _objects(
        self, count: int, get: Callable[[int], object], form: int | None = None, place: Transform = IDENTITY
    ) -> Iterator[tuple]:
        """Each page object as (object, its type, the outermost form it is drawn in, that form's placement)."""
        r = self.r
        for k in range(count):
            obj = get(k)
            kind = r.FPDFPageObj_GetType(obj)
            if kind == r.FPDF_PAGEOBJ_FORM:
                where = _then(self._matrix(obj), place)
                inner = r.FPDFFormObj_CountObjects(obj)
                yield from self._objects(
                    inner, lambda j, o=obj: r.FPDFFormObj_GetObject(o, j), k if form is None else form, where
                )
            else:
                yield obj, kind, form, place

    def page(self, page: object, textpage: object) -> tuple[list[Run], list[Rule]]:
        """The text runs and drawn rules of one page, in page coordinates (points, origin bottom left)."""
        r = self.r
        runs: list[Run] = []
        rules: list[Rule] = []
        texts = self._texts(textpage)
        objects = self._objects(r.FPDFPage_CountObjects(page), lambda k: r.FPDFPage_GetObject(page, k))
        for obj, kind, figure, place in objects:
            if kind == r.FPDF_PAGEOBJ_PATH and figure is None:
                rule = Rule(*self._bounds(obj))
                if rule.horizontal or rule.vertical:
                    rules.append(rule)
            elif kind == r.FPDF_PAGEOBJ_TEXT:
                key = ctypes.cast(obj, ctypes.c_void_p).value
                text = texts[key] if key in texts else self._text(obj, textpage)
                if not text.strip():
                    continue
                left, _, right, _ = self._bounds(obj)
                r.FPDFTextObj_GetFontSize(obj, self.size)
                # Bounds and matrix are in the space of the form holding the text; pages are not rotated.
                a, b, c, d, _, baseline = _then(self._matrix(obj), place) if figure is not None else self._matrix(obj)
                x0, x1 = (place[0] * left + place[4], place[0] * right + place[4])
                scale = abs(a * d - b * c) ** 0.5
                bold = self._is_bold(r.FPDFTextObj_GetFont(obj))
                runs.append(Run(text, x0, x1, baseline, self.size.value * scale, bold, figure))
        return runs, rules


@dataclass(frozen=True, slots=True)
class _PageContent:
    runs: list[Run]
    rules: list[Rule]
    width: float
    height: float


def _character(code: int) -> str:
    """A character of PDFium's text: its mark for a hyphen at a line end (U+0002) is a hyphen."""
    if code == 2:
        return "-"
    return "\ufffd" if 0xD800 <= code <= 0xDFFF else chr(code)


def _said(error: Exception) -> str:
    """What PDFium said about a file, in a few words: ``Data format error``."""
    message = str(error).rstrip(".)")
    return message.rsplit("PDFium: ", 1)[-1]


def _read_pages(data: bytes, where: str, max_pages: int) -> list[_PageContent]:
    pdfium, r = _pdfium()
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if error.err_code in (r.FPDF_ERR_PASSWORD, r.FPDF_ERR_SECURITY):
            raise CorpusError(where, "encrypted") from None
        said = _said(error)
        raise CorpusError(where, f"not a readable PDF ({said})") from None
    try:
        if len(pdf) > max_pages:
            raise NotADocument(where, f"more than the {max_pages}-page limit ({len(pdf)} pages)")
        pages = []
        reader = _ObjectReader(r)
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            try:
                runs, rules = reader.page(page.raw, textpage.raw)
                width, height = page.get_size()
            finally:
                textpage.close()
                page.close()
            pages.append(_PageContent(runs, rules, width, height))
        return pages
    except pdfium.PdfiumError as error:
        raise CorpusError(where, f"damaged PDF ({_said(error)})") from None
    finally:
        pdf.close()


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
    return weights.most_common(1)[0][0] if weights else 10.0


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
        self.callers: dict[int, int] = {}
        self.last_seq_on_page: dict[int, int] = {}

    def _style(self, line: Line) -> str:
        if line.size >= TITLE_GROWTH * self.body:
            return "title"
        if line.size >= HEADING_GROWTH * self.body or (line.bold and line.size >= 0.95 * self.body):
            return "heading"
        return "body"

    def _continues(self, para: _Paragraph, line: Line, rest: Chunk, *, same_column: bool) -> bool:
        """Whether ``line``, which has no number of its own, carries on the open paragraph."""
        last = para.lines[-1]
        if self._style(line) != self._style(para.first) or abs(line.size - last.size) > 0.5:
            return False
        # A line that runs to the edge of its column did not end its paragraph.
        short_by = (last.edge - last.x1) / line.size
        if rest.x0 > para.text_x + 0.8 * line.size and not (len(para.lines) == 1 and short_by <= 1.5):
            return False  # an indented first line, not the hanging indent of a numbered paragraph
        if same_column:
            return last.baseline - line.baseline <= (self.pitch + PARAGRAPH_GAP) * line.size
        # Across a column or page break a paragraph goes on if its last line ran to the edge
        # (a full stop's ink ends half a character short of it), or nearly so without ending
        # a sentence (a word too long for the line was carried over).
        if para.text.endswith(_SENTENCE_END):
            return short_by <= FULL_LINE_SHORTFALL
        return short_by <= 6

    def _close(self) -> None:
        para, self.open = self.open, None
        if para is None or not para.text:
            return
        style = self._style(para.first)
        calls = tuple(FootnoteCall(number=n, offset=o) for o, n in para.calls)
        where = {"line": para.first.number, "page": para.page.number}
        if style == "title" and self.in_title and para.page.index == 0:
            seq = self.doc.title_part(para.text, **where)
        elif style in ("heading", "title") or _heading_by_shape(para):
            depth = 0 if is_annex(para.text) else label_level(para.label) if para.label else 1
            seq = self.doc.heading(para.text, depth=depth, label=para.label, calls=calls, **where)
        else:
            seq = self.doc.paragraph(para.text, label=para.label, calls=calls, **where)
        if style != "title":
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
        return (last.edge - last.x1) <= 0.5 * line.size and not para.text.endswith(_SENTENCE_END)

    def other(self, page: Page, item: Table | Figure) -> None:
        self._close()
        where = {"line": item.number, "page": page.number}
        if isinstance(item, Table):
            for row in item.rows:
                seq = self.doc.paragraph(CELL_SEPARATOR.join(row), **where)
        else:
            seq = self.doc.paragraph(join_fragments(item.fragments), kind=Kind.FIGURE, **where)
        self.in_title = False
        self.last_seq_on_page[page.index] = seq

    def run(self) -> None:
        for page in self.pages:
            for k, item in enumerate(page.body):
                if isinstance(item, Line):
                    same = k > 0 and k not in page.column_breaks and isinstance(page.body[k - 1], Line)
                    self.line(page, item, same_column=same)
                else:
                    self.other(page, item)
        self._close()
        self._footnotes()

    def _footnotes(self) -> None:
        """Each note linked to the passage calling it, else to the last passage before it;
        a note's lines continued at the foot of the next page join it."""
        notes: list[tuple[Page, Note]] = []
        for page in self.pages:
            for note in page.notes:
                if note.number is None and notes:
                    notes[-1][1].text = join_lines([notes[-1][1].text, note.text])
                elif note.number is not None:
                    notes.append((page, note))
        for page, note in notes:
            before = [seq for index, seq in self.last_seq_on_page.items() if index <= page.index]
            caller = self.callers.get(note.number or 0, max(before, default=0))
            if caller:
                self.doc.footnote(note.number or 0, note.text, called_from=caller, line=note.line, page=page.number)


def read_pdf(data: bytes, *, doc_id: str, source: str, sha256: str, max_pages: int = MAX_PDF_PAGES) -> Document:
    """Read one PDF into a Document of cited passages.

    Raises NotADocument for a scan (no text layer) or one over the page limit, and
    CorpusError for an encrypted or broken file, each naming the file.
    """
    contents = _read_pages(data, source, max_pages)
    if not any(run.text.strip() for content in contents for run in content.runs):
        raise NotADocument(source, "no text layer (scanned?)")
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
    doc = DocumentBuilder(doc_id=doc_id, source=source, sha256=sha256)
    _Assembler(doc, pages).run()
    built = doc.build()
    if built.symbol is None:
        built = replace(built, symbol=document_symbol(text for page in pages for text in page.furniture))
    return built
