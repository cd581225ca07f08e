"""A search from end to end: parse → read references → expand → plan → execute → hits.

Each step is its own module (``query``, ``refs``, ``expand``, ``plan``, ``execute``,
``hits``); this one only runs them in order against one view of the index
(``search.reader``), so every Whoosh object stays inside ``search/``.
"""

from __future__ import annotations

from itudocs.indexer import schema
from itudocs.indexer.analysis import latin_word
from itudocs.search.compounds import add_compounds
from itudocs.search.execute import count, execute, match, stands_in_text
from itudocs.search.expand import Glossary, shipped_terms
from itudocs.search.filters import NO_FILTERS, SearchFilters
from itudocs.search.hits import hit_order, make_hit, reading_order, with_notes
from itudocs.search.plan import LONG_QUERY, Plan, loosen, make_plan
from itudocs.search.query import ParsedQuery
from itudocs.search.reader import IndexView
from itudocs.search.refs import read_references
from itudocs.search.results import SearchResult
from itudocs.search.suggest import did_you_mean


def glossary(view: IndexView) -> Glossary:
    """The shipped termbase, and the terms mined from the indexed documents by name."""
    return Glossary(shipped_terms(), more=view.terms_named)


def _plans(parsed: ParsedQuery, view: IndexView, options: SearchFilters) -> tuple[Plan, Plan | None]:
    """The plan of the query, and of its loosened form for when nothing matches it all."""
    is_word = _vocabulary(view)
    names = glossary(view) if options.expand else None
    filters = options.resolve(view)
    parsed = add_compounds(
        parsed, lambda word: view.has_term(schema.WORDS, latin_word(word)), lambda text: stands_in_text(view, text)
    )
    plan = make_plan(names.expand(parsed) if names else parsed, is_word, filters)
    loose = None if any(clause.refs for clause in parsed.clauses) else loosen(parsed, is_word)
    loose_plan = None
    if loose is not None:
        loose_plan = make_plan(names.expand(loose) if names else loose, is_word, filters, any_word=True)
    return plan, loose_plan


def _vocabulary(view: IndexView):
    return lambda word: view.has_term(schema.WORDS, word)


def run_search(
    view: IndexView, parsed: ParsedQuery, *, limit: int | None = 10, filters: SearchFilters = NO_FILTERS
) -> SearchResult:
    """Every passage holding every clause (or, when none does, those holding some of its
    words: a ``partial`` result), best first or, with ``sort="doc"``, in reading order."""
    parsed = read_references(parsed)
    plan, loose = _plans(parsed, view, filters)
    # Reading order needs every hit before the first ``limit`` can be chosen.
    wanted = None if filters.sort == "doc" else limit
    # A long query is ranked by its words first, and matched clause by clause only when
    # some passage holds every word (matching would otherwise scan once per clause for nothing).
    first = execute(loose, view, wanted) if loose is not None and len(parsed.clauses) > LONG_QUERY else None
    ranked = execute(plan, view, wanted) if first is None or not first.partial else first
    partial = False
    if not ranked.total and loose is not None:
        plan, ranked = loose, first or execute(loose, view, wanted)
        partial = bool(ranked.total)
    elif ranked is first:
        plan, partial = loose, bool(ranked.total)
    clauses = tuple(c.clause for c in plan.clauses)
    hits = []
    # Read in index order: stored fields are compressed in blocks of neighbours (indexer.stored).
    stored = {doc: view.passage_at(doc) for doc in sorted(doc for doc, _ in ranked.docs)}
    for doc, score in ranked.docs:
        passage = stored[doc]
        hits.append(make_hit(passage, view.record(passage.doc_id), score=score, clauses=clauses))
    hits.sort(key=reading_order if filters.sort == "doc" else hit_order)
    hits = [with_notes(hit, view) for hit in hits[:limit]]
    return SearchResult(
        query=parsed.text,
        total=ranked.total,
        total_is_lower_bound=ranked.total_is_lower_bound,
        hits=tuple(hits),
        reading=plan.reading(),
        partial=partial,
        filters=filters,
        suggestion=did_you_mean(parsed.text, _word_weight(view)) if not ranked.total else None,
    )


def _word_weight(view: IndexView):
    """How common a lower-case Latin word is in the passages (by its stem) or the termbase's names; 0 if unknown."""
    names = {word for term in shipped_terms() for name in term.names for word in name.lower().split()}
    return lambda word: view.doc_frequency(schema.WORDS, latin_word(word)) or (1 if word in names else 0)


def run_count(view: IndexView, parsed: ParsedQuery, *, filters: SearchFilters = NO_FILTERS) -> int:
    """How many passages match, exactly (the loosened query is never counted)."""
    plan, _ = _plans(read_references(parsed), view, filters)
    return count(plan, view)


def run_count_by_doc(view: IndexView, parsed: ParsedQuery, *, filters: SearchFilters = NO_FILTERS) -> dict[str, int]:
    """How many passages of each document match, exactly, for the documents with any."""
    plan, _ = _plans(read_references(parsed), view, filters)
    matched, *_ = match(plan, view, ranked=False)
    return dict(sorted(view.count_by(schema.DOC, matched).items()))
