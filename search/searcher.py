"""The only place the index is searched.

A passage is a hit when every clause of the query occurs in it (in the ``exact``
field, or in its label) and no excluded clause does.  Among hits, order comes from
BM25F over the ``words`` field, with a boost where a clause is the passage's own
label.  Every Whoosh object stays in here; callers get ``search.results`` records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from whoosh.collectors import FilterCollector, TopCollector, UnlimitedCollector
from whoosh.index import Index
from whoosh.matching import Matcher, NullMatcherClass, WrappingMatcher
from whoosh.query import And, AndMaybe, AndNot, ConstantScoreQuery, Or, Phrase, Query, Term
from whoosh.searching import Results, Searcher

from itudocs.corpus.lang import is_han
from itudocs.corpus.model import Citation
from itudocs.corpus.parallel import read_pairs
from itudocs.corpus.references import keys_for
from itudocs.indexer import schema as f
from itudocs.indexer.analysis import fold, unit_pattern, units
from itudocs.search.expand import Glossary, mined_terms, shipped_terms
from itudocs.search.query import Clause, ParsedQuery, QueryError, english_stems, segment
from itudocs.search.refs import cites_keys, read_references
from itudocs.search.results import ClauseReading, DocumentInfo, Hit, PassageView, SearchResult
from itudocs.search.snippets import find_spans, merge_spans, snippet_window

KINDS = ("paragraph", "heading", "footnote", "figure")
# Words a question is made of that say nothing about what it asks for.
STOPWORDS = frozenset(
    {
        *("a", "an", "the", "is", "are", "was", "were", "be", "of", "in", "on", "at", "for", "to", "and", "or"),
        *("what", "when", "who", "whom", "which", "where", "why", "how", "do", "does", "did", "about", "with"),
        *("什么", "哪些", "哪个", "怎样", "如何", "是否", "关于"),
    }
)
LABEL_BOOST = 4.0
# Another name of what the user typed counts, but less than what they typed; and
# each clause found as typed lifts a passage a whole tier, above every passage that
# holds only other names, whatever their BM25.
EXPANSION_WEIGHT = 0.5
# A passage that cites a reference the query names outranks one that merely shares words with it.
REFERENCE_BOOST = 3.0
LITERAL_TIER = 1000.0


def _units_query(field: str, terms: tuple[str, ...]) -> Query:
    return Term(field, terms[0]) if len(terms) == 1 else Phrase(field, list(terms))


class _FlatMatcher(WrappingMatcher):
    """Its child's matches, each scored ``boost`` (used here as the one score)."""

    def score(self) -> float:
        return self.boost

    def supports_block_quality(self) -> bool:
        return False


class FlatScore(ConstantScoreQuery):
    """Like ``ConstantScoreQuery``, but streams its child's matches instead of listing
    them all first, so a phrase is verified only where the rest of the query looks."""

    def matcher(self, searcher: Searcher, context: object = None) -> Matcher:
        child = self.child.matcher(searcher, context)
        return child if isinstance(child, NullMatcherClass) else _FlatMatcher(child, self.score)


class Union(Or):
    """``Or`` by Whoosh's pairwise union matcher: the array union it picks for small
    indexes loses matches of ``FlatScore`` children (seen: 14 of 120)."""

    matcher_type = Or.DEFAULT_MATCHER


def _clause_query(clause: Clause, *, tier: float = 0.0) -> Query:
    """Where a clause matches, scored ``tier`` where it matches as written: its units in
    sequence, its label or a reference it names; English words also match by their
    stems anywhere in the passage, scored 0."""
    terms = tuple(u.text for u in clause.units)
    written = [_units_query(f.EXACT, terms), _units_query(f.LABEL, terms)]
    written.extend(Term(f.REFS, key) for key in clause.refs)
    ways = [FlatScore(Or(written), tier)]
    stems = english_stems(clause)
    if stems:
        ways.append(FlatScore(And([Term(f.WORDS, stem) for stem in stems]), 0.0))
    return Union(ways)


def match_query(parsed: ParsedQuery) -> Query:
    """The passages that match: all groups, each by any of its clauses, minus exclusions.

    The match itself scores the tiers: where a group offers other names, a clause as
    typed scores ``LITERAL_TIER``, lifting the passage above every passage that holds
    only other names; a group of one clause needs no tier, since every hit holds it.
    Scoring here verifies each phrase once, for matching and ranking together.
    """
    required = And(
        [
            Union([_clause_query(c, tier=LITERAL_TIER if len(group) > 1 and not c.source else 0.0) for c in group])
            for group in parsed.groups
        ]
    )
    if not parsed.excluded:
        return required
    excluded = Or([_units_query(f.EXACT, tuple(u.text for u in c.units)) for c in parsed.excluded])
    return AndNot(required, excluded)


def rank_query(parsed: ParsedQuery, searcher: Searcher) -> Query:
    """How matching passages are ordered within a tier: BM25F over words, references
    and label matches first, other names weighted below the words as typed."""
    is_word = _vocabulary(searcher)
    parts: list[Query] = []
    for clause in parsed.clauses:
        weight = EXPANSION_WEIGHT if clause.source else 1.0
        parts.extend(Term(f.REFS, key, boost=REFERENCE_BOOST) for key in clause.refs)
        parts.extend(Term(f.WORDS, word, boost=weight) for word in segment(clause.text, is_word))
        terms = tuple(u.text for u in clause.units)
        parts.append(_units_query(f.LABEL, terms).with_boost(LABEL_BOOST * weight))
    return Or(parts)


def _vocabulary(searcher: Searcher) -> Callable[[str], bool]:
    reader = searcher.reader()
    return lambda word: reader.doc_frequency(f.WORDS, word) > 0


def build_query(parsed: ParsedQuery, searcher: Searcher) -> Query:
    return AndMaybe(match_query(parsed), rank_query(parsed, searcher))


def glossary(docs: dict[str, dict]) -> Glossary:
    """The shipped termbase and every indexed document's mined terms."""
    return Glossary([*shipped_terms(), *mined_terms(docs.values())])


def documents(searcher: Searcher) -> dict[str, dict]:
    """doc id → stored record of every indexed document."""
    return {fields[f.DOC]: fields[f.RECORD] for fields in searcher.documents(**{f.KIND: f.DOCUMENT_KIND})}


def documents_named(ix: Index, doc: str | None) -> dict[str, dict]:
    """The records of every indexed document, or of those a ``--doc`` value names."""
    with ix.searcher() as searcher:
        docs = documents(searcher)
    return docs if doc is None else {doc_id: docs[doc_id] for doc_id in _named(doc, docs)}


def _named(doc: str, docs: dict[str, dict]) -> list[str]:
    wanted = resolve_documents(doc, docs)
    if not wanted:
        raise QueryError(f"no indexed document matches --doc {doc!r}; `itudocs docs` lists them")
    return wanted


def resolve_documents(wanted: str, docs: dict[str, dict]) -> list[str]:
    """Document ids a ``--doc`` value names: an id, an id's beginning, or words of a title."""
    if wanted in docs:
        return [wanted]
    by_id = [doc_id for doc_id in docs if doc_id.startswith(wanted)]
    if by_id:
        return sorted(by_id)
    needle = fold(wanted)
    return sorted(doc_id for doc_id, record in docs.items() if needle in fold(record["title"]))


def _filters(
    docs: dict[str, dict], doc: str | None, section: str | None, kind: str | None, cites: str | None
) -> Query | None:
    parts: list[Query] = []
    if cites:
        parts.append(Or([Term(f.REFS, key) for key in cites_keys(cites)]))
    if doc:
        parts.append(Or([Term(f.DOC, doc_id) for doc_id in _named(doc, docs)]))
    if section:
        parts.append(Or([Term(f.SECTION, sid) for sid in sections_matching(section, docs)]))
    if kind:
        if kind not in KINDS:
            raise QueryError(f"--kind must be one of {', '.join(KINDS)}, not {kind!r}")
        parts.append(Term(f.KIND, kind))
    return And(parts) if parts else None


def sections_matching(section: str, docs: dict[str, dict]) -> list[str]:
    """Ids (DOC#N) of every section path that contains ``section``, matched like a query clause."""
    terms = tuple(u.text for u in units(section))
    if not terms:
        raise QueryError(f"--section {section!r} has no letters, digits or Chinese characters")
    pattern = unit_pattern(terms)
    return [
        f"{doc_id}#{n}"
        for doc_id, record in docs.items()
        for n, path in enumerate(record.get("sections", []))
        if pattern.search(fold(path))
    ]


def make_hit(fields: dict, docs: dict[str, dict], *, score: float = 0.0, clauses: tuple[Clause, ...] = ()) -> Hit:
    """A Hit from a passage's stored fields; highlights where ``clauses`` occur."""
    record = fields[f.RECORD]
    doc = docs.get(fields[f.DOC], {})
    text = fields[f.TEXT_]
    asked = {key for clause in clauses for key in clause.refs}
    cited = [ref for ref in record.get("refs", []) if _cites(ref, asked)] if asked else []
    spans = find_spans(text, [tuple(u.text for u in c.units) for c in clauses])
    spans = merge_spans([*spans, *((start, end) for *_, start, end in cited)])
    called_from = record["called_from"]
    return Hit(
        id=fields[f.ID_],
        kind=fields[f.KIND],
        lang=fields[f.LANG],
        text=text,
        file=doc.get("source", ""),
        citation=Citation(
            doc_id=fields[f.DOC],
            title=doc.get("title", fields[f.DOC]),
            section=tuple(record["section"]),
            label=record["label"],
            footnote=record["footnote"],
            line=record["line"],
            anchor=record.get("anchor"),
            page=record.get("page"),
        ),
        score=score,
        highlights=tuple(spans),
        window=snippet_window(text, spans),
        footnotes=tuple(number for number, _ in record["calls"]),
        called_from=f"{fields[f.DOC]}:{called_from}" if called_from is not None else None,
        refs=tuple(dict.fromkeys(ref_id for ref_id, *_ in cited)),
    )


def _cites(ref: tuple, asked: set[str]) -> bool:
    """Whether a stored reference (id, kind, number, body, start, end) is one the query asks for."""
    ref_id, kind, number, body, _, _ = ref
    return not asked.isdisjoint(keys_for(ref_id, kind, number, body))


def run_search(
    ix: Index,
    parsed: ParsedQuery,
    *,
    limit: int | None = 10,
    doc: str | None = None,
    section: str | None = None,
    kind: str | None = None,
    cites: str | None = None,
    expand: bool = True,
) -> SearchResult:
    """Every passage holding every clause (or, when none does, those holding some of its
    words: a ``partial`` result), best first."""
    parsed = read_references(parsed)
    with ix.searcher() as searcher:
        docs = documents(searcher)
        names = glossary(docs) if expand else None
        filters = _filters(docs, doc, section, kind, cites)
        query = names.expand(parsed) if names else parsed
        results = _run(searcher, query, limit, filters)
        partial = False
        if results.is_empty() and not any(clause.refs for clause in parsed.clauses):
            loose = loosen(parsed, _vocabulary(searcher))
            if loose is not None:
                query = names.expand(loose) if names else loose
                results = _run(searcher, query, limit, filters)
                partial = not results.is_empty()
        hits = [make_hit(hit.fields(), docs, score=hit.score, clauses=query.clauses) for hit in results]
        total = len(results)
        reading = read_back(query, searcher)
    hits.sort(key=lambda h: (-round(h.score, 6), h.citation.doc_id, h.kind == "footnote", _seq(h.id)))
    return SearchResult(query=parsed.text, total=total, hits=tuple(hits), reading=reading, partial=partial)


def _run(searcher: Searcher, parsed: ParsedQuery, limit: int | None, filters: Query | None) -> Results:
    """The top ``limit`` hits and an exact count of all of them.

    Whoosh's collectors periodically replace the matcher with one that skips documents
    unable to enter the top N, which keeps the top N right but drops those documents
    from the count; replacing is turned off, as are block-quality skips.
    """
    top = TopCollector(limit, usequality=False) if limit else UnlimitedCollector()
    top.replace = 0
    collector = FilterCollector(top, filters, Term(f.KIND, f.DOCUMENT_KIND))
    searcher.search_with_collector(build_query(parsed, searcher), collector)
    return collector.results()


def loosen(parsed: ParsedQuery, is_word: Callable[[str], bool]) -> ParsedQuery | None:
    """A query matching passages that hold any of the words of ``parsed``, for when none
    holds them all: a question typed as a sentence (``谁担任联合国信息社会小组的秘书处``)
    still finds the passages about its words.  None when there is nothing to loosen."""
    words = [
        word
        for clause in parsed.clauses
        if clause.text.lower() not in STOPWORDS
        for word in segment(clause.text, is_word)
        if (len(word) > 1 or not is_han(word)) and word not in STOPWORDS
    ]
    if len(words) < 2 and len(parsed.clauses) < 2:
        return None
    clauses = tuple(Clause(word) for word in dict.fromkeys(words))
    return replace(parsed, groups=(clauses,)) if clauses else None


def read_back(parsed: ParsedQuery, searcher: Searcher) -> tuple[ClauseReading, ...]:
    """Each clause as the search used it: its units, ranking words, source and references."""
    is_word = _vocabulary(searcher)
    return tuple(
        ClauseReading(
            group=n,
            text=clause.text,
            units=tuple(u.text for u in clause.units),
            words=tuple(segment(clause.text, is_word)),
            source=clause.source,
            refs=clause.refs,
        )
        for n, group in enumerate(parsed.groups, start=1)
        for clause in group
    )


def _seq(hit_id: str) -> int:
    tail = hit_id.rsplit(":", 1)[-1]
    return int(tail.removeprefix("fn")) if tail.removeprefix("fn").isdigit() else 0


def list_documents(ix: Index) -> list[DocumentInfo]:
    with ix.searcher() as searcher:
        docs = documents(searcher)
    return [
        DocumentInfo(
            doc_id=doc_id,
            title=record["title"],
            lang=record["lang"],
            source=record["source"],
            passages=record["passages"],
            footnotes=record["footnotes"],
        )
        for doc_id, record in sorted(docs.items())
    ]


def resolve_hit_id(hit_id: str, docs: dict[str, dict]) -> str:
    """A full hit id from one whose document part is an id's unique beginning (``003:58``)."""
    doc_part, sep, tail = hit_id.rpartition(":")
    if not sep:
        raise QueryError(f"{hit_id!r} is not a hit id; hit ids look like DOC:SEQ or DOC:fnN")
    if doc_part in docs:
        return hit_id
    matches = [doc_id for doc_id in docs if doc_id.startswith(doc_part)]
    if len(matches) != 1:
        what = "no indexed document" if not matches else f"{len(matches)} documents"
        raise QueryError(f"{what} match {doc_part!r} in hit id {hit_id!r}")
    return f"{matches[0]}:{tail}"


def view_passage(ix: Index, hit_id: str, *, context: int = 1) -> PassageView:
    """A passage with ``context`` passages either side and its footnote links."""
    with ix.searcher() as searcher:
        docs = documents(searcher)
        full_id = resolve_hit_id(hit_id, docs)
        fields = searcher.document(**{f.ID_: full_id})
        if fields is None:
            raise QueryError(f"no passage {hit_id!r} in the index")
        hit = make_hit(fields, docs)
        doc_id = fields[f.DOC]

        def passage(seq_or_id: str) -> Hit | None:
            found = searcher.document(**{f.ID_: seq_or_id})
            return make_hit(found, docs) if found else None

        body = hit.kind != "footnote"
        seq = fields[f.SEQ]
        before = [passage(f"{doc_id}:{n}") for n in range(seq - context, seq)] if body else []
        after = [passage(f"{doc_id}:{n}") for n in range(seq + 1, seq + 1 + context)] if body else []
        notes = [passage(f"{doc_id}:fn{n}") for n in hit.footnotes]
        caller = passage(hit.called_from) if hit.called_from else None
        other = parallel_document(doc_id, docs)
        counterpart = None
        if other and hit.citation.label:
            found = searcher.document(**{f.DOC: other, f.LABEL: hit.citation.label, f.KIND: hit.kind})
            counterpart = make_hit(found, docs) if found else None
    return PassageView(
        hit=replace(hit, window=(0, len(hit.text))),
        before=tuple(p for p in before if p and p.kind != "footnote"),
        after=tuple(p for p in after if p and p.kind != "footnote"),
        footnotes=tuple(p for p in notes if p),
        caller=caller,
        counterpart=counterpart,
    )


def parallel_document(doc_id: str, docs: dict[str, dict]) -> str | None:
    """The indexed language version of a document: same symbol, or paired in its folder's parallel.tsv."""
    record = docs[doc_id]
    if record.get("symbol"):
        for other, candidate in sorted(docs.items()):
            if other != doc_id and candidate.get("symbol") == record["symbol"] and candidate["lang"] != record["lang"]:
                return other
    by_source = {Path(candidate["source"]): other for other, candidate in docs.items()}
    for a, b in read_pairs(Path(record["root"])):
        for mine, theirs in ((a, b), (b, a)):
            if mine == Path(record["source"]) and theirs in by_source:
                return by_source[theirs]
    return None
