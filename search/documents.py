"""The indexed documents: naming them (``--doc``, ``--section``), listing them, showing a
passage in its document, and finding a document's other language version."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from itudocs.corpus.parallel import read_pairs
from itudocs.indexer import schema as f
from itudocs.indexer.analysis import fold, unit_pattern, units
from itudocs.search.hits import make_hit
from itudocs.search.query import QueryError
from itudocs.search.reader import IndexView
from itudocs.search.results import DocumentInfo, Hit, PassageView


def resolve_documents(wanted: str, view: IndexView) -> list[str]:
    """Document ids a ``--doc`` value names: an id, an id's beginning, or words of a title."""
    ids = view.document_ids()
    if wanted in ids:
        return [wanted]
    by_id = [doc_id for doc_id in ids if doc_id.startswith(wanted)]
    if by_id:
        return by_id
    needle = fold(wanted)
    return sorted(doc_id for doc_id, record in view.records().items() if needle in fold(record["title"]))


def named_documents(doc: str, view: IndexView) -> list[str]:
    wanted = resolve_documents(doc, view)
    if not wanted:
        raise QueryError(f"no indexed document matches --doc {doc!r}; `itudocs docs` lists them")
    return wanted


def documents_named(view: IndexView, doc: str | None) -> dict[str, dict]:
    """The records of every indexed document, or of those a ``--doc`` value names."""
    if doc is None:
        return view.records()
    return {doc_id: view.record(doc_id) for doc_id in named_documents(doc, view)}


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


def list_documents(view: IndexView) -> list[DocumentInfo]:
    return [
        DocumentInfo(
            doc_id=doc_id,
            title=record["title"],
            lang=record["lang"],
            source=record["source"],
            passages=record["passages"],
            footnotes=record["footnotes"],
        )
        for doc_id, record in sorted(view.records().items())
    ]


def resolve_hit_id(hit_id: str, view: IndexView) -> str:
    """A full hit id from one whose document part is an id's unique beginning (``003:58``)."""
    doc_part, sep, tail = hit_id.rpartition(":")
    if not sep:
        raise QueryError(f"{hit_id!r} is not a hit id; hit ids look like DOC:SEQ or DOC:fnN")
    if view.record(doc_part):
        return hit_id
    matches = [doc_id for doc_id in view.document_ids() if doc_id.startswith(doc_part)]
    if len(matches) != 1:
        what = "no indexed document" if not matches else f"{len(matches)} documents"
        raise QueryError(f"{what} match {doc_part!r} in hit id {hit_id!r}")
    return f"{matches[0]}:{tail}"


def view_passage(view: IndexView, hit_id: str, *, context: int = 1) -> PassageView:
    """A passage with ``context`` passages either side and its footnote links."""
    fields = view.passage(resolve_hit_id(hit_id, view))
    if fields is None:
        raise QueryError(f"no passage {hit_id!r} in the index")
    doc_id = fields[f.DOC]
    hit = make_hit(fields, view.record(doc_id))

    def passage(passage_id: str) -> Hit | None:
        found = view.passage(passage_id)
        return make_hit(found, view.record(doc_id)) if found else None

    body = hit.kind != "footnote"
    seq = fields[f.SEQ]
    before = [passage(f"{doc_id}:{n}") for n in range(seq - context, seq)] if body else []
    after = [passage(f"{doc_id}:{n}") for n in range(seq + 1, seq + 1 + context)] if body else []
    notes = [passage(f"{doc_id}:fn{n}") for n in hit.footnotes]
    caller = passage(hit.called_from) if hit.called_from else None
    other = parallel_document(doc_id, view)
    counterpart = None
    if other and hit.citation.label:
        same = view.doc_set(f.DOC, other) & view.doc_set(f.LABEL, hit.citation.label) & view.doc_set(f.KIND, hit.kind)
        counterpart = make_hit(view.stored(min(same)), view.record(other)) if same else None
    return PassageView(
        hit=replace(hit, window=(0, len(hit.text))),
        before=tuple(p for p in before if p and p.kind != "footnote"),
        after=tuple(p for p in after if p and p.kind != "footnote"),
        footnotes=tuple(p for p in notes if p),
        caller=caller,
        counterpart=counterpart,
    )


def parallel_document(doc_id: str, view: IndexView) -> str | None:
    """The indexed language version of a document: same symbol, or paired in its folder's parallel.tsv."""
    record = view.record(doc_id)
    docs = view.records()
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
