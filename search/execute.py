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
from itudocs.indexer.analysis import latin_word
from itudocs.search.documents import sections_matching
from itudocs.search.plan import ClausePlan, Filters, Needle, Plan
from itudocs.search.reader import IndexView

LABEL_BOOST = 4.0
# What a clause found only inside a web address, e-mail address or file name earns of its tier.
ADDRESS_SHARE = 0.5
# A match through its section headings scores at most this share of the weakest full match.
CONTEXT_SHARE = 0.5
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
    """Where one clause matches: as written (text or label or references), as written in
    prose (not only inside an address), by its label alone, and by its English stems."""

    written: set[int]
    prose: set[int]
    label: set[int]
    stems: set[int]


def _find(view: IndexView, column: str, needle: Needle) -> set[int]:
    return set(view.find(column, needle.text, latin_start=needle.latin_start, latin_end=needle.latin_end))


def _clause(view: IndexView, plan: ClausePlan) -> _Found:
    label = _find(view, f.LABEL_UNITS, plan.needle)
    text = _find(view, f.UNITS, plan.needle)
    cites: set[int] = set()
    for key in plan.clause.refs:
        cites |= view.doc_set(f.REFS, key)
    stems: set[int] = set()
    if plan.stems:
        sets = sorted((view.doc_set(f.WORDS, stem) for stem in plan.stems), key=len)
        stems = sets[0].intersection(*sets[1:])
    return _Found(text | label | cites, _in_prose(view, plan, text) | label | cites, label, stems)


def _in_prose(view: IndexView, plan: ClausePlan, docs: set[int]) -> set[int]:
    """Of ``docs``, those where every Latin unit of the clause is also a ranking word there:
    the words field leaves addresses out (``indexer.analysis.ADDRESS``), so a clause found
    only inside a URL, an e-mail address or a file name is not in prose."""
    for unit in plan.clause.units:
        if docs and unit.text.isascii():
            docs = docs & (view.doc_set(f.WORDS, unit.text) | view.doc_set(f.WORDS, latin_word(unit.text)))
    return docs


def _in_context(view: IndexView, plan: Plan, direct: list[set[int]], allowed: set[int] | None) -> set[int]:
    """Passages holding some groups themselves and each other group in their section headings:
    ``附件2 基础设施`` finds what Annex 2 says of infrastructure.  Only the documents that
    hold some group are read for their section paths."""
    if len(plan.groups) < 2:
        return set()
    candidates = set().union(*direct)
    if allowed is not None:
        candidates &= allowed
    doc_of = view.doc_of()
    records = {doc_id: view.record(doc_id) for doc_id in {doc_of[doc] for doc in candidates if doc in doc_of}}
    held: set[int] | None = None
    for group, docs in zip(plan.groups, direct, strict=True):
        under = {
            doc
            for c in group
            for section in sections_matching(c.clause.text, records)
            for doc in view.doc_set(f.SECTION, section)
        }
        held = (docs | under) if held is None else held & (docs | under)
    return (held or set()) & candidates


def _filtered(view: IndexView, filters: Filters) -> set[int] | None:
    """The documents the filters allow, or None when there are none."""
    allowed: set[int] | None = None
    for fieldname, values in (
        (f.REFS, filters.cites),
        (f.DOC, filters.docs),
        (f.SECTION, filters.sections),
        (f.KIND, filters.kinds),
    ):
        if values is None:
            continue
        docs = set().union(*(view.doc_set(fieldname, value) for value in values))
        allowed = docs if allowed is None else allowed & docs
    return allowed


def match(plan: Plan, view: IndexView) -> tuple[set[int], dict[int, _Found], set[int]]:
    """Every matching document, where each clause matched (for ranking), and which of the
    matches hold some of the query only in their section headings."""
    found = {id(c): _clause(view, c) for c in plan.clauses}
    allowed = _filtered(view, plan.filters)
    matched = allowed
    direct = [set().union(*(found[id(c)].written | found[id(c)].stems for c in group)) for group in plan.groups]
    for docs in sorted(direct, key=len):
        matched = docs if matched is None else matched & docs
    assert matched is not None  # a plan has at least one group
    context = _in_context(view, plan, direct, allowed) - matched
    matched |= context
    for needle in plan.excluded:
        if matched:
            matched -= _find(view, f.UNITS, needle)
    return matched, {id(c): found[id(c)] for c in plan.clauses}, context & matched


def scores(
    plan: Plan, view: IndexView, matched: set[int], found: dict[int, _Found], context: set[int] = frozenset()
) -> dict[int, float]:
    """Tier plus BM25 of the ranking words, references and labels, for every matched document;
    a clause only inside an address earns part of its tier, and a match that needs its
    section headings ranks below every match that does not."""
    score = dict.fromkeys(matched, 0.0)
    for c in plan.clauses:
        where = found[id(c)]
        if c.tier:
            for doc in where.prose & matched:
                score[doc] += c.tier
            for doc in (where.written - where.prose) & matched:
                score[doc] += c.tier * ADDRESS_SHARE
        for key in c.clause.refs:
            view.bm25(f.REFS, key, REFERENCE_BOOST, score)
        for word in c.words:
            view.bm25(f.WORDS, word, c.weight, score)
        if where.label:
            boost = LABEL_BOOST * c.weight * view.idf_of(len(where.label))
            for doc in where.label & matched:
                score[doc] += boost
    if context:
        # Below the weakest match that holds every word itself, in their own order.
        floor = min((score[doc] for doc in matched - context), default=1.0)
        top = max(score[doc] for doc in context) or 1.0
        for doc in context:
            score[doc] = CONTEXT_SHARE * floor * score[doc] / top
    return score


def execute(plan: Plan, view: IndexView, limit: int | None) -> Ranked:
    """The ``limit`` best matches (every match for None), best first; ties in index order."""
    matched, found, context = match(plan, view)
    score = scores(plan, view, matched, found, context)
    order = [(doc, score[doc]) for doc in matched]
    if limit is None:
        order.sort(key=lambda item: (-item[1], item[0]))
        return Ranked(tuple(order), len(matched))
    best = heapq.nsmallest(limit, order, key=lambda item: (-item[1], item[0]))
    total = len(matched)
    return Ranked(tuple(best), min(total, TRACK_TOTAL), total > TRACK_TOTAL)


def count(plan: Plan, view: IndexView) -> int:
    return len(match(plan, view)[0])
