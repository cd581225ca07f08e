"""The records the index stores, typed: what the writer builds and every reader reads back.

A passage's stored fields and a document's record are dicts of JSON values in the index
(``indexer.stored``; the format ``schema.SCHEMA_VERSION`` names, written down in
docs/FORMAT.md); each class here is the one place that knows their keys: ``to_stored``
gives the dict the writer adds, ``from_stored`` reads one back, turning JSON's lists back
into the tuples the records hold.  Keys an older build of the same format may lack are
read with the defaults the readers have always used.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from itudocs.corpus.model import Citation
from itudocs.corpus.termbase import Term
from itudocs.indexer import schema

if TYPE_CHECKING:
    from whoosh.reading import IndexReader


@dataclass(frozen=True, slots=True)
class StoredRef:
    """One citation of a reference in a passage: what ``corpus.references.keys_for`` reads
    (id, kind, number, body), and the span of the passage's text that cites it."""

    id: str
    kind: str
    number: str
    body: str | None
    start: int
    end: int

    def to_stored(self) -> tuple[str, str, str, str | None, int, int]:
        return (self.id, self.kind, self.number, self.body, self.start, self.end)

    @classmethod
    def from_stored(cls, stored: Sequence[Any]) -> StoredRef:
        ref_id, kind, number, body, start, end = stored
        return cls(ref_id, kind, number, body, start, end)


@dataclass(frozen=True, slots=True, kw_only=True)
class PassageRecord:
    """A passage as the index stores it: what a hit is made of.

    citation:    where the passage stands; its ``title`` is the document's, kept in the
                 document record and not stored with each passage, so "" here unless
                 the reader gave it (``from_stored``).
    calls:       (footnote number, offset in ``text``) of each footnote the passage calls.
    called_from: for a footnote, the key of the passage that calls it.
    refs:        every reference the passage cites.
    """

    id: str
    kind: str
    lang: str
    seq: int
    text: str
    citation: Citation
    calls: tuple[tuple[int, int], ...] = ()
    called_from: str | None = None
    refs: tuple[StoredRef, ...] = ()

    @property
    def doc_id(self) -> str:
        return self.citation.doc_id

    def to_stored(self) -> dict[str, object]:
        """The passage's stored fields (the writer adds the indexed ones beside them)."""
        c = self.citation
        return {
            schema.ENTRY_ID: self.id,
            schema.DOC: c.doc_id,
            schema.KIND: self.kind,
            schema.LANG: self.lang,
            schema.SEQ: self.seq,
            schema.LABEL: c.label or None,
            schema.PASSAGE_TEXT: self.text,
            schema.RECORD: {
                "section": list(c.section),
                "label": c.label,
                "footnote": c.footnote,
                "line": c.line,
                "anchor": c.anchor,
                "page": c.page,
                "calls": list(self.calls),
                "called_from": self.called_from,
                "refs": [ref.to_stored() for ref in self.refs],
            },
        }

    @classmethod
    def from_stored(cls, fields: Mapping[str, Any], title_of: Callable[[str], str] | None = None) -> PassageRecord:
        """The passage of its stored fields; with ``title_of`` (doc id → its document's title),
        its citation has the title, saving the copy a hit would make to add it."""
        record = fields[schema.RECORD]
        doc_id = fields[schema.DOC]
        citation = Citation(
            doc_id=doc_id,
            title=title_of(doc_id) if title_of is not None else "",
            section=tuple(record["section"]),
            label=record["label"],
            footnote=record["footnote"],
            line=record["line"],
            anchor=record.get("anchor"),
            page=record.get("page"),
        )
        return cls(
            id=fields[schema.ENTRY_ID],
            kind=fields[schema.KIND],
            lang=fields[schema.LANG],
            seq=fields[schema.SEQ],
            text=fields[schema.PASSAGE_TEXT],
            citation=citation,
            calls=tuple(map(tuple, record["calls"])),
            called_from=record["called_from"],
            refs=tuple(map(StoredRef.from_stored, record.get("refs", ()))),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentRecord:
    """One indexed file: what it is, where it came from and what it holds.

    The record and the document's passages are written in one commit, so the records
    are the manifest a run compares files against.

    sha256, stamp: the file's content hash, and (size, mtime in ns) when it was indexed,
                   so a listing tells an untouched file without reading it.
    meta:     the file's ``metadata.tsv`` row (``DocMeta.to_record``), so a changed row
              is a changed document; ``date`` and ``meeting`` are taken from it.
    root:     the folder (or file) it was indexed through.
    passages, footnotes: how many of each were written.
    terms:    acronym pairs the document defines (``corpus.terms``), for query expansion, in
              their stored form (each Term's fields): only the writer reads them, and a
              search that lists every record need not decode them.
    sections: its distinct section paths in reading order; a passage's section field
              ``DOC#N`` names the Nth.
    refs:     reference id → {kind, body, number, editions, passages (seqs)} for every
              reference it cites.
    """

    doc_id: str
    title: str
    lang: str
    source: str
    sha256: str
    root: str
    passages: int
    footnotes: int
    symbol: str | None = None
    encoding: str | None = None
    stamp: tuple[int, int] | None = None
    format: str = "text"
    meta: dict[str, str | None] | None = None
    date: str | None = None
    meeting: str | None = None
    indexed_at: str = ""
    terms: tuple[dict[str, Any], ...] = ()
    sections: tuple[str, ...] = ()
    refs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_stored(self) -> dict[str, object]:
        return {
            schema.ENTRY_ID: f"document:{self.doc_id}",
            schema.DOC: self.doc_id,
            schema.KIND: schema.DOCUMENT_KIND,
            schema.LANG: self.lang,
            schema.RECORD: {
                "title": self.title,
                "lang": self.lang,
                "symbol": self.symbol,
                "encoding": self.encoding,
                "source": self.source,
                "sha256": self.sha256,
                "stamp": self.stamp,
                "format": self.format,
                "meta": self.meta,
                "date": self.date,
                "meeting": self.meeting,
                "indexed_at": self.indexed_at,
                "root": self.root,
                "passages": self.passages,
                "footnotes": self.footnotes,
                "terms": list(self.terms),
                "sections": list(self.sections),
                "refs": self.refs,
            },
        }

    @classmethod
    def from_stored(cls, fields: Mapping[str, Any]) -> DocumentRecord:
        record = fields[schema.RECORD]
        return cls(
            doc_id=fields[schema.DOC],
            title=record["title"],
            lang=record["lang"],
            source=record["source"],
            sha256=record["sha256"],
            root=record["root"],
            passages=record["passages"],
            footnotes=record["footnotes"],
            symbol=record.get("symbol"),
            encoding=record.get("encoding"),
            stamp=tuple(record["stamp"]) if record.get("stamp") else None,
            format=record.get("format", "text"),
            meta=record.get("meta"),
            date=record.get("date"),
            meeting=record.get("meeting"),
            indexed_at=record.get("indexed_at", ""),
            terms=tuple(record.get("terms", ())),
            sections=tuple(record.get("sections", ())),
            refs=record.get("refs", {}),
        )


def term_to_stored(term: Term) -> dict[str, object]:
    """A mined term's record (its indexed names are the writer's)."""
    return {schema.ENTRY_ID: f"term:{term.id}", schema.KIND: schema.TERM_KIND, schema.RECORD: asdict(term)}


def term_from_stored(fields: Mapping[str, Any]) -> Term:
    return term_from_record(fields[schema.RECORD])


def term_from_record(record: Mapping[str, Any]) -> Term:
    """A Term from its stored fields (``asdict(term)`` as JSON keeps it: lists for tuples)."""
    fields: dict[str, Any] = {key: tuple(value) if isinstance(value, list) else value for key, value in record.items()}
    return Term(**fields)


def read_documents(reader: IndexReader) -> dict[str, DocumentRecord]:
    """doc id → record of every indexed document, in index order."""
    if (schema.KIND, schema.DOCUMENT_KIND) not in reader:
        return {}
    numbers = sorted(reader.postings(schema.KIND, schema.DOCUMENT_KIND).all_ids())
    records = (DocumentRecord.from_stored(reader.stored_fields(number)) for number in numbers)
    return {record.doc_id: record for record in records}
