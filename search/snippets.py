"""Where a query's clauses occur in a passage, and which part of it to show."""

from __future__ import annotations

import re
from collections.abc import Iterable

from itudocs.corpus.text import SENTENCE_END, is_wide
from itudocs.indexer.analysis import fold, unit_pattern

SNIPPET_CHARS = 160
_BREAKS = SENTENCE_END + "\n"
# Matched from a window's lower bound, it ends just after the last break before the match.
_UP_TO_LAST_BREAK = re.compile(rf"(?s:.*)[{re.escape(_BREAKS)}]")
# What joins the pieces of one word: a snippet is not cut beside them either.
_JOINERS = frozenset("-/'’")


def find_spans(text: str, clauses: Iterable[tuple[str, ...]]) -> list[tuple[int, int]]:
    """Character spans of ``text`` where each clause's units occur in sequence.

    The same unit matching as the index, so what is highlighted is what matched.

    >>> find_spans("第1400号决议和第140号决议", [("第", "140", "号", "决", "议")])
    [(9, 16)]
    """
    folded = fold(text)
    spans = {match.span() for clause in clauses if clause for match in unit_pattern(clause).finditer(folded)}
    return merge_spans(spans)


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlapping ones joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet_window(text: str, spans: list[tuple[int, int]], size: int = SNIPPET_CHARS) -> tuple[int, int]:
    """A window of about ``size`` characters around the first match, starting at a sentence,
    never inside a word of Latin letters or digits (``…he activities``): it takes in the
    word it would have cut at its start, and leaves out the one at its end.

    >>> snippet_window("甲。乙丙丁。戊", [(3, 4)], size=4)
    (2, 6)
    >>> text = "We report on the activities of the Union in 2024 and beyond"
    >>> start, end = snippet_window(text, [(31, 34)], size=20)
    >>> text[25:45], text[start:end]
    ('es of the Union in 2', 'activities of the')
    """
    if len(text) <= size:
        return 0, len(text)
    first = spans[0][0] if spans else 0
    lo = max(0, first - size // 2)
    sentence = _UP_TO_LAST_BREAK.match(text, lo, first)
    start = sentence.end() if sentence else max(0, first - size // 3)
    while start > 0 and _in_word(text, start):
        start -= 1
    while start < first and text[start].isspace():
        start += 1
    end = min(len(text), start + size)
    last = spans[0][1] if spans else start
    while end > last and _in_word(text, end):
        end -= 1
    # A match that ends inside a word (ITU in ITUs) keeps its word whole.
    while _in_word(text, end):
        end += 1
    while start < end < len(text) and text[end - 1].isspace():
        end -= 1
    return start, end


def _in_word(text: str, i: int) -> bool:
    """Whether a cut before ``text[i]`` would split a word of Latin letters or digits, or a
    word joined by a hyphen, slash or apostrophe (Secretary-General, A/RES/70/125, ITU's)."""
    return 0 < i < len(text) and _latin(text, i - 1) and _latin(text, i)


def _latin(text: str, j: int) -> bool:
    ch = text[j]
    if ch in _JOINERS:
        return 0 < j < len(text) - 1 and _latin(text, j - 1) and _latin(text, j + 1)
    return ch.isalnum() and not is_wide(ch)
