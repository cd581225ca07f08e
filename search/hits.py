"""Hits from stored fields: the passage, its citation, where the query matched, what it cites."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from itudocs.corpus.model import Kind
from itudocs.corpus.references import keys_for
from itudocs.indexer.records import DocumentRecord, PassageRecord, StoredRef
from itudocs.search.query import Clause
from itudocs.search.results import Hit, Note
from itudocs.search.snippets import find_spans, merge_spans, snippet_window

if TYPE_CHECKING:
    from itudocs.search.reader import IndexView

# A footnote too long for one passage is split into parts (corpus.limits); more than
# this many is beyond any real note.
MAX_NOTE_PARTS = 99


def make_hit(
    passage: PassageRecord, doc: DocumentRecord | None, *, score: float = 0.0, clauses: tuple[Clause, ...] = ()
) -> Hit:
    """A Hit from a passage's record and its document's; highlights where ``clauses`` occur."""
    text = passage.text
    asked = {key for clause in clauses for key in clause.refs}
    cited = [ref for ref in passage.refs if _cites(ref, asked)] if asked else []
    spans = find_spans(text, [tuple(u.text for u in c.units) for c in clauses])
    spans = merge_spans([*spans, *((ref.start, ref.end) for ref in cited)])
    called_from = passage.called_from
    return Hit(
        id=passage.id,
        kind=passage.kind,
        lang=passage.lang,
        text=text,
        file=doc.source if doc else "",
        citation=replace(passage.citation, title=doc.title if doc else passage.doc_id),
        score=score,
        highlights=tuple(spans),
        window=snippet_window(text, spans),
        footnotes=tuple(number for number, _ in passage.calls),
        called_from=f"{passage.doc_id}:{called_from}" if called_from is not None else None,
        refs=tuple(dict.fromkeys(ref.id for ref in cited)),
    )


def _cites(ref: StoredRef, asked: set[str]) -> bool:
    """Whether a passage's reference is one the query asks for."""
    return not asked.isdisjoint(keys_for(ref.id, ref.kind, ref.number, ref.body))


def hit_order(hit: Hit) -> tuple:
    """Best first; among equal scores, by document, body before footnotes, reading order."""
    return (-round(hit.score, 6), *reading_order(hit))


def reading_order(hit: Hit) -> tuple:
    """By document, body before footnotes, then as the document reads (``--sort doc``):
    a PDF passage's line is its line on its page."""
    return (hit.citation.doc_id, hit.kind == Kind.FOOTNOTE, hit.citation.page or 0, hit.citation.line)


def with_notes(hit: Hit, view: IndexView) -> Hit:
    """The hit with the text of each footnote it calls (a split footnote's parts joined)."""
    notes = []
    for number in hit.footnotes:
        parts = []
        for part in ("", *(f".{n}" for n in range(2, MAX_NOTE_PARTS + 1))):
            found = view.passage(f"{hit.citation.doc_id}:fn{number}{part}")
            if found is None:
                break
            parts.append(found.text)
        notes.append(Note(number=number, text=" ".join(parts)))
    return replace(hit, notes=tuple(notes)) if notes else hit
