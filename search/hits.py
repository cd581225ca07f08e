"""Hits from stored fields: the passage, its citation, where the query matched, what it cites."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from itudocs.corpus.model import Citation
from itudocs.corpus.references import keys_for
from itudocs.indexer import schema as f
from itudocs.search.query import Clause
from itudocs.search.results import Hit, Note
from itudocs.search.snippets import find_spans, merge_spans, snippet_window

if TYPE_CHECKING:
    from itudocs.search.reader import IndexView

# A footnote too long for one passage is split into parts (corpus.limits); more than
# this many is beyond any real note.
MAX_NOTE_PARTS = 99


def make_hit(fields: dict, doc: dict, *, score: float = 0.0, clauses: tuple[Clause, ...] = ()) -> Hit:
    """A Hit from a passage's stored fields and its document's record; highlights where ``clauses`` occur."""
    record = fields[f.RECORD]
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


def hit_order(hit: Hit) -> tuple:
    """Best first; among equal scores, by document, body before footnotes, reading order."""
    return (-round(hit.score, 6), *reading_order(hit))


def reading_order(hit: Hit) -> tuple:
    """By document, body before footnotes, then as the document reads (``--sort doc``)."""
    return (hit.citation.doc_id, hit.kind == "footnote", hit.citation.line)


def with_notes(hit: Hit, view: IndexView) -> Hit:
    """The hit with the text of each footnote it calls (a split footnote's parts joined)."""
    notes = []
    for number in hit.footnotes:
        parts = []
        for part in ("", *(f".{n}" for n in range(2, MAX_NOTE_PARTS + 1))):
            found = view.passage(f"{hit.citation.doc_id}:fn{number}{part}")
            if found is None:
                break
            parts.append(found[f.TEXT_])
        notes.append(Note(number=number, text=" ".join(parts)))
    return replace(hit, notes=tuple(notes)) if notes else hit
