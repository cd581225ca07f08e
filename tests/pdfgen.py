"""Build PDF test fixtures from text exports, laid out as ITU Council documents are.

ReportLab draws every page by hand (no flowables), so the fixture controls exactly
what a PDF reader has to undo: a running header with the document symbol and a
footer with the page number on every page, headings in larger or bold type,
numbered paragraphs with the number hanging in the margin, footnote calls as
superscripts and their notes at the foot of the page below a short rule,
paragraphs broken across pages, pages in two columns and tables with ruled cells.
Chinese text uses ReportLab's built-in CID font STSong-Light, so no font file is
needed.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from itudocs.corpus.model import Document, Kind
from itudocs.corpus.text import is_han

CJK = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(CJK))

WIDTH, HEIGHT = A4
LEFT, RIGHT = 72.0, WIDTH - 72.0
TOP, BOTTOM = HEIGHT - 90.0, 72.0
HANG = 42.0  # where the text of a numbered paragraph starts, right of its number
BODY, LEADING, GAP = 11.0, 16.0, 7.0
HEADING = 13.0
NOTE, NOTE_LEADING = 8.5, 11.0
SUPER = 6.5
GUTTER = 20.0


@dataclass(slots=True)
class Style:
    """Fonts for one language version: Chinese headings are larger, English ones bold."""

    body: str = CJK
    heading: str = CJK
    heading_size: float = HEADING
    latin: bool = False


CHINESE = Style()
ENGLISH = Style(body="Times-Roman", heading="Times-Bold", heading_size=BODY, latin=True)


@dataclass(slots=True)
class Block:
    """One thing to lay out: a paragraph, heading, table or figure."""

    text: str
    label: str | None = None
    heading: bool = False
    title: bool = False
    calls: dict[int, int] = field(default_factory=dict)  # offset → footnote number
    rows: Sequence[Sequence[str]] = ()
    fragments: Sequence[str] = ()
    columns: bool = False  # set in two columns with the blocks around it that also are


def _wrap(text: str, font: str, size: float, width: float, latin: bool) -> list[tuple[int, int]]:
    """Line breaks as a word processor makes them: anywhere in Chinese, at spaces in English."""
    lines: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        end = start
        last_space = -1
        while end < len(text) and pdfmetrics.stringWidth(text[start : end + 1], font, size) <= width:
            if text[end] == " ":
                last_space = end
            end += 1
        if end < len(text) and latin and last_space > start:
            end = last_space + 1
        elif end < len(text) and not latin and not is_han(text[end]) and text[end].isascii():
            # do not cut inside a Latin word or number in Chinese text
            back = end
            while back > start and text[back - 1].isascii() and text[back - 1] not in " ":
                back -= 1
            end = back if back > start else end
        lines.append((start, end))
        start = end
        while latin and start < len(text) and text[start] == " ":
            start += 1
    return lines


class Layout:
    """Draws blocks onto pages, flowing text and footnotes as a word processor does."""

    def __init__(self, *, symbol: str, meeting: str, style: Style, notes: dict[int, str], first_page: int = 1) -> None:
        self.buffer = io.BytesIO()
        self.canvas = Canvas(self.buffer, pagesize=A4, invariant=1)
        self.symbol, self.meeting, self.style, self.notes = symbol, meeting, style, notes
        self.page = first_page
        self.y = TOP
        self.page_notes: list[int] = []
        self.col_left, self.col_right = LEFT, RIGHT
        self.column_top = TOP
        self._start_page()

    # --- page furniture ---------------------------------------------------------

    def _start_page(self) -> None:
        c = self.canvas
        c.setFont(self.style.body, 9)
        c.drawString(LEFT, HEIGHT - 50, self.meeting)
        c.drawRightString(RIGHT, HEIGHT - 50, self.symbol)
        c.drawCentredString(WIDTH / 2, 40, f"– {self.page} –")
        self.y = TOP
        self.page_notes = []

    def _note_lines(self, number: int) -> list[str]:
        text = self.notes[number]
        return [text[a:b] for a, b in _wrap(text, self.style.body, NOTE, RIGHT - LEFT - 12, self.style.latin)]

    def _notes_height(self, numbers: Iterable[int]) -> float:
        lines = sum(len(self._note_lines(n)) for n in numbers)
        return 0.0 if not lines else 14.0 + lines * NOTE_LEADING

    def _finish_page(self, *, last: bool = False) -> None:
        c = self.canvas
        if self.page_notes:
            top = BOTTOM + self._notes_height(self.page_notes)
            c.setLineWidth(0.5)
            c.line(LEFT, top - 4, LEFT + 144, top - 4)
            y = top - 16
            for number in self.page_notes:
                c.setFont(self.style.body, SUPER)
                c.drawString(LEFT, y + 3, str(number))
                c.setFont(self.style.body, NOTE)
                for text in self._note_lines(number):
                    c.drawString(LEFT + 12, y, text)
                    y -= NOTE_LEADING
        c.showPage()
        if not last:
            self.page += 1
            self._start_page()

    def _room(self, height: float, notes: Sequence[int] = ()) -> bool:
        return self.y - height >= BOTTOM + self._notes_height([*self.page_notes, *notes])

    # --- text ----------------------------------------------------------------------

    def _draw_line(self, x: float, text: str, font: str, size: float, calls: dict[int, int], offset: int) -> None:
        """One line of text starting at ``offset`` of its paragraph, with superscript calls."""
        c = self.canvas
        pos = x
        start = 0
        for at, number in sorted((o - offset, n) for o, n in calls.items() if offset < o <= offset + len(text)):
            piece = text[start:at]
            c.setFont(font, size)
            c.drawString(pos, self.y, piece)
            pos += pdfmetrics.stringWidth(piece, font, size)
            c.setFont(self.style.body, SUPER)
            c.drawString(pos + 0.5, self.y + size * 0.4, str(number))
            pos += pdfmetrics.stringWidth(str(number), self.style.body, SUPER) + 1
            start = at
        c.setFont(font, size)
        c.drawString(pos, self.y, text[start:])

    def text_block(self, block: Block) -> None:
        style = self.style
        font = style.heading if block.heading else style.body
        size = 20.0 if block.title else style.heading_size if block.heading else BODY
        leading = LEADING * size / BODY
        indent = HANG if block.label is not None else 0
        lines = _wrap(block.text, font, size, self.col_right - self.col_left - indent, style.latin)
        if block.heading and not self._room(leading * (len(lines) + 1)):
            self._finish_page()  # keep a heading with the line after it
        for i, (a, b) in enumerate(lines):
            calls = [n for o, n in block.calls.items() if a < o <= b or (o == a == 0)]
            if not self._room(leading, calls):
                self._column_break()
            if i == 0 and block.label:
                self.canvas.setFont(font, size)
                self.canvas.drawString(self.col_left, self.y, block.label)
            self._draw_line(self.col_left + indent, block.text[a:b], font, size, block.calls, a)
            self.page_notes += calls
            self.y -= leading
        self.y -= GAP

    def _column_break(self) -> None:
        if self.col_left == LEFT and self.col_right < RIGHT:  # left column full: go right
            self.col_left, self.col_right = (LEFT + RIGHT + GUTTER) / 2, RIGHT
            self.y = self.column_top
            return
        self._finish_page()
        if self.col_right < RIGHT or self.col_left > LEFT:
            self.col_left, self.col_right = LEFT, (LEFT + RIGHT - GUTTER) / 2
            self.column_top = TOP

    def columns(self, on: bool) -> None:
        if on:
            self.column_top = self.y
            self.col_left, self.col_right = LEFT, (LEFT + RIGHT - GUTTER) / 2
        else:
            self.col_left, self.col_right = LEFT, RIGHT
            self._finish_page()

    def table(self, rows: Sequence[Sequence[str]]) -> None:
        """A table with a rule around every cell; a cell's text wraps within it."""
        c = self.canvas
        width = (RIGHT - LEFT) / len(rows[0])
        wrapped = [
            [[cell[a:b] for a, b in _wrap(cell, self.style.body, BODY, width - 6, self.style.latin)] for cell in row]
            for row in rows
        ]
        heights = [max(1, *(len(cell) for cell in row)) * LEADING + 6 for row in wrapped]
        if not self._room(sum(heights)):
            self._finish_page()
        top = self.y + BODY
        c.setLineWidth(0.5)
        c.setFont(self.style.body, BODY)
        y = top
        for row, height in zip(wrapped, heights, strict=True):
            c.line(LEFT, y, RIGHT, y)
            for k, cell in enumerate(row):
                for n, text in enumerate(cell):
                    c.drawString(LEFT + k * width + 3, y - BODY - 2 - n * LEADING, text)
            y -= height
        c.line(LEFT, y, RIGHT, y)
        for k in range(len(rows[0]) + 1):
            c.line(LEFT + k * width, top, LEFT + k * width, y)
        self.y = y - LEADING

    def figure(self, fragments: Sequence[str]) -> None:
        """Fragments in boxes, four to a row: an embedded diagram, drawn as a form XObject
        at its own origin and placed on the page by a transformation, as Word does."""
        c = self.canvas
        per_row, box_h = 4, 28.0
        rows = (len(fragments) + per_row - 1) // per_row
        height = rows * (box_h + 10)
        if not self._room(height):
            self._finish_page()
        name = f"figure{self.page}"
        c.beginForm(name)
        width = (RIGHT - LEFT) / per_row
        for i, fragment in enumerate(fragments):
            x = (i % per_row) * width
            y = height - (i // per_row) * (box_h + 10) - box_h
            c.rect(x + 4, y, width - 8, box_h)
            c.setFont(self.style.body, 8)
            c.drawString(x + 8, y + 10, fragment)
        c.endForm()
        c.saveState()
        c.translate(LEFT, self.y - height)
        c.doForm(name)
        c.restoreState()
        self.y -= height + GAP

    def render(self, blocks: Iterable[Block]) -> bytes:
        in_columns = False
        for block in blocks:
            if block.columns != in_columns:
                self.columns(block.columns)
                in_columns = block.columns
            if block.rows:
                self.table(block.rows)
            elif block.fragments:
                self.figure(block.fragments)
            else:
                self.text_block(block)
        self._finish_page(last=True)
        self.canvas.save()
        return self.buffer.getvalue()


def blocks_of_export(
    export: Document,
    *,
    figures: dict[int, Sequence[str]] | None = None,
    columns: Iterable[int] = (),
) -> tuple[list[Block], dict[int, str]]:
    """The blocks a text export was made from, and its footnotes by number.

    ``figures`` gives the fragments of figure passages by seq; passages whose seq is in
    ``columns`` are set in two columns.
    """
    notes = {p.citation.footnote: p.text for p in export.passages if p.kind is Kind.FOOTNOTE}
    in_columns = set(columns)
    blocks = []
    in_title = True
    for p in export.passages:
        if p.kind is Kind.FOOTNOTE:
            continue
        title = in_title and p.kind is Kind.HEADING and not p.citation.section and p.text in export.title
        in_title = title
        calls = {call.offset: call.number for call in p.calls}
        fragments = (figures or {}).get(p.seq, ())
        blocks.append(
            Block(
                p.text,
                p.citation.label,
                heading=p.kind is Kind.HEADING,
                title=title,
                calls=calls,
                fragments=fragments,
                columns=p.seq in in_columns,
            )
        )
    return blocks, notes  # type: ignore[return-value]


def pdf_of_blocks(
    blocks: Iterable[Block],
    notes: dict[int, str],
    *,
    symbol: str,
    meeting: str,
    style: Style = CHINESE,
    first_page: int = 1,
) -> bytes:
    """A council document of ``blocks``: ``symbol`` in the running header, pages numbered from ``first_page``."""
    return Layout(symbol=symbol, meeting=meeting, style=style, notes=notes, first_page=first_page).render(blocks)
