"""Exact strings, filters and query syntax, on small corpora written by the tests."""

from __future__ import annotations

import pytest

from itudocs.search.library import Library
from itudocs.search.query import QueryError

DOC_A = """ \t目的
本文件说明引用情况。
一\t背景
全权代表大会第140号决议（2022年，布加勒斯特，修订版）要求开展工作。
另见第1400号决议，与前者无关。
联大第A/RES/70/125号决议和A/RES/70/1号决议；支持文件：CWG-WSIS&SDG-40/INF/4、CWG-WSIS&SDG-40/INF/5。
二\t信息社会世界峰会
WSIS+20审查进程由ITU-R和ITU-T共同参与。[footnoteRef:1] [1: \t见https://journal.un.org/en/new-york/officials/2025-12-16。]
2025年“Digital@UNGA – WSIS+20版”特别活动。
WSIS+10审查已经结束，CWG-WSIS&SDG-40/INF/6另行处理。
"""

DOC_B = """ \t目的
第二份文件。
1\t引言
2.10.1\t发起了有关数字鸿沟的讨论。
2.10.12\t性别数字鸿沟仍然存在。
"""


@pytest.fixture()
def library(tmp_path, write_corpus) -> Library:
    lib = Library(tmp_path / "index")
    lib.index(write_corpus({"a.txt": DOC_A, "b.txt": DOC_B}))
    return lib


def texts(result) -> list[str]:
    return [hit.text for hit in result.hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("第140号决议", ["全权代表大会第140号决议"]),
        ("第1400号决议", ["另见第1400号决议"]),
        ("A/RES/70/125", ["联大第A/RES/70/125号决议"]),
        ("A/RES/70/1", ["联大第A/RES/70/125号决议"]),
        ("CWG-WSIS&SDG-40/INF/5", ["联大第A/RES/70/125号决议"]),
        ("WSIS+20", ["WSIS+20审查进程", "2025年“Digital@UNGA"]),
        ("WSIS+10", ["WSIS+10审查已经结束"]),
        ("ITU-R", ["WSIS+20审查进程"]),
        ("Digital@UNGA", ["2025年“Digital@UNGA"]),
        ("journal.un.org", ["见https://journal.un.org"]),
        ("ｉｔｕ－ｒ", ["WSIS+20审查进程"]),
    ],
)
def test_exact_strings_match_whole_and_only_whole(library: Library, query: str, expected: list[str]) -> None:
    found = texts(library.search(query, limit=None))
    assert len(found) == len(expected), found
    for start in expected:
        assert any(text.startswith(start) for text in found), (start, found)


def test_a_number_never_matches_inside_a_longer_number(library: Library) -> None:
    assert library.search("140", limit=None).total == 1
    assert library.search("2.10.1", limit=None).hits[0].citation.label == "2.10.1"
    assert [h.citation.label for h in library.search("2.10.1", limit=None).hits] == ["2.10.1"]


def test_footnote_hit_knows_its_caller(library: Library) -> None:
    [hit] = library.search("journal.un.org").hits
    assert hit.kind == "footnote"
    assert hit.citation.footnote == 1
    caller = library.show(hit.id).caller
    assert caller is not None and caller.text.startswith("WSIS+20审查进程")
    assert caller.footnotes == (1,)


def test_highlights_cover_exactly_the_match(library: Library) -> None:
    [hit] = library.search("WSIS+10").hits
    [(start, end)] = hit.highlights
    assert hit.text[start:end] == "WSIS+10"


def test_a_reference_hit_highlights_the_whole_citation_and_names_it(library: Library) -> None:
    [hit] = library.search("Resolution 140").hits
    [(start, end)] = hit.highlights
    assert hit.text[start:end] == "全权代表大会第140号决议（2022年，布加勒斯特，修订版）"
    assert hit.refs == ("PP-RES-140",)


def test_words_are_anded_or_grouped_and_excluded(library: Library) -> None:
    assert texts(library.search("WSIS+20 ITU-T")) == ["WSIS+20审查进程由ITU-R和ITU-T共同参与。"]
    assert library.search("第140号决议 OR 第1400号决议").total == 2
    assert texts(library.search("WSIS+20 -Digital@UNGA")) == ["WSIS+20审查进程由ITU-R和ITU-T共同参与。"]
    assert library.search('"数字鸿沟"').total == 2


def test_filters_by_document_section_and_kind(library: Library) -> None:
    assert library.search("数字鸿沟", doc="b").total == 2
    assert library.search("数字鸿沟", doc="a").total == 0
    assert library.search("WSIS", section="信息社会世界峰会", limit=None).total == 3
    assert library.search("ITU-R", section="背景", limit=None).total == 0
    assert library.search("WSIS", section="背景", limit=None).total == 1
    assert [h.kind for h in library.search("journal", kind="footnote").hits] == ["footnote"]
    assert library.search("目的", kind="heading", limit=None).total == 2


@pytest.mark.parametrize("query", ["", "   ", "，。、", '"', "-第140号决议", "OR"])
def test_queries_with_nothing_to_find_say_so(library: Library, query: str) -> None:
    with pytest.raises(QueryError):
        library.search(query)


def test_unbalanced_quote_reads_to_the_end(library: Library) -> None:
    assert library.search('"第140号决议').total == 1


def test_unknown_document_filter_is_an_error(library: Library) -> None:
    with pytest.raises(QueryError, match="--doc"):
        library.search("WSIS", doc="nonexistent")


def test_docs_lists_each_document_with_counts(library: Library) -> None:
    docs = {d.doc_id: d for d in library.docs()}
    assert set(docs) == {"a", "b"}
    assert docs["a"].footnotes == 1
    assert docs["b"].passages == 5


def test_a_question_with_no_exact_match_falls_back_to_its_words(sample_library: Library) -> None:
    result = sample_library.search("谁担任联合国信息社会小组的秘书处")
    assert result.partial
    assert all("联合国信息社会小组" in hit.text or "UNGIS" in hit.text for hit in result.hits[:3])
    assert any("秘书处" in hit.text for hit in result.hits[:3])


def test_references_and_exact_matches_never_fall_back(sample_library: Library) -> None:
    assert sample_library.search("第9999号决议").total == 0
    exact = sample_library.search("联合国信息社会小组 秘书处")
    assert not exact.partial and exact.total > 0


def test_the_count_is_exact_whatever_the_limit(sample_library: Library) -> None:
    for query in ("国际电联", "WSIS", "ITU", "数字鸿沟 OR 性别"):
        everything = sample_library.search(query, limit=None)
        assert sample_library.search(query, limit=3).total == everything.total == len(everything.hits), query
