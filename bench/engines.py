"""The engines a relevance run compares, over the same passages.

* ``itudocs``: the project, through its Python API (``search.library.Library``).
* ``substring``: what grep gives: passages containing the query (every word of it,
  case-insensitive), in document order.
* ``whoosh+jieba``: a plain Whoosh index with ``jieba.analyse.ChineseAnalyzer`` and
  default BM25F, queries through Whoosh's ``QueryParser`` (words ANDed).
* ``whoosh bm25f``: the same index, the query's words ORed: plain BM25 over every word,
  what a natural-language query gets from a stock engine.
* ``fts5 porter``: SQLite FTS5 with the ``porter unicode61`` tokenizer and its ``bm25``,
  the words ORed; Chinese text is given to it cut by jieba (search mode for passages,
  default mode for queries), since unicode61 has no Chinese words of its own.

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

    def search(self, query: str, section: str | None, limit: int | None = None) -> list[Found]:
        """The best ``limit`` passages matching ``query`` (None: every one), best first;
        ``section``: the heading path contains it."""
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

    def search(self, query: str, section: str | None, limit: int | None = None) -> list[Found]:
        try:
            result = self.library.search(query, limit=limit, section=section)
        except ValueError:  # QueryError: a query the engine refuses finds nothing
            return []
        return [Found(h.file, h.text, h.citation.label, h.citation.section) for h in result.hits]


class SubstringEngine:
    name = "substring"

    def __init__(self, passages: list[Found]) -> None:
        self.passages = passages
        self.folded = [p.text.casefold() for p in passages]

    def search(self, query: str, section: str | None, limit: int | None = None) -> list[Found]:
        words = query.casefold().split()
        if not words:
            return []
        found = [
            passage
            for passage, text in zip(self.passages, self.folded, strict=True)
            if all(word in text for word in words) and in_section(passage, section)
        ]
        return found[:limit]


class WhooshJiebaEngine:
    name = "whoosh+jieba"
    any_word = False

    def __init__(self, passages: list[Found]) -> None:
        import jieba
        from jieba.analyse import ChineseAnalyzer
        from whoosh.fields import STORED, TEXT, Schema
        from whoosh.qparser import AndGroup, OrGroup, QueryParser

        jieba.setLogLevel(logging.WARNING)
        self.passages = passages
        schema = Schema(key=STORED, text=TEXT(analyzer=ChineseAnalyzer()))
        self.index = _private_ram_storage().create_index(schema)
        with self.index.writer() as writer:
            for key, passage in enumerate(passages):
                writer.add_document(key=key, text=passage.text)
        group = OrGroup if self.any_word else AndGroup
        self.parser = QueryParser("text", schema, group=group)

    def search(self, query: str, section: str | None, limit: int | None = None) -> list[Found]:
        with self.index.searcher() as searcher:
            # A section filter is applied after ranking (keeping BM25's order), so it reads them all.
            keys = [hit["key"] for hit in searcher.search(self.parser.parse(query), limit=None if section else limit)]
        return [self.passages[k] for k in keys if in_section(self.passages[k], section)][:limit]


class WhooshBM25Engine(WhooshJiebaEngine):
    name = "whoosh bm25f"
    any_word = True


class Fts5Engine:
    """SQLite FTS5, porter over unicode61, ranked by its bm25, the query's words ORed."""

    name = "fts5 porter"

    def __init__(self, passages: list[Found]) -> None:
        import sqlite3

        import jieba

        jieba.setLogLevel(logging.WARNING)
        self.jieba = jieba
        self.passages = passages
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE p USING fts5(text, tokenize='porter unicode61')")
        self.db.executemany(
            "INSERT INTO p(rowid, text) VALUES (?, ?)",
            ((n, " ".join(jieba.cut_for_search(passage.text))) for n, passage in enumerate(passages)),
        )

    def search(self, query: str, section: str | None, limit: int | None = None) -> list[Found]:
        words = {word for word in self.jieba.cut(query) if any(ch.isalnum() for ch in word)}
        if not words:
            return []
        match = " OR ".join('"' + word.replace('"', '""') + '"' for word in sorted(words))
        rows = self.db.execute(
            "SELECT rowid FROM p WHERE p MATCH ? ORDER BY bm25(p), rowid LIMIT ?",
            (match, -1 if limit is None or section else limit),
        )
        return [self.passages[n] for (n,) in rows if in_section(self.passages[n], section)][:limit]


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
