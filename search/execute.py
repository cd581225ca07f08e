"""Running a plan: which passages match, how many, and the best of them.

Matching is set algebra over document numbers: a clause as written is found by a
substring search of the unit columns (text and label) and by its reference keys; an
English clause also by the documents holding all its stems.  Ranking adds to a
match's tier BM25 over the ``words`` field (Whoosh's formula and constants, read
from the postings a block at a time), a reference boost and a label boost.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from itudocs.indexer import schema as f
from itudocs.search.plan import ClausePlan, Filters, Needle, Plan
from itudocs.search.reader import IndexView

LABEL_BOOST = 4.0
# A passage that cites a reference the query names outranks one that merely shares words with it.
REFERENCE_BOOST = 3.0
# With a limit, totals are exact up to here and reported as at least this much beyond.
TRACK_TOTAL = 10_000


@dataclass(frozen=True, slots=True)
class Ranked:
    """The best documents, best first, with their scores, and how many matched."""

    docs: tuple[tuple[int, float], ...]
    total: int
    total_is_lower_bound: bool = False


@dataclass(slots=True)
class _Found:
    """Where one clause matches: as written (text or label or references), and by its label alone."""

    written: set[int]
    label: set[int]
    stems: set[int]


def _find(view: IndexView, column: str, needle: Needle) -> set[int]:
    return set(view.find(column, needle.text, latin_start=needle.latin_start, latin_end=needle.latin_end))


def _clause(view: IndexView, plan: ClausePlan) -> _Found:
    label = _find(view, f.LABEL_UNITS, plan.needle)
    written = _find(view, f.UNITS, plan.needle) | label
    for key in plan.clause.refs:
        written |= view.doc_set(f.REFS, key)
    stems: set[int] = set()
    if plan.stems:
        sets = sorted((view.doc_set(f.WORDS, stem) for stem in plan.stems), key=len)
        stems = sets[0].intersection(*sets[1:])
    return _Found(written, label, stems)


def _filtered(view: IndexView, filters: Filters) -> set[int] | None:
    """The documents the filters allow, or None when there are none."""
    allowed: set[int] | None = None
    for fieldname, values in (
        (f.REFS, filters.cites),
        (f.DOC, filters.docs),
        (f.SECTION, filters.sections),
        (f.KIND, (filters.kind,) if filters.kind else None),
    ):
        if values is None:
            continue
        docs = set().union(*(view.doc_set(fieldname, value) for value in values))
        allowed = docs if allowed is None else allowed & docs
    return allowed


def match(plan: Plan, view: IndexView) -> tuple[set[int], dict[int, _Found]]:
    """Every matching document, and where each clause matched (for ranking)."""
    found = {id(c): _clause(view, c) for c in plan.clauses}
    matched: set[int] | None = _filtered(view, plan.filters)
    for group in sorted(plan.groups, key=lambda g: sum(len(found[id(c)].written) for c in g)):
        docs = set().union(*(found[id(c)].written | found[id(c)].stems for c in group))
        matched = docs if matched is None else matched & docs
    assert matched is not None  # a plan has at least one group
    for needle in plan.excluded:
        if matched:
            matched -= _find(view, f.UNITS, needle)
    return matched, {id(c): found[id(c)] for c in plan.clauses}


def scores(plan: Plan, view: IndexView, matched: set[int], found: dict[int, _Found]) -> dict[int, float]:
    """Tier plus BM25 of the ranking words, references and labels, for every matched document."""
    score = dict.fromkeys(matched, 0.0)
    for c in plan.clauses:
        where = found[id(c)]
        if c.tier:
            for doc in where.written & matched:
                score[doc] += c.tier
        for key in c.clause.refs:
            view.bm25(f.REFS, key, REFERENCE_BOOST, score)
        for word in c.words:
            view.bm25(f.WORDS, word, c.weight, score)
        if where.label:
            boost = LABEL_BOOST * c.weight * view.idf_of(len(where.label))
            for doc in where.label & matched:
                score[doc] += boost
    return score


def execute(plan: Plan, view: IndexView, limit: int | None) -> Ranked:
    """The ``limit`` best matches (every match for None), best first; ties in index order."""
    matched, found = match(plan, view)
    score = scores(plan, view, matched, found)
    order = [(doc, score[doc]) for doc in matched]
    if limit is None:
        order.sort(key=lambda item: (-item[1], item[0]))
        return Ranked(tuple(order), len(matched))
    best = heapq.nsmallest(limit, order, key=lambda item: (-item[1], item[0]))
    total = len(matched)
    return Ranked(tuple(best), min(total, TRACK_TOTAL), total > TRACK_TOTAL)


def count(plan: Plan, view: IndexView) -> int:
    return len(match(plan, view)[0])
