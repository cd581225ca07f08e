"""Outside test collections in TREC form, turned into a corpus folder and a query set.

* qrels: ``qid 0 docid rel`` per line (whitespace-separated; rel > 0 is relevant)
* queries: ``qid<TAB>text`` per line
* passages: ``docid<TAB>text`` per line, or JSON lines with ``id`` (or ``_id``) and ``text``;
  any of the three may be gzipped (a name ending ``.gz``)

Each passage becomes its own one-line text file, so every engine indexes exactly
one passage per docid and a returned passage's file tells its docid.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from judgments import Judged, Query, QuerySet


def _open(path: Path):
    return gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else open(path, encoding="utf-8")


def read_passages(path: Path) -> Iterator[tuple[str, str]]:
    """(docid, text) for each passage of a TSV or JSON-lines file."""
    with _open(path) as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            if line.lstrip().startswith("{"):
                record = json.loads(line)
                yield str(record.get("id", record.get("_id"))), str(record["text"])
            else:
                docid, sep, text = line.rstrip("\n").partition("\t")
                if not sep:
                    raise ValueError(f"{path}:{number}: expected docid<TAB>text")
                yield docid, text


def read_queries(path: Path) -> dict[str, str]:
    queries = {}
    with _open(path) as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            qid, sep, text = line.rstrip("\n").partition("\t")
            if not sep:
                raise ValueError(f"{path}:{number}: expected qid<TAB>text")
            queries[qid] = text
    return queries


def read_qrels(path: Path) -> dict[str, list[str]]:
    """qid → relevant docids, in file order."""
    relevant: dict[str, list[str]] = {}
    with _open(path) as handle:
        for number, line in enumerate(handle, start=1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) != 4:
                raise ValueError(f"{path}:{number}: expected 'qid 0 docid rel'")
            qid, _, docid, rel = fields
            if int(rel) > 0:
                relevant.setdefault(qid, []).append(docid)
    return relevant


def write_passages(passages: list[tuple[str, str]], folder: Path) -> dict[str, str]:
    """One file per passage (numbered, since docids need not be file names); docid → file name."""
    folder.mkdir(parents=True, exist_ok=True)
    width = len(str(len(passages)))
    files = {}
    for n, (docid, text) in enumerate(passages):
        name = f"{n:0{width}d}.txt"
        # One line: a TAB would read as a paragraph label, a line break as two passages.
        flat = " ".join(text.split())
        (folder / name).write_text(flat + "\n", encoding="utf-8")
        files[docid] = name
    return files


def load_collection(
    qrels: Path, queries: Path, passages: Path, folder: Path, name: str = "trec", every: int = 1
) -> QuerySet:
    """Write the passages into ``folder`` and return the judged queries (those with a relevant
    passage); with ``every``, only each ``every``-th of them, for a quicker run."""
    files = write_passages(list(read_passages(passages)), folder)
    texts = read_queries(queries)
    relevant = read_qrels(qrels)
    unknown = sum(docid not in files for docids in relevant.values() for docid in docids)
    if unknown:
        # Still judged, so recall counts them as missed, as trec_eval would.
        print(f"trec: {unknown} relevant docids of {qrels} are not in {passages}", file=sys.stderr)
    built = tuple(
        Query(qid, texts[qid], "all", tuple(Judged(files.get(d, f"<not in passages: {d}>"), docid=d) for d in docids))
        for qid, docids in relevant.items()
        if qid in texts
    )[::every]
    if not built:
        raise ValueError(f"no query of {queries} has a relevant passage in {qrels}")
    return QuerySet(name, f"{qrels} + {queries} + {passages}", built)
