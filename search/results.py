"""What a search returns: plain records, never engine objects."""

from __future__ import annotations

from dataclasses import dataclass, field

from itudocs.corpus.model import Citation


@dataclass(frozen=True, slots=True, kw_only=True)
class Hit:
    """A cited passage that matched, with where the match is.

    highlights: character spans of ``text`` that matched the query.
    window:     the span of ``text`` to show as the snippet.
    footnotes:  numbers of the footnotes the passage calls.
    called_from: for a footnote, the id of the passage that calls it.
    refs:       normalised ids of the references the query asked for that the passage cites.
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
            "text": self.text,
            "snippet": self.snippet,
            "score": round(self.score, 4),
            "highlights": [list(span) for span in self.highlights],
            "footnotes": list(self.footnotes),
            "called_from": self.called_from,
            "refs": list(self.refs),
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
    ``total_is_lower_bound``: a search with a limit counts exactly only up to a bound
    (``search.execute.TRACK_TOTAL``); past it, ``total`` is that bound and more matched.
    """

    query: str
    total: int
    total_is_lower_bound: bool = False
    hits: tuple[Hit, ...]
    index: str = ""
    reading: tuple[ClauseReading, ...] = field(default=())
    partial: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentInfo:
    """An indexed document, as ``itudocs docs`` lists it."""

    doc_id: str
    title: str
    lang: str
    source: str
    passages: int
    footnotes: int

    def to_dict(self) -> dict[str, object]:
        return {
            "doc": self.doc_id,
            "title": self.title,
            "lang": self.lang,
            "file": self.source,
            "passages": self.passages,
            "footnotes": self.footnotes,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class PassageView:
    """A passage in its context: its neighbours, both ways its footnote links, and
    the paragraph with the same number in the document's other language version."""

    hit: Hit
    before: tuple[Hit, ...] = ()
    after: tuple[Hit, ...] = ()
    footnotes: tuple[Hit, ...] = ()
    caller: Hit | None = None
    counterpart: Hit | None = None

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
