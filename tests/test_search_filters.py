"""Filters: repeated values are alternatives, --kind in any case, --lang, --sort doc, ambiguous --doc."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from itudocs.cli import cli
from itudocs.search.library import Library
from itudocs.search.query import QueryError

D000, D003, D004 = "000_1ec08987ad33214d", "003_039c71ca7392b1ab", "004_49a4dae65611311e"


def run(*args: str, index: str):
    return CliRunner().invoke(cli, [*args, "--index", index])


def test_repeated_doc_values_are_alternatives(sample_library: Library) -> None:
    both = sample_library.search("ITU", doc=["003", "004"], limit=None)
    one = sample_library.search("ITU", doc="003", limit=None).total
    other = sample_library.search("ITU", doc="004", limit=None).total
    assert both.total == one + other > one > 0
    assert {h.citation.doc_id for h in both.hits} == {D003, D004}
    cli_result = run(
        "search", "ITU", "--doc", "003", "--doc", "004", "--all", "-f", "json", index=str(sample_library.index_dir)
    )
    assert cli_result.exit_code == 0
    assert f'"total": {both.total}' in cli_result.stdout


def test_repeated_kind_and_section_values_are_alternatives(sample_library: Library) -> None:
    notes = sample_library.search("ITU", kind="footnote", limit=None).total
    headings = sample_library.search("ITU", kind="heading", limit=None).total
    both = sample_library.search("ITU", kind=["footnote", "heading"], limit=None)
    assert both.total == notes + headings and notes > 0 and headings > 0
    assert {h.kind for h in both.hits} == {"footnote", "heading"}
    a = sample_library.search("ITU", section="成果文件", limit=None).total
    b = sample_library.search("ITU", section="附件2", limit=None).total
    assert sample_library.search("ITU", section=["成果文件", "附件2"], limit=None).total == a + b


def test_kind_is_case_insensitive(sample_library: Library) -> None:
    index = str(sample_library.index_dir)
    upper = run("search", "ITU", "--kind", "Footnote", "--all", "-f", "jsonl", index=index)
    assert upper.exit_code == 0, upper.stderr
    kinds = {line.split('"kind": "')[1].split('"')[0] for line in upper.stdout.splitlines()}
    assert kinds == {"footnote"}
    assert sample_library.search("ITU", kind="FOOTNOTE").total == sample_library.search("ITU", kind="footnote").total
    with pytest.raises(QueryError, match="--kind must be one of paragraph, heading, footnote, figure"):
        sample_library.search("ITU", kind="para")


def test_a_doc_prefix_of_several_documents_names_them_and_asks_for_more(sample_library: Library) -> None:
    result = run("search", "ITU", "--doc", "0", index=str(sample_library.index_dir))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"itudocs: --doc '0' begins 5 document ids ({D000}, 001_edffbce1161b23ec, 002_b5b3951e88cb5a4f, "
        f"{D003}, {D004}); give more of the one you mean"
    ]
    with pytest.raises(QueryError, match=r"--doc '00' begins 5 document ids"):
        sample_library.search("ITU", doc="00")
    assert {h.citation.doc_id for h in sample_library.search("ITU", doc="003", limit=None).hits} == {D003}


def test_lang_keeps_documents_in_that_language(tmp_path, write_corpus) -> None:
    folder = write_corpus(
        {
            "report_zh.txt": "国际电联报告\n\n国际电联支持信息社会世界峰会的落实工作。\n",
            "report_en.txt": "ITU report\n\nITU supports the World Summit on the Information Society.\n",
        }
    )
    library = Library(tmp_path / "index")
    library.index(folder)
    everywhere = library.search("ITU", limit=None)
    assert {h.lang for h in everywhere.hits} == {"zh", "en"}
    english = library.search("ITU", lang="en", limit=None)
    assert english.total > 0 and {h.citation.doc_id for h in english.hits} == {"report_en"}
    chinese = run("search", "ITU", "--lang", "ZH", "--all", "-f", "jsonl", index=str(tmp_path / "index"))
    assert chinese.exit_code == 0, chinese.stderr
    assert '"doc": "report_zh"' in chinese.stdout and '"doc": "report_en"' not in chinese.stdout


def test_sort_doc_returns_hits_in_reading_order(sample_library: Library) -> None:
    by_score = sample_library.search("ITU", limit=None)
    in_order = sample_library.search("ITU", limit=None, sort="doc")
    assert in_order.total == by_score.total
    assert sorted(h.id for h in in_order.hits) == sorted(h.id for h in by_score.hits)
    keys = [(h.citation.doc_id, h.kind == "footnote", h.citation.line) for h in in_order.hits]
    assert keys == sorted(keys)
    assert [h.id for h in in_order.hits] != [h.id for h in by_score.hits]
    first_five = sample_library.search("ITU", limit=5, sort="doc")
    assert [h.id for h in first_five.hits] == [h.id for h in in_order.hits[:5]]
    assert first_five.total == by_score.total
    cli_result = run("search", "ITU", "--sort", "doc", "-n", "3", "-f", "jsonl", index=str(sample_library.index_dir))
    assert [line.split('"id": "')[1].split('"')[0] for line in cli_result.stdout.splitlines()] == [
        h.id for h in in_order.hits[:3]
    ]
