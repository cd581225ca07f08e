"""Passage text as the structured readers assemble it (Word, HTML, PDF).

A footnote call travels inside passage text as one private-use character until the
text is final, so joins, label splitting and whitespace folding keep its place;
``finish_text`` then folds the whitespace and turns the marks into ``FootnoteCall``s.
"""

from __future__ import annotations

import re

from itudocs.corpus.model import FootnoteCall
from itudocs.corpus.text import is_wide

# Table cells joined into one passage per row.
CELL_SEPARATOR = " | "
_CALL_BASE = 0xF0000
_CALL_CHARS = re.compile("[\U000f0000-\U000ffffd]")
_FOLDABLE = " \t\n\r"


def mark_call(number: int) -> str:
    """The stand-in for a call of footnote ``number`` inside raw passage text."""
    return chr(_CALL_BASE + number)


def clean_source_text(text: str) -> str:
    """Source text without characters that would read as call marks."""
    return _CALL_CHARS.sub("", text)


def _is_call(ch: str) -> bool:
    return _CALL_BASE <= ord(ch) <= _CALL_BASE + 0xFFFD


def finish_text(raw: str) -> tuple[str, tuple[FootnoteCall, ...]]:
    """Final passage text and its footnote calls from raw text holding call marks.

    Runs of spaces, tabs and line breaks become one space, except that a line break
    between two Chinese characters disappears (as a browser lays it out).

    >>> text, calls = finish_text("  贡献" + mark_call(2) + "\\n 续\\tmore " + mark_call(3) + " end  ")
    >>> text, [(c.number, c.offset) for c in calls]
    ('贡献续 more end', [(2, 2), (3, 9)])
    """
    out: list[str] = []
    calls: list[FootnoteCall] = []
    i = 0
    while i < len(raw):
        ch = raw[i]
        if _is_call(ch):
            calls.append(FootnoteCall(number=ord(ch) - _CALL_BASE, offset=len(out)))
            i += 1
            continue
        if ch not in _FOLDABLE:
            out.append(ch)
            i += 1
            continue
        end = i
        while end < len(raw) and (raw[end] in _FOLDABLE or _is_call(raw[end])):
            end += 1
        gap = raw[i:end]
        following = raw[end : end + 1]
        if out and following and not ("\n" in gap and is_wide(out[-1]) and is_wide(following)):
            out.append(" ")
        for mark in _CALL_CHARS.findall(gap):
            calls.append(FootnoteCall(number=ord(mark) - _CALL_BASE, offset=len(out)))
        i = end
    text = "".join(out)
    return text, tuple(FootnoteCall(number=c.number, offset=min(c.offset, len(text))) for c in calls)


def join_fragments(fragments: list[str]) -> str:
    """Join diagram fragments: no space next to Chinese text, one space between Latin ones.

    >>> join_fragments(["国际电联全权代表大会：第", "140", "号决议", "ITU", "UNESCO"])
    '国际电联全权代表大会：第140号决议ITU UNESCO'
    """
    out = ""
    for fragment in (f.strip() for f in fragments):
        if not fragment:
            continue
        if out and not (is_wide(out[-1]) or is_wide(fragment[0])):
            out += " "
        out += fragment
    return out
