"""What the views of one commit decode into memory and share (``search.reader``)."""

from __future__ import annotations

import threading
from array import array
from typing import TypeVar

from itudocs.indexer.records import DocumentRecord

T = TypeVar("T")


class CommitMemory:
    """What the views of one commit decode into memory, shared by all of them.

    Every value is made once from the commit's files and never changed after, so a
    reader holding one needs no lock; the tables that find them are changed only
    under ``lock`` (two views making the same value at once keep the first made).
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.norms: dict[str, tuple[bytes, list[float]]] = {}
        self.records: dict[str, DocumentRecord | None] = {}
        self.all_records: dict[str, DocumentRecord] | None = None
        # term → decoded postings, least recently used first, within CACHED_POSTINGS.
        self.decoded: dict[tuple[str, str], tuple[array, array]] = {}
        self.decoded_size = 0
        self.sections: tuple[array, list[str]] | None = None
        self.paths: dict[str, str] = {}
        self.passage_ids: dict[str, dict[str, int]] = {}

    def keep(self, table: dict, key: object, value: T) -> T:
        """``value`` as ``table[key]``, or what another view put there first."""
        with self.lock:
            return table.setdefault(key, value)
