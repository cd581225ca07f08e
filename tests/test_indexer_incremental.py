"""Re-indexing reads only what changed, and a failed run keeps the last good index."""

from __future__ import annotations

import gc
import json
import sys
import types

import pytest
from click.testing import CliRunner

from itudocs.cli import cli
from itudocs.corpus.loader import SourceFile, read_document
from itudocs.indexer import writer
from itudocs.indexer.problems import IndexIncompatible, IndexMissing
from itudocs.indexer.settings import SETTINGS_FILE
from itudocs.indexer.store import open_index
from itudocs.search.library import Library

ONE = " \t目的\n第一份文件讨论数字鸿沟。\n"
TWO = " \t目的\n第二份文件讨论性别平等。\n"


def test_rerun_reads_nothing_unchanged(tmp_path, write_corpus) -> None:
    folder = write_corpus({"one.txt": ONE, "two.txt": TWO})
    lib = Library(tmp_path / "ix")
    first = lib.index(folder)
    assert sorted(first.added) == ["one", "two"]
    again = lib.index(folder)
    assert again.added == again.updated == again.removed == []
    assert sorted(again.unchanged) == ["one", "two"]
    assert again.passages == first.passages


def test_changed_new_and_removed_files_are_applied(tmp_path, write_corpus) -> None:
    folder = write_corpus({"one.txt": ONE, "two.txt": TWO})
    lib = Library(tmp_path / "ix")
    lib.index(folder)
    (folder / "one.txt").write_text(ONE.replace("数字鸿沟", "网络安全"), encoding="utf-8")
    (folder / "two.txt").unlink()
    (folder / "three.txt").write_text(" \t目的\n第三份文件。\n", encoding="utf-8")
    report = lib.index(folder)
    assert (report.added, report.updated, report.removed) == (["three"], ["one"], ["two"])
    assert lib.search("数字鸿沟", limit=None).total == 0
    assert lib.search("网络安全", limit=None).total == 1
    assert lib.search("性别平等", limit=None).total == 0
    assert {d.doc_id for d in lib.docs()} == {"one", "three"}


def test_two_folders_with_the_same_file_names_keep_both(tmp_path, write_corpus) -> None:
    lib = Library(tmp_path / "ix")
    lib.index(write_corpus({"report.txt": ONE}, folder="2024"))
    lib.index(write_corpus({"report.txt": TWO}, folder="2025"))
    assert {d.doc_id for d in lib.docs()} == {"report", "2025/report"}
    assert lib.search("文件", limit=None).total == 2


def test_a_failed_run_leaves_the_last_commit(tmp_path, write_corpus, monkeypatch) -> None:
    folder = write_corpus({"one.txt": ONE})
    lib = Library(tmp_path / "ix")
    lib.index(folder)
    (folder / "two.txt").write_text(TWO, encoding="utf-8")

    def crash(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(writer, "_add_document", crash)
    with pytest.raises(RuntimeError):
        lib.index(folder)
    monkeypatch.undo()
    assert {d.doc_id for d in lib.docs()} == {"one"}
    assert lib.search("数字鸿沟").total == 1
    assert lib.index(folder).added == ["two"]


def test_unreadable_files_are_skipped_with_their_reason(tmp_path, write_corpus) -> None:
    folder = write_corpus({"one.txt": ONE, "empty.txt": "  \n"})
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    report = Library(tmp_path / "ix").index(folder)
    assert report.added == ["one"]
    assert sorted(problem for _, problem in report.skipped) == ["binary file, not text", "empty file"]


def test_index_format_is_checked_on_open(tmp_path, write_corpus) -> None:
    lib = Library(tmp_path / "ix")
    with pytest.raises(IndexMissing):
        lib.docs()
    lib.index(write_corpus({"one.txt": ONE}))
    (tmp_path / "ix" / SETTINGS_FILE).write_text(json.dumps({"schema_version": 0}))
    with pytest.raises(IndexIncompatible, match="--rebuild"):
        lib.docs()


# Whoosh leaves its table-of-contents file open when unpickling it fails.
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_index_whose_schema_names_moved_modules_is_refused(tmp_path, write_corpus, monkeypatch) -> None:
    # An index from before the itudocs.* namespace pickled its analyzers as
    # ``indexer.analysis.…``; write one whose schema names a module that then goes away.
    from whoosh.analysis import RegexTokenizer
    from whoosh.fields import TEXT

    from itudocs.indexer import schema

    gone = types.ModuleType("indexer_before_the_move")

    class OldTokenizer(RegexTokenizer):
        pass

    OldTokenizer.__module__, OldTokenizer.__qualname__ = gone.__name__, "OldTokenizer"
    gone.OldTokenizer = OldTokenizer
    monkeypatch.setitem(sys.modules, gone.__name__, gone)
    make_schema = schema.make_schema

    def old_schema():
        old = make_schema()
        old.add("legacy", TEXT(analyzer=OldTokenizer()))
        return old

    monkeypatch.setattr(schema, "make_schema", old_schema)
    lib = Library(tmp_path / "ix")
    lib.index(write_corpus({"one.txt": ONE}))
    assert gone.__name__.encode() in next((tmp_path / "ix").glob("_R*_*.toc")).read_bytes()
    monkeypatch.delitem(sys.modules, gone.__name__)
    files = sorted((tmp_path / "ix").iterdir())
    with pytest.raises(IndexIncompatible, match=r"another version of itudocs .*--rebuild"):
        lib.docs()
    result = CliRunner().invoke(cli, ["search", "ITU", "--index", str(tmp_path / "ix")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"itudocs: {tmp_path / 'ix'}: the index was written by another version")
    assert sorted((tmp_path / "ix").iterdir()) == files, "nothing in the folder was touched"
    gc.collect()  # close the leaked file here, under this test's warning filter
    again = CliRunner().invoke(cli, ["index", str(tmp_path / "docs"), "--index", str(tmp_path / "ix")])
    assert again.exit_code == 2 and "another version" in again.stderr
    monkeypatch.setattr(schema, "make_schema", make_schema)  # this version's schema again
    rebuilt = CliRunner().invoke(cli, ["index", "--rebuild", str(tmp_path / "docs"), "--index", str(tmp_path / "ix")])
    assert rebuilt.exit_code == 0, rebuilt.stderr
    assert [d.doc_id for d in lib.docs()] == ["one"]
    gc.collect()


def test_rebuild_replaces_the_index_only_when_complete(tmp_path, write_corpus, monkeypatch) -> None:
    lib = Library(tmp_path / "ix")
    lib.index(write_corpus({"one.txt": ONE}, folder="old"))
    fresh = write_corpus({"two.txt": TWO}, folder="new")

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer, "_add_document", crash)
    with pytest.raises(RuntimeError):
        lib.index(fresh, rebuild=True)
    monkeypatch.undo()
    assert {d.doc_id for d in lib.docs()} == {"one"}
    lib.index(fresh, rebuild=True)
    assert {d.doc_id for d in lib.docs()} == {"two"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ix", "new", "old"]


def test_check_finds_and_repairs_missing_and_changed_documents(tmp_path, write_corpus) -> None:
    folder = write_corpus({"one.txt": ONE, "two.txt": TWO})
    lib = Library(tmp_path / "ix")
    lib.index(folder)
    assert lib.check().problems == ()
    ix = open_index(tmp_path / "ix")
    wanted = read_document(SourceFile(folder / "one.txt", "one")).passages[1].id
    with ix.searcher() as searcher:
        (passage,) = [n for n, fields in searcher.reader().iter_docs() if fields.get("id") == wanted]
    with ix.writer() as w:
        w.delete_document(passage)
    (folder / "two.txt").write_text(TWO.replace("性别平等", "网络安全"), encoding="utf-8")
    found = lib.check()
    assert found.problems == (
        ("one", "1 of 2 passages missing from the index"),
        ("two", f"source file {folder / 'two.txt'} changed since it was indexed"),
    )
    assert lib.check(repair=True).repaired == ("one", "two")
    assert lib.check().problems == ()
    assert lib.search("数字鸿沟").total == 1
    assert lib.search("网络安全").total == 1


def test_a_first_build_that_never_commits_leaves_no_index(tmp_path, write_corpus, monkeypatch) -> None:
    folder = write_corpus({"one.txt": ONE})
    lib = Library(tmp_path / "ix")

    def crash(*args, **kwargs):
        raise RuntimeError("killed")

    monkeypatch.setattr(writer, "_add_document", crash)
    with pytest.raises(RuntimeError):
        lib.index(folder)
    monkeypatch.undo()
    assert not lib.exists
    assert lib.index(folder).added == ["one"]
