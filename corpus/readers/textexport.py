"""Read a council document exported from Word as plain text into cited passages.

The export keeps one paragraph per line, numbered ones as ``LABEL<TAB>text``,
Word's markers inline (see ``corpus.markers``), and an embedded diagram as one
short fragment per line with blank lines between.  Headings are not marked, so
they are recognised by shape: short, no closing full stop, and not one item of a
run of sibling list items.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from itudocs.corpus.blocks import is_masthead
from itudocs.corpus.builder import DocumentBuilder
from itudocs.corpus.labels import Style, is_annex, label_level, label_style, split_label
from itudocs.corpus.markers import MarkedLine, read_markers
from itudocs.corpus.model import Document, FootnoteCall, Kind
from itudocs.corpus.rawtext import CELL_SEPARATOR, finish_text, join_fragments, mark_call
from itudocs.corpus.text import HAN, ends_sentence

# The cover-page sections every ITU Council document opens with.
COVER_HEADINGS = frozenset(
    {
        "目的",
        "概要",
        "理事会需采取的行动",
        "需采取的行动",
        "与《战略规划》的关联",
        "财务影响",
        "参考文件",
        "purpose",
        "summary",
        "action required by the council",
        "action required",
        "relevance to the strategic plan",
        "link with the strategic plan",
        "financial implications",
        "references",
    }
)

_RULE = re.compile(r"[_\-=─—–\s]{3,}")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_HAN = re.compile(f"[{HAN}]")

# Heading lengths in Han characters; a Latin character counts half (see _width).
PLAIN_HEADING_MAX = 40
LABELLED_HEADING_MAX = 60
# An embedded diagram: at least this many fragments, one per line, blank lines between.
FIGURE_MIN_FRAGMENTS = 8
FIGURE_FRAGMENT_MAX = 20
# Word exports a diagram's text boxes one per line with one blank line between them: lines
# at most this far apart belong to one run.
FIGURE_LINE_STEP = 2
# A run is a diagram when most of its lines are fragment-short (a box may hold a longer
# caption) and at least half its gaps are blank lines (boxes of one row may follow closely).
FIGURE_SHORT_SHARE = 0.75
FIGURE_SPACED_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    label: str | None
    text: str
    calls: tuple[FootnoteCall, ...]
    notes: tuple[tuple[int, str], ...]
    row: bool = False  # a table row: never a heading, a title or a diagram's fragment

    @property
    def style(self) -> Style | None:
        return label_style(self.label) if self.label else None

    @property
    def level(self) -> int | None:
        return label_level(self.label) if self.label else None


def _read_lines(text: str) -> list[_Line | None]:
    """Each source line with markers removed and its label split off; None for blank lines."""
    lines: list[_Line | None] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        marked = read_markers(raw)
        label, body = split_label(marked.text)
        if not body.strip() or _RULE.fullmatch(body):
            lines.append(None)
            continue
        if _is_row(marked.text, label):
            body, calls = _row(marked)
            lines.append(_Line(number, None, body, calls, marked.notes, row=True))
            continue
        shift = marked.text.find(body)
        calls = tuple(
            FootnoteCall(number=c.number, offset=max(0, min(len(body), c.offset - shift))) for c in marked.calls
        )
        lines.append(_Line(number, label, body, calls, marked.notes))
    return lines


def _is_row(text: str, label: str | None) -> bool:
    """Word exports a table row as its cells with a TAB between them: a TAB that does not
    follow a label, or a second TAB after one, separates cells."""
    head, _, rest = text.strip(" ").partition("\t")
    cells = [cell for cell in text.split("\t") if cell.strip()]
    return len(cells) >= 2 and (label is None or "\t" in rest) and bool(head.strip())


def _row(marked: MarkedLine) -> tuple[str, tuple[FootnoteCall, ...]]:
    """A table row's text, its non-empty cells joined as the other readers join them."""
    raw = marked.text
    for call in sorted(marked.calls, key=lambda c: c.offset, reverse=True):
        raw = raw[: call.offset] + mark_call(call.number) + raw[call.offset :]
    return finish_text(CELL_SEPARATOR.join(cell for cell in raw.split("\t") if finish_text(cell)[0]))


def _runs(filled: list[int]) -> Iterator[list[int]]:
    """Indexes of unlabelled lines, cut where more than one blank line stands between two."""
    start = 0
    while start < len(filled):
        end = start
        while end + 1 < len(filled) and filled[end + 1] - filled[end] <= FIGURE_LINE_STEP:
            end += 1
        yield filled[start : end + 1]
        start = end + 1


def _trimmed(run: list[int], lines: list[_Line | None]) -> list[int]:
    """A run without the prose around a diagram: lines above it stand next to each other,
    or are too long to be fragments, and so are lines below it."""

    def long(i: int) -> bool:
        return (line := lines[i]) is not None and len(line.text) > FIGURE_FRAGMENT_MAX

    while run and (long(run[0]) or run[1:2] == [run[0] + 1]):
        run = run[1:]
    while run and long(run[-1]):
        run = run[:-1]
    return run


def _figure_runs(lines: list[_Line | None]) -> dict[int, int]:
    """Index of each line that opens a diagram → index of its last line."""
    runs: dict[int, int] = {}
    filled = [i for i, line in enumerate(lines) if line is not None and line.label is None and not line.row]
    for found in _runs(filled):
        run = _trimmed(found, lines)
        spaced = sum(1 for a, b in pairwise(run) if b - a == FIGURE_LINE_STEP)
        short = sum(1 for i in run if (line := lines[i]) is not None and len(line.text) <= FIGURE_FRAGMENT_MAX)
        if (
            len(run) >= FIGURE_MIN_FRAGMENTS
            and short >= FIGURE_SHORT_SHARE * len(run)
            and spaced >= FIGURE_SPACED_SHARE * (len(run) - 1)
        ):
            runs[run[0]] = run[-1]
    return runs


def _width(text: str) -> float:
    """Length as a reader sees it: an English heading takes about twice the characters of a Chinese one."""
    han = len(_HAN.findall(text))
    return han + (len(text) - han) / 2


def _is_plain_heading(text: str) -> bool:
    if _width(text) > PLAIN_HEADING_MAX or _URL.search(text) or ends_sentence(text):
        return False
    if text[-1] in "：:" and _width(text) > 10:
        return False
    return any(ch.isalpha() for ch in text)


def _siblings(a: _Line | None, b: _Line | None) -> bool:
    return (
        a is not None
        and b is not None
        and bool(a.label)
        and bool(b.label)
        and a.style == b.style
        and a.level == b.level
    )


def _is_labelled_heading(line: _Line, before: _Line | None, after: _Line | None) -> bool:
    if line.style is Style.BULLET or _width(line.text) > LABELLED_HEADING_MAX:
        return False
    if ends_sentence(line.text) or _URL.search(line.text):
        return False
    return not (_siblings(line, before) or _siblings(line, after))


def _neighbours(lines: list[_Line | None]) -> list[tuple[_Line | None, _Line | None]]:
    """For each line, the nearest non-blank lines before and after it: found in one pass
    each way, as a search from every line would take time quadratic in a long file's lines."""
    before: list[_Line | None] = []
    after: list[_Line | None] = []
    for found, order in ((before, lines), (after, reversed(lines))):
        last = None
        for line in order:
            found.append(last)
            last = line if line is not None else last
    after.reverse()
    return list(zip(before, after, strict=True))


def _is_title_line(line: _Line) -> bool:
    return not line.label and not line.row and _is_plain_heading(line.text) and line.text.lower() not in COVER_HEADINGS


def _continues_title(title: list[_Line], line: _Line) -> bool:
    """Word breaks a long title over lines next to each other; a masthead line is never part of one."""
    if not title or title[-1].number != line.number - 1:
        return False
    return not is_masthead(title[-1].text) and not is_masthead(line.text)


def _title_lines(lines: list[_Line | None]) -> tuple[list[_Line], int]:
    """The title's lines, each broken one joined, and the index of the first line after them.

    Title lines are the heading-like lines before the first cover-page section; a blank
    line separates the title's parts.
    """
    title: list[_Line] = []
    for i, line in enumerate(lines):
        if line is None:
            continue
        if not _is_title_line(line):
            return title, i
        if _continues_title(title, line):
            title[-1] = _Line(title[-1].number, None, join_fragments([title[-1].text, line.text]), (), ())
        else:
            title.append(line)
    return title, len(lines)


def _add_line(doc: DocumentBuilder, line: _Line, neighbours: tuple[_Line | None, _Line | None]) -> int:
    """``line`` as a heading or a paragraph, by its shape and its ``neighbours``'; its seq."""
    number, calls = line.number, line.calls
    if line.row:
        return doc.row(line.text, line=number, calls=calls)
    if not line.label and not line.row and _is_plain_heading(line.text):
        return doc.heading(line.text, depth=0 if is_annex(line.text) else 1, line=number, calls=calls)
    if line.label and _is_labelled_heading(line, *neighbours):
        return doc.heading(line.text, depth=line.level or 1, label=line.label, line=number, calls=calls)
    return doc.paragraph(line.text, label=line.label or None, line=number, calls=calls)


def read_text_export(text: str, *, doc_id: str, source: str, sha256: str) -> Document:
    """Parse one plain-text export into a Document of cited passages: its title lines,
    then each line a heading, a paragraph, a table row or a diagram's fragment."""
    lines = _read_lines(text)
    figures = _figure_runs(lines)
    neighbours = _neighbours(lines)
    doc = DocumentBuilder(doc_id=doc_id, source=source, sha256=sha256)
    title, i = _title_lines(lines)
    for part in title:
        doc.title_part(part.text, line=part.number)
    while i < len(lines):
        line = lines[i]
        if line is None:
            i += 1
            continue
        if i in figures:
            fragments = [f.text for f in lines[i : figures[i] + 1] if f is not None]
            seq = doc.paragraph(join_fragments(fragments), line=line.number, kind=Kind.FIGURE)
            i = figures[i] + 1
        else:
            seq = _add_line(doc, line, neighbours[i])
            i += 1
        for number, note in line.notes:
            doc.footnote(number, note, called_from=seq, line=line.number)
    return doc.build()
