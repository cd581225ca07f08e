"""What a search is limited to, resolved against the indexed documents, whatever does the matching.

``SearchFilters`` holds the options as a user gives them (``--doc 003 --doc 004 --kind
Footnote --lang zh``); ``resolve`` turns them into the sets of documents, kinds and
section ids a hit may come from, so the matcher only has to test membership.  Values
of one option are alternatives (OR); different options must all hold (AND).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from itudocs.corpus.model import Kind
from itudocs.indexer.analysis import fold, unit_pattern, units
from itudocs.search.query import QueryError
from itudocs.search.refs import cites_keys

LANGS = ("zh", "en")
SORTS = ("score", "doc")
# How many of the documents an ambiguous --doc names are listed in the message.
_LISTED = 5


def _values(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """One option's values: a str is one value, None none."""
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


@dataclass(frozen=True, slots=True, kw_only=True)
class Allowed:
    """Where hits may come from; None means anywhere.

    docs:     document ids (``--doc``, ``--lang``).
    kinds:    passage kinds (``--kind``).
    sections: section ids, ``DOC#N`` (``--section``).
    cites:    reference keys a hit must cite one of (``--cites``).
    """

    docs: frozenset[str] | None = None
    kinds: frozenset[str] | None = None
    sections: frozenset[str] | None = None
    cites: tuple[str, ...] = ()

    @property
    def everything(self) -> bool:
        return self.docs is None and self.kinds is None and self.sections is None and not self.cites


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
    """

    doc: tuple[str, ...] = ()
    section: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    cites: str | None = None
    lang: str | None = None
    sort: str = "score"
    expand: bool = True

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
        return cls(
            doc=_values(doc),
            section=_values(section),
            kind=kinds,
            cites=cites or None,
            lang=lang.lower() if lang else None,
            sort=sort,
            expand=expand,
        )

    def resolve(self, docs: dict[str, dict]) -> Allowed:
        """The documents, kinds, sections and references hits may come from; raises QueryError
        when a ``--doc`` names nothing or only part of an id shared by several documents."""
        allowed_docs: set[str] | None = None
        if self.doc:
            allowed_docs = {doc_id for wanted in self.doc for doc_id in named_documents(wanted, docs)}
        if self.lang:
            in_lang = {doc_id for doc_id, record in docs.items() if record.get("lang") == self.lang}
            allowed_docs = in_lang if allowed_docs is None else allowed_docs & in_lang
        sections = None
        if self.section:
            sections = frozenset(sid for wanted in self.section for sid in sections_matching(wanted, docs))
        return Allowed(
            docs=frozenset(allowed_docs) if allowed_docs is not None else None,
            kinds=frozenset(self.kind) if self.kind else None,
            sections=sections,
            cites=cites_keys(self.cites) if self.cites else (),
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
        }


def named_documents(wanted: str, docs: dict[str, dict]) -> list[str]:
    """Document ids a ``--doc`` value names: an id, the unique beginning of one, or words of titles.

    Raises QueryError when nothing matches, or when the value begins several ids: ``0``
    is the start of every sample id, and taking them all would silently search them all.
    """
    if wanted in docs:
        return [wanted]
    by_id = sorted(doc_id for doc_id in docs if doc_id.startswith(wanted))
    if len(by_id) == 1:
        return by_id
    if by_id:
        listed = ", ".join(by_id[:_LISTED]) + (", …" if len(by_id) > _LISTED else "")
        raise QueryError(f"--doc {wanted!r} begins {len(by_id)} document ids ({listed}); give more of the one you mean")
    needle = fold(wanted)
    by_title = sorted(doc_id for doc_id, record in docs.items() if needle in fold(record["title"]))
    if not by_title:
        raise QueryError(f"no indexed document matches --doc {wanted!r}; `itudocs docs` lists them")
    return by_title


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


NO_FILTERS = SearchFilters()
