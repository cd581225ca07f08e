"""Exact matching by the unit column: whole units, folding, no match across the seams
between passages, the column agreeing with the stored text, and exact or bounded totals."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from itudocs.cli import cli
from itudocs.indexer import column
from itudocs.indexer.unit_bytes import encode
from itudocs.search import execute
from itudocs.search.library import Library

# Each line is one passage; neighbours end and begin so that a match across the seam
# between them would spell a query.
SEAMS = """ \t目的
理事会审议了全权代表大会第140
号决议的执行情况。
请参阅文件A/RES/70
/125的附件。
2.10\t1号决议的审查
國際電聯與ＷＳＩＳ＋２０審查。
ITU-RR第61号报告与ITU-R第61号建议。
"""


@pytest.fixture()
def seams(tmp_path, write_corpus) -> Library:
    library = Library(tmp_path / "index")
    library.index(write_corpus({"seams.txt": SEAMS}))
    return library


def found(library: Library, query: str) -> list[str]:
    return sorted(hit.text for hit in library.search(query, limit=None, expand=False).hits)


@pytest.mark.parametrize("query", ["第140号决议", "140号", "A/RES/70/125", "70/125", "2.10.1", "2.101号"])
def test_no_match_across_the_seam_between_passages_or_label_and_text(seams: Library, query: str) -> None:
    # A count, since a search would go on to show the passages holding some of the words.
    assert seams.count(query, expand=False) == 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("第140", ["理事会审议了全权代表大会第140"]),
        ("号决议的执", ["号决议的执行情况。"]),
        ("2.10", ["1号决议的审查"]),  # the label, matched in the label column
        ("A/RES/70", ["请参阅文件A/RES/70"]),
        ("ITU-R", ["ITU-RR第61号报告与ITU-R第61号建议。"]),
        ("ITU-RR", ["ITU-RR第61号报告与ITU-R第61号建议。"]),
        ("R第61号", ["ITU-RR第61号报告与ITU-R第61号建议。"]),
    ],
)
def test_matches_are_whole_units_on_either_side_of_a_seam(seams: Library, query: str, expected: list[str]) -> None:
    assert found(seams, query) == expected


@pytest.mark.parametrize("query", ["国际电联", "國際電聯", "WSIS+20", "ｗｓｉｓ＋２０", "国际电联与WSIS+20审查"])
def test_folding_matches_traditional_and_full_width_either_way(seams: Library, query: str) -> None:
    assert found(seams, query) == ["國際電聯與ＷＳＩＳ＋２０審查。"]


def test_a_latin_run_matches_only_whole(seams: Library) -> None:
    # "RR" holds "R" but is another unit: only the passage's ITU-R (not ITU-RR) matches "ITU-R 第61号".
    hit = seams.search("ITU-R第61号", limit=None).hits[0]
    assert [hit.text[a:b] for a, b in hit.highlights] == ["ITU-R第61号"]


def test_the_columns_agree_with_the_stored_passages_after_updates(tmp_path, write_corpus) -> None:
    library = Library(tmp_path / "index")
    folder = write_corpus({"a.txt": SEAMS, "b.txt": SEAMS.replace("140", "172")})
    library.index(folder)
    (folder / "a.txt").write_text(SEAMS.replace("140", "1400"), encoding="utf-8")
    (folder / "b.txt").unlink()
    (folder / "c.txt").write_text(SEAMS, encoding="utf-8")
    library.index(folder)  # a changed, b removed, c added: deletions and a merge of segments
    assert library.check().problems == ()  # which compares every passage's columns with its text
    assert found(library, "第1400") == ["理事会审议了全权代表大会第1400"]
    assert found(library, "第172") == []


def test_check_finds_a_column_that_disagrees_with_its_commit(seams: Library) -> None:
    (column,) = seams.index_dir.glob("*.units.col")
    data = column.read_bytes()
    column.write_bytes(data.replace(encode("第140"), encode("第141")))  # same length, other text
    (problem,) = seams.check().problems
    assert problem[0] == "seams" and "unit column disagrees with its text" in problem[1]


def test_totals_are_exact_without_a_limit_and_bounded_with_one(sample_library: Library, monkeypatch) -> None:
    exact = sample_library.search("国际电联", limit=None)
    assert exact.total == len(exact.hits) > 5
    assert not exact.total_is_lower_bound
    assert sample_library.count("国际电联") == exact.total
    by_doc = sample_library.count("国际电联", by_doc=True)
    assert sum(by_doc.values()) == exact.total and len(by_doc) > 1

    monkeypatch.setattr(execute, "TRACK_TOTAL", 5)
    top = sample_library.search("国际电联", limit=3)
    assert (top.total, top.total_is_lower_bound, len(top.hits)) == (5, True, 3)
    assert [h.id for h in top.hits] == [h.id for h in exact.hits[:3]]
    assert sample_library.search("国际电联", limit=None).total == exact.total
    assert sample_library.count("国际电联") == exact.total
    few = sample_library.search('"数字鸿沟" 性别', limit=1)
    assert (few.total, few.total_is_lower_bound) == (3, False)


def test_the_cli_shows_a_bound_as_such_and_counts_exactly(sample_library: Library, monkeypatch) -> None:
    monkeypatch.setattr(execute, "TRACK_TOTAL", 5)
    index = str(sample_library.index_dir)
    shown = CliRunner().invoke(cli, ["search", "国际电联", "-n", "2", "--index", index], catch_exceptions=False)
    assert shown.stdout.splitlines()[-1] == "5+ passages match 国际电联 (showing 2; --all for every hit)"
    body = json.loads(CliRunner().invoke(cli, ["search", "国际电联", "-n", "2", "-f", "json", "--index", index]).stdout)
    assert (body["total"], body["total_is_lower_bound"]) == (5, True)
    counted = CliRunner().invoke(cli, ["search", "国际电联", "--count", "--index", index], catch_exceptions=False)
    assert int(counted.stdout) == sample_library.count("国际电联") > 5
    per_doc = CliRunner().invoke(cli, ["search", "国际电联", "--count", "--by", "doc", "--index", index])
    rows = [line.split("\t") for line in per_doc.stdout.splitlines()]
    assert sum(int(n) for _, n in rows) == int(counted.stdout)
    assert [doc for doc, _ in rows] == sorted(doc for doc, _ in rows)
    none = CliRunner().invoke(cli, ["search", "zqxnothing", "--count", "--index", index])
    assert (none.exit_code, none.stdout) == (1, "0\n")


BOUNDED = ("国际电联", "WSIS", "信息社会世界峰会", "ITU", "HLPF", "数字鸿沟", "联合国", "sustainable development goals")


@pytest.mark.parametrize("query", BOUNDED)
@pytest.mark.parametrize("track", [1, 5, 20])
def test_a_bounded_total_ranks_the_best_as_every_hit_does(
    sample_library: Library, monkeypatch, query: str, track: int
) -> None:
    """With a limit, other names are looked for only while the total and the best need them."""
    every = sample_library.search(query, limit=None)
    monkeypatch.setattr(execute, "TRACK_TOTAL", track)
    top = sample_library.search(query, limit=3)
    assert [(h.id, h.score) for h in top.hits] == [(h.id, h.score) for h in every.hits[:3]]
    assert (top.total, top.total_is_lower_bound) == (min(every.total, track), every.total > track)


WINDOWED = ["第140号决议", "A/RES/70/125", "国际电联", "WSIS+20", "ITU-R", "信息社会世界峰会", "140", "決議"]


def every_hit(library: Library, query: str) -> tuple[list[str], int]:
    result = library.search(query, limit=None)
    return [hit.id for hit in result.hits], result.total


@pytest.mark.parametrize(("window", "batch"), [(1, 1), (7, 3), (64, 1000)])
def test_a_scan_a_window_at_a_time_finds_what_one_scan_finds(
    sample_library: Library, monkeypatch, window: int, batch: int
) -> None:
    # Windows of a few bytes put matches across every window's edge; the pages given
    # back between windows are mapped again by the next search.
    whole = {query: every_hit(sample_library, query) for query in WINDOWED}
    assert sum(total for _, total in whole.values()) > 100
    monkeypatch.setattr(column, "KEEP_MAPPED", 0)
    monkeypatch.setattr(column, "WINDOW", window)
    monkeypatch.setattr(column, "BATCH", batch)
    for query, (ids, total) in whole.items():
        assert every_hit(sample_library, query) == (ids, total), query
        assert sample_library.count(query) == total
