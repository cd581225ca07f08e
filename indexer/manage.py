"""Taking documents out of the index: by id (or an id's unique beginning, as ``--doc``
and ``show`` take), or by the path of their file or folder.

The files themselves are never touched; indexing their folder again adds them back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from whoosh import index as whoosh_index

from itudocs.indexer import schema
from itudocs.indexer.damage import reading_damage, writing_errors
from itudocs.indexer.problems import IndexProblem
from itudocs.indexer.records import DocumentRecord
from itudocs.indexer.store import build_lock, open_index
from itudocs.indexer.writer import BUILD_WAIT_SECONDS, known_documents, open_writer, write_terms


@dataclass(frozen=True, slots=True)
class RemoveReport:
    """The documents removed (or, on a dry run, that would be): (doc id, source file) pairs."""

    removed: tuple[tuple[str, str], ...]
    dry_run: bool = False


def _under(source: str, path: Path) -> bool:
    return Path(source) == path or path in Path(source).parents


def documents_named(targets: Sequence[str], known: dict[str, DocumentRecord]) -> tuple[tuple[str, str], ...]:
    """Every document a target names: its id, a file or folder path holding its source, or
    the beginning of exactly one id (``003``).

    Raises IndexProblem naming the first target that names nothing (or several documents
    by a beginning), so a typo removes nothing.
    """
    chosen: dict[str, str] = {}
    for target in targets:
        path = Path(target).expanduser().resolve()
        found = [target] if target in known else sorted(d for d, r in known.items() if _under(r.source, path))
        if not found:
            found = sorted(doc_id for doc_id in known if doc_id.startswith(target))
            if len(found) > 1:
                raise IndexProblem(f"{target}: the beginning of {len(found)} document ids; give more of one")
        if not found:
            raise IndexProblem(
                f"{target}: no indexed document has this id or a file at this path; `itudocs docs` lists them"
            )
        chosen.update((doc_id, known[doc_id].source) for doc_id in found)
    return tuple(chosen.items())


def _known(ix: whoosh_index.Index) -> dict[str, DocumentRecord]:
    with reading_damage(Path(ix.storage.folder)):
        return known_documents(ix)


def remove_documents(index_dir: Path, targets: Sequence[str], *, dry_run: bool = False) -> RemoveReport:
    """Remove every document the targets name, and the terms only they defined, in one
    commit; ``dry_run`` only says which."""
    ix = open_index(index_dir)
    if dry_run:
        return RemoveReport(documents_named(targets, _known(ix)), dry_run=True)
    with build_lock(index_dir, wait=BUILD_WAIT_SECONDS), writing_errors(index_dir):
        # Named again holding the lock: a run that waited must see what the other committed.
        ix = open_index(index_dir)
        known = _known(ix)
        chosen = documents_named(targets, known)
        with open_writer(ix) as writer:
            for doc_id, _ in chosen:
                writer.delete_by_term(schema.DOC, doc_id)
                del known[doc_id]
            write_terms(writer, chain.from_iterable(record.terms for record in known.values()))
    return RemoveReport(chosen)
