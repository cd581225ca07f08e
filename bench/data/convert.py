"""Turn the outside collections' own files into the TREC form ``bench/trec.py`` reads.

    python bench/data/convert.py cisi CISI.ALL CISI.QRY CISI.REL bench/data/cisi
    python bench/data/convert.py cmrc cmrc2018_dev.json cmrc2018_trial.json bench/data/cmrc2018

Each writes ``passages.tsv.gz`` (docid<TAB>text), ``queries.tsv`` (qid<TAB>text) and
``qrels.txt`` (qid 0 docid rel).  See each folder's README for the source and licence.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path


def _cisi_records(path: Path) -> dict[str, dict[str, str]]:
    """id → field letter → text of a Glasgow/SMART file (``.I 1`` then ``.T``, ``.A``, ``.W``, ``.X``)."""
    records: dict[str, dict[str, str]] = {}
    fields: dict[str, list[str]] = {}
    current = ""
    for line in path.read_text(encoding="latin-1").splitlines():
        if line.startswith(".I "):
            fields = {}
            records[line[3:].strip()] = fields  # type: ignore[assignment]
            current = ""
        elif re.fullmatch(r"\.[A-Z]\s*", line):
            current = line[1]
            fields.setdefault(current, [])
        elif current:
            fields[current].append(line.strip())
    return {key: {k: " ".join(v).strip() for k, v in value.items()} for key, value in records.items()}  # type: ignore[union-attr]


def cisi(documents: Path, queries: Path, relevance: Path, out: Path) -> None:
    docs = _cisi_records(documents)
    asked = _cisi_records(queries)
    passages = [(docid, f"{d.get('T', '')}. {d.get('W', '')}") for docid, d in docs.items()]
    judged: dict[str, set[str]] = {}
    for line in relevance.read_text(encoding="latin-1").splitlines():
        if line.split():
            qid, docid = line.split()[:2]
            judged.setdefault(qid, set()).add(docid)
    qrels = [(qid, docid) for qid in sorted(judged, key=int) for docid in sorted(judged[qid], key=int)]
    _write(out, passages, [(qid, q["W"]) for qid, q in asked.items() if qid in judged], qrels)


SENTENCE_END = re.compile(r"(?<=[。！？!?；])")


def cmrc(*paths_and_out: Path) -> None:
    """Paragraphs split into sentences after 。！？!?；; the sentence where an answer starts is relevant."""
    *paths, out = paths_and_out
    passages: list[tuple[str, str]] = []
    queries: list[tuple[str, str]] = []
    qrels: list[tuple[str, str]] = []
    for path in paths:
        for article in json.loads(path.read_text(encoding="utf-8"))["data"]:
            for paragraph in article["paragraphs"]:
                context = paragraph["context"]
                starts, ids = [], []
                at = 0
                for n, sentence in enumerate(s for s in SENTENCE_END.split(context)):
                    if sentence.strip():
                        ids.append(f"{paragraph['id']}-{n}")
                        starts.append(at)
                        passages.append((ids[-1], sentence.strip()))
                    at += len(sentence)
                for qa in paragraph["qas"]:
                    relevant = set()
                    for answer in qa["answers"]:
                        begin = answer["answer_start"]
                        if begin < 0 or context[begin : begin + len(answer["text"])] != answer["text"]:
                            begin = context.find(answer["text"])
                        if begin >= 0:
                            relevant.add(ids[max(i for i, s in enumerate(starts) if s <= begin)])
                    if relevant:
                        queries.append((qa["id"], qa["question"].strip()))
                        qrels.extend((qa["id"], docid) for docid in sorted(relevant))
    _write(out, passages, queries, qrels)


def _write(out: Path, passages: list[tuple[str, str]], queries: list[tuple[str, str]], qrels: list) -> None:
    out.mkdir(parents=True, exist_ok=True)
    flat = (" ".join(text.split()) for _, text in passages)
    lines = "".join(f"{docid}\t{text}\n" for (docid, _), text in zip(passages, flat, strict=True))
    # A fixed mtime in the gzip header keeps the file byte-identical from run to run.
    with gzip.GzipFile(out / "passages.tsv.gz", "wb", compresslevel=9, mtime=0) as handle:
        handle.write(lines.encode("utf-8"))
    (out / "queries.tsv").write_text("".join(f"{q}\t{' '.join(t.split())}\n" for q, t in queries), encoding="utf-8")
    (out / "qrels.txt").write_text("".join(f"{q} 0 {d} 1\n" for q, d in qrels), encoding="utf-8")
    print(f"{out}: {len(passages)} passages, {len(queries)} queries, {len(qrels)} judgements")


if __name__ == "__main__":
    kind, *args = sys.argv[1:]
    {"cisi": cisi, "cmrc": cmrc}[kind](*map(Path, args))
