"""A long query's ranking widened by the words its best passages share (pseudo-relevance feedback).

A pasted paragraph names its subject in its own words; the passages that answer it
often use others.  The best few passages of the first ranking are read again as unit
streams (``indexer.column``), their English words weighed by how much of each passage
they make up times their idf, and the heaviest few the query lacks rank every match
again with a share of their BM25 (in the manner of RM3).  Only Latin words: a
Chinese question is short and its passages are cut by the index's vocabulary.
"""

from __future__ import annotations

import re
from bisect import insort
from collections import Counter

from itudocs.indexer import schema
from itudocs.indexer.analysis import latin_word
from itudocs.search.plan import Plan
from itudocs.search.reader import IndexView
from itudocs.search.stopwords import is_stopword

# The best passages read for their words.
FEEDBACK_PASSAGES = 10
# How many of their words join the ranking, and what share of its BM25 each adds.
FEEDBACK_WORDS = 10
FEEDBACK_WEIGHT = 0.5
# Words this short or more common than one passage in this many say little of a subject.
SHORTEST = 3
COMMON = 4
_WORD = re.compile(r"[a-z0-9]+")


def widen(plan: Plan, view: IndexView, score: dict[int, float]) -> dict[int, float]:
    """``score`` with the words the best ``FEEDBACK_PASSAGES`` share added to the ranking."""
    best = sorted(score.items(), key=lambda item: (-item[1], item[0]))[:FEEDBACK_PASSAGES]
    asked = {word for c in plan.clauses for word in c.words}
    widened = dict(score)
    for word in _shared_words(view, [doc for doc, _ in best], asked):
        view.bm25(schema.WORDS, word, FEEDBACK_WEIGHT, widened)
    return widened


def _shared_words(view: IndexView, docs: list[int], asked: set[str]) -> list[str]:
    """The ``FEEDBACK_WORDS`` heaviest ``words`` terms of ``docs`` not in ``asked``, heaviest
    first (ties by the word): each passage's share of it summed, times its idf."""
    share: dict[str, float] = {}
    for doc in docs:
        words = [
            latin_word(unit)
            for unit in _WORD.findall(view.unit_stream(doc))
            if len(unit) >= SHORTEST and not unit.isdigit() and not is_stopword(unit)
        ]
        for word, count in Counter(words).items():
            share[word] = share.get(word, 0.0) + count / len(words)
    # No word's idf is above a word's in one passage: read in order of share, a word whose share
    # times that cannot reach the lightest of the heaviest so far ends the search, and the
    # words after it are never looked up in the index.
    most_idf = view.idf_of(1)
    heaviest: list[tuple[float, str]] = []  # (-weight, word), in order
    for word, value in sorted(share.items(), key=lambda item: -item[1]):
        if len(heaviest) == FEEDBACK_WORDS and value * most_idf < -heaviest[-1][0]:
            break
        frequency = view.doc_frequency(schema.WORDS, word) if word not in asked else 0
        if 0 < frequency * COMMON <= view.doc_count_all:
            insort(heaviest, (-(value * view.idf_of(frequency)), word))
            del heaviest[FEEDBACK_WORDS:]
    return [word for _, word in heaviest]
