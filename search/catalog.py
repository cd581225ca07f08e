"""What is in the index, document by document, and whether each file changed since.

``itudocs docs`` lists it; a file's size and modification time, recorded when it was
indexed, tell an untouched file without reading it, and its hash decides the rest.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from whoosh.index import Index

from itudocs.corpus.loader import sample_folder
from itudocs.search.results import DocumentInfo
from itudocs.search.searcher import documents


def file_state(record: dict) -> str:
    """``unchanged``, ``changed``, ``gone`` or ``unreadable``: the file now, against its record."""
    path = Path(record["source"])
    try:
        stat = path.stat()
        if record.get("stamp") == (stat.st_size, stat.st_mtime_ns):
            return "unchanged"
        data = path.read_bytes()
    except FileNotFoundError:
        return "gone"
    except OSError:
        return "unreadable"
    return "unchanged" if hashlib.sha256(data).hexdigest() == record["sha256"] else "changed"


def list_documents(ix: Index) -> list[DocumentInfo]:
    with ix.searcher() as searcher:
        docs = documents(searcher)
    sample = str(sample_folder().resolve())
    return [
        DocumentInfo(
            doc_id=doc_id,
            title=record["title"],
            lang=record["lang"],
            source=record["source"],
            passages=record["passages"],
            footnotes=record["footnotes"],
            format=record.get("format", "text"),
            symbol=record.get("symbol"),
            date=record.get("date"),
            meeting=record.get("meeting"),
            indexed_at=record.get("indexed_at", ""),
            file_state=file_state(record),
            sample=record["root"] == sample,
        )
        for doc_id, record in sorted(docs.items())
    ]
