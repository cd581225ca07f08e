"""The Python API: the same verbs as the command line, for notebooks and scripts.

>>> from itudocs.search.library import Library
>>> lib = Library()                              # the default index; built from the sample if absent
>>> result = lib.search("第140号决议", limit=None)  # doctest: +SKIP
>>> [hit.citation.label for hit in result.hits]   # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from itudocs.indexer.location import resolve_index_dir
from itudocs.indexer.store import index_exists, read_index
from itudocs.search.filters import SearchFilters
from itudocs.search.query import parse_query
from itudocs.search.results import DocumentInfo, PassageView, SearchResult

if TYPE_CHECKING:
    from itudocs.corpus.limits import ReadLimits
    from itudocs.corpus.loader import SourceFile
    from itudocs.corpus.termbase import Term
    from itudocs.indexer.writer import CheckReport, IndexReport
    from itudocs.search.refs import CitedReference


class Library:
    """An index of council documents and the verbs that use it."""

    def __init__(self, index_dir: str | os.PathLike[str] | None = None) -> None:
        self.index_dir = resolve_index_dir(index_dir)

    @property
    def exists(self) -> bool:
        return index_exists(self.index_dir)

    def index(
        self,
        folder: str | os.PathLike[str],
        *,
        rebuild: bool = False,
        on_file: Callable[[SourceFile], None] | None = None,
        limits: ReadLimits | None = None,
    ) -> IndexReport:
        """Add or refresh the documents below ``folder``; unchanged files are not re-read."""
        from itudocs.corpus.loader import DEFAULT_LIMITS
        from itudocs.indexer.writer import index_folder

        return index_folder(
            self.index_dir, Path(folder), rebuild=rebuild, on_file=on_file, limits=limits or DEFAULT_LIMITS
        )

    def check(self, *, repair: bool = False) -> CheckReport:
        """Verify every document against its file; with ``repair``, re-read what is missing or changed."""
        from itudocs.indexer.writer import check_index

        return check_index(self.index_dir, repair=repair)

    def ensure_index(self) -> IndexReport | None:
        """Build the index from the bundled sample corpus when there is none yet."""
        if self.exists:
            return None
        from itudocs.corpus.loader import sample_folder

        return self.index(sample_folder())

    def search(self, query: str, *, limit: int | None = 10, **filters: Any) -> SearchResult:
        """Cited passages matching ``query``, best first; ``limit=None`` for every hit.

        ``filters`` are the keywords of ``SearchFilters.make``: ``doc``, ``section`` and
        ``kind`` (one value or a list of alternatives), ``cites`` (``"Resolution 140"``),
        ``lang`` (``"zh"``/``"en"``), ``sort`` (``"score"``, or ``"doc"`` for reading
        order) and ``expand`` (also search other names of what the query names,
        ranked below the literal words; on by default).
        """
        from itudocs.search.searcher import run_search

        parsed = parse_query(query)
        wanted = SearchFilters.make(**filters)
        result = read_index(self.index_dir, lambda ix: run_search(ix, parsed, limit=limit, filters=wanted))
        return replace(result, index=str(self.index_dir))

    def show(self, hit_id: str, *, context: int = 1) -> PassageView:
        """A passage in context, with its footnotes (or, for a footnote, its caller)."""
        from itudocs.search.searcher import view_passage

        return read_index(self.index_dir, lambda ix: view_passage(ix, hit_id, context=context))

    def refs(self, query: str | None = None, *, doc: str | None = None) -> list[CitedReference]:
        """Every reference the index cites (or those ``query`` names), with where they are cited."""
        from itudocs.search.refs import reference_table
        from itudocs.search.searcher import documents_named

        return reference_table(read_index(self.index_dir, lambda ix: documents_named(ix, doc)), query=query)

    def glossary(self, term: str | None = None) -> list[Term]:
        """The termbase and the terms mined from the indexed documents; with ``term``, what has that name."""
        from itudocs.search.searcher import documents_named, glossary

        names = glossary(read_index(self.index_dir, lambda ix: documents_named(ix, None)))
        return names.lookup(term) if term else list(names.terms)

    def docs(self) -> list[DocumentInfo]:
        """Every indexed document."""
        from itudocs.search.searcher import list_documents

        return read_index(self.index_dir, list_documents)

    def export(
        self, query: str, path: str | os.PathLike[str], *, fmt: str | None = None, **filters: Any
    ) -> SearchResult:
        """Write every hit of ``query`` to ``path``, the format from its extension unless given.

        The file records the query, when it was made and from which index.  It is
        written beside its final name and renamed into place, so a failed export
        never leaves half a file.
        """
        from itudocs.search.export import format_for, render

        target = Path(path)
        fmt = fmt or format_for(target.name)
        if fmt is None or fmt == "text":
            raise ValueError(
                f"{target}: cannot tell the export format; use a .csv, .json, .jsonl or .md name or --format"
            )
        result = self.search(query, limit=None, **filters)
        meta = {
            "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "index": str(self.index_dir),
        }
        if fmt in ("csv", "jsonl"):
            meta = {"query": query, **meta}
        partial = target.with_name(f".{target.name}.partial")
        with open(partial, "w", encoding="utf-8", newline="") as out:
            render(result, out, fmt, meta=meta)
        partial.replace(target)
        return result
