"""Which entries of an index folder belong to the index: only those are ever deleted, or
passed over when the folder is also walked for documents; and the refusal to build an
index in a folder that holds anything else.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from itudocs.indexer.problems import IndexProblem, NotAnIndexFolder, require_folder
from itudocs.indexer.settings import SETTINGS_FILE, SETTINGS_PARTIAL, read_settings, started_in

BUILD_LOCK = "itudocs.lock"
OWN_FILES = frozenset({SETTINGS_FILE, SETTINGS_PARTIAL, BUILD_LOCK})
# What a file manager leaves in a folder it has only shown: not the user's files.
FOLDER_CLUTTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
# Files named after a Whoosh index (whoosh.index.TOC, whoosh.codec.base.Segment, the
# writer's lock and temporary folder): every generation's table of contents (and the
# temporary one it is written as), each segment's files (16 characters of [0-9a-z] name
# a segment), the write lock, the temporary folder; and the word translations learned with
# that index (``indexer.translations``), which a rebuild replaces.
_WHOOSH_FILES = (
    r"_{0}_\d+\.toc(?:\.\d+(?:\.\d+)?)?|{0}_[0-9a-z]{{16}}\.[A-Za-z0-9_.]+|{0}_WRITELOCK|{0}\.tmp|{0}_translations\.tsv"
)


def require_index_folder(index_dir: Path) -> None:
    """Refuse, touching nothing, to build an index in a folder that holds anything but an
    itudocs index: a documents folder given as ``--index`` by mistake must keep its files."""
    require_folder(index_dir)
    if not index_dir.exists() or (index_dir / SETTINGS_FILE).exists():
        return
    others = sorted(
        entry.name + ("/" if entry.is_dir() else "")
        for entry in index_dir.iterdir()
        if entry.name not in OWN_FILES | FOLDER_CLUTTER
    )
    if others:
        shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
        raise NotAnIndexFolder(
            f"{index_dir}: not an itudocs index, and not empty (it holds {shown}); give --index an empty or new folder"
        )


def index_files(folder: Path) -> frozenset[str]:
    """The names of the entries in ``folder`` that belong to the itudocs index there (none
    where there is no index): its own files and those of each Whoosh index its settings
    name.  Only these are ever deleted, or passed over when the folder is also walked for
    documents."""
    if not (folder / SETTINGS_FILE).exists():
        return frozenset()
    try:
        names = started_in(read_settings(folder))
    except IndexProblem:
        names = []  # unreadable settings name no index: none of its files can be told apart
    entries = [entry.name for entry in folder.iterdir()]
    whoosh = [name for name in entries if any(_whoosh_files(index).fullmatch(name) for index in names)]
    return frozenset(OWN_FILES.intersection(entries).union(whoosh))


def _whoosh_files(name: str) -> re.Pattern[str]:
    return re.compile(_WHOOSH_FILES.format(re.escape(name)))


def delete_files_of(index_dir: Path, name: str) -> None:
    pattern = _whoosh_files(name)
    for path in index_dir.iterdir():
        if not pattern.fullmatch(path.name):
            continue
        if path.is_dir() and not path.is_symlink():
            # Whoosh's temporary folder holds only files its writers named.
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
