"""Queries as users paste them (issue 12, items 1, 2, 4 and 7), through the CLI and the library."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from itudocs.cli import cli
from itudocs.search.library import Library
from itudocs.search.query import QueryError, parse_query


def run(library: Library, *args: str):
    return CliRunner().invoke(cli, [*args, "--index", str(library.index_dir)])


def total(library: Library, *args: str) -> int:
    result = run(library, "search", *args, "--all", "-f", "json")
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)["total"]


def ids(library: Library, query: str) -> list[str]:
    return sorted(hit.id for hit in library.search(query, limit=None).hits)


@pytest.mark.parametrize(
    ("pasted", "typed"),
    [
        ("ITU,", "ITU"),
        ("(ITU", "ITU"),
        ("ITU.", "ITU"),
        ("（ITU）", "ITU"),
        ("“ITU”", "ITU"),
        ("国际电联，", "国际电联"),
        ("《国际电联》", "国际电联"),
        ("A/RES/70/125.", "A/RES/70/125"),
        ("WSIS+20，", "WSIS+20"),
        ("(ITU-R)", "ITU-R"),
    ],
)
def test_punctuation_around_a_word_is_a_separator(sample_library: Library, pasted: str, typed: str) -> None:
    assert ids(sample_library, pasted) == ids(sample_library, typed)
    assert total(sample_library, pasted) == total(sample_library, typed) > 0


def test_expansion_survives_pasted_punctuation(sample_library: Library) -> None:
    assert total(sample_library, "ITU") == 120
    assert total(sample_library, "ITU,") == 120
    assert [[c.text for c in g] for g in parse_query("国际电联，数字鸿沟。").groups] == [["国际电联"], ["数字鸿沟"]]
    assert [[c.text for c in g] for g in parse_query("A/RES/70/125; ITU-R, WSIS+20.").groups] == [
        ["A/RES/70/125"],
        ["ITU-R"],
        ["WSIS+20"],
    ]


def test_an_edition_in_brackets_still_reads_as_part_of_the_reference(sample_library: Library) -> None:
    assert ids(sample_library, "PP Resolution 140 (Rev. Bucharest, 2022)") == ids(sample_library, "第140号决议")


def test_an_exclusion_works_unquoted_and_options_work_anywhere(sample_library: Library) -> None:
    expected = sample_library.search("ITU -WSIS", limit=None).total
    assert 0 < expected < sample_library.search("ITU", limit=None).total
    assert total(sample_library, "ITU", "-WSIS") == expected
    assert total(sample_library, "-WSIS", "ITU") == expected
    shown = run(sample_library, "search", "ITU", "-n", "3", "-WSIS", "-f", "jsonl")
    assert shown.exit_code == 0 and len(shown.stdout.splitlines()) == 3
    attached = run(sample_library, "search", "ITU", "-n3", "-WSIS", "--doc=003", "-fjsonl")
    assert attached.exit_code == 0 and len(attached.stdout.splitlines()) == 3
    assert all('"doc": "003_039c71ca7392b1ab"' in line for line in attached.stdout.splitlines())
    # -nothing is the exclusion of a word, not -n with the value "othing".
    assert total(sample_library, "ITU", "-nothing") == 120
    export = run(sample_library, "export", "ITU", "-WSIS", "-o", "-", "-f", "jsonl")
    assert export.exit_code == 0 and len(export.stdout.splitlines()) == expected


def test_the_summary_line_names_the_filters(sample_library: Library) -> None:
    result = run(sample_library, "search", "数字鸿沟", "--cites", "Resolution 140", "--doc", "003")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "0 passages match 数字鸿沟 citing Resolution 140 in 003"
    kinds = run(sample_library, "search", "ITU", "--kind", "heading", "--section", "附件2", "--lang", "zh")
    assert kinds.stdout.splitlines()[-1] == "2 passages match ITU under 附件2 of kind heading in zh documents"


def test_the_summary_line_is_singular_for_one_and_cuts_a_long_query(sample_library: Library) -> None:
    assert run(sample_library, "search", "第1336号决议").stdout.splitlines()[-1] == "1 passage matches 第1336号决议"
    long = "国际电联 " * 20
    last = run(sample_library, "search", long).stdout.splitlines()[-1]
    assert last.startswith("120 passages match 国际电联 国际电联")
    shown = last.split(" match ", 1)[1].split(" (showing")[0]
    assert len(shown) == 60 and shown.endswith("…")


def test_a_partial_result_says_so_in_every_format(sample_library: Library) -> None:
    query = "数字鸿沟 火星"
    assert sample_library.search(query).partial
    text = run(sample_library, "search", query, "--all").stdout
    assert text.startswith(f"No passage holds every word of {query}; these hold some of them.")
    assert text.splitlines()[-1] == f"12 passages hold some words of {query}"
    body = json.loads(run(sample_library, "search", query, "-f", "json").stdout)
    assert body["partial"] is True and body["summary"] == f"12 passages hold some words of {query}"
    lines = run(sample_library, "search", query, "-f", "jsonl").stdout.splitlines()
    assert lines and all(json.loads(line)["partial"] is True for line in lines)
    csv_text = run(sample_library, "search", query, "-f", "csv").stdout
    header, *rows = csv_text.splitlines()
    column = header.split(",").index("partial")
    assert rows and all(row.split(",")[column] == "true" for row in rows if row.startswith("00"))
    md = run(sample_library, "search", query, "-f", "md").stdout
    assert f"**Partial:** No passage holds every word of {query}; these hold some of them." in md


def test_a_query_of_only_operators_says_why_it_is_empty(sample_library: Library) -> None:
    for query in ("OR", "OR OR"):
        result = run(sample_library, "search", query)
        assert result.exit_code == 2
        assert result.stderr.strip() == (
            "itudocs: nothing to search for: OR only joins two words (WSIS OR 信息社会); "
            'quote it to find the word: "OR"'
        )
    with pytest.raises(QueryError, match="OR only joins two words"):
        sample_library.search("OR")


def test_a_plural_finds_what_the_singular_finds_with_its_other_names(sample_library: Library) -> None:
    singular = ids(sample_library, "digital divide")
    assert ids(sample_library, "digital divides") == singular
    assert not sample_library.search("digital divides").partial
    assert all("数字鸿沟" in hit.text for hit in sample_library.search("digital divides", limit=None).hits)


def test_a_typo_gets_a_did_you_mean_from_the_index(sample_library: Library, tmp_path, write_corpus) -> None:
    result = run(sample_library, "search", "Internatonal", "Telecommunication", "Union")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-2:] == [
        "0 passages match Internatonal Telecommunication Union",
        "Did you mean: International Telecommunication Union",
    ]
    folder = write_corpus({"report_en.txt": "ITU report\n\nThe International Telecommunication Union met.\n"})
    english = Library(tmp_path / "index")
    english.index(folder)
    assert english.search("Internatonal").suggestion == "International"
    assert english.search("internatonal").suggestion == "international"
    assert english.search("International").suggestion is None
    # A suggestion that would find nothing either is not offered.
    assert english.search("Internatonal Mars").suggestion is None
