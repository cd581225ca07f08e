"""The search-mode cutter gives jieba's own words, in jieba's order."""

from __future__ import annotations

import random

import pytest

from itudocs.corpus.loader import discover, read_document, sample_folder
from itudocs.indexer.analysis import fold, han_runs
from itudocs.indexer.segmenter import get_search_cutter, get_segmenter


@pytest.fixture(scope="module")
def sample_runs() -> list[str]:
    runs = []
    for source in discover(sample_folder()):
        for passage in read_document(source).passages:
            folded = fold(passage.text)
            runs.extend(folded[start:end] for start, end in han_runs(folded))
    return runs


def _jieba(text: str) -> list[str]:
    return list(get_segmenter().cut_for_search(text, HMM=True))


def test_every_han_run_of_the_sample_is_cut_as_jieba_cuts_it(sample_runs) -> None:
    assert len(sample_runs) > 2000
    assert [get_search_cutter().cut(run) for run in sample_runs] == [_jieba(run) for run in sample_runs]


def test_random_runs_of_the_samples_characters_are_cut_as_jieba_cuts_them(sample_runs) -> None:
    # Runs no document holds: unknown words for the HMM, ties between routes, long words.
    chars = sorted(set("".join(sample_runs)))
    rng = random.Random(0)
    runs = ["".join(rng.choices(chars, k=rng.randint(1, 40))) for _ in range(3000)]
    runs += ["".join(rng.sample(sample_runs, 3)) for _ in range(1000)]
    assert [get_search_cutter().cut(run) for run in runs] == [_jieba(run) for run in runs]


@pytest.mark.parametrize(
    "text",
    [
        "㐀㐁国际电联\u9fd6\u9fff豈更车",  # Han characters outside jieba's range: one word each
        "abc 国际 \r\n电联",  # what jieba does with spaces and Latin, should a run ever hold them
        "中华人民共和国国务院总理",
        "的",
        "",
    ],
)
def test_edge_cases_are_cut_as_jieba_cuts_them(text: str) -> None:
    assert get_search_cutter().cut(text) == _jieba(text)
