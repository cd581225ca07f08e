"""Which plans a search makes: a long query ranked by its words never makes its own."""

from __future__ import annotations

import pytest

from itudocs.search import searcher
from itudocs.search.library import Library
from itudocs.search.plan import LONG_QUERY

# A pasted paragraph, its words spaced: more clauses than LONG_QUERY, every word known to the
# sample's index (so no did-you-mean is counted), and no passage holds them all.
PASTED = (
    "国际电联 在 过去 二十年 为 取得 WSIS 成果 所做 的 贡献 以及 推进 2030年 可持续发展 议程 方面 的 作用 和 "
    "数字鸿沟 性别 平等"
)


@pytest.fixture()
def made(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each plan made is a loosened one (``any_word``), in order."""
    kinds: list[bool] = []
    make_plan = searcher.make_plan

    def recorded(*args, **kwargs):
        plan = make_plan(*args, **kwargs)
        kinds.append(plan.any_word)
        return plan

    monkeypatch.setattr(searcher, "make_plan", recorded)
    return kinds


def test_a_long_query_no_passage_holds_whole_makes_only_its_loosened_plan(
    sample_library: Library, made: list[bool]
) -> None:
    assert len(PASTED.split()) > LONG_QUERY
    result = sample_library.search(PASTED)

    assert result.partial and result.hits and result.suggestion is None
    assert made == [True]


def test_a_short_query_makes_its_own_plan_and_so_does_a_count(sample_library: Library, made: list[bool]) -> None:
    result = sample_library.search("数字鸿沟")
    sample_library.count("数字鸿沟")

    assert result.hits and not result.partial
    assert made == [False, False]
