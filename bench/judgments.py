"""Query sets with judged passages, and the metrics that score an engine's answers.

A judged passage is found by a returned passage whose file ends with the judged
file and whose text contains the judged snippet (tests/test_search_eval.py's rule);
TREC judgments have no snippet, so the file (one per docid) decides alone.

Per query: ``passed`` (every judged passage returned, within the first N for
``topN``, and cited with its label where one is given), recall over everything
returned and within the first ten, nDCG@10 (gains: a graded set's grades, else 1),
and the reciprocal rank of the first relevant passage within the first ten.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from engines import Found

CUTOFF = 10


@dataclass(frozen=True, slots=True)
class Judged:
    """One passage a query should find."""

    file: str
    snippet: str | None = None
    label: str | None = None
    docid: str | None = None  # a TREC judgment's, for messages
    grade: int = 1  # a set's optional ``grade`` column: 2 about it, 1 names it

    def matches(self, found: Found) -> bool:
        in_file = found.file == self.file or found.file.endswith(("/" + self.file, "\\" + self.file))
        return in_file and (self.snippet is None or self.snippet in found.text)


@dataclass(frozen=True, slots=True)
class Query:
    qid: str
    text: str
    expect: str
    judged: tuple[Judged, ...]
    section: str | None = None

    @property
    def depth(self) -> int | None:
        """How many first hits must hold every judged passage; None: anywhere in the results."""
        return None if self.expect == "all" else int(self.expect.removeprefix("top"))


@dataclass(frozen=True, slots=True)
class QuerySet:
    name: str
    source: str
    queries: tuple[Query, ...]

    @property
    def judged(self) -> int:
        return sum(len(q.judged) for q in self.queries)


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one engine did on one query."""

    qid: str
    query: str
    expect: str
    passed: bool
    recall: float
    ndcg: float
    recall_10: float
    rr: float
    hits: int
    problems: tuple[str, ...] = ()


def _check_expect(expect: str, where: str) -> str:
    if expect != "all" and not (expect.startswith("top") and expect[3:].isdigit() and int(expect[3:]) > 0):
        raise ValueError(f"{where}: expect must be 'all' or 'topN', not {expect!r}")
    return expect


def load_tsv(path: Path, name: str, scopes: Mapping[str, str] | None = None) -> QuerySet:
    """A query set in the shared format (id, query, intent, expect, file, snippet, label, notes).

    An optional ``section`` column scopes a query as ``--section`` does; ``scopes``
    (qid → section) does it for sets that have no such column.
    """
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    grouped: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        grouped.setdefault(row["id"], []).append(row)
    queries = []
    for qid, group in grouped.items():
        first = group[0]
        section = first.get("section") or (scopes or {}).get(qid) or None
        judged = tuple(
            Judged(r["file"], r["snippet"], r["label"] or None, grade=int(r.get("grade") or 1)) for r in group
        )
        expect = _check_expect(first["expect"], f"{path}: {qid}")
        queries.append(Query(qid, first["query"], expect, judged, section))
    return QuerySet(name, str(path), tuple(queries))


def _ranks(query: Query, found: Sequence[Found]) -> list[int | None]:
    """Rank of the first returned passage matching each judged passage, None when none does."""
    return [next((i for i, f in enumerate(found) if j.matches(f)), None) for j in query.judged]


def _gains(query: Query, found: Sequence[Found]) -> list[int]:
    """The grade (1 unless graded) of each of the first CUTOFF passages that is relevant, else 0;
    a judged passage counts once."""
    unmatched = list(query.judged)
    gains = []
    for f in found[:CUTOFF]:
        hit = next((j for j in unmatched if j.matches(f)), None)
        if hit is not None:
            unmatched.remove(hit)
        gains.append(hit.grade if hit is not None else 0)
    return gains


def _problems(query: Query, found: Sequence[Found], ranks: list[int | None]) -> list[str]:
    problems = []
    depth = query.depth
    for judged, rank in zip(query.judged, ranks, strict=True):
        what = judged.snippet or judged.docid or judged.file
        if rank is None:
            problems.append(f"missing: {what}")
        elif depth is not None and rank >= depth:
            problems.append(f"rank {rank + 1}, wanted top {depth}: {what}")
        elif judged.label and found[rank].label != judged.label:
            problems.append(f"label {found[rank].label!r}, wanted {judged.label!r}: {what}")
    return problems


def evaluate(query: Query, found: Sequence[Found]) -> Outcome:
    ranks = _ranks(query, found)
    gains = _gains(query, found)
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    grades = sorted((j.grade for j in query.judged), reverse=True)[:CUTOFF]
    ideal = sum(g / math.log2(i + 2) for i, g in enumerate(grades))
    first = next((i for i, g in enumerate(gains) if g), None)
    problems = _problems(query, found, ranks)
    return Outcome(
        qid=query.qid,
        query=query.text,
        expect=query.expect,
        passed=not problems,
        recall=sum(r is not None for r in ranks) / len(ranks),
        recall_10=sum(r is not None and r < CUTOFF for r in ranks) / len(ranks),
        ndcg=dcg / ideal,
        rr=0.0 if first is None else 1 / (first + 1),
        hits=len(found),
        problems=tuple(problems),
    )


def summarise(outcomes: Sequence[Outcome]) -> dict[str, object]:
    """Pass counts (all, per kind of ``expect``) and the mean of each metric."""

    def passes(selected: list[Outcome]) -> list[int]:
        return [sum(o.passed for o in selected), len(selected)]

    def mean(values: list[float]) -> float:
        return round(sum(values) / len(values), 4) if values else 0.0

    return {
        "pass": passes(list(outcomes)),
        "pass_all": passes([o for o in outcomes if o.expect == "all"]),
        "pass_top": passes([o for o in outcomes if o.expect != "all"]),
        "recall_all": mean([o.recall for o in outcomes]),
        "recall_10": mean([o.recall_10 for o in outcomes]),
        "ndcg_10": mean([o.ndcg for o in outcomes]),
        "mrr_10": mean([o.rr for o in outcomes]),
    }


def outcome_json(outcome: Outcome) -> dict[str, object]:
    data = asdict(outcome)
    for key in ("recall", "recall_10", "ndcg", "rr"):
        data[key] = round(data[key], 4)
    data["problems"] = list(outcome.problems)
    return data
