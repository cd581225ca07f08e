"""Addresses rank below prose, headings are context, compounds match in every spelling (issue 12, items 6 and 7)."""

from __future__ import annotations

import re

from click.testing import CliRunner

from itudocs.cli import cli
from itudocs.indexer.analysis import ADDRESS, fold
from itudocs.search.library import Library

ANNEX_2 = "附件2"
ENGLISH = (
    "Cyber report\n\n"
    "See https://www.itu.int/en/cybersecurity/Pages/default.aspx for the programme.\n\n"
    "Write to cybersecurity@itu.int or read cybersecurity-guide.pdf.\n\n"
    "ITU helps countries build cybersecurity capacity.\n\n"
    "Members discussed cyber-security in the Council.\n\n"
    "The cyber security agenda has five pillars.\n\n"
    "Cyber-crime costs grow each year.\n\n"
    "Recommendation ITU-R M.2083 sets the vision.\n"
)


def in_prose(text: str, word: str) -> bool:
    """Whether ``word`` stands in ``text`` outside every web or e-mail address and file name."""
    folded = fold(text)
    outside = ADDRESS.sub(" ", folded)
    return re.search(rf"(?<![a-z0-9]){word}(?![a-z0-9])", outside) is not None


def test_a_word_only_inside_addresses_ranks_below_the_word_in_prose(sample_library: Library) -> None:
    result = sample_library.search("ITU", limit=None)
    assert result.total == 120
    prose = [in_prose(hit.text, "itu") for hit in result.hits]
    assert any(prose) and not all(prose)
    # Every passage with ITU in prose comes before every passage with it only in addresses;
    # passages with only other names (国际电联) come after both.
    holding = [p for p, hit in zip(prose, result.hits, strict=True) if "itu" in fold(hit.text)]
    assert holding == sorted(holding, reverse=True)
    first_three = result.hits[:3]
    assert all(in_prose(hit.text, "itu") for hit in first_three)


def test_addresses_still_match_and_rank_below_prose(tmp_path, write_corpus) -> None:
    library = Library(tmp_path / "index")
    library.index(write_corpus({"cyber.txt": ENGLISH}))
    texts = [hit.text for hit in library.search("cybersecurity", limit=None, expand=False).hits]
    assert set(texts[:3]) == {
        "ITU helps countries build cybersecurity capacity.",
        "Members discussed cyber-security in the Council.",
        "The cyber security agenda has five pillars.",
    }
    assert set(texts[3:]) == {
        "See https://www.itu.int/en/cybersecurity/Pages/default.aspx for the programme.",
        "Write to cybersecurity@itu.int or read cybersecurity-guide.pdf.",
    }


def test_a_closed_compound_finds_its_hyphenated_and_open_spellings(tmp_path, write_corpus) -> None:
    library = Library(tmp_path / "index")
    library.index(write_corpus({"cyber.txt": ENGLISH}))
    security = {hit.text for hit in library.search("cybersecurity", limit=None).hits}
    assert "Members discussed cyber-security in the Council." in security
    assert "The cyber security agenda has five pillars." in security
    assert "ITU helps countries build cybersecurity capacity." in security
    crime = [hit.text for hit in library.search("cybercrime", limit=None).hits]
    assert crime == ["Cyber-crime costs grow each year."]
    hyphenated = {hit.text for hit in library.search("cyber-security", limit=None).hits}
    assert "ITU helps countries build cybersecurity capacity." in hyphenated
    assert [hit.text for hit in library.search("ITU-R", limit=None).hits] == [
        "Recommendation ITU-R M.2083 sets the vision."
    ]
    explained = CliRunner().invoke(cli, ["search", "cybercrime", "--explain", "--index", str(tmp_path / "index")])
    assert "cyber crime  [another spelling of a compound]" in explained.stdout


def test_section_headings_are_context_ranked_below_passages_holding_every_word(sample_library: Library) -> None:
    result = sample_library.search(f"{ANNEX_2} 基础设施", limit=None)
    direct = [hit for hit in result.hits if ANNEX_2 in hit.text and "基础设施" in hit.text]
    context = [hit for hit in result.hits if hit not in direct]
    assert direct and context and not result.partial
    assert result.hits[: len(direct)] == tuple(direct)
    for hit in context:
        assert "基础设施" in hit.text
        assert hit.citation.section[0] == ANNEX_2 and hit.citation.doc_id.startswith("000")
    assert sample_library.count(f"{ANNEX_2} 基础设施") == result.total
