"""A search from end to end: parse → read references → expand → plan → execute → hits.

Each step is its own module (``query``, ``refs``, ``expand``, ``plan``, ``execute``,
``hits``); this one only runs them in order against one view of the index
(``search.reader``), so every Whoosh object stays inside ``search/``.
"""

from __future__ import annotations

from dataclasses import dataclass

from itudocs.indexer import schema as f
from itudocs.search.documents import named_documents, sections_matching
from itudocs.search.execute import count, execute, match
from itudocs.search.expand import Glossary, shipped_terms
from itudocs.search.hits import hit_order, make_hit
from itudocs.search.plan import Filters, Plan, loosen, make_plan
from itudocs.search.query import ParsedQuery, QueryError
from itudocs.search.reader import IndexView
from itudocs.search.refs import cites_keys, read_references
from itudocs.search.results import SearchResult

KINDS = ("paragraph", "heading", "footnote", "figure")


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchOptions:
    """What narrows and widens a search, as the command line and the library take it."""

    doc: str | None = None
    section: str | None = None
    kind: str | None = None
    cites: str | None = None
    expand: bool = True


def glossary(view: IndexView) -> Glossary:
    """The shipped termbase, and the terms mined from the indexed documents by name."""
    return Glossary(shipped_terms(), more=view.terms_named)


def make_filters(view: IndexView, options: SearchOptions) -> Filters:
    if options.kind and options.kind not in KINDS:
        raise QueryError(f"--kind must be one of {', '.join(KINDS)}, not {options.kind!r}")
    docs = tuple(named_documents(options.doc, view)) if options.doc else None
    sections = None
    if options.section:
        records = {doc_id: view.record(doc_id) for doc_id in docs} if docs else view.records()
        sections = tuple(sections_matching(options.section, records))
    return Filters(
        docs=docs, sections=sections, kind=options.kind, cites=cites_keys(options.cites) if options.cites else None
    )


def _plans(parsed: ParsedQuery, view: IndexView, options: SearchOptions) -> tuple[Plan, Plan | None]:
    """The plan of the query, and of its loosened form for when nothing matches it all."""
    is_word = _vocabulary(view)
    names = glossary(view) if options.expand else None
    filters = make_filters(view, options)
    plan = make_plan(names.expand(parsed) if names else parsed, is_word, filters)
    loose = None if any(clause.refs for clause in parsed.clauses) else loosen(parsed, is_word)
    loose_plan = make_plan(names.expand(loose) if names else loose, is_word, filters) if loose else None
    return plan, loose_plan


def _vocabulary(view: IndexView):
    return lambda word: view.has_term(f.WORDS, word)


def run_search(view: IndexView, parsed: ParsedQuery, *, limit: int | None = 10, options: SearchOptions) -> SearchResult:
    """Every passage holding every clause (or, when none does, those holding some of its
    words: a ``partial`` result), best first."""
    parsed = read_references(parsed)
    plan, loose = _plans(parsed, view, options)
    ranked = execute(plan, view, limit)
    partial = False
    if not ranked.total and loose is not None:
        plan, ranked = loose, execute(loose, view, limit)
        partial = bool(ranked.total)
    clauses = tuple(c.clause for c in plan.clauses)
    hits = []
    # Read in index order: stored fields are compressed in blocks of neighbours (indexer.stored).
    stored = {doc: view.stored(doc) for doc in sorted(doc for doc, _ in ranked.docs)}
    for doc, score in ranked.docs:
        fields = stored[doc]
        hits.append(make_hit(fields, view.record(fields[f.DOC]), score=score, clauses=clauses))
    hits.sort(key=hit_order)
    return SearchResult(
        query=parsed.text,
        total=ranked.total,
        total_is_lower_bound=ranked.total_is_lower_bound,
        hits=tuple(hits),
        reading=plan.reading(),
        partial=partial,
    )


def run_count(view: IndexView, parsed: ParsedQuery, *, options: SearchOptions) -> int:
    """How many passages match, exactly (the loosened query is never counted)."""
    plan, _ = _plans(read_references(parsed), view, options)
    return count(plan, view)


def run_count_by_doc(view: IndexView, parsed: ParsedQuery, *, options: SearchOptions) -> dict[str, int]:
    """How many passages of each document match, exactly, for the documents with any."""
    plan, _ = _plans(read_references(parsed), view, options)
    matched, _ = match(plan, view)
    return dict(sorted(view.count_by(f.DOC, matched).items()))
