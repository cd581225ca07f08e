"""From positioned text on PDF pages to lines in reading order.

A PDF holds no paragraphs, only runs of text placed on a page.  This module
rebuilds what a reader sees, whatever library extracted the runs: runs on one
baseline become a line (superscript digits inside it become footnote calls),
running headers and footers are found by repeating on many pages, the notes at
the foot of a page are told from the body by the rule above them and their
smaller type, ruled tables become rows of cells, and a page set in two columns is
read column by column.  ``itudocs.corpus.readers.pdf`` joins the lines into passages.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from itudocs.corpus.labels import label_style
from itudocs.corpus.rawtext import join_fragments
from itudocs.corpus.text import HAN, is_wide

# A run this much smaller than its line, sitting above its baseline, is a superscript.
SUPERSCRIPT_SHRINK = 0.8
# Runs whose baselines differ by less than this share of their size share a line.
BASELINE_TOLERANCE = 0.25
# A horizontal gap this many times the type size separates chunks of a line
# (columns, cells, or a paragraph number and its text, which a tab separates).
CHUNK_GAP = 1.0
APART_GAP = 3.0
# After a paragraph number any visible gap parts it from the text: Word's tab after a number
# too wide for the hanging indent can be as narrow as a fifth of the type size.  Whether
# the line opens a numbered paragraph at all is the next step's to decide (a number
# broken over two lines of Chinese text looks the same).
LABEL_GAP = 0.12
# A narrower gap between two runs is no space (about two thirds of a Latin font's space).
WORD_GAP = 0.2
# A drawn segment or rectangle at most this many points thick and longer than
# RULE_MIN_LENGTH points is a rule (a note separator or a table border), not a dot or a box.
RULE_THICKNESS = 2
RULE_MIN_LENGTH = 5
# A rule or line up to this many points past a table's frame, or past another rule, still meets it.
RULE_SLACK = 2
# Footnotes are set in type smaller than this share of the body text's size.
NOTE_SHRINK = 0.95
# A row of superscript digits at most this share of the type size above a line is that line's calls.
CALL_RISE = 0.7
# A gap whose middle lies between these shares of the page's width may be the gutter of two columns ...
GUTTER_BAND = (0.3, 0.7)
# ... and a page is set in two columns when at least this many lines have such a gap.
MIN_GUTTER_LINES = 3
# The gutter is taken this many points left of where the right column starts, so that column's
# leftmost chunk falls right of it.
GUTTER_MARGIN = 0.5
# A table has at least this many vertical borders (two columns): fewer are a box, a bar or a frame.
MIN_TABLE_BORDERS = 3
# Headers and footers live in the top and bottom tenth of a page ...
MARGIN_BAND = 0.1
# ... and repeat, digits aside, on at least this share of pages (and two).
REPEAT_SHARE = 0.4
_PAGE_NUMBER = re.compile(r"(?:page|p\.|第)?\s*[-–—]?\s*(\d{1,4})\s*[-–—]?\s*(?:页)?", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_HYPHENATED = re.compile(r"[a-z]-$")
_LATIN_END = re.compile(r"(?:[A-Za-z0-9/.&+]|(?<=\S)-)$")  # not a dash with a space before it
_LATIN_START = re.compile(r"[A-Za-z0-9/&+-]")
CONTEXT = 200  # characters before a line break that tell Chinese text from English
_CONNECTORS = "/&+"  # what joins the pieces of a symbol (A/RES/70/1, CWG-WSIS&SDG) and never ends a line of prose
_WIDE = re.compile(f"[{HAN}\u3000-\u303f\uff00-\uffef]")  # what corpus.text.is_wide accepts, for counting
_ASCII_ALNUM = re.compile("[A-Za-z0-9]")
HAN_SHARE = 4  # Han characters and Chinese punctuation outweigh this many Latin letters and digits
_ADDRESS_TAIL = re.compile(r"(?:https?://|www\.)\S*$")
# Labels a paragraph may carry with no gap after them: ``一、背景``, ``（二）职责``.
_INLINE_LABEL = re.compile(r"([一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)])(?=\S)")


@dataclass(frozen=True, slots=True)
class Run:
    """Text drawn in one go: its baseline start, extent, type size and weight.

    ``figure`` numbers the embedded drawing (form) the run is part of, if any.
    """

    text: str
    x0: float
    x1: float
    baseline: float
    size: float
    bold: bool = False
    figure: int | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    """A drawn line segment (or a thin rectangle): a note separator or a table border."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return self.y1 - self.y0 <= RULE_THICKNESS and self.x1 - self.x0 > RULE_MIN_LENGTH

    @property
    def vertical(self) -> bool:
        return self.x1 - self.x0 <= RULE_THICKNESS and self.y1 - self.y0 > RULE_MIN_LENGTH


@dataclass(slots=True)
class Chunk:
    """Part of a line separated from the rest by a wide gap; ``calls`` are (offset, number)."""

    x0: float
    x1: float
    text: str = ""
    calls: list[tuple[int, int]] = field(default_factory=list)


@dataclass(slots=True)
class Line:
    """One line of text on a page, as its chunks, with the size and weight of most of it."""

    baseline: float
    size: float
    bold: bool
    chunks: list[Chunk]
    number: int = 0  # 1-based, in reading order on its page
    edge: float = 0.0  # the right edge of its column: a line that reaches it may go on below

    @property
    def x0(self) -> float:
        return self.chunks[0].x0

    @property
    def x1(self) -> float:
        return self.chunks[-1].x1

    @property
    def text(self) -> str:
        return _merged(self.chunks, self.size).text

    def label(self) -> tuple[str | None, Chunk]:
        """The paragraph number the line opens with, and the rest of its text as one chunk."""
        first = self.chunks[0]
        if len(self.chunks) > 1 and label_style(first.text) is not None and not first.calls:
            return first.text, _merged(self.chunks[1:], self.size)
        return None, _merged(self.chunks, self.size)

    def whole(self) -> Chunk:
        """All of the line's text as one chunk."""
        return _merged(self.chunks, self.size)

    def inline_label(self) -> tuple[str | None, Chunk]:
        """Like ``label``, also taking a Chinese list number written against its text."""
        label, rest = self.label()
        match = _INLINE_LABEL.match(rest.text) if label is None else None
        if not match:
            return label, rest
        cut = match.end()
        calls = [(offset - cut, number) for offset, number in rest.calls]
        return match.group(1), Chunk(rest.x0, rest.x1, rest.text[cut:], calls)


@dataclass(slots=True)
class Table:
    """A ruled table: its rows' cell texts, and where the first row's text stands.

    ``number`` is the first row's line on the page; each row takes one.
    """

    top: float
    rows: list[list[str]]
    number: int = 0


@dataclass(slots=True)
class Figure:
    """The text of an embedded drawing, fragment by fragment in reading order."""

    top: float
    fragments: list[str]
    number: int = 0


@dataclass(slots=True)
class Note:
    """A footnote at the foot of a page, as printed: its number and text."""

    number: int | None
    text: str
    line: int


@dataclass(slots=True)
class Page:
    """A page read into body items in reading order, footnotes, and its printed number."""

    index: int
    body: list[Line | Table | Figure]
    notes: list[Note]
    printed: int | None = None
    furniture: list[str] = field(default_factory=list)
    column_breaks: set[int] = field(default_factory=set)  # body indexes that open a new column

    @property
    def number(self) -> int:
        """The page number as printed, else the page's position in the file."""
        return self.printed if self.printed is not None else self.index + 1


def _append(chunk: Chunk, text: str, calls: Iterable[tuple[int, int]], *, space: bool) -> None:
    if chunk.text.endswith(" "):
        text = text.lstrip(" ")  # a space drawn at the end of one run and the start of the next
    if space and text and chunk.text and not chunk.text.endswith(" ") and not text.startswith(" "):
        chunk.text += " "
    shift = len(chunk.text)
    chunk.text += text
    chunk.calls.extend((offset + shift, number) for offset, number in calls)


def _wide_seam(before: str, after: str) -> bool:
    """Whether Chinese text or punctuation meets other text here: a gap there is layout, not a space."""
    return bool(before and after) and (is_wide(before[-1]) or is_wide(after[0]))


def _merged(chunks: Sequence[Chunk], size: float) -> Chunk:
    """Chunks of one line as one, a space between them unless Chinese text meets across a
    narrow gap (a number and its text, set apart by layout only)."""
    merged = Chunk(chunks[0].x0, chunks[0].x1)
    for chunk in chunks:
        # Chinese punctuation is set in a whole character's width: only a far wider gap parts text.
        wide_apart = chunk.x0 - merged.x1 > APART_GAP * size if merged.text else False
        _append(merged, chunk.text, chunk.calls, space=wide_apart or not _wide_seam(merged.text, chunk.text))
        merged.x1 = chunk.x1
    return merged


def _is_call(run: Run, line_size: float) -> bool:
    # isdecimal, not isdigit: a superscript ``³`` is a digit but no number int() reads.
    return run.size < SUPERSCRIPT_SHRINK * line_size and run.text.strip().isdecimal()


def _rows(runs: Iterable[Run]) -> list[list[Run]]:
    """Runs on one baseline together, top to bottom, each row left to right."""
    rows: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: (-r.baseline, r.x0)):
        if not run.text.strip():
            continue
        row = rows[-1] if rows else None
        if row and abs(row[0].baseline - run.baseline) <= BASELINE_TOLERANCE * max(row[0].size, run.size):
            row.append(run)
        else:
            rows.append([run])
    return [sorted(row, key=lambda r: r.x0) for row in rows]


def group_lines(runs: Iterable[Run], rules: Sequence[Rule] = ()) -> list[Line]:
    """Runs gathered into lines, top to bottom; superscript digits become calls.

    A vertical rule between two runs (a table's cell border) parts them however close they are.
    """
    rows = _rows(runs)
    # A row of superscript digits just above a line of larger type belongs to that line.
    merged: list[list[Run]] = []
    for i, row in enumerate(rows):
        below = rows[i + 1] if i + 1 < len(rows) else None
        if below and all(_is_call(r, max(b.size for b in below)) for r in row):
            size = max(b.size for b in below)
            if 0 < row[0].baseline - below[0].baseline <= CALL_RISE * size:
                below.extend(row)
                continue
        merged.append(row)
    verticals = [rule for rule in rules if rule.vertical]
    return [_line(row, [v.x0 for v in verticals if v.y0 < row[0].baseline < v.y1]) for row in merged]


def _line(runs: list[Run], borders: list[float]) -> Line:
    weights: Counter[tuple[float, bool]] = Counter()
    for run in runs:
        weights[(round(run.size, 1), run.bold)] += len(run.text.strip())
    (size, bold), _ = weights.most_common(1)[0]
    chunks: list[Chunk] = []
    for run in sorted(runs, key=lambda r: r.x0):
        last = chunks[-1] if chunks else None
        gap = run.x0 - last.x1 if last else 0.0
        opens_label = last is not None and len(chunks) == 1 and label_style(last.text.strip()) is not None
        bordered = last is not None and any(last.x1 <= x <= run.x0 for x in borders)
        if last is None or bordered or gap > CHUNK_GAP * size or (opens_label and gap > LABEL_GAP * size):
            last = Chunk(run.x0, run.x1)
            chunks.append(last)
        if _is_call(run, size):
            last.calls.append((len(last.text.rstrip()), int(run.text)))
        else:
            _append(last, run.text, (), space=gap > WORD_GAP * size and not _wide_seam(last.text, run.text))
        last.x1 = max(last.x1, run.x1)
    for chunk in chunks:
        stripped = chunk.text.rstrip()
        chunk.calls = [(min(offset, len(stripped)), number) for offset, number in chunk.calls]
        lead = len(chunk.text) - len(chunk.text.lstrip())
        chunk.text = stripped.lstrip()
        chunk.calls = [(max(0, offset - lead), number) for offset, number in chunk.calls]
    return Line(runs[0].baseline, size, bold, chunks)


def furniture_key(text: str) -> str:
    """What a running header or footer keeps from page to page: its text, numbers aside.

    >>> furniture_key("– 12 –"), furniture_key("C24/53-C")
    ('– # –', 'C#/#-C')
    """
    return _DIGITS.sub("#", " ".join(text.split()))


def page_number(text: str) -> int | None:
    """The number a footer or header line prints as the page number, if it is only that.

    >>> page_number("– 3 –"), page_number("Page 12"), page_number("第4页"), page_number("C24/53")
    (3, 12, 4, None)
    """
    match = _PAGE_NUMBER.fullmatch(text.strip())
    return int(match.group(1)) if match else None


def in_margin(line: Line, height: float) -> bool:
    return line.baseline > height * (1 - MARGIN_BAND) or line.baseline < height * MARGIN_BAND


def repeated_furniture(pages: Sequence[tuple[list[Line], float]]) -> set[str]:
    """Keys of margin lines that repeat on enough pages to be running headers or footers."""
    seen: dict[str, set[int]] = defaultdict(set)
    for index, (lines, height) in enumerate(pages):
        for line in lines:
            if in_margin(line, height):
                seen[furniture_key(line.text)].add(index)
    least = max(2, REPEAT_SHARE * len(pages))
    return {key for key, where in seen.items() if len(where) >= least}


def _tables(lines: list[Line], rules: list[Rule]) -> tuple[list[Table], list[Line]]:
    """Ruled tables on a page, and the lines that are not in one."""
    verticals = sorted((r for r in rules if r.vertical), key=lambda r: -r.y1)
    tables: list[Table] = []
    rest = list(lines)
    for box in _ruled_boxes(verticals):
        found = _table(box, verticals, rules, rest)
        if found is not None:
            table, inside = found
            tables.append(table)
            rest = [line for line in rest if line not in inside]
    return tables, rest


def _ruled_boxes(verticals: list[Rule]) -> list[list[float]]:
    """The extents (x0, y0, x1, y1) of groups of vertical rules that overlap in height."""
    boxes: list[list[float]] = []
    for rule in verticals:
        box = next((b for b in boxes if rule.y1 > b[1] and rule.y0 < b[3]), None)
        if box is None:
            boxes.append([rule.x0, rule.y0, rule.x1, rule.y1])
        else:
            box[:] = [min(box[0], rule.x0), min(box[1], rule.y0), max(box[2], rule.x1), max(box[3], rule.y1)]
    return boxes


def _table(
    box: list[float], verticals: list[Rule], rules: list[Rule], lines: list[Line]
) -> tuple[Table, list[Line]] | None:
    """The table ruled in ``box`` and the lines it holds; None if the rules make no grid.

    Only lines between the top and bottom row borders are the table's: text inside a
    frame but above or below its grid stays text.
    """
    xs = _column_borders(box, verticals)
    if len(xs) < MIN_TABLE_BORDERS:
        return None
    ys = _row_borders(box, rules)
    if len(ys) < 2:
        return None
    inside = _lines_in_grid(box, ys, lines)
    if not inside:
        return None
    return Table(max(line.baseline for line in inside), _table_rows(inside, xs, ys)), inside


def _column_borders(box: list[float], verticals: list[Rule]) -> list[int]:
    """Where the vertical rules within ``box`` stand, left to right."""
    x0, y0, x1, y1 = box
    return sorted({round(r.x0) for r in verticals if y0 <= r.y0 and r.y1 <= y1 and x0 <= r.x0 <= x1})


def _row_borders(box: list[float], rules: list[Rule]) -> list[int]:
    """Where the horizontal rules across ``box`` stand, top to bottom."""
    x0, y0, x1, y1 = box
    return sorted(
        {
            round(r.y0)
            for r in rules
            if r.horizontal and y0 - RULE_SLACK <= r.y0 <= y1 + RULE_SLACK and r.x0 < x1 and r.x1 > x0
        },
        reverse=True,
    )


def _lines_in_grid(box: list[float], ys: list[int], lines: list[Line]) -> list[Line]:
    """The lines between the top and bottom row borders ``ys`` that start within ``box``."""
    x0, _, x1, _ = box
    return [line for line in lines if ys[-1] <= line.baseline <= ys[0] and x0 - RULE_SLACK <= line.x0 <= x1]


def _table_rows(inside: list[Line], xs: list[int], ys: list[int]) -> list[list[str]]:
    """The cell texts of each row between two row borders that holds any text; a line on
    the top border belongs to the first row."""
    rows = []
    for k, (top, bottom) in enumerate(pairwise(ys)):
        band = [line for line in inside if bottom <= line.baseline < top or (k == 0 and line.baseline == top)]
        texts = _cells(band, xs)
        if any(texts):
            rows.append(texts)
    return rows


def _cells(lines: list[Line], xs: list[int]) -> list[str]:
    """The text of each cell of one row, its borders at ``xs``; text outside them goes to the nearest cell."""
    cells: list[list[str]] = [[] for _ in xs[1:]]
    for line in lines:
        for chunk in line.chunks:
            middle = (chunk.x0 + chunk.x1) / 2
            k = next((k for k, (a, b) in enumerate(pairwise(xs)) if a <= middle < b), 0 if middle < xs[0] else -1)
            cells[k].append(chunk.text)
    return [join_fragments(cell) for cell in cells]


def _note_separator(lines: list[Line], rules: list[Rule], body_size: float) -> float | None:
    """The height below which a page's lines are footnotes, if it has any."""
    verticals = [r for r in rules if r.vertical]
    candidates = [r for r in rules if r.horizontal and not any(_meets(r, v) for v in verticals)]
    for rule in sorted(candidates, key=lambda r: r.y0):
        below = [line for line in lines if line.baseline < rule.y0]
        if below and all(line.size < NOTE_SHRINK * body_size for line in below):
            return rule.y0
    # No rule: the last lines of the page in smaller type, the first of them numbered.
    cut = None
    for line in sorted(lines, key=lambda line: line.baseline):
        if line.size >= NOTE_SHRINK * body_size:
            break
        if (line.chunks[0].calls and line.chunks[0].calls[0][0] == 0) or line.chunks[0].text[:1].isdigit():
            cut = line.baseline + line.size
    return cut


def _meets(horizontal: Rule, vertical: Rule) -> bool:
    """Whether two rules cross or touch, to within ``RULE_SLACK``: a table's border, not a note separator."""
    return (
        vertical.y0 - RULE_SLACK <= horizontal.y0 <= vertical.y1 + RULE_SLACK
        and horizontal.x0 - RULE_SLACK <= vertical.x0 <= horizontal.x1 + RULE_SLACK
    )


def _notes(lines: list[Line]) -> list[Note]:
    """Footnote texts: a line opening with a number (raised or not) starts one, others continue it."""
    notes: list[Note] = []
    for line in sorted(lines, key=lambda line: -line.baseline):
        first = line.chunks[0]
        number: int | None = None
        text = line.text
        if first.calls and first.calls[0][0] == 0:
            number = first.calls[0][1]
        else:
            label, rest = line.label()
            if label and label.isdigit():
                number, text = int(label), rest.text
        if number is None and notes:
            notes[-1].text = join_lines([notes[-1].text, text])
        else:
            notes.append(Note(number, text, line.number))
    return notes


def _columns(lines: list[Line], width: float) -> tuple[list[Line], set[int]]:
    """Lines in reading order: where the page is set in two columns, the left one first.

    Returns the lines and the positions of those that open a column.
    """
    # The right column starts where text resumes after a gap mid-page, on lines with text both sides.
    low, high = GUTTER_BAND[0] * width, GUTTER_BAND[1] * width
    starts = []
    for line in lines:
        gaps = [b.x0 for a, b in pairwise(line.chunks) if low < (a.x1 + b.x0) / 2 < high]
        if gaps:
            starts.append(gaps[0])
    if len(starts) < MIN_GUTTER_LINES:
        _set_edges(lines)
        return lines, set()
    gutter = min(starts) - GUTTER_MARGIN
    ordered: list[Line] = []
    opens: set[int] = set()
    left: list[Line] = []
    right: list[Line] = []

    def flush() -> None:
        if right:
            opens.add(len(ordered) + len(left))
        ordered.extend(left)
        ordered.extend(right)
        left.clear()
        right.clear()

    sides: tuple[list[Line], list[Line], list[Line]] = ([], [], [])  # full width, left, right
    for line in lines:
        if any(c.x0 < gutter < c.x1 for c in line.chunks):
            flush()
            ordered.append(line)
            sides[0].append(line)
            continue
        parts = ([c for c in line.chunks if c.x1 <= gutter], [c for c in line.chunks if c.x0 >= gutter])
        for side, every, chunks in zip((left, right), sides[1:], parts, strict=True):
            if chunks:
                side.append(Line(line.baseline, line.size, line.bold, chunks))
                every.append(side[-1])
    flush()
    for side in sides:
        _set_edges(side)
    return ordered, opens


def _set_edges(lines: list[Line]) -> None:
    edge = max((line.x1 for line in lines), default=0.0)
    for line in lines:
        line.edge = edge


def read_page(
    index: int,
    lines: list[Line],
    figures: list[list[Run]],
    rules: list[Rule],
    *,
    width: float,
    height: float,
    body_size: float,
    furniture: set[str],
) -> Page:
    """One page's body in reading order, its footnotes and its printed number.

    ``lines`` are the page's lines outside drawings (``group_lines``), ``figures`` the
    runs of each drawing, ``furniture`` the keys of the document's running headers and footers.
    """
    page = Page(index, [], [])
    body, above = _strip_furniture(page, lines, height, furniture)
    separator = _note_separator(body, rules, body_size)
    note_lines = [line for line in body if separator is not None and line.baseline < separator]
    body = [line for line in body if line not in note_lines]
    tables, body = _tables(body, rules)
    ordered, opens = _columns(body, width)
    figured = [Figure(max(r.baseline for r in runs), _fragments(runs)) for runs in figures]
    items, opens = _place_blocks(ordered, opens, [*tables, *figured])
    _number_lines(items, note_lines, above)
    page.body, page.notes, page.column_breaks = items, _notes(note_lines), opens
    return page


def _strip_furniture(page: Page, lines: list[Line], height: float, furniture: set[str]) -> tuple[list[Line], int]:
    """The page's lines less its running headers, footers and page numbers, which go to
    ``page.furniture`` (a page number to ``page.printed``); and how many of those stood
    above the body."""
    body: list[Line] = []
    above = 0
    for line in lines:
        if in_margin(line, height) and (furniture_key(line.text) in furniture or page_number(line.text) is not None):
            page.furniture.append(line.text)
            printed = page_number(line.text)
            page.printed = printed if printed is not None else page.printed
            above += line.baseline > height / 2
        else:
            body.append(line)
    return body, above


def _place_blocks(
    ordered: list[Line], opens: set[int], blocks: list[Table | Figure]
) -> tuple[list[Line | Table | Figure], set[int]]:
    """Tables and figures put where they stand, before the first line below their top;
    the positions that open a column shift with them."""
    items: list[Line | Table | Figure] = list(ordered)
    for block in blocks:
        at = next(
            (i for i, line in enumerate(items) if isinstance(line, Line) and line.baseline < block.top), len(items)
        )
        items.insert(at, block)
        opens = {k + 1 if k >= at else k for k in opens}
    return items, opens


def _number_lines(items: list[Line | Table | Figure], note_lines: list[Line], above: int) -> None:
    """Number the page's lines in reading order after the ``above`` header lines: the body
    (a table's rows one each), then the footnotes top to bottom."""
    number = above
    for item in items:
        item.number = number + 1
        number += len(item.rows) if isinstance(item, Table) else 1
    for line in sorted(note_lines, key=lambda line: -line.baseline):
        number += 1
        line.number = number


def _fragments(runs: list[Run]) -> list[str]:
    return [run.text for row in _rows(runs) for run in row]


def join_lines(lines: Sequence[str]) -> str:
    """Lines of one paragraph as one text: Chinese joins without a space, English with one,
    and a word hyphenated at a line end is whole again.  In Chinese text a Latin word or
    number broken over two lines is whole again too: there a line may break anywhere.

    >>> join_lines(["国际电联为落实", "WSIS成果做出贡献"]), join_lines(["the develop-", "ment of ICT"])
    ('国际电联为落实WSIS成果做出贡献', 'the development of ICT')
    >>> join_lines(["全权代表大会第140号决议（2", "023年修订版）"])
    '全权代表大会第140号决议（2023年修订版）'
    """
    out = ""
    for line in lines:
        hyphenated = _HYPHENATED.search(out) and line[:1].islower()
        if hyphenated:
            out = out[:-1] + line
        elif _LATIN_END.search(out) and _LATIN_START.match(line) and _broken_word(out, line):
            out += line
        else:
            out = join_fragments([out, line])
    return out


def _broken_word(before: str, after: str) -> bool:
    """Whether a line break between Latin text ``before`` and ``after`` fell inside a word:
    in Chinese text (the lines on both sides), in a web address, or at a symbol's slash."""
    return (
        before[-1] in _CONNECTORS
        or after[0] in _CONNECTORS
        or _mostly_han(before[-CONTEXT:] + after[:CONTEXT])
        or _in_address(before)
    )


def _in_address(text: str) -> bool:
    """Whether ``text`` ends inside a web address, which breaks over lines without a space."""
    return _ADDRESS_TAIL.search(text) is not None


def _mostly_han(text: str) -> bool:
    """Chinese enough that a line may have broken inside a Latin word: a list of symbols
    between Chinese words (``A/RES/70/125、A/RES/70/1号决议``) counts."""
    return HAN_SHARE * len(_WIDE.findall(text)) > len(_ASCII_ALNUM.findall(text))
