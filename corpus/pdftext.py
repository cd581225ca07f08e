"""The text layer of a PDF as PDFium (through pypdfium2) reads it.

Each piece of text drawn on a page comes with its position, type size and weight, and
each drawn line with its extent: ``corpus.layout`` rebuilds lines, notes and tables from
them.  Text is read character by character, so that the spaces PDFium makes up for gaps
can be told from those drawn (see ``_ObjectReader._texts``).  Annotations that draw text
(form fields, stamps) are flattened into the page first, so their text is read too.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from types import ModuleType
from typing import TYPE_CHECKING

from itudocs.corpus.errors import CorpusError, NotADocument
from itudocs.corpus.layout import Rule, Run
from itudocs.corpus.text import is_wide

if TYPE_CHECKING:
    from pypdfium2 import PdfDocument

_BOLD_NAMES = ("bold", "black", "heavy", "semibold", "demi")
_FORCE_BOLD = 1 << 18  # PDF font descriptor flag
# A font of at least this weight is bold (on the scale where 400 is regular and 700 bold).
BOLD_WEIGHT = 600
# Bytes of the zero unit that ends each UTF-16 string PDFium gives: a string this long is empty.
_TERMINATOR = 2
# What PDFium makes up where it sees a gap: spaces and line breaks.
_GENERATED = (ord(" "), ord("\n"), ord("\r"))


def _pdfium() -> tuple[ModuleType, ModuleType]:
    """pypdfium2 and its raw PDFium bindings, imported only when a PDF is read."""
    import pypdfium2
    import pypdfium2.raw

    return pypdfium2, pypdfium2.raw


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
        # FPDFText_GetTextObject, answering the object's address (an int) rather than a pointer
        # object: it is asked once for every character of every page.
        answers_address = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
        self.object_at = ctypes.cast(raw.FPDFText_GetTextObject, answers_address)

    def _matrix(self, obj: object) -> Transform:
        m = self.matrix
        self.r.FPDFPageObj_GetMatrix(obj, m)
        return (m.a, m.b, m.c, m.d, m.e, m.f)

    def _bounds(self, obj: object) -> tuple[float, float, float, float]:
        left, bottom, right, top = self.box
        self.r.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
        return left.value, bottom.value, right.value, top.value

    def _is_bold(self, font: ctypes._Pointer[ctypes.Structure]) -> bool:
        key = ctypes.cast(font, ctypes.c_void_p).value or 0
        if key not in self.bold:
            r = self.r
            length = r.FPDFFont_GetBaseFontName(font, None, 0)
            name = ctypes.create_string_buffer(max(length, 1))
            r.FPDFFont_GetBaseFontName(font, name, length)
            lowered = name.value.decode("latin-1").lower()
            self.bold[key] = (
                r.FPDFFont_GetWeight(font) >= BOLD_WEIGHT
                or bool(r.FPDFFont_GetFlags(font) & _FORCE_BOLD)
                or any(word in lowered for word in _BOLD_NAMES)
            )
        return self.bold[key]

    def _text(self, obj: object, textpage: object) -> str:
        r = self.r
        length = r.FPDFTextObj_GetText(obj, textpage, None, 0)  # bytes of UTF-16, terminator included
        if length <= _TERMINATOR:
            return ""
        if length > len(self.text):
            self.text = ctypes.create_string_buffer(2 * length)
        r.FPDFTextObj_GetText(obj, textpage, ctypes.cast(self.text, ctypes.POINTER(ctypes.c_ushort)), length)
        return self.text.raw[: length - _TERMINATOR].decode("utf-16-le", errors="replace")

    def _texts(self, textpage: object) -> dict[int, str]:
        """The text of each text object on the page, as PDFium reads it character by character.

        PDFium adds a space where it sees a gap (``FPDFText_IsGenerated``).  Such a space is kept
        only inside an object and between two characters that are not Chinese: the gap LibreOffice
        or Word leave between Chinese and Latin text, or before Chinese punctuation, is layout,
        and where the source had a space a space glyph was drawn.  Between objects the gap
        decides (``corpus.layout``).  A space drawn on its own goes with the text before it.
        """
        r = self.r
        count = r.FPDFText_CountChars(textpage)
        units = self._units(textpage, count)
        object_at = self.object_at
        texts: dict[int, list[str]] = {}
        last: int | None = None
        pending = False  # a generated space after the last character
        high = 0  # the first half of a character outside the BMP, which PDFium gives in two
        for index in range(count):
            code = units[index]
            if 0xD800 <= code <= 0xDFFF:  # PDFium's text gives each character index one unit
                code = r.FPDFText_GetUnicode(textpage, index)
                if code < 0xDC00:
                    high = code
                    continue
            ch = _character(code, high)
            high = 0
            if code in _GENERATED and r.FPDFText_IsGenerated(textpage, index):
                pending = pending or ch == " "
                continue
            key = object_at(textpage, index) or last
            if key is None:
                continue
            chars = texts.setdefault(key, [])
            if pending and key == last and chars and not is_wide(chars[-1]) and not is_wide(ch):
                chars.append(" ")
            if ch == " " and not chars and last is not None and last != key:
                texts[last].append(" ")  # a space drawn as an object of its own
            chars.append(ch)
            last, pending = key, False
        return {key: "".join(chars) for key, chars in texts.items()}

    def _units(self, textpage: object, count: int) -> ctypes.Array[ctypes.c_ushort]:
        """The page's text as PDFium gives it, one UTF-16 unit for each character index."""
        units = (ctypes.c_ushort * (count + 1))()
        self.r.FPDFText_GetText(textpage, 0, count, units)
        return units

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
                    inner, partial(r.FPDFFormObj_GetObject, obj), k if form is None else form, where
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
class PageContent:
    """One page's text runs and rules, and its size in points."""

    runs: list[Run]
    rules: list[Rule]
    width: float
    height: float


def _character(code: int, high: int) -> str:
    """A character of PDFium's text, ``high`` the first half of a surrogate pair before it:
    PDFium's mark for a hyphen at a line end (U+0002) is a hyphen."""
    if code in (2, 0xFFFE):  # U+FFFE where PDFium's text of the whole page has U+0002
        return "-"
    if 0xDC00 <= code <= 0xDFFF:
        return chr(0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00)) if high else "\ufffd"
    if code > 0x10FFFF:  # a broken font's mapping: kept as PDFium's text shows it, two UTF-16 units
        return "".join(chr(unit) for unit in (code & 0xFFFF, code >> 16 & 0xFFFF) if not 0xD800 <= unit <= 0xDFFF)
    return chr(code)


def _said(error: Exception) -> str:
    """What PDFium said about a file, in a few words: ``Data format error``.  PDFium can fail
    and report success; then the file is no PDF it could parse."""
    message = str(error).rstrip(".)")
    said = message.rsplit("PDFium: ", 1)[-1]
    return "PDFium could not parse it" if said.strip().lower() in ("success", "") else said


@dataclass(frozen=True, slots=True)
class TextLayer:
    """What a PDF shows as text: each page's runs and rules, and the title its properties give."""

    pages: list[PageContent]
    title: str | None


def read_text_layer(data: bytes, where: str, max_pages: int) -> TextLayer:
    """The text layer of every page of a PDF; ``where`` names the file in errors.

    Raises CorpusError for an encrypted, damaged or unreadable file and NotADocument for
    one over the page limit, each with PDFium's reason.
    """
    pdfium, r = _pdfium()
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if error.err_code in (r.FPDF_ERR_PASSWORD, r.FPDF_ERR_SECURITY):
            raise CorpusError(where, "encrypted") from None
        raise CorpusError(where, f"not a readable PDF ({_said(error)})") from None
    try:
        if len(pdf) > max_pages:
            raise NotADocument(where, f"more than the {max_pages}-page limit ({len(pdf)} pages)")
        reader = _ObjectReader(r)
        pages = []
        for index in range(len(pdf)):
            try:
                pages.append(_read_page(pdf, index, reader))
            except pdfium.PdfiumError as error:
                raise CorpusError(where, f"damaged PDF (page {index + 1} of {len(pdf)}: {_said(error)})") from None
        return TextLayer(pages, _title(pdf))
    finally:
        pdf.close()


def _read_page(pdf: PdfDocument, index: int, reader: _ObjectReader) -> PageContent:
    r = reader.r
    page = pdf[index]
    unshown = _unshown_annotation_runs(r, page.raw)
    if _has_drawn_annotations(r, page.raw):
        # Form fields and stamps draw their text from their own appearance: made page content
        # here, it is read like the rest.  PDFium wants the page loaded again after that.
        r.FPDFPage_Flatten(page.raw, r.FLAT_NORMALDISPLAY)
        page.close()
        page = pdf[index]
    textpage = page.get_textpage()
    try:
        runs, rules = reader.page(page.raw, textpage.raw)
        width, height = page.get_size()
    finally:
        textpage.close()
        page.close()
    return PageContent(runs + unshown, rules, width, height)


# A note box's text (FreeText) and a form field's value (Widget), where the file draws neither:
# a viewer shows them all the same.  Annotation subtypes as PDFium numbers them.
_FREE_TEXT, _WIDGET = 3, 20
UNSHOWN_SIZE = 10.0  # points: such text has no size of its own


def _unshown_annotation_runs(r: ModuleType, page: object) -> list[Run]:
    """The text of annotations that have no appearance of their own, each as a figure of its own.

    The second route to text PDFium's page objects do not hold: without it a page whose
    only text is such a note box or field value reads as a scan.
    """
    runs = []
    rect = r.FS_RECTF()
    for k in range(r.FPDFPage_GetAnnotCount(page)):
        annot = r.FPDFPage_GetAnnot(page, k)
        try:
            subtype = r.FPDFAnnot_GetSubtype(annot)
            if subtype not in (_FREE_TEXT, _WIDGET) or r.FPDFAnnot_GetAP(annot, 0, None, 0) > _TERMINATOR:
                continue
            text = " ".join(_annotation_value(r, annot, "Contents" if subtype == _FREE_TEXT else "V").split())
            if text and r.FPDFAnnot_GetRect(annot, rect):
                runs.append(Run(text, rect.left, rect.right, rect.top - UNSHOWN_SIZE, UNSHOWN_SIZE, figure=-1 - k))
        finally:
            r.FPDFPage_CloseAnnot(annot)
    return runs


def _annotation_value(r: ModuleType, annot: object, key: str) -> str:
    length = r.FPDFAnnot_GetStringValue(annot, key.encode(), None, 0)  # bytes of UTF-16, terminator included
    if length <= _TERMINATOR:
        return ""
    buffer = (ctypes.c_ushort * (length // 2))()
    r.FPDFAnnot_GetStringValue(annot, key.encode(), buffer, length)
    return bytes(buffer)[:-_TERMINATOR].decode("utf-16-le", errors="replace")


def _has_drawn_annotations(r: ModuleType, page: object) -> bool:
    """Whether the page has annotations other than links and pop-ups, which draw no text."""
    for k in range(r.FPDFPage_GetAnnotCount(page)):
        annot = r.FPDFPage_GetAnnot(page, k)
        try:
            if r.FPDFAnnot_GetSubtype(annot) not in (r.FPDF_ANNOT_LINK, r.FPDF_ANNOT_POPUP):
                return True
        finally:
            r.FPDFPage_CloseAnnot(annot)
    return False


# Titles that name the file or the program, not the document.
_NO_TITLE = re.compile(
    r"^(?:untitled|no title|microsoft word - .*|.*\.(?:docx?|pdf|rtf|odt|indd|tex|dvi))$", re.IGNORECASE
)


def _title(pdf: PdfDocument) -> str | None:
    """The title in the PDF's properties, unless it is empty or only a file name."""
    try:
        title = " ".join(pdf.get_metadata_value("Title").split())
    except (KeyError, ValueError):
        return None
    return title if title and not _NO_TITLE.match(title) else None
