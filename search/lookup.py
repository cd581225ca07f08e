"""Finding a passage by its hit id, including the positional ids of earlier versions.

Until index format 5 a passage's id was its position (``003:12``), which every edit
above it changed.  ``show`` still reads such an id, for this format, as the passage
at that position now, and says so: if the document changed since the id was written
down, that may be another passage.
"""

from __future__ import annotations

from whoosh.searching import Searcher

from itudocs.corpus.ids import is_position
from itudocs.indexer import schema as f
from itudocs.search.query import QueryError


def passages_by_seq(searcher: Searcher, doc_id: str) -> dict[int, dict]:
    """Position → stored fields of every passage of one document."""
    return {
        fields[f.SEQ]: fields for fields in searcher.documents(**{f.DOC: doc_id}) if fields[f.KIND] != f.DOCUMENT_KIND
    }


def find_passage(searcher: Searcher, hit_id: str) -> tuple[dict, str]:
    """The stored fields of the passage ``hit_id`` names, and a notice when it was read as a position."""
    fields = searcher.document(**{f.ID_: hit_id})
    if fields is not None:
        return fields, ""
    doc_id, _, key = hit_id.rpartition(":")
    if is_position(key):
        found = passages_by_seq(searcher, doc_id).get(int(key))
        if found is not None:
            notice = (
                f"{hit_id} is a position, the form ids had before index format 5; it is read as the passage now "
                f"at that position, {found[f.ID_]} (if the document changed since, that may be another passage)"
            )
            return found, notice
    raise QueryError(f"no passage {hit_id!r} in the index")
