"""Where a query's clauses occur in a passage, and which part of it to show."""

from __future__ import annotations

from collections.abc import Iterable

from itudocs.corpus.text import SENTENCE_END
from itudocs.indexer.analysis import fold, unit_pattern

SNIPPET_CHARS = 160
_BREAKS = SENTENCE_END + "\n"


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
    """A window of about ``size`` characters around the first match, starting at a sentence.

    >>> snippet_window("甲。乙丙丁。戊", [(3, 4)], size=4)
    (2, 6)
    """
    if len(text) <= size:
        return 0, len(text)
    first = spans[0][0] if spans else 0
    lo = max(0, first - size // 2)
    sentence = max(text.rfind(ch, lo, first) for ch in _BREAKS)
    start = sentence + 1 if sentence >= 0 else max(0, first - size // 3)
    return start, min(len(text), start + size)
