"""The Python API: the same verbs as the command line, for notebooks and scripts.

>>> from itudocs.search.library import Library
>>> lib = Library()                              # the default index (the sample's own until you build one)
>>> result = lib.search("第140号决议", limit=None)  # doctest: +SKIP
>>> [hit.citation.label for hit in result.hits]   # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

from itudocs.indexer.location import index_chosen, resolve_index_dir, sample_index_dir
from itudocs.indexer.problems import IndexProblem, missing
from itudocs.indexer.store import index_exists, open_index, read_index
from itudocs.search.filters import SearchFilters
from itudocs.search.paths import ABSOLUTE, FileNames
from itudocs.search.query import QueryError, parse_query
from itudocs.search.results import DocumentInfo, PassageView, SearchResult

if TYPE_CHECKING:
    from whoosh.index import Index

    from itudocs.corpus.limits import ReadLimits
    from itudocs.corpus.termbase import Term
    from itudocs.indexer.check import CheckReport
    from itudocs.indexer.manage import RemoveReport
    from itudocs.indexer.writer import IndexProgress, IndexReport
    from itudocs.search.metafilter import LeftOut
    from itudocs.search.reader import IndexView
    from itudocs.search.refs import CitedReference

T = TypeVar("T")


class Library:
    """An index of council documents and the verbs that use it."""

    def __init__(self, index_dir: str | os.PathLike[str] | None = None) -> None:
        self.index_dir = resolve_index_dir(index_dir)
        # Where the user's own documents go, even while the sample's index stands in.
        self._own_dir = self.index_dir
        # Named by --index or $ITUDOCS_INDEX: then a missing index is an error, never the sample.
        self.chosen = index_chosen(index_dir)
        # Standing in with the bundled sample's own index, the user having built none.
        self.sample = False

    @property
    def exists(self) -> bool:
        return index_exists(self.index_dir)

    def index(
        self,
        *folders: str | os.PathLike[str],
        rebuild: bool = False,
        on_progress: Callable[[IndexProgress], None] | None = None,
        limits: ReadLimits | None = None,
        on_wait: Callable[[], None] | None = None,
    ) -> IndexReport:
        """Add or refresh the documents below each folder (or file) in one commit; unchanged
        files are not re-read.

        ``on_progress`` is called after each file with how far the run is; ``on_wait``
        once, if another run is writing the index.  The documents go into the user's own
        index, never the sample's, which then stops standing in for it.
        """
        report = self._index_into(
            self._own_dir, folders, rebuild=rebuild, on_progress=on_progress, limits=limits, on_wait=on_wait
        )
        self.index_dir, self.sample = self._own_dir, False
        return report

    def _index_into(
        self,
        index_dir: Path,
        folders: tuple[str | os.PathLike[str], ...],
        *,
        rebuild: bool,
        on_progress: Callable[[IndexProgress], None] | None = None,
        limits: ReadLimits | None = None,
        on_wait: Callable[[], None] | None = None,
    ) -> IndexReport:
        from itudocs.corpus.loader import DEFAULT_LIMITS
        from itudocs.indexer.writer import index_folder

        return index_folder(
            index_dir,
            [Path(folder) for folder in folders],
            rebuild=rebuild,
            on_progress=on_progress,
            limits=limits or DEFAULT_LIMITS,
            on_wait=on_wait,
        )

    def remove(self, *targets: str, dry_run: bool = False) -> RemoveReport:
        """Remove the documents each target names: a doc id, or the path of a file or folder.

        A target that names nothing raises IndexProblem and nothing is removed; the
        files are not touched.  ``dry_run`` says what would go and changes nothing.
        """
        from itudocs.indexer.manage import remove_documents

        return remove_documents(self.index_dir, targets, dry_run=dry_run)

    def check(self, *, repair: bool = False) -> CheckReport:
        """Verify every document against its file; with ``repair``, re-read what is missing or changed."""
        from itudocs.indexer.check import check_index

        return check_index(self.index_dir, repair=repair)

    def ensure_index(self) -> IndexReport | None:
        """Make sure there is an index to read, and say what was built for it.

        With no index chosen and none built yet at the default place, the library turns
        to the bundled sample's own index (``sample`` is then True), built on first use
        and rebuilt when this version cannot read it; the user's index folder is never
        touched.  A chosen index that is not there raises IndexMissing.
        """
        if self.exists:
            return None
        if self.chosen:
            raise missing(self.index_dir)
        self.index_dir, self.sample = sample_index_dir(), True
        try:
            if self.exists and open_index(self.index_dir):
                return None
            unreadable = False
        except IndexProblem:
            unreadable = True
        # Only a build needs the readers.
        from itudocs.corpus.loader import sample_folder

        return self._index_into(self.index_dir, (sample_folder(),), rebuild=unreadable)

    def search(self, query: str, *, limit: int | None = 10, paths: str = ABSOLUTE, **filters: Any) -> SearchResult:
        """Cited passages matching ``query``, best first; ``limit=None`` for every hit.

        ``filters`` are those of ``search.filters.SearchFilters``: ``doc``, ``section`` and
        ``kind`` take one value or a list of alternatives; ``cites`` keeps passages citing a
        reference (``"Resolution 140"``), ``lang`` documents in ``"zh"`` or ``"en"``;
        ``sort="doc"`` orders hits by document and reading order; ``expand`` also searches
        other names of what the query names, ranked below the literal words; ``date_from``,
        ``date_to`` and ``meeting`` keep documents by their ``metadata.tsv`` row.
        With a limit, the total is exact up to ``search.execute.TRACK_TOTAL`` and
        ``total_is_lower_bound`` says when more matched; without one it is always exact.
        ``paths="relative"`` gives each hit's file from the folder it was indexed from
        (``search.paths``), not its full path.
        """
        search = _searching(query, limit, paths, filters)
        return replace(self._read(search), index=str(self.index_dir))

    def search_with_docs(
        self, query: str, *, limit: int | None = 10, paths: str = ABSOLUTE, **filters: Any
    ) -> tuple[SearchResult, list[DocumentInfo]]:
        """``search`` and ``docs`` read from one commit: a page showing both (the search form
        offers the documents to filter by) never shows hits of one commit beside the
        documents of another."""
        search, docs = _searching(query, limit, paths, filters), _listing(paths)
        result, listed = self._read(lambda view: (search(view), docs(view)))
        return replace(result, index=str(self.index_dir)), listed

    def count(self, query: str, *, by_doc: bool = False, **filters: Any) -> int | dict[str, int]:
        """How many passages match ``query``, exactly; with ``by_doc``, doc id → count for
        each document with a match.  Reads no passage, so it is the cheap way to ask.
        ``filters`` as for ``search``."""
        from itudocs.search.searcher import run_count, run_count_by_doc

        parsed = parse_query(query)
        wanted = SearchFilters.make(**filters)
        counter = run_count_by_doc if by_doc else run_count
        return self._read(lambda view: counter(view, parsed, filters=wanted))

    def left_out(self, **filters: Any) -> tuple[LeftOut, ...]:
        """The documents the date and meeting ``filters`` leave out for having no date or no
        meeting, which a count cannot say (a search result carries them as ``left_out``)."""
        wanted = SearchFilters.make(**filters)
        return self._read(lambda view: wanted.resolve(view).left_out)

    def show(self, hit_id: str, *, context: int = 1, paths: str = ABSOLUTE) -> PassageView:
        """A passage in context, with its footnotes (or, for a footnote, its caller); ``paths``
        as for ``search``."""
        from itudocs.search.documents import view_passage

        def show(view: IndexView) -> PassageView:
            shown = view_passage(view, hit_id, context=context)
            hits = (shown.hit, *shown.before, *shown.after, *shown.footnotes, shown.caller, shown.counterpart)
            return _names(view, paths, {hit.citation.doc_id for hit in hits if hit is not None}).view(shown)

        return self._read(show)

    def refs(self, query: str | None = None, *, doc: str | None = None) -> list[CitedReference]:
        """Every reference the index cites (or those ``query`` names), with where they are cited."""
        from itudocs.search.documents import documents_named
        from itudocs.search.refs import reference_table

        return reference_table(self._read(lambda view: documents_named(view, doc)), query=query)

    def glossary(self, term: str | None = None) -> list[Term]:
        """The termbase and the terms mined from the indexed documents; with ``term``, what has that name."""
        from itudocs.search.expand import shipped_terms
        from itudocs.search.searcher import glossary

        if term:
            return self._read(lambda view: glossary(view).lookup(term))
        return [*shipped_terms(), *self._read(lambda view: view.all_terms())]

    def docs(self, *, paths: str = ABSOLUTE) -> list[DocumentInfo]:
        """Every indexed document, with whether its file changed since it was indexed; ``paths``
        as for ``search``."""
        return self._read(_listing(paths))

    def _read(self, read: Callable[[IndexView], T]) -> T:
        """``read`` on a view of the index's latest commit, this call's alone while it reads:
        any number of threads may call the verbs of one Library at once."""
        from itudocs.search.views import open_view

        def on_index(ix: Index) -> T:
            with open_view(ix) as view:
                return read(view)

        return read_index(self.index_dir, on_index)

    def export(
        self,
        query: str,
        path: str | os.PathLike[str] | BinaryIO,
        *,
        fmt: str | None = None,
        partial: bool = False,
        paths: str = ABSOLUTE,
        **filters: Any,
    ) -> SearchResult:
        """Write every hit of ``query`` to ``path`` (a file name, or a binary stream such as
        standard output), the format from the name's extension unless given.

        The export records the query, when it was made and from which index.  A file is
        written beside its final name and renamed into place, so a failed export never
        leaves half a file.  A partial result (no passage holds every word) is refused
        with QueryError unless ``partial`` is true, and marked partial in the export.
        ``paths`` as for ``search`` (relative also names the index by its folder's name alone);
        a workbook's links open the file whichever it is.
        """
        from itudocs.search.export import export_format, export_to_file, wants_bom, write_export

        stream = None if isinstance(path, (str, os.PathLike)) else path
        fmt = export_format("standard output" if stream is not None else str(path), fmt)
        result = self.search(query, limit=None, paths=paths, **filters)
        if result.partial and not partial:
            raise QueryError(
                f"no passage holds every word of {query}; {result.total} hold some of them. "
                "Export them anyway with --partial (the export marks them partial)"
            )
        meta = {
            "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            # Relative paths name no folder of this machine: the index by its folder's name alone.
            "index": str(self.index_dir) if paths == ABSOLUTE else self.index_dir.name,
        }
        if fmt in ("csv", "jsonl"):
            meta = {"query": query, **meta}
        if isinstance(path, (str, os.PathLike)):
            export_to_file(result, Path(path), fmt, meta=meta)
        else:
            write_export(result, path, fmt, meta=meta, bom=wants_bom(path))
        return result


def _names(view: IndexView, form: str, doc_ids: set[str]) -> FileNames:
    """The file names in ``form`` for the documents ``doc_ids`` (``search.paths``)."""
    return FileNames(form, view.records_of(doc_ids) if form != ABSOLUTE else {})


def _searching(
    query: str, limit: int | None, paths: str, filters: dict[str, Any]
) -> Callable[[IndexView], SearchResult]:
    """What ``Library.search`` reads from a view."""
    from itudocs.search.searcher import run_count, run_search

    parsed = parse_query(query)
    wanted = SearchFilters.make(**filters)

    def search(view: IndexView) -> SearchResult:
        result = run_search(view, parsed, limit=limit, filters=wanted)
        # A "did you mean" must lead somewhere: to hits holding all its words, in the same commit.
        if result.suggestion and not run_count(view, parse_query(result.suggestion), filters=wanted):
            result = replace(result, suggestion=None)
        return _names(view, paths, {hit.citation.doc_id for hit in result.hits}).result(result)

    return search


def _listing(paths: str) -> Callable[[IndexView], list[DocumentInfo]]:
    """What ``Library.docs`` reads from a view."""
    from itudocs.search.documents import list_documents

    def docs(view: IndexView) -> list[DocumentInfo]:
        names = FileNames(paths, view.records())
        return [names.document(info) for info in list_documents(view)]

    return docs
