"""The shared query set (a copy in tests/data) against the bundled sample corpus."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from itudocs.search.library import Library

DATA = Path(__file__).parent / "data"

SECTION_SCOPE = {"q05": "成果文件"}


def load_queries() -> dict[str, list[dict[str, str]]]:
    with open(DATA / "queries.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    grouped: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        grouped[row["id"]].append(row)
    return grouped


QUERIES = load_queries()


def rank_of(result, row: dict[str, str]) -> int | None:
    for rank, hit in enumerate(result.hits):
        if hit.file.endswith(row["file"]) and row["snippet"] in hit.text:
            return rank
    return None


@pytest.mark.parametrize("qid", sorted(QUERIES))
def test_query_set(sample_library: Library, qid: str) -> None:
    # Every query of the set, so one added to it is asked too.
    rows = QUERIES[qid]
    result = sample_library.search(rows[0]["query"], limit=None, section=SECTION_SCOPE.get(qid))
    expect = rows[0]["expect"]
    depth = None if expect == "all" else int(expect.removeprefix("top"))
    for row in rows:
        rank = rank_of(result, row)
        assert rank is not None, f"{qid}: no hit holds {row['snippet']!r}"
        if depth is not None:
            assert rank < depth, f"{qid}: {row['snippet']!r} ranked {rank + 1}, wanted top {depth}"
        if row["label"]:
            assert result.hits[rank].citation.label == row["label"]


def test_resolution_140_is_cited_by_exactly_eight_paragraphs_and_the_diagram(sample_library: Library) -> None:
    result = sample_library.search("第140号决议", limit=None)
    kinds = sorted(hit.kind for hit in result.hits)
    assert kinds == ["figure"] + ["paragraph"] * 8
    assert all("第140号决议" in hit.text for hit in result.hits)
    assert result.total == 9


def test_annex_paragraphs_of_003_carry_the_outcome_document_numbers(sample_library: Library) -> None:
    labels = {row["label"] for row in QUERIES["q05"]}
    result = sample_library.search("我们", limit=None, doc="003", section="成果文件")
    found = {hit.citation.label for hit in result.hits}
    assert labels <= found
    assert all(hit.citation.section[0] == "附件" for hit in result.hits)


def test_paragraph_label_is_the_first_hit(sample_library: Library) -> None:
    result = sample_library.search("2.10.1")
    assert result.hits[0].citation.label == "2.10.1"
    assert result.hits[0].citation.line == 29


def test_itu_in_the_outcome_document_annex_is_exactly_the_seven_paragraphs(sample_library: Library) -> None:
    result = sample_library.search("ITU", limit=None, section="成果文件")
    assert sorted(int(hit.citation.label) for hit in result.hits) == [20, 21, 22, 67, 107, 108, 121]
    assert all("国际电信联盟" in hit.text for hit in result.hits)
    assert all(hit.text[a:b] == "国际电信联盟" for hit in result.hits for a, b in hit.highlights)


def test_no_expand_restores_literal_matching(sample_library: Library) -> None:
    assert sample_library.search("ITU", limit=None, section="成果文件", expand=False).total == 0
    literal = sample_library.search("HLPF", limit=None, expand=False)
    assert all("HLPF" in hit.text for hit in literal.hits)
    assert literal.total == 4
    expanded = sample_library.search("HLPF", limit=None)
    assert expanded.total > literal.total
    assert any("HLPF" not in hit.text and "高级别政治论坛" in hit.text for hit in expanded.hits)


def test_literal_words_rank_above_their_other_names(sample_library: Library) -> None:
    hits = sample_library.search("WSIS", limit=None).hits
    first_expansion_only = next(i for i, hit in enumerate(hits) if "WSIS" not in hit.text)
    assert all("WSIS" in hit.text for hit in hits[:first_expansion_only])
    assert not any("WSIS" in hit.text for hit in hits[first_expansion_only:])
