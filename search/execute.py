"""Running a plan: which passages match, how many, and the best of them.

Matching is set algebra over document numbers: a clause as written is found by a
substring search of the unit columns (text and label) and by its reference keys; an
English clause also by the documents holding all its stems.  Ranking adds to a
match's tier BM25 over the ``words`` field (Whoosh's formula and constants, read
from the postings a block at a time), a reference boost and a label boost.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from dataclasses import dataclass
from functools import partial
from itertools import repeat
from operator import add

from itudocs.corpus.model import Kind
from itudocs.indexer import schema
from itudocs.indexer.analysis import latin_forms, prose_forms, unit_pattern, units
from itudocs.indexer.column import whole_units
from itudocs.indexer.records import PassageRecord
from itudocs.search.feedback import widen
from itudocs.search.plan import LITERAL_TIER, LONG_QUERY, ClausePlan, Filters, Needle, Plan
from itudocs.search.proximity import lift_near
from itudocs.search.reader import IndexView

LABEL_BOOST = 4.0
# What a clause found only inside a web address, e-mail address or file name earns of its tier.
ADDRESS_SHARE = 0.5
# A passage that cites a reference the query names outranks one that merely shares words with it.
REFERENCE_BOOST = 3.0
# Searching this share of the documents one by one costs about one search of the whole column.
ONE_BY_ONE = 4
# A word in more than one passage in this many does not rank (like the cut-off frequency of
# Lucene's common-terms query): it hardly tells passages apart, and its postings are most
# of what ranking reads (决议 and the single characters 第 and 号 of 第140号决议, a third
# of a generated archive each).  Both judged query sets rank as well or better with 4 as with 2.
COMMON = 4
# A loosened query's match keeps its BM25 times its share of the words typed to this power;
# not in a long query, where that share says little (CISI's pasted paragraphs lose 0.02
# nDCG@10 with it, CMRC's questions gain 0.014).
COORDINATION = 1.0
# Scores equal to this many decimals are a tie (as ``hits.hit_order`` rounds them).
SCORE_DIGITS = 6
# Passages tied at the cut of the best that are read to order them by document (``best``).
TIE_READS = 1000
# With a limit, totals are exact up to here and reported as at least this much beyond.
TRACK_TOTAL = 10_000


@dataclass(frozen=True, slots=True)
class Ranked:
    """The best documents, best first, with their scores, and how many matched."""

    docs: tuple[tuple[int, float], ...]
    total: int
    total_is_lower_bound: bool = False
    # Of a loosened plan: no match holds every word typed.
    partial: bool = False


@dataclass(frozen=True, slots=True)
class ClauseMatch:
    """Where one clause matches: as written (text or label or references), in the text's
    units alone, by its label, by the references it names, and by its English stems."""

    written: set[int]
    text: set[int]
    label: set[int]
    cites: set[int]
    stems: set[int]


@dataclass(frozen=True, slots=True)
class GroupMatch:
    """Where a group matches (where any of its clauses does), each clause's match in the
    group's order, and whether some clauses were looked for in labels only (``match_group``)."""

    docs: set[int]
    clauses: tuple[ClauseMatch, ...]
    partial: bool = False


@dataclass(frozen=True, slots=True)
class Matches:
    """Every matching document; where each clause matched, in the order of ``Plan.clauses``
    (for ranking); which of the matches hold some of the query only in their section
    headings; and whether the matches are only some of them (``match``'s ``enough``)."""

    docs: set[int]
    clauses: tuple[ClauseMatch, ...]
    context: set[int]
    partial: bool = False


@dataclass(frozen=True, slots=True)
class RankingTerm:
    """A term the plan ranks by, with its boost and the most its BM25 can add to a document."""

    field: str
    text: str
    boost: float
    most: float


def execute(plan: Plan, view: IndexView, limit: int | None) -> Ranked:
    """The ``limit`` best matches (every match for None), best first; ties at the cut by
    document and reading order (``best``).

    A search runs these steps, each a function below: the documents the filters allow
    (``allowed_by``); where each group matches (``match_group``, by ``match_clause``); the
    documents every group matches (``combine``), or that hold some groups in their
    section headings (``in_context``); those left after the exclusions (``exclude``);
    then each match's tier and label boost (``tiers``), the BM25 of the terms that rank
    (``ranking_terms``, ``add_bm25``) and the best ``limit`` (``best``).

    With a limit, other names are looked for only as far as the total and the best
    ``limit`` need (``match``'s ``enough``): the matches left unfound score no more than
    the ranking terms' BM25 can add, so when the ``limit``-th best is above that, none of
    them could be among the best, and the total is past ``TRACK_TOTAL``.
    """
    if plan.any_word:
        return _any_word(plan, view, limit)
    terms = ranking_terms(plan, view)
    if limit is None:
        matches = match(plan, view)
        score = add_bm25(view, tiers(plan, view, matches), terms)
        return Ranked(tuple(_in_order(score)), len(matches.docs))
    matches = match(plan, view, enough=TRACK_TOTAL)
    score = add_bm25(view, tiers(plan, view, matches), terms, limit)
    if matches.partial and _floor_of(score, limit) <= sum(term.most for term in terms):
        matches = match(plan, view)
        score = add_bm25(view, tiers(plan, view, matches), terms, limit)
    total = len(matches.docs)
    return Ranked(tuple(best(view, score, limit)), min(total, TRACK_TOTAL), matches.partial or total > TRACK_TOTAL)


def count(plan: Plan, view: IndexView) -> int:
    return len(match(plan, view, ranked=False).docs)


def match(plan: Plan, view: IndexView, *, ranked: bool = True, enough: int | None = None) -> Matches:
    """Every matching document, where each clause matched (for ranking), which of the
    matches hold some of the query only in their section headings, and whether the
    matches are only some of them.

    With ``enough``, a query of one group without filters or exclusions has its other
    names looked for in labels only once the clauses that lift a tier match more than
    ``enough`` documents (``match_group``); unranked (a count), no clause is looked for
    where its group has matched already.
    """
    allowed = allowed_by(view, plan.filters)
    bound = enough if len(plan.groups) == 1 and not plan.excluded and allowed is None else None
    groups = [match_group(view, group, ranked=ranked, bound=bound) for group in plan.groups]
    direct = [group.docs for group in groups]
    docs = combine(direct, allowed)
    context = in_context(view, plan, direct, allowed) - docs
    docs |= context
    docs = exclude(view, plan.excluded, docs)
    clauses = tuple(where for group in groups for where in group.clauses)
    return Matches(docs, clauses, context & docs, any(group.partial for group in groups))


def allowed_by(view: IndexView, filters: Filters) -> set[int] | None:
    """The documents the filters allow, or None when there are none."""
    allowed: set[int] | None = None
    for fieldname, values in (
        (schema.REFS, filters.cites),
        (schema.DOC, filters.docs),
        (schema.SECTION, filters.sections),
        (schema.KIND, filters.kinds),
    ):
        if values is None:
            continue
        docs = set().union(*(view.doc_set(fieldname, value) for value in values))
        allowed = docs if allowed is None else allowed & docs
    return allowed


def match_group(
    view: IndexView, group: tuple[ClausePlan, ...], *, ranked: bool = True, bound: int | None = None
) -> GroupMatch:
    """Where a group matches: where any of its clauses does.

    Where a clause as typed lifts a tier, ranking needs all of its matches; another name
    only adds to the group's, so it is not looked for again where the group has matched
    already.  Unranked (a count), no clause is looked for where its group has matched.

    With a ``bound``, once the clauses that lift a tier match more than ``bound``
    documents, the other names are looked for in labels only: the rest of their matches
    earn no tier and no label boost, so they rank below any match of a tier unless the
    terms' BM25 alone could lift them there (which ``execute`` checks).
    """
    docs: set[int] = set()
    found: dict[int, ClauseMatch] = {}  # position in the group → where that clause matched
    tiered = 0
    partial = False
    # Clauses that lift a tier first, then as typed before other names.
    for n in sorted(range(len(group)), key=lambda n: (not group[n].tier, bool(group[n].clause.source))):
        c = group[n]
        if bound is not None and not c.tier and tiered > bound:
            label = _find(view, schema.LABEL_UNITS, c.needle)
            where = found[n] = ClauseMatch(label, set(), label, set(), set())
            partial = True
        else:
            whole = ranked and bool(c.tier)
            covered = not whole and any(_within(other.needle, c.needle) for other in group)
            where = found[n] = match_clause(view, c, None if whole else docs, scan=not (covered or c.by_words))
            if c.tier:
                tiered = len(docs | where.written)
        docs |= where.written
        docs |= where.stems
    return GroupMatch(docs, tuple(found[n] for n in range(len(group))), partial)


def match_clause(view: IndexView, plan: ClausePlan, skip: set[int] | None = None, *, scan: bool = True) -> ClauseMatch:
    """Where a clause matches; documents in ``skip`` may be left out of where it matches as
    written, and without ``scan``, where its text does (another clause finds them)."""
    label = _find(view, schema.LABEL_UNITS, plan.needle)
    text = _find(view, schema.UNITS, plan.needle, skip) if scan else set()
    cites: set[int] = set()
    for key in plan.clause.refs:
        cites |= view.doc_set(schema.REFS, key)
    stems: set[int] = set()
    rarest = sorted(plan.stems, key=lambda stem: view.doc_frequency(schema.WORDS, stem))
    if rarest and view.doc_frequency(schema.WORDS, rarest[0]):
        stems = view.doc_set(schema.WORDS, rarest[0])
        for stem in rarest[1:]:
            stems = view.having(schema.WORDS, stem, stems)
    return ClauseMatch(text | label | cites, text, label, cites, stems)


def combine(groups: list[set[int]], allowed: set[int] | None) -> set[int]:
    """The documents every group matches and the filters allow (a new set)."""
    return set.intersection(*sorted(groups, key=len), *([allowed] if allowed is not None else []))


def in_context(view: IndexView, plan: Plan, direct: list[set[int]], allowed: set[int] | None) -> set[int]:
    """Passages holding some groups themselves and each other group in their section headings:
    ``附件2 基础设施`` finds what Annex 2 says of infrastructure.

    Group by group, only the passages still in the running that lack the group
    themselves have their section path read, and each distinct path is matched once.
    """
    if len(plan.groups) < 2:
        return set()
    held = set().union(*direct)
    if allowed is not None:
        held &= allowed
    for group, docs in zip(plan.groups, direct, strict=True):
        need = held - docs
        held &= docs
        if need:
            patterns = [unit_pattern(tuple(u.text for u in c.clause.units)) for c in group]
            held |= view.in_sections(need, partial(_names_any, patterns))
    return held


def _names_any(patterns: list[re.Pattern[str]], path: str) -> bool:
    return any(one.search(path) for one in patterns)


def exclude(view: IndexView, needles: tuple[Needle, ...], docs: set[int]) -> set[int]:
    """Those of ``docs`` where no excluded needle stands in the text."""
    for needle in needles:
        if docs:
            docs = docs - _find(view, schema.UNITS, needle)
    return docs


def tiers(plan: Plan, view: IndexView, matches: Matches) -> dict[int, float]:
    """Each match's tier and label boost, before BM25.

    A clause found only inside an address earns ``ADDRESS_SHARE`` of its tier; where some
    matches need their section headings (``Matches.context``), every other match is
    lifted a tier above all of them.
    """
    matched = matches.docs
    parts: list[tuple[set[int], float]] = []
    if matches.context:
        parts.append((matched - matches.context, LITERAL_TIER * (len(plan.groups) + 1)))
    for c, where in zip(plan.clauses, matches.clauses, strict=True):
        if c.tier:
            written = where.written & matched
            # Only a Latin unit can stand inside an address: a needle of Han alone is in prose.
            prose = written
            if c.needle.latin:
                prose = _in_prose(view, c.needle, where.text & written) | ((where.label | where.cites) & written)
            parts += [(prose, c.tier), (written - prose, c.tier * ADDRESS_SHARE)]
        parts.append((where.label & matched, _label_boost(view, c, where)))
    return _summed(matched, parts)


def ranking_terms(plan: Plan, view: IndexView) -> list[RankingTerm]:
    """Every term that ranks (not one in more than one passage in ``COMMON``), the one that
    can add the most first."""
    terms = (
        RankingTerm(field, text, boost, view.max_bm25(field, text, boost))
        for (field, text), boost in _boosts(plan).items()
        if 0 < view.doc_frequency(field, text) * COMMON <= view.doc_count_all
    )
    return sorted(terms, key=lambda term: (term.most, term.field, term.text, term.boost), reverse=True)


def add_bm25(
    view: IndexView, score: dict[int, float], terms: list[RankingTerm], limit: int | None = None
) -> dict[int, float]:
    """``score`` with each term's BM25 added (in place); with a limit, only for the
    documents that can still be among the best ``limit`` (the others are left out).

    Terms go from the largest possible contribution down (MaxScore).  Before a term
    that holds more documents than are left, a document whose score so far plus all the
    remaining terms could add stays below the ``limit``-th best score so far is dropped:
    it cannot end in the best ``limit``.  Frequent terms are then read only in the
    blocks that hold the few documents left.
    """
    rest = sum(term.most for term in terms)
    for term in terms:
        if limit is not None and len(score) > limit and min(score.values()) + rest < max(score.values()):
            floor = _floor(score, limit)
            score = {doc: value for doc, value in score.items() if value + rest >= floor}
        view.bm25(term.field, term.text, term.boost, score)
        rest -= term.most
    return score


def best(view: IndexView, score: dict[int, float], limit: int) -> list[tuple[int, float]]:
    """The best ``limit`` documents of ``score``, best first.

    Where passages tied at the cut are more than the places left, those that come first
    by document and reading order (``hits.hit_order``) take them, so the same documents
    give the same hits whatever order they were indexed in; up to ``TIE_READS`` of them
    are read for it, past that they are taken in index order.
    """
    if len(score) <= limit:
        return sorted(score.items(), key=lambda item: (-item[1], item[0]))
    rounded = {doc: round(value, SCORE_DIGITS) for doc, value in score.items()}
    floor = heapq.nlargest(limit, rounded.values())[-1]
    above = sorted(((doc, score[doc]) for doc, value in rounded.items() if value > floor), key=lambda i: (-i[1], i[0]))
    tied = sorted(doc for doc, value in rounded.items() if value == floor)
    places = limit - len(above)
    if places < len(tied) <= TIE_READS:
        tied.sort(key=lambda doc: _reading_order(view.passage_at(doc)))
    return above + [(doc, score[doc]) for doc in tied[:places]]


def _reading_order(passage: PassageRecord) -> tuple:
    """As ``hits.reading_order``: document, body before footnotes, line."""
    return (passage.doc_id, passage.kind == Kind.FOOTNOTE, passage.citation.line)


def _floor(score: dict[int, float], limit: int) -> float:
    """The ``limit``-th best score."""
    return heapq.nlargest(limit, score.values())[-1]


def _in_order(score: dict[int, float]) -> list[tuple[int, float]]:
    """Every scored document, best first, ties by document number."""
    return sorted(score.items(), key=lambda item: (-item[1], item[0]))


def _floor_of(score: dict[int, float], limit: int) -> float:
    """The ``limit``-th best score, or minus infinity when fewer are scored."""
    return _floor(score, limit) if len(score) >= limit else float("-inf")


def _find(view: IndexView, column: str, needle: Needle, skip: set[int] | None = None) -> set[int]:
    """Where a needle stands in a unit column (perhaps leaving out documents in ``skip``): in
    the few documents that can hold it when the words index narrows them down that far,
    else by searching the whole column."""
    whole = {"latin_start": needle.latin_start, "latin_end": needle.latin_end}
    candidates = _latin_candidates(view, needle) if column == schema.UNITS else None
    if candidates is not None:
        return view.holding(column, candidates - skip if skip else candidates, needle.text, **whole)
    return set(view.find(column, needle.text, skip=skip, **whole))


def stands_in_text(view: IndexView, text: str) -> bool:
    """Whether ``text`` stands as written (its units in sequence) in some passage."""
    return bool(_find(view, schema.UNITS, Needle.of(tuple(units(text)))))


def _latin_candidates(view: IndexView, needle: Needle) -> set[int] | None:
    """The documents holding the needle's rarest Latin unit as a word (every passage with
    the unit has it among its words), or None when there are too many to check one by one."""
    if not needle.latin:
        return None
    frequency, forms = min(
        (sum(view.doc_frequency(schema.WORDS, form) for form in forms), forms)
        for forms in map(latin_forms, needle.latin)
    )
    if frequency > view.doc_count_all // ONE_BY_ONE:
        return None
    return set().union(*(view.doc_set(schema.WORDS, form) for form in forms))


def _within(inner: Needle, outer: Needle) -> bool:
    """Whether every place ``outer`` stands as whole units holds ``inner`` as whole units:
    then what ``outer`` finds in a text, ``inner`` finds too.

    >>> from itudocs.indexer.analysis import units
    >>> [_within(Needle.of(tuple(units(a))), Needle.of(tuple(units("CWG-WSIS&SDG")))) for a in ("CWG-WSIS", "WS")]
    [True, False]
    """
    return len(inner.text) < len(outer.text) and bool(
        whole_units(inner.text, inner.latin_start, inner.latin_end).search(outer.text)
    )


def _in_prose(view: IndexView, needle: Needle, docs: set[int]) -> set[int]:
    """Of ``docs``, those where every Latin unit of the needle is a ranking word there: the
    words field marks the pieces of addresses (``indexer.analysis.ADDRESS``), so a clause
    found only inside a URL, an e-mail address or a file name is not in prose."""
    for unit in needle.latin:
        if docs:
            docs = set().union(*(view.having(schema.WORDS, form, docs) for form in prose_forms(unit)))
    return docs


def _label_boost(view: IndexView, c: ClausePlan, where: ClauseMatch) -> float:
    return LABEL_BOOST * c.weight * view.idf_of(len(where.label)) if where.label else 0.0


def _boosts(plan: Plan) -> dict[tuple[str, str], float]:
    """(field, term) → boost of every term the plan ranks by; a term that several clauses
    rank by is scored once with their boosts summed, which adds up the same."""
    terms: dict[tuple[str, str], float] = {}
    for c in plan.clauses:
        for key in c.clause.refs:
            terms[(schema.REFS, key)] = terms.get((schema.REFS, key), 0.0) + REFERENCE_BOOST
        for word in c.words:
            terms[(schema.WORDS, word)] = terms.get((schema.WORDS, word), 0.0) + c.weight
    return terms


def _summed(matched: set[int], parts: list[tuple[set[int], float]]) -> dict[int, float]:
    """Each matched document's sum of the amounts of the parts (subsets of ``matched``) it is
    in: a part that is every match (the usual case for a clause as typed) is added once, to
    the value every document starts from, not document by document."""
    everyone = [amount for docs, amount in parts if len(docs) == len(matched)]
    score = dict.fromkeys(matched, sum(everyone, 0.0))
    for docs, amount in parts:
        if len(docs) != len(matched):
            _add(score, docs, amount)
    return score


def _add(score: dict[int, float], docs: set[int], amount: float) -> None:
    """Add ``amount`` to the score of each of ``docs``, in C rather than a loop per document."""
    if amount and docs:
        listed = list(docs)
        score.update(zip(listed, map(add, map(score.__getitem__, listed), repeat(amount)), strict=True))


@dataclass(frozen=True, slots=True)
class WordMatches:
    """A loosened plan's matches: the passages holding any of its words (less the
    excluded), and of every passage holding some, how many of the words typed it holds."""

    docs: set[int]
    held: Counter[int]


def _any_word(plan: Plan, view: IndexView, limit: int | None) -> Ranked:
    """A loosened plan's matches (``Plan.any_word``), ranked by BM25 over all its words
    times the share of the words typed that each holds (Lucene's coordination factor), so
    that more of the query's words rank higher, and the best of them lifted where those
    words stand close together (``proximity``); a long query's also by the words its best
    passages share (``feedback``)."""
    typed = sum(1 for c in plan.clauses if c.clause.as_typed)
    found = match_any_word(plan, view)
    score = add_bm25(view, dict.fromkeys(found.docs, 0.0), ranking_terms(plan, view))
    long = typed > LONG_QUERY
    if not long:
        share = 1 / max(typed, 1)
        score = {doc: value * (found.held[doc] * share) ** COORDINATION for doc, value in score.items()}
    score = lift_near(plan, view, score)
    if long:
        score = widen(plan, view, score)
    order = _in_order(score) if limit is None else best(view, score, limit)
    every = max(found.held.values(), default=0) == typed
    return Ranked(tuple(order), len(found.docs), partial=bool(found.docs) and not every)


def match_any_word(plan: Plan, view: IndexView) -> WordMatches:
    """The passages the filters allow that hold any word of a loosened plan, less those
    an exclusion stands in, and how many of the words typed each holds."""
    allowed = allowed_by(view, plan.filters)
    held: Counter[int] = Counter()
    matched: set[int] = set()
    # A word typed is held by a passage that holds it or one of its other names or
    # translations, which follow it in the group (``Glossary.expand``, ``Translator.expand``).
    holding_word: set[int] = set()
    for c in plan.clauses:
        docs = set().union(*(view.doc_set(schema.WORDS, word) for word in c.words))
        if allowed is not None:
            docs &= allowed
        if c.clause.as_typed:
            held.update(holding_word)
            holding_word = set()
        holding_word |= docs
        matched |= docs
    held.update(holding_word)
    return WordMatches(exclude(view, plan.excluded, matched), held)
