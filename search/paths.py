"""How answers give a document's file: its full path, or its path from the folder it was indexed from.

A server's answers go to whoever can reach it, and an export pasted into a report is read
on other machines: neither needs where the files sit on the server's disk, and a path from
the folder indexed (``docs/003.txt`` for ``itudocs index corpus``) still tells the documents
apart and finds the file in any copy of that folder.  On the user's own machine the full
path opens the file, so the CLI and the Python API give it unless asked otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import PurePath
from typing import TYPE_CHECKING

from itudocs.search.query import QueryError

if TYPE_CHECKING:
    from itudocs.indexer.records import DocumentRecord
    from itudocs.search.results import DocumentInfo, Hit, PassageView, SearchResult

RELATIVE = "relative"
ABSOLUTE = "absolute"
PATH_FORMS = (RELATIVE, ABSOLUTE)


def indexed_folder(record: DocumentRecord) -> str:
    """The folder a document was indexed from: the folder ``itudocs index`` was given, or for
    a file given by itself, the folder holding it."""
    root = PurePath(record.root)
    return str(root.parent if root == PurePath(record.source) else root)


class FileNames:
    """Gives each hit and document its file in one form (``PATH_FORMS``), from the records of the
    documents they belong to (doc id → ``DocumentRecord``)."""

    def __init__(self, form: str, records: Mapping[str, DocumentRecord]) -> None:
        if form not in PATH_FORMS:
            raise QueryError(f"paths must be one of {', '.join(PATH_FORMS)}, not {form!r}")
        self.form = form
        self.folders = {doc_id: indexed_folder(record) for doc_id, record in records.items()}

    def file(self, doc_id: str, source: str) -> tuple[str, str]:
        """(the file as answers give it, the folder it is relative to: "" for a full path).

        A file no longer below the folder it was indexed from is named alone.
        """
        folder = self.folders.get(doc_id)
        if self.form == ABSOLUTE or folder is None or not source:
            return source, ""
        path = PurePath(source)
        if not path.is_relative_to(folder):
            folder = str(path.parent)
        return path.relative_to(folder).as_posix(), folder

    def hit(self, hit: Hit) -> Hit:
        file, folder = self.file(hit.citation.doc_id, hit.file)
        # A hit's file is its full path until named here: most searches keep it, and a
        # copy of every hit would cost an every-hit listing a sixth of its time.
        return hit if (file, folder) == (hit.file, hit.folder) else replace(hit, file=file, folder=folder)

    def result(self, result: SearchResult) -> SearchResult:
        return replace(result, hits=tuple(map(self.hit, result.hits)))

    def view(self, view: PassageView) -> PassageView:
        def maybe(hit: Hit | None) -> Hit | None:
            return self.hit(hit) if hit is not None else None

        return replace(
            view,
            hit=self.hit(view.hit),
            before=tuple(map(self.hit, view.before)),
            after=tuple(map(self.hit, view.after)),
            footnotes=tuple(map(self.hit, view.footnotes)),
            caller=maybe(view.caller),
            counterpart=maybe(view.counterpart),
        )

    def document(self, info: DocumentInfo) -> DocumentInfo:
        return replace(info, source=self.file(info.doc_id, info.source)[0])
