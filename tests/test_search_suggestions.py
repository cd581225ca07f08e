"""A "did you mean" whenever a word of the query is unknown to the index (issue 22)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from itudocs.cli import cli
from itudocs.search.library import Library


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """An English report where some passages hold some words of the mistyped name."""
    folder = tmp_path_factory.mktemp("english")
    (folder / "report_en.txt").write_text(
        "ITU report\n\nThe International Telecommunication Union met in Geneva.\n\n"
        "Telecommunication development needs investment.\n\nThe Union's budget was approved.\n",
        encoding="utf-8",
    )
    library = Library(tmp_path_factory.mktemp("english-index"))
    library.index(folder)
    return library


def test_a_partial_result_still_offers_the_corrected_query(english: Library) -> None:
    result = english.search("Internatonal Telecommunication Union")
    assert result.partial and result.total > 0
    assert result.suggestion == "International Telecommunication Union"


def test_the_cli_prints_it_after_a_partial_result(english: Library) -> None:
    args = ["search", "--index", str(english.index_dir), "Internatonal", "Telecommunication", "Union"]
    text = CliRunner().invoke(cli, args)
    assert text.stdout.splitlines()[-1] == "Did you mean: International Telecommunication Union"
    body = json.loads(CliRunner().invoke(cli, [*args, "-f", "json"]).stdout)
    assert body["partial"] is True and body["suggestion"] == "International Telecommunication Union"


def test_each_unknown_word_is_corrected_in_a_partial_result(english: Library) -> None:
    result = english.search("Telecommunication Genva")
    assert result.partial and result.total > 0
    assert result.suggestion == "Telecommunication Geneva"


def test_no_suggestion_when_every_word_is_known_or_nothing_better_is_found(english: Library) -> None:
    assert english.search("International Telecommunication Union").suggestion is None
    assert english.search("Internatonal Mars").suggestion is None


def test_a_pasted_paragraph_is_ranked_without_a_did_you_mean(tmp_path) -> None:
    # More than LONG_QUERY words: ranked by its words, its typo not corrected, even where a
    # passage holds every word of the correction (finding that out matched the whole
    # corrected paragraph again, and almost no pasted paragraph has such a passage).
    sentence = (
        "Delegates from every region agreed that affordable broadband, digital skills, trusted "
        "infrastructure and open standards remain essential for sustainable development worldwide"
    )
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "note_en.txt").write_text(f"Council note\n\n{sentence}.\n\nOther business.\n", encoding="utf-8")
    library = Library(tmp_path / "index")
    library.index(folder)
    result = library.search(sentence.replace("affordable", "afordable"))
    assert result.hits[0].text.startswith("Delegates from every region")
    assert result.suggestion is None
    short = library.search("afordable broadband")
    assert short.suggestion == "affordable broadband"


def test_a_word_the_dictionary_translates_is_not_taken_for_a_typo(tmp_path) -> None:
    # "house" is an English word (its translations are searched), not a mistyped "mouse";
    # correcting every such word also tried some 500 spellings of it, a term lookup each.
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "note_en.txt").write_text("Report\n\nA mouse cable was found in the server room.\n", encoding="utf-8")
    library = Library(tmp_path / "index")
    library.index(folder)
    assert library.search("house").suggestion is None
    assert library.search("mouze").suggestion == "mouse"
