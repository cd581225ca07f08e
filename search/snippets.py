"""Where a query's clauses occur in a passage, and which part of it to show."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from itudocs.corpus.text import SENTENCE_END, is_wide
from itudocs.indexer.analysis import unit_pattern
from itudocs.search.query import Clause

SNIPPET_CHARS = 160
_BREAKS = SENTENCE_END + "\n"
# Matched from a window's lower bound, it ends just after the last break before the match.
_UP_TO_LAST_BREAK = re.compile(rf"(?s:.*)[{re.escape(_BREAKS)}]")
# What joins the pieces of one word: a snippet is not cut beside them either.
_JOINERS = frozenset("-/'’")


@dataclass(frozen=True, slots=True)
class Marks:
    """What a search highlights, worked out once for all its hits: for each clause, its
    first unit and a pattern over folded text, and the reference keys the search asks for.

    The same unit matching as the index, so what is highlighted is what matched:

    >>> from itudocs.indexer.analysis import fold
    >>> from itudocs.search.query import Clause
    >>> marks = Marks.of([Clause("第140号决议")])
    >>> sorted(marks.spans(fold("第1400号决议和第140號決議")))
    [(9, 16)]
    """

    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    asked: frozenset[str]

    @classmethod
    def of(cls, clauses: Iterable[Clause]) -> Marks:
        clauses = tuple(clauses)
        units = {tuple(u.text for u in clause.units): None for clause in clauses}
        return cls(
            patterns=tuple((terms[0], unit_pattern(terms)) for terms in units if terms),
            asked=frozenset(key for clause in clauses for key in clause.refs),
        )

    def spans(self, folded: str) -> set[tuple[int, int]]:
        """Where each clause occurs in a folded text; a clause whose first unit is not in
        the text is not looked for (most hits hold one of a search's other names, not all)."""
        return {
            match.span() for first, pattern in self.patterns if first in folded for match in pattern.finditer(folded)
        }


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
