"""What can be wrong with an index folder, each as the one line a user reads and what to do.

Kept apart so that every module that meets a problem (the store, the codecs' headers, the
translations table) can name it without importing Whoosh.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from itudocs.corpus.errors import Problem


class IndexProblem(Problem):
    """The index cannot be used as asked; the message says why and what to do."""


class IndexMissing(IndexProblem):
    pass


class IndexIncompatible(IndexProblem):
    pass


class IndexBusy(IndexProblem):
    pass


class IndexDamaged(IndexProblem):
    pass


class NotAnIndexFolder(IndexProblem):
    """A folder given to build an index in that holds other files and is not an itudocs index."""


def rebuild_hint(index_dir: Path) -> str:
    """What to run, naming the index asked about: a rebuild of another would not help."""
    return f"rebuild it with `itudocs index --rebuild FOLDER --index {shlex.quote(str(index_dir))}`"


def require_folder(index_dir: Path) -> None:
    if index_dir.exists() and not index_dir.is_dir():
        raise IndexProblem(f"{index_dir}: is a file; --index wants a folder")


def missing(index_dir: Path) -> IndexMissing:
    build = f"`itudocs index FOLDER --index {index_dir}`"
    return IndexMissing(f"{index_dir}: no itudocs index here; build one with {build}")


def unwritable(index_dir: Path, error: OSError) -> IndexProblem:
    reason = (error.strerror or str(error)).lower()
    return IndexProblem(f"{index_dir}: cannot write the index here ({reason})")
