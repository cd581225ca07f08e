"""What the index stores of a document, built from the corpus's dataclasses: each passage's
stored record and the fields a search matches it by, the document's record (what it cites,
its sections, its mined terms), and the record of a term mined from every document.

The writer adds these entries (``indexer.writer.index_entries``); ``indexer.records`` says
how each record is laid out in the stored fields.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

from itudocs.corpus.metadata import DocMeta
from itudocs.corpus.model import Document, Passage
from itudocs.corpus.references import Reference, index_keys
from itudocs.corpus.termbase import Term
from itudocs.corpus.terms import mine_document
from itudocs.indexer import schema
from itudocs.indexer.analysis import fold, name_key, word_counts
from itudocs.indexer.column import coded_stream
from itudocs.indexer.records import DocumentRecord, PassageRecord, StoredRef, term_to_stored


def section_paths(doc: Document) -> list[str]:
    """The document's distinct section paths, in reading order, as ``--section`` reads them."""
    return list(dict.fromkeys(" › ".join(p.citation.section) for p in doc.passages))


def passage_record(passage: Passage, refs: list[Reference]) -> PassageRecord:
    return PassageRecord(
        id=passage.id,
        kind=passage.kind.value,
        lang=passage.lang,
        seq=passage.seq,
        text=passage.text,
        citation=passage.citation,
        calls=tuple((call.number, call.offset) for call in passage.calls),
        called_from=passage.caller,
        refs=tuple(StoredRef(ref.id, ref.kind.value, ref.number, ref.body, ref.start, ref.end) for ref in refs),
    )


def passage_fields(passage: Passage, refs: list[Reference], section: int) -> dict[str, object]:
    """The passage's stored record, and the fields a search matches it by."""
    c = passage.citation
    folded = fold(passage.text)
    return {
        **passage_record(passage, refs).to_stored(),
        schema.SECTION: f"{c.doc_id}#{section}",
        schema.UNITS: coded_stream(folded),
        schema.LABEL_UNITS: coded_stream(fold(c.label)) if c.label else None,
        schema.WORDS: word_counts(passage.text, folded),
        schema.REFS: " ".join(dict.fromkeys(key for ref in refs for key in index_keys(ref))),
    }


def cited(doc: Document, refs: dict[int, list[Reference]]) -> dict[str, dict]:
    """Each reference the document cites: what it is, the editions given, and where."""
    table: dict[str, dict] = {}
    for passage in doc.passages:
        for ref in refs[passage.seq]:
            row = table.setdefault(
                ref.id, {"kind": ref.kind.value, "body": ref.body, "number": ref.number, "editions": [], "passages": []}
            )
            if ref.edition and ref.edition not in row["editions"]:
                row["editions"].append(ref.edition)
            # Passages come in order, so a passage already listed is the last one: a
            # membership test of the whole list made a long document's table quadratic.
            if row["passages"][-1:] != [passage.seq]:
                row["passages"].append(passage.seq)
    return table


def file_stamp(path: str) -> tuple[int, int] | None:
    """Size and modification time of a file as indexed, so a listing can tell a changed
    file without reading it; None if it went while being indexed."""
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def meta_record(meta: DocMeta | None) -> dict[str, str | None] | None:
    return meta.to_record() if meta else None


# What a document's record keeps of the Document as read.
_FROM_DOCUMENT = ("doc_id", "title", "lang", "symbol", "encoding", "source", "sha256", "format")


def document_record(doc: Document, root: str, refs: dict[int, list[Reference]]) -> DocumentRecord:
    return DocumentRecord(
        **{name: getattr(doc, name) for name in _FROM_DOCUMENT},
        stamp=file_stamp(doc.source),
        meta=meta_record(doc.meta),
        date=doc.meta.date if doc.meta else None,
        meeting=doc.meta.meeting if doc.meta else None,
        indexed_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        root=root,
        passages=len(doc.passages) - doc.footnote_count,
        footnotes=doc.footnote_count,
        terms=tuple(asdict(term) for term in mine_document(doc)),
        sections=tuple(section_paths(doc)),
        refs=cited(doc, refs),
    )


def term_fields(term: Term) -> dict[str, object]:
    """A record of one term mined from the indexed documents, found by any of its names."""
    keys = [name_key(name) for name in term.names]
    return {**term_to_stored(term), schema.NAMES: ",".join(dict.fromkeys(key for key in keys if key))}
