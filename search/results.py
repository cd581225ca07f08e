"""What a search returns: plain records, never engine objects."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from itudocs.corpus.model import Citation

if TYPE_CHECKING:
    from itudocs.search.filters import SearchFilters
    from itudocs.search.metafilter import LeftOut

# The source of a clause that spells a typed compound another way (``search.compounds``).
COMPOUND = "compound"
# The orders hits can be listed in: best first, or by document and reading order.
SORTS = ("score", "doc")


@dataclass(frozen=True, slots=True, kw_only=True)
class Note:
    """A footnote a passage calls: its number and its text."""

    number: int
    text: str

    def to_dict(self) -> dict[str, object]:
        return {"number": self.number, "text": self.text}


@dataclass(frozen=True, slots=True, kw_only=True)
class Hit:
    """A cited passage that matched, with where the match is.

    highlights: character spans of ``text`` that matched the query.
    window:     the span of ``text`` to show as the snippet.
    footnotes:  numbers of the footnotes the passage calls.
    notes:      those footnotes with their text (in search results).
    called_from: for a footnote, the id of the passage that calls it.
    refs:       normalised ids of the references the query asked for that the passage cites.
    file:       the document's file: its full path, or its path from ``folder`` (``search.paths``).
    folder:     the folder ``file`` is relative to; "" when ``file`` is the full path.
    """

    id: str
    kind: str
    lang: str
    text: str
    file: str
    citation: Citation
    score: float = 0.0
    highlights: tuple[tuple[int, int], ...] = ()
    window: tuple[int, int] = (0, 0)
    footnotes: tuple[int, ...] = ()
    called_from: str | None = None
    refs: tuple[str, ...] = ()
    notes: tuple[Note, ...] = ()
    folder: str = ""

    @property
    def path(self) -> str:
        """The file's full path, whichever form ``file`` is in."""
        return str(Path(self.folder, self.file)) if self.folder else self.file

    @property
    def snippet(self) -> str:
        start, end = self.window
        return ("…" if start > 0 else "") + self.text[start:end] + ("…" if end < len(self.text) else "")

    def to_dict(self) -> dict[str, object]:
        """The one flat form every export format writes (field list: ``search.export``)."""
        c = self.citation
        return {
            "id": self.id,
            "doc": c.doc_id,
            "title": c.title,
            "file": self.file,
            "lang": self.lang,
            "kind": self.kind,
            "label": c.label,
            "section": list(c.section),
            "footnote": c.footnote,
            "line": c.line,
            "anchor": c.anchor,
            "page": c.page,
            "text": self.text,
            "snippet": self.snippet,
            "score": round(self.score, 4),
            "highlights": [list(span) for span in self.highlights],
            "footnotes": list(self.footnotes),
            "called_from": self.called_from,
            "refs": list(self.refs),
            "notes": [note.to_dict() for note in self.notes],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class ClauseReading:
    """How one clause of a query was read, for ``--explain``.

    group:  which AND-group it belongs to (clauses of one group are alternatives).
    units:  what must occur in sequence (after folding case, width and script).
    words:  the words it is ranked by, cut against the index's vocabulary.
    source: "" as typed, else where an expansion came from (termbase, mined:DOC:LINE).
    refs:   the reference keys it was read as.
    weight: of its words in ranking (other names count less).
    tier:   added where it is found as typed, lifting those passages above every passage
            that holds only other names (``search.plan``).
    """

    group: int
    text: str
    units: tuple[str, ...]
    words: tuple[str, ...]
    source: str = ""
    refs: tuple[str, ...] = ()
    weight: float = 1.0
    tier: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "group": self.group,
            "text": self.text,
            "units": list(self.units),
            "words": list(self.words),
            "source": self.source or "typed",
            "refs": list(self.refs),
            "weight": self.weight,
            "tier": self.tier,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchResult:
    """A query, how many passages matched it, the hits asked for, and how it was read.

    ``partial``: no passage held every clause, and the hits hold only some of its words.
    ``filters``: what the search was limited to (``search.filters.SearchFilters``).
    ``suggestion``: for a query with words the index does not know (whether it found
    nothing or a partial result), the query with those words replaced by the closest words
    the index holds, if that finds passages holding every word.
    ``total_is_lower_bound``: a search with a limit counts exactly only up to a bound
    (``search.execute.TRACK_TOTAL``); past it, ``total`` is that bound and more matched.
    ``left_out``: documents the date and meeting filters left out for having no date or
    no meeting (``search.metafilter.LeftOut``).
    ``excluded``: how the excluded words were read (their other names too), for ``--explain``.
    """

    query: str
    total: int
    total_is_lower_bound: bool = False
    hits: tuple[Hit, ...]
    index: str = ""
    reading: tuple[ClauseReading, ...] = field(default=())
    excluded: tuple[ClauseReading, ...] = ()
    partial: bool = False
    filters: SearchFilters | None = None
    suggestion: str | None = None
    left_out: tuple[LeftOut, ...] = ()

    @property
    def documents(self) -> tuple[DocumentHits, ...]:
        """The hits by document: each document's best hit, in the order of the best, with its
        other hits folded under it (a long query's answer is often a document, not a line)."""
        by_doc: dict[str, list[Hit]] = {}
        for hit in self.hits:
            by_doc.setdefault(hit.citation.doc_id, []).append(hit)
        return tuple(
            DocumentHits(doc_id=doc_id, title=hits[0].citation.title, best=hits[0], more=tuple(hits[1:]))
            for doc_id, hits in by_doc.items()
        )

    def grouped_by_document(self) -> SearchResult:
        """The same result with each document's hits together, after its best (``--group doc``)."""
        return replace(self, hits=tuple(hit for group in self.documents for hit in (group.best, *group.more)))


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentHits:
    """One document's best hit for a query and its other hits, best first."""

    doc_id: str
    title: str
    best: Hit
    more: tuple[Hit, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "doc": self.doc_id,
            "title": self.title,
            "best": self.best.to_dict(),
            "more": [hit.to_dict() for hit in self.more],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentInfo:
    """An indexed document, as ``itudocs docs`` lists it.

    format:     the reader that read it (text, docx, html).
    encoding:   the encoding a plain-text file was read in (utf-8, gb18030, …); None for other formats.
    indexed_at: when it was last read into the index (UTC, ISO 8601).
    file_state: ``unchanged``, ``changed`` (re-run ``index`` to read it again), ``gone``
                or ``unreadable`` — the file now, against what was indexed.
    sample:     one of the bundled sample documents.
    """

    doc_id: str
    title: str
    lang: str
    source: str
    passages: int
    footnotes: int
    format: str = "text"
    encoding: str | None = None
    symbol: str | None = None
    date: str | None = None
    meeting: str | None = None
    indexed_at: str = ""
    file_state: str = "unchanged"
    sample: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "doc": self.doc_id,
            "title": self.title,
            "lang": self.lang,
            "format": self.format,
            "encoding": self.encoding,
            "symbol": self.symbol,
            "date": self.date,
            "meeting": self.meeting,
            "file": self.source,
            "passages": self.passages,
            "footnotes": self.footnotes,
            "indexed_at": self.indexed_at,
            "file_state": self.file_state,
            "sample": self.sample,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class PassageView:
    """A passage in its context: its neighbours, both ways its footnote links, and
    the paragraph with the same number in the document's other language version.
    ``notice`` says how an id in an older form was read."""

    hit: Hit
    before: tuple[Hit, ...] = ()
    after: tuple[Hit, ...] = ()
    footnotes: tuple[Hit, ...] = ()
    caller: Hit | None = None
    counterpart: Hit | None = None
    notice: str = ""

    def to_dict(self) -> dict[str, object]:
        """What ``itudocs show --format json`` prints and the web API's ``/api/show`` returns."""
        return {
            "hit": self.hit.to_dict(),
            "before": [h.to_dict() for h in self.before],
            "after": [h.to_dict() for h in self.after],
            "footnotes": [h.to_dict() for h in self.footnotes],
            "called_from": self.caller.to_dict() if self.caller else None,
            "counterpart": self.counterpart.to_dict() if self.counterpart else None,
        }
