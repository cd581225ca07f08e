"""The index view's postings: read whole or only in the blocks a query needs, kept
decoded or given up for others, a query ranks the same."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from contextlib import closing

import pytest

from itudocs.indexer.store import open_index
from itudocs.search import postings, reader, views
from itudocs.search.library import Library

QUERIES = ("第140号决议", "国际电联", "信息社会世界峰会 数字鸿沟", "WSIS+20", "ITU-R", "sustainable development goals")


def ranked(library: Library) -> dict[str, list[tuple[str, float]]]:
    return {query: [(h.id, h.score) for h in library.search(query, limit=10).hits] for query in QUERIES}


@pytest.fixture()
def own_views(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, views._Shelf]]:
    """The next search opens views of its own (the process keeps them per index), closed after the test."""
    shelves: dict[str, views._Shelf] = {}
    monkeypatch.setattr(views, "_SHELVES", shelves)
    yield shelves
    for shelf in shelves.values():
        shelf.retire()


@pytest.mark.parametrize("per_block", [1, 10**9])
def test_postings_read_whole_or_block_by_block_rank_the_same(
    sample_library: Library, monkeypatch: pytest.MonkeyPatch, own_views: dict, per_block: int
) -> None:
    # 1: every term is read only in the blocks holding the documents asked about;
    # 10**9: every term is decoded whole.
    expected = ranked(sample_library)
    assert sum(map(len, expected.values())) > 30
    own_views.popitem()[1].retire()
    monkeypatch.setattr(postings, "POSTINGS_PER_BLOCK", per_block)
    assert ranked(sample_library) == expected


def test_kept_postings_stay_within_their_budget_and_the_least_used_give_way(
    sample_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    words = ["国际电联", "信息社会世界峰会", "会议", "发展"]
    with closing(reader.IndexView(open_index(sample_library.index_dir).reader())) as view:
        whole = {word: view.doc_set("words", word) for word in words}
        sizes = {text: len(ids) for (_, text), (ids, _) in view.memory.decoded.items()}
    assert list(sizes) == words  # frequent words are decoded whole and kept

    monkeypatch.setattr(postings, "CACHED_POSTINGS", sizes["会议"] + sizes["发展"])
    with closing(reader.IndexView(open_index(sample_library.index_dir).reader())) as view:
        memory = view.memory
        assert {word: view.doc_set("words", word) for word in words} == whole
        assert [text for _, text in memory.decoded] == ["会议", "发展"]
        assert view.doc_set("words", "会议") == whole["会议"]  # used again: now the most recent
        assert [text for _, text in memory.decoded] == ["发展", "会议"]
        assert memory.decoded_size == sum(len(ids) for ids, _ in memory.decoded.values()) <= postings.CACHED_POSTINGS


def _views_and_ranking_in_child(index_dir: str) -> tuple[int, dict[str, list[tuple[str, float]]]]:
    # The shelves are this test's subject: no verb says how many views a process holds.
    return len(views._SHELVES), ranked(Library(index_dir))  # noqa: SLF001


def test_a_forked_worker_starts_with_none_of_its_parents_views(sample_library: Library) -> None:
    # The child's copies of the parent's files would share their offsets with the parent's.
    expected = ranked(sample_library)
    assert views._SHELVES  # noqa: SLF001
    with multiprocessing.get_context("fork").Pool(1) as pool:
        shelves, ranking = pool.apply(_views_and_ranking_in_child, (str(sample_library.index_dir),))
    assert (shelves, ranking) == (0, expected)
