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

from corpus.labels import Style, is_annex, label_level, label_style, split_label
from corpus.lang import detect_lang, is_han
from corpus.markers import read_markers
from corpus.model import Citation, Document, FootnoteCall, Kind, Passage
from corpus.outline import Outline, heading_text

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
_PURPOSE = frozenset({"目的", "概要", "purpose", "summary"})

_SENTENCE_END = "。；;！？!?…."
_RULE = re.compile(r"[_\-=─—–\s]{3,}")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_OWN_CLAUSE = re.compile(r"(?:本报告|本文件|本文稿|本文|This report|This document)")

PLAIN_HEADING_MAX = 40
LABELLED_HEADING_MAX = 60
TITLE_MAX = 80
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
        shift = marked.text.find(body)
        calls = tuple(
            FootnoteCall(number=c.number, offset=max(0, min(len(body), c.offset - shift))) for c in marked.calls
        )
        lines.append(_Line(number, label, body, calls, marked.notes))
    return lines


def _figure_runs(lines: list[_Line | None]) -> dict[int, int]:
    """Index of each line that opens a diagram → index of its last line."""
    runs: dict[int, int] = {}
    filled = [i for i, line in enumerate(lines) if line is not None and line.label is None]
    start = 0
    while start < len(filled):
        end = start
        while end + 1 < len(filled) and filled[end + 1] - filled[end] <= 2:
            end += 1
        run = filled[start : end + 1]
        start = end + 1
        while run and len(lines[run[0]].text) > FIGURE_FRAGMENT_MAX:  # type: ignore[union-attr]
            run.pop(0)
        while run and len(lines[run[-1]].text) > FIGURE_FRAGMENT_MAX:  # type: ignore[union-attr]
            run.pop()
        spaced = sum(1 for a, b in pairwise(run) if b - a == 2)
        short = sum(1 for i in run if len(lines[i].text) <= FIGURE_FRAGMENT_MAX)  # type: ignore[union-attr]
        if len(run) >= FIGURE_MIN_FRAGMENTS and short >= 0.75 * len(run) and spaced >= 0.5 * (len(run) - 1):
            runs[run[0]] = run[-1]
    return runs


def _is_wide(ch: str) -> bool:
    return is_han(ch) or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"


def join_fragments(fragments: list[str]) -> str:
    """Join diagram fragments: no space next to Chinese text, one space between Latin ones.

    >>> join_fragments(["国际电联全权代表大会：第", "140", "号决议", "ITU", "UNESCO"])
    '国际电联全权代表大会：第140号决议ITU UNESCO'
    """
    out = ""
    for fragment in (f.strip() for f in fragments):
        if not fragment:
            continue
        if out and not (_is_wide(out[-1]) or _is_wide(fragment[0])):
            out += " "
        out += fragment
    return out


def _ends_sentence(text: str) -> bool:
    return text[-1] in _SENTENCE_END


def _is_plain_heading(text: str) -> bool:
    if len(text) > PLAIN_HEADING_MAX or _URL.search(text) or _ends_sentence(text):
        return False
    if text[-1] in "：:" and len(text) > 10:
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
    if line.style is Style.BULLET or len(line.text) > LABELLED_HEADING_MAX:
        return False
    if _ends_sentence(line.text) or _URL.search(line.text):
        return False
    return not (_siblings(line, before) or _siblings(line, after))


def _neighbours(lines: list[_Line | None], i: int) -> tuple[_Line | None, _Line | None]:
    before = next((line for line in reversed(lines[:i]) if line is not None), None)
    after = next((line for line in lines[i + 1 :] if line is not None), None)
    return before, after


def _fallback_title(purpose: str | None, doc_id: str) -> str:
    """A title from the purpose statement's first sentence, from its own clause on."""
    if not purpose:
        return doc_id
    sentence = re.split(r"(?<=[。.!?！？])", purpose, maxsplit=1)[0].rstrip("。.")
    own = _OWN_CLAUSE.search(sentence)
    if own and sentence[own.start() - 1 : own.start()] in ("，", ",", " "):
        sentence = sentence[own.start() :]
    return sentence if len(sentence) <= TITLE_MAX else sentence[: TITLE_MAX - 1] + "…"


def read_text_export(text: str, *, doc_id: str, source: str, sha256: str) -> Document:
    """Parse one plain-text export into a Document of cited passages."""
    lines = _read_lines(text)
    figures = _figure_runs(lines)
    doc_lang = detect_lang(text)
    outline = Outline()
    body: list[dict] = []
    notes: list[dict] = []
    title_parts: list[list[_Line]] = []
    purpose: str | None = None
    in_title = True
    previous_blank = True
    skip_to = -1

    def emit(kind: Kind, line: _Line, text: str, label: str | None, section: tuple[str, ...]) -> None:
        seq = len(body) + 1
        body.append(
            dict(seq=seq, kind=kind, text=text, label=label, section=section, line=line.number, calls=line.calls)
        )
        for number, note in line.notes:
            notes.append(dict(number=number, text=note, section=section, line=line.number, called_from=seq))

    for i, line in enumerate(lines):
        if i <= skip_to:
            continue
        if line is None:
            previous_blank = True
            continue
        if i in figures:
            skip_to = figures[i]
            fragments = [f.text for f in lines[i : skip_to + 1] if f is not None]
            emit(Kind.FIGURE, line, join_fragments(fragments), None, outline.path)
            continue
        plain = not line.label
        if in_title:
            if plain and _is_plain_heading(line.text) and line.text.lower() not in COVER_HEADINGS:
                if previous_blank or not title_parts:
                    title_parts.append([line])
                else:
                    title_parts[-1].append(line)
                previous_blank = False
                continue
            in_title = False
        previous_blank = False
        before, after = _neighbours(lines, i)
        if plain and _is_plain_heading(line.text):
            outline.enter(0 if is_annex(line.text) else 1, line.text)
            emit(Kind.HEADING, line, line.text, None, outline.path[:-1])
        elif not plain and _is_labelled_heading(line, before, after):
            outline.enter(line.level or 1, heading_text(line.label, line.text))
            emit(Kind.HEADING, line, line.text, line.label, outline.path[:-1])
        else:
            emit(Kind.PARAGRAPH, line, line.text, line.label or None, outline.path)
            if purpose is None and outline.path and outline.path[-1].lower() in _PURPOSE:
                purpose = line.text

    titles = ["".join(part.text for part in parts) for parts in title_parts]
    title = "：".join(titles) if titles else _fallback_title(purpose, doc_id)

    passages: list[Passage] = []
    for part in title_parts:
        passages.append(_title_passage(len(passages) + 1, part, doc_id, title, doc_lang))
    offset = len(passages)
    for b in body:
        seq = b["seq"] + offset
        passages.append(
            Passage(
                seq=seq,
                kind=b["kind"],
                text=b["text"],
                lang=detect_lang(b["text"], default=doc_lang),
                calls=b["calls"],
                citation=Citation(doc_id=doc_id, title=title, section=b["section"], label=b["label"], line=b["line"]),
            )
        )
    for n in notes:
        passages.append(
            Passage(
                seq=len(passages) + 1,
                kind=Kind.FOOTNOTE,
                text=n["text"],
                lang=detect_lang(n["text"], default=doc_lang),
                called_from=n["called_from"] + offset,
                citation=Citation(
                    doc_id=doc_id, title=title, section=n["section"], footnote=n["number"], line=n["line"]
                ),
            )
        )
    return Document(doc_id=doc_id, title=title, lang=doc_lang, source=source, sha256=sha256, passages=tuple(passages))


def _title_passage(seq: int, part: list[_Line], doc_id: str, title: str, lang: str) -> Passage:
    text = "".join(line.text for line in part)
    return Passage(
        seq=seq,
        kind=Kind.HEADING,
        text=text,
        lang=detect_lang(text, default=lang),
        citation=Citation(doc_id=doc_id, title=title, line=part[0].number),
    )
