"""The section index: which section each passage stands in, and the folded path of its
headings, so a query can match a passage by what its headings say (``execute.in_context``)."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Sequence
from itertools import compress, repeat

from whoosh.reading import IndexReader

from itudocs.indexer import schema
from itudocs.indexer.analysis import fold
from itudocs.indexer.records import DocumentRecord
from itudocs.search.memory import CommitMemory
from itudocs.search.postings import NO_DOC


class Sections:
    """The sections of one view's commit, read once and shared through ``CommitMemory``."""

    def __init__(
        self,
        reader: IndexReader,
        memory: CommitMemory,
        postings: Callable[[str, str], Iterator[tuple[int, Sequence[int], Sequence[float]]]],
        record: Callable[[str], DocumentRecord | None],
    ) -> None:
        self.reader = reader
        self.memory = memory
        self.doc_count_all = reader.doc_count_all()
        # A term's postings a block at a time (``Postings.postings``) and a document's
        # record (``StoredRecords.record``).
        self.postings = postings
        self.record = record

    def in_sections(self, docs: set[int], wanted: Callable[[str], bool]) -> set[int]:
        """Those of ``docs`` whose section path, folded, is ``wanted``; each distinct path is
        asked about once, and only the paths of the sections ``docs`` are in are read."""
        section_of, names = self._section_index()
        sections = set(map(section_of.__getitem__, docs))
        sections.discard(NO_DOC)
        by_path: dict[str, list[int]] = {}
        for section in sections:
            by_path.setdefault(self._section_path(names[section]), []).append(section)
        good = {section for path, same in by_path.items() if wanted(path) for section in same}
        return set(compress(docs, map(good.__contains__, map(section_of.__getitem__, docs)))) if good else set()

    def _section_index(self) -> tuple[array, list[str]]:
        """Each document's section (an index into the list of section ids, DOC#N), NO_DOC for
        none: read from the postings of the section field once per view."""
        if self.memory.sections is None:
            section_of = array("I", repeat(NO_DOC, self.doc_count_all))
            names: list[str] = []
            for name in (term.decode("utf-8") for term in self.reader.lexicon(schema.SECTION)):
                number = len(names)
                names.append(name)
                for offset, ids, _ in self.postings(schema.SECTION, name):
                    for doc in ids:
                        section_of[offset + doc] = number
            with self.memory.lock:
                self.memory.sections = self.memory.sections or (section_of, names)
        return self.memory.sections

    def _section_path(self, section: str) -> str:
        """The folded path of a section id (DOC#N), from its document's record."""
        paths = self.memory.paths
        path = paths.get(section)
        if path is None:
            doc_id = section.rpartition("#")[0]
            record = self.record(doc_id)
            found = {f"{doc_id}#{n}": fold(text) for n, text in enumerate(record.sections if record else ())}
            with self.memory.lock:
                paths.update(found)
                path = paths.setdefault(section, "")
        return path
