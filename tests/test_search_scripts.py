"""Text in any script is searchable: kana, hangul, Cyrillic and accented Latin are letters."""

from __future__ import annotations

from pathlib import Path

import pytest

from itudocs.indexer.analysis import fold, units
from itudocs.indexer.column import unit_stream
from itudocs.search.library import Library
from itudocs.search.query import QueryError, parse_query

PASSAGES = {
    "ja": "国際電気通信連合（ITU）は、こんにちは世界と言いました。",
    "ko": "국제전기통신연합은 서울에서 회의를 열었다.",
    "ru": "Международный союз электросвязи (МСЭ) провёл совещание.",
    "fr": "La Côte d’Ivoire a présenté un rapport.",
}


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    folder = tmp_path_factory.mktemp("scripts")
    for name, text in PASSAGES.items():
        (folder / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
    library = Library(tmp_path_factory.mktemp("ix"))
    library.index(folder)
    return library


def test_letters_of_every_script_are_units() -> None:
    assert [u.text for u in units("こんにちは")] == list("こんにちは")
    assert [u.text for u in units("서울")] == ["서", "울"]
    assert [u.text for u in units("МСЭ")] == ["м", "с", "э"]
    assert unit_stream(fold("(МСЭ) côte, ITU")) == "мсэcôte itu"


@pytest.mark.parametrize(
    ("query", "file"),
    [("こんにちは", "ja"), ("にちは世界", "ja"), ("서울에서", "ko"), ("МСЭ", "ru"), ("союз", "ru"), ("Côte", "fr")],
)
def test_a_query_in_any_script_finds_its_passage(library: Library, query: str, file: str) -> None:
    result = library.search(query, limit=None)
    assert [Path(hit.file).stem for hit in result.hits] == [file]
    assert query.lower() in result.hits[0].text.lower()


def test_only_a_query_without_any_letter_is_refused() -> None:
    assert parse_query("ハングル 한글").clauses
    with pytest.raises(QueryError, match="no letters, digits"):
        parse_query("—・、")
