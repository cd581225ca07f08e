"""The command line, through click's CliRunner, on the bundled sample corpus."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from itudocs.cli import cli
from itudocs.corpus.loader import sample_folder
from itudocs.search.library import Library

REPO = Path(__file__).resolve().parents[1]
COMMANDS = ("search", "export", "show", "index", "remove", "docs", "refs", "glossary", "analyze", "serve")


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("cli-index")
    Library(folder).index(sample_folder())
    return str(folder)


def run(*args: str, index: str | None = None, env: dict | None = None):
    extra = ["--index", index] if index else []
    return CliRunner().invoke(cli, [*args, *extra], env=env, catch_exceptions=False)


def test_first_search_builds_the_sample_index_and_says_so(tmp_path) -> None:
    result = run("search", "第140号决议", env={"XDG_DATA_HOME": str(tmp_path), "ITUDOCS_INDEX": None})
    assert result.exit_code == 0
    assert "using the bundled sample" in result.stderr
    assert "indexed the bundled sample: 5 documents" in result.stderr
    assert result.stdout.rstrip().splitlines()[-1] == "9 passages match 第140号决议"


def test_text_output_cites_each_hit(index_dir) -> None:
    result = run("search", "2.10.1", index=index_dir)
    first = result.stdout.splitlines()[0]
    assert first.startswith("1. 理事会信息社会世界峰会和可持续发展目标工作组")
    assert "› 2 CWG-WSIS&SDG的活动 · ¶ 2.10.1 · 001_edffbce1161b23ec.txt:29  [001_edffbce1161b23ec:" in first
    assert "\x1b[" not in result.stdout


def test_colour_only_when_asked_and_never_with_no_color(index_dir) -> None:
    coloured = run("search", "第140号决议", "--color", "always", index=index_dir)
    marked = re.findall("\x1b\\[1;31m(.*?)\x1b\\[0m", coloured.stdout)
    assert len(marked) >= 9
    assert all("第140号决议" in text for text in marked)
    auto = run("search", "第140号决议", index=index_dir, env={"NO_COLOR": "1"})
    assert "\x1b[" not in auto.stdout


def test_json_has_every_hit_and_field(index_dir) -> None:
    result = run("search", "第140号决议", "--all", "--format", "json", index=index_dir)
    body = json.loads(result.stdout)
    assert body["query"] == "第140号决议"
    assert body["total"] == len(body["hits"]) == 9
    fields = {"id", "doc", "title", "file", "lang", "kind", "label", "section", "footnote", "line", "text", "snippet"}
    fields |= {"score", "highlights", "footnotes", "called_from"}
    for hit in body["hits"]:
        assert fields <= set(hit)
        assert "第140号决议" in hit["text"]
        assert "[footnoteRef" not in hit["text"]
    assert sum(hit["kind"] == "paragraph" for hit in body["hits"]) == 8


def test_jsonl_and_md_carry_the_same_hits(index_dir) -> None:
    lines = run("search", "第140号决议", "--all", "-f", "jsonl", index=index_dir).stdout.splitlines()
    assert len(lines) == 9 and all(json.loads(line)["text"] for line in lines)
    md = run("search", "第140号决议", "--all", "-f", "md", index=index_dir).stdout
    assert len([m for m in re.findall(r"\*\*(.+?)\*\*", md) if "第140号决议" in m]) >= 9
    assert md.splitlines()[:3] == ["**Query:** 第140号决议", "", "9 passages match 第140号决议"]


def test_csv_to_a_pipe_has_no_bom_and_is_inert(index_dir) -> None:
    raw = run("search", "第140号决议", "--all", "-f", "csv", index=index_dir).stdout
    assert raw.startswith("id,doc,")
    rows = list(csv.DictReader(io.StringIO(raw)))
    assert len(rows) == 9
    assert all(not row[key].startswith(("=", "+", "-", "@")) for row in rows for key in row)


def test_csv_cells_never_start_a_formula(tmp_path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    lines = ["=SUM(A1:A9) 国际电联。", "+86 10 国际电联。", "-1 国际电联。", "@ITU 国际电联。"]
    (folder / "=cmd.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    index = str(tmp_path / "ix")
    assert run("index", str(folder), index=index).exit_code == 0
    raw = run("search", "国际电联", "--all", "-f", "csv", index=index).stdout
    rows = list(csv.DictReader(io.StringIO(raw.lstrip("\ufeff"))))
    assert sorted(row["text"] for row in rows) == sorted(f"'{line}" for line in lines)
    assert {row["doc"] for row in rows} == {"'=cmd"}
    assert all(not value.startswith(("=", "+", "-", "@")) for row in rows for value in row.values())


def test_exit_codes(index_dir) -> None:
    assert run("search", "第140号决议", index=index_dir).exit_code == 0
    assert run("search", "第9999号决议", index=index_dir).exit_code == 1
    bad = run("search", "，。", index=index_dir)
    assert bad.exit_code == 2
    assert bad.stderr.startswith("itudocs: nothing to search for")
    assert len(bad.stderr.strip().splitlines()) == 1


def test_export_writes_every_hit_with_its_provenance(index_dir, tmp_path) -> None:
    target = tmp_path / "hits.csv"
    result = run("export", "第140号决议", "-o", str(target), index=index_dir)
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 9
    assert {row["query"] for row in rows} == {"第140号决议"}
    assert {row["index"] for row in rows} == {index_dir}
    as_json = tmp_path / "hits.json"
    run("export", "第140号决议", "-o", str(as_json), index=index_dir)
    body = json.loads(as_json.read_text(encoding="utf-8"))
    assert body["total"] == 9 and body["index"] == index_dir and body["exported_at"]
    assert not list(tmp_path.glob(".*.partial"))


def test_export_needs_a_known_format(index_dir, tmp_path) -> None:
    result = run("export", "第140号决议", "-o", str(tmp_path / "hits.xyz"), index=index_dir)
    assert result.exit_code == 2
    assert "cannot tell the export format" in result.stderr


def test_show_prints_a_footnote_with_its_caller(index_dir) -> None:
    result = run("show", "003:fn2", index=index_dir)
    assert result.exit_code == 0
    assert "https://journal.un.org/en/new-york/officials/2025-12-16" in result.stdout
    assert "called from 003_039c71ca7392b1ab:" in result.stdout
    paragraph = run("show", "003_039c71ca7392b1ab:pc027c3", "-f", "json", index=index_dir)
    body = json.loads(paragraph.stdout)
    assert [note["footnote"] for note in body["footnotes"]] == [2]
    assert len(body["before"]) == len(body["after"]) == 1


def test_show_prints_a_paragraph_between_its_neighbours_then_its_footnotes(index_dir) -> None:
    result = run("show", "003_039c71ca7392b1ab:pc027c3", index=index_dir)
    assert result.exit_code == 0
    blocks = result.stdout.split("\n\n")
    assert [block[:3] for block in blocks[1:4]] == ["   ", ">> ", "   "]
    assert blocks[2].startswith(">> 大会随后邀请会员国")
    assert blocks[4].startswith("[2] 12月16日所作发言内容：https://journal.un.org/en/new-york/officials/2025-12-16")


def test_show_unknown_id_is_one_line(index_dir) -> None:
    result = run("show", "nope:1", index=index_dir)
    assert result.exit_code == 2
    assert result.stderr.startswith("itudocs: no indexed document match")


def test_index_then_docs(tmp_path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "one.txt").write_text(" \t目的\n第一份文件。\n", encoding="utf-8")
    (folder / "blank.txt").write_text("\n", encoding="utf-8")
    index = str(tmp_path / "ix")
    result = run("index", str(folder), index=index)
    assert result.exit_code == 3
    assert "1 indexed (1 new, 0 changed, 0 unchanged), 1 skipped, 0 failed, 0 removed" in result.stdout
    assert result.stderr.strip() == f"itudocs: skipped {folder / 'blank.txt'}: empty file"
    listing = json.loads(run("docs", "-f", "json", index=index).stdout)
    assert [row["doc"] for row in listing] == ["one"]


def test_index_of_a_missing_folder_is_an_error(tmp_path) -> None:
    result = run("index", str(tmp_path / "nowhere"), index=str(tmp_path / "ix"))
    assert result.exit_code == 2
    assert "no such file or folder" in result.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.stdout


def test_python_dash_m_itudocs_runs_the_cli(index_dir) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "itudocs", "search", "A/RES/73/218", "--index", index_dir, "-f", "json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] == 4


def test_analyze_prints_units_and_words_with_positions() -> None:
    out = CliRunner().invoke(cli, ["analyze", "第140号决议"]).stdout.splitlines()
    assert out[0] == "exact:"
    assert out[1:6] == [
        "     0     0-1    第",
        "     1     1-4    140",
        "     2     4-5    号",
        "     3     5-6    决",
        "     4     6-7    议",
    ]
    assert out[6] == "words:"
    assert "决议" in " ".join(out[7:])


def test_index_progress_is_one_rewritten_line_on_a_terminal_only(tmp_path) -> None:
    from itudocs.cli import ProgressBar
    from itudocs.indexer.writer import IndexProgress

    screen = io.StringIO()
    bar = ProgressBar(screen)
    bar.show(IndexProgress(1, 3, 120, 40_000, 120_000, 0.5))
    bar.show(IndexProgress(2, 3, 240, 80_000, 120_000, 0.6))  # at once after the first: not drawn
    bar.show(IndexProgress(3, 3, 360, 120_000, 120_000, 1.5))  # the last file is always drawn
    bar.close()
    assert screen.getvalue().split("\r") == [
        "",
        "indexing [########----------------]  1/3 files  120 passages  240/s  ETA 0:01\x1b[K",
        "indexing [########################]  3/3 files  360 passages  240/s  writing the index\x1b[K\n",
    ]
    sample = str(REPO / "corpus" / "sample")
    result = run("index", sample, index=str(tmp_path / "ix"))  # CliRunner's stderr is no terminal
    assert "indexing [" not in result.stderr
    assert result.stderr == f"itudocs: skipped {sample}/INDEX.md: unsupported format .md\n"  # every file accounted for
