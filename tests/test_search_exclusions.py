"""An exclusion leaves out what it names under every name, and --explain shows the whole plan (issue 22)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from itudocs.cli import cli
from itudocs.search.library import Library

WSIS_NAMES = ("WSIS", "信息社会世界峰会", "World Summit on the Information Society")


def run(library: Library, *args: str):
    return CliRunner().invoke(cli, ["search", "--index", str(library.index_dir), *args])


def test_an_exclusion_leaves_out_the_other_names_of_what_it_names(sample_library: Library) -> None:
    hits = sample_library.search("ITU -WSIS", limit=None, doc="003").hits
    assert hits
    assert not [hit.citation.label for hit in hits if any(name in hit.text for name in WSIS_NAMES)]
    # The paragraphs that say 信息社会世界峰会 but not WSIS are among ITU's hits without the exclusion.
    everything = {hit.citation.label for hit in sample_library.search("ITU", limit=None, doc="003").hits}
    assert {"20", "67", "107", "108"} <= everything
    assert {"20", "67", "107", "108"}.isdisjoint(hit.citation.label for hit in hits)


def test_the_cli_excludes_the_other_names_too(sample_library: Library) -> None:
    result = run(sample_library, "ITU", "-WSIS", "--doc", "003", "--all", "-f", "jsonl")
    assert result.exit_code == 0, result.stderr
    texts = [json.loads(line)["text"] for line in result.stdout.splitlines()]
    assert texts and not any("信息社会世界峰会" in text for text in texts)


def test_a_name_the_query_asks_for_is_not_excluded_with_the_others(sample_library: Library) -> None:
    result = sample_library.search("信息社会世界峰会 -WSIS", limit=None)
    assert result.total > 0
    assert all("信息社会世界峰会" in hit.text and "WSIS" not in hit.text for hit in result.hits)
    assert [c.text for c in result.excluded][:2] == ["WSIS", "World Summit on the Information Society"]


def test_without_expansion_an_exclusion_is_the_word_as_typed(sample_library: Library) -> None:
    result = sample_library.search("国际电信联盟 -WSIS", limit=None, expand=False)
    assert [c.text for c in result.excluded] == ["WSIS"]
    assert any("信息社会世界峰会" in hit.text for hit in result.hits)
    assert not any("WSIS" in hit.text for hit in result.hits)


def test_explain_prints_groups_exclusions_filters_and_references(sample_library: Library) -> None:
    result = run(sample_library, "第140号决议", "-WSIS", "--doc", "004", "--lang", "zh", "--explain", "-n", "1")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "group 1 (must match one of):"
    excluded = lines.index("excluded, with the other names of what it names; no hit holds any of:")
    assert lines[excluded + 1] == "  WSIS  [as typed]"
    assert "  信息社会世界峰会  [other name, from termbase]" in lines[excluded:]
    assert "filters: in 004 in zh documents" in lines
    assert "references: RES-140" in lines
    plain = run(sample_library, "数字鸿沟", "-WSIS", "--no-expand", "--explain", "-n", "1").stdout.splitlines()
    assert "excluded, as typed only (--no-expand); no hit holds any of:" in plain
    assert "filters: none" in plain and "references: none read in the query" in plain


def test_explain_in_json_lists_the_exclusions(sample_library: Library) -> None:
    body = json.loads(run(sample_library, "ITU", "-WSIS", "--explain", "-f", "json", "-n", "1").stdout)
    assert [c["text"] for c in body["excluded"]][:3] == [
        "WSIS",
        "World Summit on the Information Society",
        "信息社会世界峰会",
    ]
    assert body["excluded"][1]["source"] == "termbase"
