"""References in queries, and the table of every reference an index holds.

A query, or a run of its words, that reads as a reference (``第140号决议``,
``Resolution 172``, ``Council Resolution 1332``, ``A/RES/70/125``) matches passages
by the reference's normalised key as well as by its literal text, so every spelling
finds every citation: ``第1334号决议`` also finds ``第1332和1334号决议``, and a body in
the query narrows (``WTSA第75号决议`` is not PP Resolution 75).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from itudocs.corpus.references import keys_for, read_reference_query
from itudocs.search.query import Clause, ParsedQuery, QueryError

if TYPE_CHECKING:
    from itudocs.indexer.records import DocumentRecord

# The longest run of query words tried as one reference: PP Resolution 140 (Rev. Bucharest, 2022).
MAX_REFERENCE_WORDS = 8


def reference_keys(text: str) -> tuple[str, ...]:
    """The index keys a query text asks for, or () when it is not a reference.

    >>> reference_keys("Resolution 172"), reference_keys("理事会第1332号决议"), reference_keys("数字鸿沟")
    (('RES-172',), ('Council-RES-1332',), ())
    """
    refs = read_reference_query(text)
    return tuple(dict.fromkeys(ref.id for ref in refs)) if refs else ()


def read_references(parsed: ParsedQuery) -> ParsedQuery:
    """The query with each run of words that names references turned into one clause that cites them.

    >>> from itudocs.search.query import parse_query
    >>> [(c.text, c.refs) for g in read_references(parse_query("数字鸿沟 Resolution 140")).groups for c in g]
    [('数字鸿沟', ()), ('Resolution 140', ('RES-140',))]
    """
    groups: list[tuple[Clause, ...]] = []
    i = 0
    while i < len(parsed.groups):
        span, clause = _longest_reference(parsed.groups, i)
        if clause is None:
            groups.append(tuple(_as_reference(c) for c in parsed.groups[i]))
        else:
            groups.append((clause,))
        i += span
    return replace(parsed, groups=tuple(groups))


def _as_reference(clause: Clause) -> Clause:
    keys = reference_keys(clause.text)
    return replace(clause, refs=keys) if keys else clause


def _longest_reference(groups: tuple[tuple[Clause, ...], ...], start: int) -> tuple[int, Clause | None]:
    clauses: list[Clause] = []
    for group in groups[start : start + MAX_REFERENCE_WORDS]:
        if len(group) != 1 or group[0].quoted:
            break
        clauses.append(group[0])
    for n in range(len(clauses), 1, -1):
        # As typed first: an edition is written with its punctuation, (Rev. Bucharest, 2022).
        for text in (" ".join(c.raw or c.text for c in clauses[:n]), " ".join(c.text for c in clauses[:n])):
            keys = reference_keys(text)
            if keys:
                return n, Clause(text, quoted=True, refs=keys)
    return 1, None


def cites_keys(text: str) -> tuple[str, ...]:
    """The keys a ``--cites`` value asks for; raises QueryError when it is not a reference."""
    keys = reference_keys(text)
    if not keys:
        raise QueryError(f"--cites {text!r} is not a reference (try 第140号决议, Resolution 140 or A/RES/70/125)")
    return keys


@dataclass(frozen=True, slots=True, kw_only=True)
class CitedReference:
    """One reference as the index knows it: what it is and where it is cited."""

    id: str
    kind: str
    body: str | None
    number: str
    editions: tuple[str, ...]
    passages: int
    documents: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "body": self.body,
            "number": self.number,
            "editions": list(self.editions),
            "passages": self.passages,
            "documents": list(self.documents),
        }


def _wanted(ref_id: str, row: dict, keys: tuple[str, ...]) -> bool:
    return not set(keys).isdisjoint(keys_for(ref_id, row["kind"], row["number"], row["body"]))


def reference_table(docs: dict[str, DocumentRecord], *, query: str | None = None) -> list[CitedReference]:
    """Every reference cited in ``docs`` (doc id → stored record), optionally only those
    ``query`` names (read as a reference, else matched as part of the id)."""
    keys = reference_keys(query) if query else ()
    needle = (query or "").upper()
    merged: dict[str, dict] = {}
    for doc_id, record in sorted(docs.items()):
        for ref_id, row in record.refs.items():
            if query and not (_wanted(ref_id, row, keys) if keys else needle in ref_id.upper()):
                continue
            into = merged.setdefault(ref_id, {**row, "editions": [], "passages": 0, "documents": []})
            into["editions"] += [e for e in row["editions"] if e not in into["editions"]]
            into["passages"] += len(row["passages"])
            into["documents"].append(doc_id)
    return [
        CitedReference(
            id=ref_id,
            kind=row["kind"],
            body=row["body"],
            number=row["number"],
            editions=tuple(row["editions"]),
            passages=row["passages"],
            documents=tuple(row["documents"]),
        )
        for ref_id, row in sorted(merged.items(), key=lambda item: (-item[1]["passages"], item[0]))
    ]
