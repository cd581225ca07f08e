"""Managing an index: remove, docs, stable ids in show, metadata filters."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from itudocs.cli import cli
from itudocs.indexer.problems import IndexMissing
from itudocs.search.library import Library

FIXTURE = Path(__file__).parent / "fixtures" / "C26-31-E.txt"
ONE = " \t目的\n第一份文件讨论数字鸿沟。\n"
TWO = " \t目的\n第二份文件讨论性别平等。\n"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture()
def corpus(tmp_path: Path) -> tuple[Path, str]:
    """A folder of three documents (one in a subfolder) indexed into a fresh index."""
    folder = tmp_path / "docs"
    (folder / "old").mkdir(parents=True)
    shutil.copy(FIXTURE, folder / "en_report.txt")
    (folder / "one.txt").write_text(ONE, encoding="utf-8")
    (folder / "old" / "two.txt").write_text(TWO, encoding="utf-8")
    ix = str(tmp_path / "ix")
    Library(ix).index(folder)
    return folder, ix


def listed(ix: str) -> dict[str, dict]:
    return {d["doc"]: d for d in json.loads(run("docs", "-f", "json", "--index", ix).stdout)}


def test_remove_by_id_file_and_folder(corpus) -> None:
    folder, ix = corpus
    result = run("remove", "en_report", str(folder / "old"), "--index", ix)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"removed en_report  {folder / 'en_report.txt'}",
        f"removed old/two  {folder / 'old' / 'two.txt'}",
        "2 documents removed",
    ]
    assert list(listed(ix)) == ["one"]
    assert Library(ix).remove(str(folder / "one.txt")).removed == (("one", str(folder / "one.txt")),)
    assert listed(ix) == {}
    assert (folder / "one.txt").exists()


def test_remove_dry_run_changes_nothing_and_a_typo_removes_nothing(corpus) -> None:
    folder, ix = corpus
    dry = run("remove", "one", "--dry-run", "--index", ix)
    assert dry.stdout.splitlines() == [f"would remove one  {folder / 'one.txt'}", "1 document would be removed"]
    typo = run("remove", "one", "oen", "--index", ix)
    assert typo.exit_code == 2
    assert (
        typo.stderr
        == "itudocs: oen: no indexed document has this id or a file at this path; `itudocs docs` lists them\n"
    )
    assert sorted(listed(ix)) == ["en_report", "old/two", "one"]


def test_docs_shows_source_format_counts_time_and_whether_the_file_changed(corpus) -> None:
    folder, ix = corpus
    before = listed(ix)["one"]
    assert before["file"] == str(folder / "one.txt")
    assert (before["format"], before["lang"], before["passages"], before["footnotes"]) == ("text", "zh", 2, 0)
    assert before["indexed_at"].endswith("+00:00") and before["file_state"] == "unchanged"
    assert before["sample"] is False
    assert listed(ix)["en_report"]["footnotes"] == 1
    stamp = (folder / "old" / "two.txt").stat()
    os.utime(folder / "old" / "two.txt", ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 10**9))  # touched only
    (folder / "one.txt").write_text(ONE.replace("数字鸿沟", "网络安全"), encoding="utf-8")
    (folder / "en_report.txt").unlink()
    states = {doc: d["file_state"] for doc, d in listed(ix).items()}
    assert states == {"en_report": "gone", "one": "changed", "old/two": "unchanged"}
    text = run("docs", "--index", ix).stdout
    assert "file changed since" in text and "file gone since" in text


def test_show_reads_a_stable_id_after_an_edit_above_and_an_old_position_with_a_note(corpus) -> None:
    folder, ix = corpus
    hit = Library(ix).search("digital divides").hits[0]
    report = folder / "en_report.txt"
    report.write_text("A note added at the top.\n" + report.read_text(encoding="utf-8"), encoding="utf-8")
    Library(ix).index(folder)
    again = json.loads(run("show", hit.id, "-f", "json", "--index", ix).stdout)
    assert again["hit"]["text"] == hit.text
    assert again["hit"]["line"] == hit.citation.line + 1
    assert (
        run("show", "en_report:67", "-C", "0", "--index", ix)
        .stdout.splitlines()[2]
        .startswith(">> We invite the International")
    )
    old = run("show", "en_report:3", "--index", ix)
    assert old.exit_code == 0
    assert old.stderr.startswith("itudocs: en_report:3 is a position, the form ids had before index format 6;")


def test_a_changed_metadata_row_re_reads_its_document(corpus) -> None:
    folder, ix = corpus
    (folder / "metadata.tsv").write_text("one.txt\t数字鸿沟说明\t\t2024-06\tC24\tzh\n", encoding="utf-8")
    report = Library(ix).index(folder)
    assert (report.updated, sorted(report.unchanged)) == (["one"], ["en_report", "old/two"])
    assert listed(ix)["one"]["title"] == "数字鸿沟说明"
    assert (listed(ix)["one"]["date"], listed(ix)["one"]["meeting"]) == ("2024-06", "C24")
    assert Library(ix).index(folder).updated == []


@pytest.mark.parametrize(
    ("options", "docs"),
    [
        (["--meeting", "c26"], {"003"}),
        (["--from", "2024"], {"000", "001", "003"}),
        (["--to", "2023-12-31"], {"002", "004"}),
        (["--from", "2024-01", "--to", "2025"], {"000", "001"}),
        (["--meeting", "C99"], set()),
    ],
)
def test_date_and_meeting_filters_read_the_metadata(sample_library, options, docs) -> None:
    result = run(
        "search", "信息社会世界峰会", "--all", "-f", "json", *options, "--index", str(sample_library.index_dir)
    )
    assert {hit["doc"][:3] for hit in json.loads(result.stdout)["hits"]} == docs


def test_a_date_that_is_not_one_is_named(sample_library) -> None:
    result = run("search", "ITU", "--from", "June 2024", "--index", str(sample_library.index_dir))
    assert result.exit_code == 2
    assert result.stderr == "itudocs: --from 'June 2024' is not a date; give YYYY, YYYY-MM or YYYY-MM-DD\n"


def test_remove_takes_the_beginning_of_exactly_one_id(corpus) -> None:
    _, ix = corpus
    assert run("remove", "o", "--dry-run", "--index", ix).stderr == (
        "itudocs: o: the beginning of 2 document ids; give more of one\n"
    )
    assert Library(ix).remove("en").removed[0][0] == "en_report"


def test_the_library_stands_in_with_the_sample_only_when_no_index_was_chosen(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("ITUDOCS_INDEX", raising=False)
    default = Library()
    assert default.ensure_index() is not None and default.sample
    assert default.index_dir == tmp_path / "data" / "itudocs" / "sample-index"
    assert not (tmp_path / "data" / "itudocs" / "index").exists()
    assert Library().ensure_index() is None  # built once
    settings = default.index_dir / "itudocs.json"
    settings.write_text(settings.read_text(encoding="utf-8").replace('"schema_version": ', '"schema_version": 1'))
    again = Library()
    assert again.ensure_index() is not None, "the sample's own index, unreadable by this version, is rebuilt"
    assert again.search("第140号决议").total == 9
    chosen = Library(tmp_path / "mine")
    with pytest.raises(IndexMissing, match="no itudocs index here"):
        chosen.ensure_index()
    assert not chosen.sample and not (tmp_path / "mine").exists()
