"""The engines a relevance run compares, over the same passages.

* ``itudocs``: the project, through its Python API (``search.library.Library``).
* ``substring``: what grep gives: passages containing the query (every word of it,
  case-insensitive), in document order.
* ``whoosh+jieba``: a plain Whoosh index with ``jieba.analyse.ChineseAnalyzer`` and
  default BM25F, queries through Whoosh's ``QueryParser`` (words ANDed).

Both baselines read their passages with ``corpus.loader.read_document``, so every
engine sees exactly the passages itudocs indexes; only the search differs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from itudocs.corpus.errors import CorpusError
from itudocs.corpus.loader import discover, read_document

if TYPE_CHECKING:
    from whoosh.filedb.filestore import RamStorage


@dataclass(frozen=True, slots=True)
class Found:
    """A passage an engine returned, with what judging needs to know about it."""

    file: str
    text: str
    label: str | None = None
    section: tuple[str, ...] = ()


class Engine(Protocol):
    name: str

    def search(self, query: str, section: str | None) -> list[Found]:
        """Every passage matching ``query``, best first; ``section``: the heading path contains it."""
        ...


def load_passages(folder: Path) -> list[Found]:
    """Every passage below ``folder`` as itudocs reads it; unreadable files are skipped, as itudocs does."""
    passages: list[Found] = []
    for source in discover(folder):
        try:
            doc = read_document(source)
        except CorpusError:
            continue
        passages.extend(Found(doc.source, p.text, p.citation.label, p.citation.section) for p in doc.passages)
    return passages


def in_section(passage: Found, section: str | None) -> bool:
    """The baselines' reading of itudocs' ``--section``: one heading on the path contains the text."""
    return section is None or any(section.casefold() in heading.casefold() for heading in passage.section)


class ItudocsEngine:
    name = "itudocs"

    def __init__(self, folder: Path, index_dir: Path) -> None:
        from itudocs.search.library import Library

        self.library = Library(index_dir)
        self.library.index(folder)

    def search(self, query: str, section: str | None) -> list[Found]:
        try:
            result = self.library.search(query, limit=None, section=section)
        except ValueError:  # QueryError: a query the engine refuses finds nothing
            return []
        return [Found(h.file, h.text, h.citation.label, h.citation.section) for h in result.hits]


class SubstringEngine:
    name = "substring"

    def __init__(self, passages: list[Found]) -> None:
        self.passages = passages
        self.folded = [p.text.casefold() for p in passages]

    def search(self, query: str, section: str | None) -> list[Found]:
        words = query.casefold().split()
        if not words:
            return []
        return [
            passage
            for passage, text in zip(self.passages, self.folded, strict=True)
            if all(word in text for word in words) and in_section(passage, section)
        ]


class WhooshJiebaEngine:
    name = "whoosh+jieba"

    def __init__(self, passages: list[Found]) -> None:
        import jieba
        from jieba.analyse import ChineseAnalyzer
        from whoosh.fields import STORED, TEXT, Schema
        from whoosh.qparser import QueryParser

        jieba.setLogLevel(logging.WARNING)
        self.passages = passages
        schema = Schema(key=STORED, text=TEXT(analyzer=ChineseAnalyzer()))
        self.index = _private_ram_storage().create_index(schema)
        with self.index.writer() as writer:
            for key, passage in enumerate(passages):
                writer.add_document(key=key, text=passage.text)
        self.parser = QueryParser("text", schema)  # default group: AND

    def search(self, query: str, section: str | None) -> list[Found]:
        with self.index.searcher() as searcher:
            keys = [hit["key"] for hit in searcher.search(self.parser.parse(query), limit=None)]
        # Filtering after ranking keeps BM25's order, as a filter query would.
        return [self.passages[k] for k in keys if in_section(self.passages[k], section)]


def _private_ram_storage() -> RamStorage:
    """Whoosh's RamStorage, with its writers' scratch files in folders of its own.

    RamStorage puts them in ``<index name>.tmp`` (``MAIN.tmp``) in the temp directory, one
    folder for every process on the machine: two runs writing at once (tests in parallel)
    share it, and the first to finish deletes it under the other.  Here each name gets a
    new folder, still shared by the writers of this storage that ask for it by that name
    (the segment writer removes it when it finishes, the per-document writer's with it).
    """
    import tempfile

    from whoosh.filedb.filestore import FileStorage, RamStorage

    class PrivateRamStorage(RamStorage):
        def __init__(self) -> None:
            super().__init__()
            self.scratch: dict[str | None, str] = {}

        def temp_storage(self, name: str | None = None) -> FileStorage:
            if name not in self.scratch:
                self.scratch[name] = tempfile.mkdtemp(prefix="itudocs-whoosh-")
            return FileStorage(self.scratch[name]).create()

    return PrivateRamStorage()
