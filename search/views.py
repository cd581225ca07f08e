"""Views of an index lent to one reader at a time and kept while their commit is current.

A view stays valid for the index generation it was opened on; a process that searches
again reuses it until a commit or a rebuild replaces it, so a warm process pays for
opening once and a fresh one loads only what its query reads.

Sharing, by design rather than by luck:

- A view's open files belong to one reader at a time.  Whoosh reads a file by a seek
  and then a read on one file object, so two threads reading through one view would
  read each other's bytes (hits reordered, a passage "not in the index").  ``open_view``
  lends a view for one request and takes it back after; a request finding no idle view
  of the current commit opens another, so there are as many views as requests at once.
- What a view decodes into memory (postings, lengths, records, sections) is pure data
  of one commit and is shared by every view of that commit (``CommitMemory``); its
  bookkeeping is done under a lock, its values never change once made.
- A request reads one commit from start to end: its view was opened on one table of
  contents.  A view whose commit is replaced is closed when it is given back, never
  while lent; a view whose request failed is closed, never returned to others.
- A process forked from one holding views (a server's workers) starts with none: the
  inherited file objects share their offsets with the parent's.
"""

from __future__ import annotations

import atexit
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from whoosh.index import TOC, Index

from itudocs.indexer.damage import close_what_failed_opening
from itudocs.indexer.whoosh_private import reader_at
from itudocs.search.memory import CommitMemory
from itudocs.search.reader import IndexView


class _Shelf:
    """The idle views of one commit of one index, lent out one at a time."""

    def __init__(self, ix: Index, generation: int) -> None:
        self.key = (str(ix.storage.folder), ix.indexname, generation)
        self._storage = ix.storage
        self._lock = threading.Lock()
        self._idle: list[IndexView] = []
        self._retired = False
        self.memory = CommitMemory()

    def lend(self) -> IndexView:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        # Opened outside the lock: others may lend idle views meanwhile.  The reader is
        # opened on this shelf's own table of contents, never on a later one a commit
        # wrote since (Whoosh's ``Index.reader`` reads whichever is the latest).
        _, name, generation = self.key
        try:
            toc = TOC.read(self._storage, name, gen=generation)
            reader = reader_at(self._storage, toc)
        except Exception as error:
            close_what_failed_opening(error)
            raise
        return IndexView(reader, self.memory, self.key)

    def take_back(self, view: IndexView, *, reusable: bool) -> None:
        with self._lock:
            if reusable and not self._retired:
                self._idle.append(view)
                return
        view.close()

    def retire(self, *, fresh_lock: bool = False) -> None:
        """A later commit replaced this one: close the idle views now, the lent ones when given back.
        With ``fresh_lock``, the lock is made anew first: a forked child's copy may be held by
        a thread of the parent that the child does not have."""
        if fresh_lock:
            self._lock = threading.Lock()
        with self._lock:
            self._retired = True
            idle, self._idle = self._idle, []
        for view in idle:
            view.close()


# index folder → the shelf of its latest commit this process has read.
_SHELVES: dict[str, _Shelf] = {}
_SHELVES_LOCK = threading.Lock()


def _shelf_of(ix: Index) -> _Shelf:
    folder = str(ix.storage.folder)
    generation = ix.latest_generation()
    with _SHELVES_LOCK:
        shelf = _SHELVES.get(folder)
        if shelf is not None and shelf.key != (folder, ix.indexname, generation):
            # Listed again holding the lock: another reader may have listed the folder
            # since, and replacing its later shelf by one of a commit already gone would
            # only close views.  (A folder restored from a copy may go back a generation.)
            generation = ix.latest_generation()
        if shelf is not None and shelf.key == (folder, ix.indexname, generation):
            return shelf
        replaced, shelf = shelf, _Shelf(ix, generation)
        _SHELVES[folder] = shelf
    if replaced is not None:
        replaced.retire()
    return shelf


@contextmanager
def open_view(ix: Index) -> Iterator[IndexView]:
    """A view of ``ix``'s latest commit, the caller's alone until the block ends.

    Given back, the view waits for the next reader of the same commit; a view whose
    reader failed is closed rather than given to another (its commit may be gone, or
    the failure a bug that left it in some unforeseen state).
    """
    shelf = _shelf_of(ix)
    view = shelf.lend()
    done = False
    try:
        yield view
        done = True
    finally:
        shelf.take_back(view, reusable=done)


def _forget_views() -> None:
    """Retire every shelf: their idle views are closed (at exit, and in a forked child,
    whose copies of the parent's file objects share their offsets with the parent's)."""
    global _SHELVES_LOCK
    _SHELVES_LOCK = threading.Lock()
    shelves = list(_SHELVES.values())
    _SHELVES.clear()
    for shelf in shelves:
        shelf.retire(fresh_lock=True)


# Closed at the process's end, the views' files are not left for the interpreter's
# shutdown to find (and warn about).
atexit.register(_forget_views)
os.register_at_fork(after_in_child=_forget_views)
