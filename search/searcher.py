"""A search from end to end: parse → read references → expand → plan → execute → hits.

Each step is its own module (``query``, ``refs``, ``expand``, ``plan``, ``execute``,
``hits``); this one only runs them in order against one view of the index
(``search.reader``), so every Whoosh object stays inside ``search/``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from itudocs.indexer import schema
from itudocs.indexer.analysis import latin_word
from itudocs.search import translate
from itudocs.search.compounds import add_compounds
from itudocs.search.execute import count, execute, match, stands_in_text
from itudocs.search.expand import Glossary, shipped_terms
from itudocs.search.filters import NO_FILTERS, SearchFilters
from itudocs.search.hits import collect_hits, hit_order, reading_order
from itudocs.search.plan import LONG_QUERY, Plan, loosen, make_plan
from itudocs.search.query import ParsedQuery, segment
from itudocs.search.reader import IndexView
from itudocs.search.refs import read_references
from itudocs.search.results import SearchResult
from itudocs.search.stopwords import is_stopword
from itudocs.search.suggest import did_you_mean
from itudocs.search.translate import (
    DICTIONARY,
    DOCUMENTS,
    Translator,
    from_dictionary,
    held_frequency,
    learned_table_of,
)


def glossary(view: IndexView) -> Glossary:
    """The shipped termbase, and the terms mined from the indexed documents by name."""
    return Glossary(shipped_terms(), more=view.terms_named)


def translator(view: IndexView) -> Translator:
    """Translations from the sources ``search.translate.SOURCES`` names, kept where the index holds them."""
    is_word = _vocabulary(view)
    lookups = [from_dictionary] if DICTIONARY in translate.SOURCES else []
    learned = None
    if view.key is not None and DOCUMENTS in translate.SOURCES:
        folder, index_name, _ = view.key
        learned = learned_table_of(Path(folder), index_name)
    if learned is not None:
        lookups.append(learned.lookup)
    frequency = held_frequency(is_word, lambda w: view.doc_frequency(schema.WORDS, w))
    return Translator(lookups, frequency, view.doc_count_all)


def _plans(
    parsed: ParsedQuery, view: IndexView, options: SearchFilters, *, loosened: bool = True
) -> tuple[Callable[[], Plan], Plan | None]:
    """What makes the plan of the query, and (unless not ``loosened``: a count never uses it)
    the plan of its loosened form for when nothing matches it all.  The query's own plan is
    made only when asked for: a long query ranked by its words never needs it, and its
    names and translations are most of a plan's cost."""
    is_word = _vocabulary(view)
    names = glossary(view) if options.expand else None
    words = translator(view) if options.expand else None
    filters = options.resolve(view)
    parsed = add_compounds(
        parsed, lambda word: view.has_term(schema.WORDS, latin_word(word)), lambda text: stands_in_text(view, text)
    )

    def expanded(query: ParsedQuery, *, translated: bool = True) -> ParsedQuery:
        if not (names and words):
            return query
        # Names first: a name translates as a whole, through its other names.
        query = names.expand(query)
        return words.expand(query) if translated else query

    def plan() -> Plan:
        return make_plan(expanded(parsed), is_word, filters)

    refs = any(clause.refs for clause in parsed.clauses)
    loose = loosen(parsed, is_word) if loosened and not refs else None
    if loose is None:
        return plan, None
    known = words is not None and _all_known(parsed, is_word, words)
    return plan, make_plan(expanded(loose, translated=known), is_word, filters, any_word=True)


def _all_known(parsed: ParsedQuery, is_word, words: Translator) -> bool:
    """Whether the index or a translation knows every Latin word of the query (stopwords aside).

    A loosened query is translated only then: a word known to neither is most likely a
    typo, and the passages the other words' translations find would hide the did-you-mean
    of a query that finds nothing (``Internatonal Telecommunication Union``).
    """
    return all(
        is_word(unit) or words.knows(unit)
        for clause in parsed.clauses
        for unit in segment(clause.text, is_word)
        if unit.isascii() and not is_stopword(unit)
    )


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
    if loose is not None and first is not None and first.partial:
        used, ranked, partial = loose, first, True
    else:
        used = plan()
        ranked = execute(used, view, wanted)
        partial = False
        if not ranked.total and loose is not None:
            used, ranked = loose, first or execute(loose, view, wanted)
            partial = bool(ranked.total)
    clauses = tuple(c.clause for c in used.clauses)
    order = reading_order if filters.sort == "doc" else hit_order
    hits = collect_hits(view, ranked.docs, clauses, order=order, limit=limit)
    return SearchResult(
        query=parsed.text,
        total=ranked.total,
        total_is_lower_bound=ranked.total_is_lower_bound,
        hits=tuple(hits),
        reading=used.reading(),
        excluded=used.excluded_reading(),
        partial=partial,
        filters=filters,
        left_out=used.filters.left_out,
        suggestion=_suggestion(view, parsed, filters),
    )


def _suggestion(view: IndexView, parsed: ParsedQuery, filters: SearchFilters) -> str | None:
    """The did-you-mean of a query (``suggest``), or None.

    Not for a pasted paragraph: a suggestion is offered only where some passage holds every
    word of it, which almost none does for such a query, and finding that out matched the
    whole corrected query again (0.5-0.6 s a CISI question with a typo).  A word a
    translation source knows is no typo: correcting it tried some 500 spellings, a term
    lookup each, for every English word of a sentence searched in Chinese text.
    """
    if len(parsed.clauses) > LONG_QUERY:
        return None
    # Made only when a word the index lacks is met: most queries have none.
    words = cache(lambda: translator(view))
    return did_you_mean(parsed.text, _word_weight(view), lambda word: filters.expand and words().knows(word))


def _word_weight(view: IndexView):
    """How common a lower-case Latin word is in the passages (by its stem) or the termbase's names; 0 if unknown."""
    names = {word for term in shipped_terms() for name in term.names for word in name.lower().split()}
    return lambda word: view.doc_frequency(schema.WORDS, latin_word(word)) or (1 if word in names else 0)


def run_count(view: IndexView, parsed: ParsedQuery, *, filters: SearchFilters = NO_FILTERS) -> int:
    """How many passages match, exactly (the loosened query is never counted)."""
    plan, _ = _plans(read_references(parsed), view, filters, loosened=False)
    return count(plan(), view)


def run_count_by_doc(view: IndexView, parsed: ParsedQuery, *, filters: SearchFilters = NO_FILTERS) -> dict[str, int]:
    """How many passages of each document match, exactly, for the documents with any."""
    plan, _ = _plans(read_references(parsed), view, filters, loosened=False)
    matched = match(plan(), view, ranked=False).docs
    return dict(sorted(view.count_by(schema.DOC, matched).items()))
