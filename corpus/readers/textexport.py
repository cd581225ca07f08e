"""Read a council document exported from Word as plain text into cited passages.

The export keeps one paragraph per line, numbered ones as ``LABEL<TAB>text``,
Word's markers inline (see ``corpus.markers``), and an embedded diagram as one
short fragment per line with blank lines between.  Headings are not marked, so
they are recognised by shape: short, no closing full stop, and not one item of a
run of sibling list items.
"""

from __future__ import annotations

import re
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


def _figure_runs(lines: list[_Line | None]) -> dict[int, int]:
    """Index of each line that opens a diagram → index of its last line."""
    runs: dict[int, int] = {}
    filled = [i for i, line in enumerate(lines) if line is not None and line.label is None and not line.row]
    start = 0
    while start < len(filled):
        end = start
        while end + 1 < len(filled) and filled[end + 1] - filled[end] <= 2:
            end += 1
        run = filled[start : end + 1]
        start = end + 1
        # A diagram's fragments stand one per line with blank lines between; prose
        # lines above it stand next to each other, or are too long to be fragments.
        while run and (len(lines[run[0]].text) > FIGURE_FRAGMENT_MAX or run[1:2] == [run[0] + 1]):  # type: ignore[union-attr]
            run.pop(0)
        while run and len(lines[run[-1]].text) > FIGURE_FRAGMENT_MAX:  # type: ignore[union-attr]
            run.pop()
        spaced = sum(1 for a, b in pairwise(run) if b - a == 2)
        short = sum(1 for i in run if len(lines[i].text) <= FIGURE_FRAGMENT_MAX)  # type: ignore[union-attr]
        if len(run) >= FIGURE_MIN_FRAGMENTS and short >= 0.75 * len(run) and spaced >= 0.5 * (len(run) - 1):
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


def _neighbours(lines: list[_Line | None], i: int) -> tuple[_Line | None, _Line | None]:
    before = next((line for line in reversed(lines[:i]) if line is not None), None)
    after = next((line for line in lines[i + 1 :] if line is not None), None)
    return before, after


def _is_title_line(line: _Line) -> bool:
    return not line.label and not line.row and _is_plain_heading(line.text) and line.text.lower() not in COVER_HEADINGS


def read_text_export(text: str, *, doc_id: str, source: str, sha256: str) -> Document:
    """Parse one plain-text export into a Document of cited passages.

    Title lines are the heading-like lines before the first cover-page section;
    consecutive ones are one title line broken by Word, a blank line separates parts.
    """
    lines = _read_lines(text)
    figures = _figure_runs(lines)
    doc = DocumentBuilder(doc_id=doc_id, source=source, sha256=sha256)
    title: list[_Line] = []
    in_title = True
    skip_to = -1
    for i, line in enumerate(lines):
        if line is None or i <= skip_to:
            continue
        if in_title and _is_title_line(line):
            # Word breaks a long title over lines; a masthead line is never part of one.
            if (
                title
                and title[-1].number == line.number - 1
                and not is_masthead(title[-1].text)
                and not is_masthead(line.text)
            ):
                title[-1] = _Line(title[-1].number, None, join_fragments([title[-1].text, line.text]), (), ())
            else:
                title.append(line)
            continue
        if in_title:
            in_title = False
            for part in title:
                doc.title_part(part.text, line=part.number)
        if i in figures:
            skip_to = figures[i]
            fragments = [f.text for f in lines[i : skip_to + 1] if f is not None]
            seq = doc.paragraph(join_fragments(fragments), line=line.number, kind=Kind.FIGURE)
        elif not line.label and not line.row and _is_plain_heading(line.text):
            seq = doc.heading(line.text, depth=0 if is_annex(line.text) else 1, line=line.number, calls=line.calls)
        elif line.label and _is_labelled_heading(line, *_neighbours(lines, i)):
            seq = doc.heading(line.text, depth=line.level or 1, label=line.label, line=line.number, calls=line.calls)
        else:
            seq = doc.paragraph(line.text, label=line.label or None, line=line.number, calls=line.calls)
        for number, note in line.notes:
            doc.footnote(number, note, called_from=seq, line=line.number)
    if in_title:  # nothing but title lines: they are the document
        for part in title:
            doc.title_part(part.text, line=part.number)
    return doc.build()
