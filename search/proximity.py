"""Passages where the query's words stand close together, in the order typed, rank higher.

The best few passages of a ranking are read again as unit streams (``indexer.column``)
and each pair of the query's words that follows one another within a short window
there adds a share of the rarer word's BM25 weight: a window feature in the manner of
the sequential dependence model, over the column the search already reads.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import pairwise

from itudocs.indexer import schema
from itudocs.indexer.analysis import fold, han_runs, latin_word
from itudocs.search.plan import Plan
from itudocs.search.reader import IndexView

# How many of the best passages are looked at again.
RERANKED = 50
# Two words are near when the second starts within this many units after the first.
WINDOW = 4
# What a near pair adds, times the rarer word's idf.
NEAR_WEIGHT = 0.5
# The share of that a pair of query words one word apart earns (the word between may be
# left out or said otherwise in the passage).
SKIP_SHARE = 0.5
# What a passage holding every pair of Chinese characters of the query adds (a share for some).
SHARED_WEIGHT = 40.0
_UNIT = re.compile(r"[a-z0-9]+|[^a-z0-9 ]")


def lift_near(plan: Plan, view: IndexView, score: dict[int, float]) -> dict[int, float]:
    """``score`` with the best ``RERANKED`` documents lifted by the pairs of query words near
    each other, in order, in their text."""
    words = [word for c in plan.clauses if c.clause.as_typed for word in c.words]
    words = list(dict.fromkeys(words))
    if len(words) < 2 or not score:
        return score
    weight = {word: view.idf(schema.WORDS, word) for word in words}
    pairs = _han_pairs(plan.text)
    best = sorted(score.items(), key=lambda item: (-item[1], item[0]))[:RERANKED]
    lifted = dict(score)
    for doc, value in best:
        stream = view.unit_stream(doc)
        if stream:
            shared = sum(pair in stream for pair in pairs) / len(pairs) if pairs else 0.0
            lifted[doc] = value + NEAR_WEIGHT * _near_pairs(words, weight, stream) + SHARED_WEIGHT * shared
    return lifted


def _han_pairs(text: str) -> set[str]:
    """Every two Chinese characters standing together in ``text``, function words included:
    a question repeats the wording of the sentence that answers it (``是由…开发的``).

    >>> sorted(_han_pairs("谁开发了它？"))
    ['了它', '发了', '开发', '谁开']
    """
    folded = fold(text)
    return {folded[i : i + 2] for start, end in han_runs(folded) for i in range(start, end - 1)}


def _near_pairs(words: list[str], weight: dict[str, float], stream: str) -> float:
    """The summed weight of each pair of consecutive query words found in that order within
    ``WINDOW`` units in ``stream``, and ``SKIP_SHARE`` of it for each pair one word apart.

    >>> _near_pairs(["digit", "divid"], {"digit": 2.0, "divid": 3.0}, "the digital divide")
    2.0
    >>> _near_pairs(["数字", "鸿沟"], {"数字": 1.0, "鸿沟": 2.0}, "鸿沟与数字")
    0.0
    """
    units = list(_UNIT.finditer(stream))
    unit_at = {unit.start(): n for n, unit in enumerate(units)}
    latin: dict[str, list[int]] = {}
    for n, unit in enumerate(units):
        if unit.group()[0].isascii():
            latin.setdefault(latin_word(unit.group()), []).append(n)
    starts = {
        word: latin.get(word, [])
        if word[0].isascii()
        else [unit_at[m.start()] for m in re.finditer(re.escape(word), stream) if m.start() in unit_at]
        for word in words
    }
    total = 0.0
    for share, pairs in ((1.0, pairwise(words)), (SKIP_SHARE, zip(words[:-2], words[2:], strict=True))):
        for first, second in pairs:
            size = 1 if first[0].isascii() else len(first)  # a Latin word is one unit, a Chinese one a unit a character
            if any(_follows(starts[second], at, size) for at in starts[first]):
                total += share * min(weight[first], weight[second])
    return total


def _follows(after: list[int], at: int, size: int) -> bool:
    """Whether some position in ``after`` (ascending) lies within the window past a word at ``at``."""
    i = bisect_right(after, at + size - 1)
    return i < len(after) and after[i] < at + size + WINDOW
