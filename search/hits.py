"""Hits from stored fields: the passage, its citation, where the query matched, what it cites."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING

from itudocs.corpus.model import Citation, Kind
from itudocs.corpus.references import keys_for
from itudocs.indexer import schema
from itudocs.indexer.analysis import fold
from itudocs.indexer.records import DocumentRecord, PassageRecord, StoredRef
from itudocs.search.query import Clause
from itudocs.search.results import Hit, Note
from itudocs.search.snippets import Marks, merge_spans, snippet_window

if TYPE_CHECKING:
    from itudocs.search.reader import IndexView

# A footnote too long for one passage is split into parts (corpus.limits); more than
# this many is beyond any real note.
MAX_NOTE_PARTS = 99


def make_hit(
    passage: PassageRecord, doc: DocumentRecord | None, *, score: float = 0.0, clauses: tuple[Clause, ...] = ()
) -> Hit:
    """A Hit from a passage's record and its document's; highlights where ``clauses`` occur."""
    return _hit(passage, doc, score, Marks.of(clauses), fold(passage.text))


def collect_hits(
    view: IndexView,
    docs: Sequence[tuple[int, float]],
    clauses: tuple[Clause, ...],
    *,
    order: Callable[[Hit], tuple],
    limit: int | None,
) -> list[Hit]:
    """The hits of a search's (doc number, score) pairs in ``order``, the first ``limit``
    of them with their footnotes' texts.

    The passages are read in index order (stored fields are compressed in blocks of
    neighbours, ``indexer.stored``).  Python's cyclic collector is paused meanwhile:
    every hit is a dozen new objects, none in a cycle, and at tens of thousands of hits
    the collector's passes over every live object cost a tenth of the search; what is
    dropped is still freed by reference counting.
    """
    with _collector_paused():
        title_of = _titles(view)
        read = {doc: PassageRecord.from_stored(view.stored(doc), title_of) for doc in sorted(doc for doc, _ in docs)}
        hits = make_hits(((read[doc], score) for doc, score in docs), view, clauses)
        hits.sort(key=order)
        return with_notes(hits[:limit], view, read)


def _titles(view: IndexView) -> Callable[[str], str]:
    """doc id → the title its hits are cited with (the id, for a document without a record)."""

    def title_of(doc_id: str) -> str:
        record = view.record(doc_id)
        return record.title if record else doc_id

    return title_of


@contextmanager
def _collector_paused() -> Iterator[None]:
    if not gc.isenabled():  # paused by the caller, or by another thread's search
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def make_hits(found: Iterable[tuple[PassageRecord, float]], view: IndexView, clauses: tuple[Clause, ...]) -> list[Hit]:
    """``make_hit`` for each (passage, score) of a search: what every hit shares (the
    clauses' patterns, each document's record) is worked out once, not per hit."""
    marks = Marks.of(clauses)
    records: dict[str, DocumentRecord | None] = {}
    hits = []
    for passage, score in found:
        doc_id = passage.doc_id
        if doc_id not in records:
            records[doc_id] = view.record(doc_id)
        hits.append(_hit(passage, records[doc_id], score, marks, fold(passage.text)))
    return hits


def _hit(passage: PassageRecord, doc: DocumentRecord | None, score: float, marks: Marks, folded: str) -> Hit:
    text = passage.text
    cited = [ref for ref in passage.refs if _cites(ref, marks.asked)] if marks.asked else []
    spans = merge_spans([*marks.spans(folded), *((ref.start, ref.end) for ref in cited)])
    called_from = passage.called_from
    return Hit(
        id=passage.id,
        kind=passage.kind,
        lang=passage.lang,
        text=text,
        file=doc.source if doc else "",
        citation=_titled(passage.citation, doc.title if doc else passage.doc_id),
        score=score,
        highlights=tuple(spans),
        window=snippet_window(text, spans),
        footnotes=tuple(number for number, _ in passage.calls),
        called_from=f"{passage.doc_id}:{called_from}" if called_from is not None else None,
        refs=tuple(dict.fromkeys(ref.id for ref in cited)),
    )


def _titled(c: Citation, title: str) -> Citation:
    """The citation with its document's title: made whole, as ``dataclasses.replace`` would
    but at a fifth of its cost, which at tens of thousands of hits is a tenth of the search."""
    if c.title == title:  # read with it (``collect_hits``)
        return c
    return Citation(
        doc_id=c.doc_id,
        title=title,
        section=c.section,
        label=c.label,
        footnote=c.footnote,
        line=c.line,
        anchor=c.anchor,
        page=c.page,
    )


def _cites(ref: StoredRef, asked: frozenset[str]) -> bool:
    """Whether a passage's reference is one the query asks for."""
    return not asked.isdisjoint(keys_for(ref.id, ref.kind, ref.number, ref.body))


def hit_order(hit: Hit) -> tuple:
    """Best first; among equal scores, by document, body before footnotes, reading order."""
    return (-round(hit.score, 6), *reading_order(hit))


def reading_order(hit: Hit) -> tuple:
    """By document, body before footnotes, then as the document reads (``--sort doc``):
    a PDF passage's line is its line on its page."""
    return (hit.citation.doc_id, hit.kind == Kind.FOOTNOTE, hit.citation.page or 0, hit.citation.line)


def with_notes(hits: list[Hit], view: IndexView, read: Mapping[int, PassageRecord] | None = None) -> list[Hit]:
    """The hits with the text of each footnote they call (a split footnote's parts joined).

    The footnotes of each calling document are read once, in index order (stored fields
    are compressed in blocks of neighbours), and only they, not the document's every
    passage; those in ``read`` (doc number → passage, read already) are not read again.
    """
    read = read or {}
    callers = sorted({hit.citation.doc_id for hit in hits if hit.footnotes})
    texts: dict[str, str] = {}
    for doc_id in callers:
        footnotes = view.having(schema.KIND, Kind.FOOTNOTE.value, view.doc_set(schema.DOC, doc_id))
        for doc in sorted(footnotes):
            passage = read.get(doc) or view.passage_at(doc)
            texts[passage.id] = passage.text
    return [replace(hit, notes=_notes(hit, texts)) if hit.footnotes else hit for hit in hits]


def _notes(hit: Hit, texts: dict[str, str]) -> tuple[Note, ...]:
    notes = []
    for number in hit.footnotes:
        parts = []
        for part in ("", *(f".{n}" for n in range(2, MAX_NOTE_PARTS + 1))):
            text = texts.get(f"{hit.citation.doc_id}:fn{number}{part}")
            if text is None:
                break
            parts.append(text)
        notes.append(Note(number=number, text=" ".join(parts)))
    return tuple(notes)
