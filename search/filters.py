"""What a search is limited to and how it is ordered, as given, resolved against the index.

``SearchFilters`` holds the options as a user gives them (``--doc 003 --doc 004 --kind
Footnote --lang zh``); ``resolve`` turns them into the ids a hit may have
(``search.plan.Filters``), whatever then does the matching.  Values of one option are
alternatives (OR); different options must all hold (AND).  Resolving reads document
records only when an option needs them (title words, ``--section``, ``--lang``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from itudocs.corpus.model import LANGS, Kind
from itudocs.search.documents import named_documents, sections_matching
from itudocs.search.metafilter import LeftOut, date_range, documents_by_metadata
from itudocs.search.plan import Filters
from itudocs.search.query import QueryError
from itudocs.search.refs import cites_keys
from itudocs.search.results import SORTS

if TYPE_CHECKING:
    from itudocs.search.reader import IndexView


def _values(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """One option's values: a str is one value, None none."""
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchFilters:
    """The options that limit and order a search, as given.

    doc:     ids, unique beginnings of ids, or words of titles.
    section: text the section path must contain (matched like a query clause).
    kind:    ``paragraph``, ``heading``, ``footnote`` or ``figure``, in any case.
    cites:   a reference every hit must cite (``Resolution 140``).
    lang:    the language of the documents, ``zh`` or ``en``.
    sort:    ``score`` (best first) or ``doc`` (document, then reading order).
    expand:  also search the other names of what the query names.
    date_from, date_to, meeting: the documents' ``metadata.tsv`` rows (``search.metafilter``).
    """

    doc: tuple[str, ...] = ()
    section: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    cites: str | None = None
    lang: str | None = None
    sort: str = "score"
    expand: bool = True
    date_from: str | None = None
    date_to: str | None = None
    meeting: str | None = None

    @classmethod
    def make(
        cls,
        *,
        doc: str | Iterable[str] | None = None,
        section: str | Iterable[str] | None = None,
        kind: str | Iterable[str] | None = None,
        cites: str | None = None,
        lang: str | None = None,
        sort: str = "score",
        expand: bool = True,
        date_from: str | None = None,
        date_to: str | None = None,
        meeting: str | None = None,
    ) -> SearchFilters:
        """Filters from keyword options, each either one value or several; raises QueryError on a bad one."""
        kinds = tuple(dict.fromkeys(k.strip().lower() for k in _values(kind)))
        known = [k.value for k in Kind]
        for value in kinds:
            if value not in known:
                raise QueryError(f"--kind must be one of {', '.join(known)}, not {value!r}")
        if lang is not None and lang.lower() not in LANGS:
            raise QueryError(f"--lang must be one of {', '.join(LANGS)}, not {lang!r}")
        if sort not in SORTS:
            raise QueryError(f"--sort must be one of {', '.join(SORTS)}, not {sort!r}")
        # Checked before the index is read: a range no date is in is an error, not an empty result.
        date_range(date_from or None, date_to or None)
        return cls(
            doc=_values(doc),
            section=_values(section),
            kind=kinds,
            cites=cites or None,
            lang=lang.lower() if lang else None,
            sort=sort,
            expand=expand,
            date_from=date_from or None,
            date_to=date_to or None,
            meeting=meeting or None,
        )

    def resolve(self, view: IndexView) -> Filters:
        """The documents, sections, kinds and references hits may have; raises QueryError when
        a ``--doc`` names nothing or only the beginning of several ids."""
        docs: set[str] | None = None
        if self.doc:
            docs = {doc_id for wanted in self.doc for doc_id in named_documents(wanted, view)}
        if self.lang:
            in_lang = {doc_id for doc_id, record in view.records().items() if record.lang == self.lang}
            docs = in_lang if docs is None else docs & in_lang
        left_out: tuple[LeftOut, ...] = ()
        if self.date_from or self.date_to or self.meeting:
            records = view.records_of(docs) if docs is not None else view.records()
            dated = documents_by_metadata(records, date_from=self.date_from, date_to=self.date_to, meeting=self.meeting)
            if dated is not None:
                docs, left_out = dated.chosen, dated.left_out
        sections = None
        if self.section:
            records = view.records_of(docs) if docs is not None else view.records()
            sections = tuple(sid for wanted in self.section for sid in sections_matching(wanted, records))
        return Filters(
            docs=tuple(sorted(docs)) if docs is not None else None,
            sections=sections,
            kinds=self.kind or None,
            cites=cites_keys(self.cites) if self.cites else None,
            left_out=left_out,
        )

    def describe(self) -> str:
        """The filters as words for a summary line: `` citing Resolution 140 in 003``; "" for none."""
        parts = []
        if self.cites:
            parts.append(f"citing {self.cites}")
        if self.doc:
            parts.append(f"in {' or '.join(self.doc)}")
        if self.section:
            parts.append(f"under {' or '.join(self.section)}")
        if self.kind:
            parts.append(f"of kind {' or '.join(self.kind)}")
        if self.lang:
            parts.append(f"in {self.lang} documents")
        if self.date_from or self.date_to:
            parts.append(f"dated {self.date_from or '…'} to {self.date_to or '…'}")
        if self.meeting:
            parts.append(f"of meeting {self.meeting}")
        return "".join(f" {part}" for part in parts)

    def to_dict(self) -> dict[str, object]:
        return {
            "doc": list(self.doc),
            "section": list(self.section),
            "kind": list(self.kind),
            "cites": self.cites,
            "lang": self.lang,
            "sort": self.sort,
            "expand": self.expand,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "meeting": self.meeting,
        }


NO_FILTERS = SearchFilters()
