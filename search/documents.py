"""The indexed documents: naming them (``--doc``, ``--section``), listing them (with
whether each file changed since), showing a passage in its document, and finding a
document's other language version.

Until index format 6 a passage's id was its position (``003:12``), which every edit
above it changed.  ``show`` still reads such an id, for this format, as the passage at
that position now, and says so: if the document changed since the id was written down,
that may be another passage.
"""

from __future__ import annotations

import dataclasses
import hashlib
from bisect import bisect_left
from dataclasses import replace
from pathlib import Path

from itudocs.corpus.ids import is_position
from itudocs.corpus.model import Kind
from itudocs.corpus.parallel import read_pairs
from itudocs.indexer import schema
from itudocs.indexer.analysis import fold, unit_pattern, units
from itudocs.indexer.records import DocumentRecord, PassageRecord
from itudocs.search.hits import make_hit
from itudocs.search.query import QueryError
from itudocs.search.reader import IndexView
from itudocs.search.results import DocumentInfo, Hit, PassageView

# How many of the documents an ambiguous --doc names are listed in the message.
_LISTED = 5


def resolve_documents(wanted: str, view: IndexView) -> list[str]:
    """Document ids a ``--doc`` value names: an id, the unique beginning of one, or words of a title.

    Raises QueryError when the value begins several ids: ``0`` is the start of every
    sample id, and taking them all would silently search them all.
    """
    ids = view.document_ids()
    if wanted in ids:
        return [wanted]
    by_id = [doc_id for doc_id in ids if doc_id.startswith(wanted)]
    if len(by_id) > 1:
        listed = ", ".join(by_id[:_LISTED]) + (", …" if len(by_id) > _LISTED else "")
        raise QueryError(f"--doc {wanted!r} begins {len(by_id)} document ids ({listed}); give more of the one you mean")
    if by_id:
        return by_id
    needle = fold(wanted)
    return sorted(doc_id for doc_id, record in view.records().items() if needle in fold(record.title))


def named_documents(doc: str, view: IndexView) -> list[str]:
    wanted = resolve_documents(doc, view)
    if not wanted:
        raise QueryError(f"no indexed document matches --doc {doc!r}; `itudocs docs` lists them")
    return wanted


def documents_named(view: IndexView, doc: str | None) -> dict[str, DocumentRecord]:
    """The records of every indexed document, or of those a ``--doc`` value names."""
    if doc is None:
        return view.records()
    return view.records_of(named_documents(doc, view))


def sections_matching(section: str, docs: dict[str, DocumentRecord]) -> list[str]:
    """Ids (DOC#N) of every section path that contains ``section``, matched like a query clause."""
    terms = tuple(u.text for u in units(section))
    if not terms:
        raise QueryError(f"--section {section!r} has no letters, digits or Chinese characters")
    pattern = unit_pattern(terms)
    return [
        f"{doc_id}#{n}"
        for doc_id, record in docs.items()
        for n, path in enumerate(record.sections)
        if pattern.search(fold(path))
    ]


def file_state(record: DocumentRecord) -> str:
    """``unchanged``, ``changed``, ``gone`` or ``unreadable``: the file now, against its record.

    The size and modification time recorded at indexing tell an untouched file without
    reading it; the content hash decides the rest (a file only touched is unchanged).
    """
    path = Path(record.source)
    try:
        stat = path.stat()
        if record.stamp == (stat.st_size, stat.st_mtime_ns):
            return "unchanged"
        data = path.read_bytes()
    except FileNotFoundError:
        return "gone"
    except OSError:
        return "unreadable"
    return "unchanged" if hashlib.sha256(data).hexdigest() == record.sha256 else "changed"


# What a listing shows of a document's record as it is; it adds the file's state now.
_LISTED_FIELDS = tuple(
    field.name for field in dataclasses.fields(DocumentInfo) if field.name not in ("file_state", "sample")
)


def list_documents(view: IndexView) -> list[DocumentInfo]:
    # The loader brings the readers with it: imported here, so a search never loads them.
    from itudocs.corpus.loader import sample_folder

    sample = str(sample_folder().resolve())
    return [
        DocumentInfo(
            **{name: getattr(record, name) for name in _LISTED_FIELDS},
            file_state=file_state(record),
            sample=record.root == sample,
        )
        for _, record in sorted(view.records().items())
    ]


def resolve_hit_id(hit_id: str, view: IndexView) -> str:
    """A full hit id from one whose document part is an id's unique beginning (``003:58``)."""
    doc_part, sep, tail = hit_id.rpartition(":")
    if not sep:
        raise QueryError(f"{hit_id!r} is not a hit id; hit ids look like DOC:67, DOC:fn2 or DOC:p3f9a1c")
    if view.record(doc_part):
        return hit_id
    matches = [doc_id for doc_id in view.document_ids() if doc_id.startswith(doc_part)]
    if len(matches) != 1:
        what = "no indexed document" if not matches else f"{len(matches)} documents"
        raise QueryError(f"{what} match {doc_part!r} in hit id {hit_id!r}")
    return f"{matches[0]}:{tail}"


def passages_by_seq(view: IndexView, doc_id: str) -> dict[int, PassageRecord]:
    """Position → record of every passage of one document."""
    stored = (view.stored(doc) for doc in sorted(view.doc_set(schema.DOC, doc_id)))
    passages = (PassageRecord.from_stored(fields) for fields in stored if fields[schema.KIND] != schema.DOCUMENT_KIND)
    return {passage.seq: passage for passage in passages}


def find_passage(view: IndexView, hit_id: str, full_id: str) -> tuple[PassageRecord, str]:
    """The passage ``hit_id`` (in full, ``full_id``) names, and a notice when it was read as
    a position."""
    passage = view.passage(full_id)
    if passage is not None:
        return passage, ""
    doc_id, _, key = full_id.rpartition(":")
    found = passages_by_seq(view, doc_id).get(int(key)) if is_position(key) else None
    if found is None:
        raise QueryError(f"no passage {hit_id!r} in the index")
    notice = (
        f"{hit_id} is a position, the form ids had before index format 6; it is read as the passage now "
        f"at that position, {found.id} (if the document changed since, that may be another passage)"
    )
    return found, notice


def view_passage(view: IndexView, hit_id: str, *, context: int = 1) -> PassageView:
    """A passage with ``context`` passages either side and its footnote links."""
    found, notice = find_passage(view, hit_id, resolve_hit_id(hit_id, view))
    doc_id = found.doc_id
    hit = make_hit(found, view.record(doc_id))

    def passage(passage_id: str) -> Hit | None:
        found = view.passage(passage_id)
        return make_hit(found, view.record(doc_id)) if found else None

    body = hit.kind != Kind.FOOTNOTE
    seq = found.seq
    by_seq = passages_by_seq(view, doc_id) if body and context else {}
    # The passages that exist within ``context`` positions, found by bisection: the work is
    # bounded by the document, whatever ``context`` is asked for.
    seqs = sorted(by_seq)
    start, here, end = (bisect_left(seqs, n) for n in (seq - context, seq, seq + 1 + context))
    before = [make_hit(by_seq[n], view.record(doc_id)) for n in seqs[start:here]]
    after = [make_hit(by_seq[n], view.record(doc_id)) for n in seqs[here:end] if n != seq]
    notes = [passage(f"{doc_id}:fn{n}") for n in hit.footnotes]
    caller = passage(hit.called_from) if hit.called_from else None
    other = parallel_document(doc_id, view)
    counterpart = None
    if other and hit.citation.label:
        same = (
            view.doc_set(schema.DOC, other)
            & view.doc_set(schema.LABEL, hit.citation.label)
            & view.doc_set(schema.KIND, hit.kind)
        )
        counterpart = make_hit(view.passage_at(min(same)), view.record(other)) if same else None
    return PassageView(
        hit=replace(hit, window=(0, len(hit.text))),
        before=tuple(p for p in before if p and p.kind != Kind.FOOTNOTE),
        after=tuple(p for p in after if p and p.kind != Kind.FOOTNOTE),
        footnotes=tuple(p for p in notes if p),
        caller=caller,
        counterpart=counterpart,
        notice=notice,
    )


def parallel_document(doc_id: str, view: IndexView) -> str | None:
    """The indexed language version of a document: same symbol, or paired in its folder's parallel.tsv."""
    record = view.record(doc_id)
    if record is None:
        return None
    docs = view.records()
    if record.symbol:
        for other, candidate in sorted(docs.items()):
            if other != doc_id and candidate.symbol == record.symbol and candidate.lang != record.lang:
                return other
    by_source = {Path(candidate.source): other for other, candidate in docs.items()}
    for a, b in read_pairs(Path(record.root)):
        for mine, theirs in ((a, b), (b, a)):
            if mine == Path(record.source) and theirs in by_source:
                return by_source[theirs]
    return None
