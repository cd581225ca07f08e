"""Issue 11's defects, each as a new user met it: the sample, the index folder, every
file accounted for, damage named, repair that keeps documents, errors in words."""

from __future__ import annotations

import errno
import json
import shutil
import sys
import threading
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from whoosh.filedb.filestore import FileStorage

from itudocs.cli import EXIT_BUG, cli, main
from itudocs.corpus import loader
from itudocs.corpus.loader import sample_folder
from itudocs.indexer import column
from itudocs.indexer import stored as stored_codec
from itudocs.indexer.folder import BUILD_LOCK
from itudocs.indexer.header import header_size
from itudocs.indexer.problems import IndexDamaged
from itudocs.indexer.settings import SETTINGS_FILE
from itudocs.indexer.whoosh_private import postings_file
from itudocs.search import postings
from itudocs.search.library import Library

FIXTURE = Path(__file__).parent / "fixtures" / "C26-31-E.txt"
ONE = " \t目的\n第一份文件讨论数字鸿沟。\n"


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


@pytest.fixture()
def home(tmp_path: Path) -> dict:
    """An environment with no index chosen: the default index lives in a fresh data folder."""
    return {"XDG_DATA_HOME": str(tmp_path / "data"), "ITUDOCS_INDEX": None}


@pytest.fixture()
def mydocs(tmp_path: Path) -> Path:
    folder = tmp_path / "mydocs"
    folder.mkdir()
    shutil.copy(FIXTURE, folder / "en_report.txt")
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def doc_ids(index: str | None, env: dict | None = None) -> list[str]:
    args = ["docs", "--format", "json"] + (["--index", index] if index else [])
    return [d["doc"] for d in json.loads(run(*args, env=env).stdout)]


# 1. The sample never mixes into the user's index.


def test_the_first_search_uses_the_sample_and_the_first_index_holds_only_the_users(home, mydocs) -> None:
    first = run("search", "第140号决议", "--all", env=home)
    assert first.exit_code == 0
    assert "bundled sample" in first.stderr
    assert run("index", str(mydocs), env=home).exit_code == 0
    assert doc_ids(None, home) == ["en_report"]
    hits = json.loads(run("search", "Resolution 140", "--all", "--format", "json", env=home).stdout)["hits"]
    assert {hit["doc"] for hit in hits} == {"en_report"}


def test_an_interrupted_first_index_run_never_gets_the_sample(home, mydocs, monkeypatch) -> None:
    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(loader, "_read", killed)
    assert run("index", str(mydocs), env=home).exit_code == 130
    monkeypatch.undo()
    assert run("search", "第140号决议", env=home).exit_code == 0
    assert run("index", str(mydocs), env=home).exit_code == 0
    assert doc_ids(None, home) == ["en_report"]


def test_indexing_into_an_index_of_only_the_sample_replaces_it_and_says_so(tmp_path, mydocs) -> None:
    ix = str(tmp_path / "ix")
    Library(ix).index(sample_folder())
    result = run("index", str(mydocs), "--index", ix)
    assert result.exit_code == 0
    assert "replaced the bundled sample" in result.stderr
    assert doc_ids(ix) == ["en_report"]


def test_docs_marks_sample_documents(sample_library) -> None:
    listed = json.loads(run("docs", "--format", "json", "--index", str(sample_library.index_dir)).stdout)
    assert [d["sample"] for d in listed] == [True] * 5
    text = run("docs", "--index", str(sample_library.index_dir)).stdout
    assert text.count("(sample)") == 5


# 2. A mistyped --index is never created, except by `index`.


@pytest.mark.parametrize(
    "command", [["search", "ITU"], ["docs"], ["refs"], ["glossary"], ["show", "003:fn2"], ["index", "--check"]]
)
def test_a_missing_index_folder_is_named_never_created(tmp_path, command) -> None:
    typo = tmp_path / "idnex"
    result = run(*command, "--index", str(typo))
    assert result.exit_code == 2
    assert result.stderr == (
        f"itudocs: {typo}: no itudocs index here; build one with `itudocs index FOLDER --index {typo}`\n"
    )
    assert not typo.exists()


# 3. Every file met in the walk is accounted for.


def test_a_folder_of_unsupported_files_reports_each_and_exits_2(tmp_path) -> None:
    folder = tmp_path / "odd"
    folder.mkdir()
    for name in ("b.doc", "c.xlsx", "~$draft.docx", ".#notes.txt", ".DS_Store"):
        (folder / name).write_bytes(b"x")
    result = run("index", str(folder), "--index", str(tmp_path / "ix"))
    assert result.exit_code == 2
    assert f"itudocs: skipped {folder / 'b.doc'}: unsupported format .doc — save it as .docx\n" in result.stderr
    assert f"itudocs: skipped {folder / 'c.xlsx'}: unsupported format .xlsx\n" in result.stderr
    assert "draft" not in result.stderr and "notes" not in result.stderr
    assert "0 indexed" in result.stdout and "2 skipped" in result.stdout
    assert "3 hidden or temporary files passed over" in result.stdout


# 4. A file and the same file found through its folder are one document.


def test_a_file_argument_is_the_document_its_folder_gave(tmp_path, mydocs) -> None:
    ix = str(tmp_path / "ix")
    assert run("index", str(mydocs), "--index", ix).exit_code == 0
    again = run("index", str(mydocs / "en_report.txt"), "--index", ix)
    assert again.exit_code == 0
    assert "1 unchanged" in again.stdout
    assert doc_ids(ix) == ["en_report"]
    total = json.loads(run("search", "Resolution 140", "--format", "json", "--index", ix).stdout)["total"]
    assert total == 1


def test_index_takes_several_folders_and_files_in_one_run(tmp_path, mydocs) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "one.txt").write_text(ONE, encoding="utf-8")
    lone = tmp_path / "lone.txt"
    lone.write_text(ONE.replace("第一", "单独"), encoding="utf-8")
    ix = str(tmp_path / "ix")
    result = run("index", str(mydocs), str(other), str(lone), "--index", ix)
    assert result.exit_code == 0
    assert "3 indexed (3 new" in result.stdout
    assert doc_ids(ix) == ["en_report", "lone", "one"]


# 5. Damage is named, with what to run, and nothing is overwritten.


def damaged_settings(ix: Path) -> None:
    (ix / SETTINGS_FILE).write_text("{not json", encoding="utf-8")


def cut(ix: Path, pattern: str) -> None:
    (part,) = ix.glob(pattern)
    data = part.read_bytes()
    part.write_bytes(data[: len(data) // 3])


def damaged_terms(ix: Path) -> None:
    cut(ix, "*.trm")


def damaged_stored_fields(ix: Path) -> None:
    cut(ix, "*._stored.col")


def missing_postings(ix: Path) -> None:
    (part,) = ix.glob("*.pst")
    part.unlink()


@pytest.mark.parametrize("damage", [damaged_settings, damaged_terms, damaged_stored_fields, missing_postings])
@pytest.mark.parametrize("command", [["search", "ITU"], ["docs"], ["index", "--check"], ["index", "FOLDER"]])
def test_damage_is_one_line_naming_the_index_and_what_to_run(tmp_path, mydocs, damage, command) -> None:
    ix = tmp_path / "ix"
    Library(ix).index(mydocs)
    damage(ix)
    before = snapshot(ix)
    args = [str(mydocs) if arg == "FOLDER" else arg for arg in command]
    result = run(*args, "--index", str(ix))
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"itudocs: {ix}: ")
    assert f"`itudocs index --rebuild FOLDER --index {ix}`" in line
    assert "Errno" not in line and "Aborted" not in result.output
    assert snapshot(ix) == before


def test_check_reads_every_posting_so_damage_no_search_has_met_yet_is_found(tmp_path, mydocs) -> None:
    ix = tmp_path / "ix"
    Library(ix).index(mydocs)
    assert run("index", "--check", "--index", str(ix)).exit_code == 0
    cut(ix, "*.pst")
    before = snapshot(ix)
    result = run("index", "--check", "--index", str(ix))
    damage = (
        f"the index is damaged (Block tag error b''); rebuild it with `itudocs index --rebuild FOLDER --index {ix}`"
    )
    assert (result.exit_code, result.stderr) == (2, f"itudocs: {ix}: {damage}\n")
    assert snapshot(ix) == before


def test_a_rebuild_replaces_a_damaged_index_when_asked(tmp_path, mydocs) -> None:
    ix = tmp_path / "ix"
    Library(ix).index(mydocs)
    damaged_terms(ix)
    assert run("index", "--rebuild", str(mydocs), "--index", str(ix)).exit_code == 0
    assert doc_ids(str(ix)) == ["en_report"]


# 6. Repair never loses a document whose file cannot be read.


def test_repair_keeps_a_document_whose_file_now_fails_to_read(tmp_path, mydocs) -> None:
    ix = str(tmp_path / "ix")
    (mydocs / "one.txt").write_text(ONE, encoding="utf-8")
    Library(ix).index(mydocs)
    (mydocs / "en_report.txt").write_bytes(b"\x00\x01\x02" * 100)
    (mydocs / "one.txt").unlink()
    result = run("index", "--check", "--index", ix)
    assert result.exit_code == 3
    assert f"itudocs: failed {mydocs / 'en_report.txt'}: binary file, not text; kept as last indexed" in result.stderr
    assert "removed 1" in result.stdout and "re-read 0" in result.stdout
    assert doc_ids(ix) == ["en_report"]
    assert json.loads(run("search", "Resolution 140", "--format", "json", "--index", ix).stdout)["total"] == 1


# 7. Errors in words, naming the user's path.


@pytest.mark.parametrize("bug", [ValueError("a bug"), OSError(errno.EBADF, "a bug")])
def test_a_bug_outside_the_reader_stays_a_traceback_not_a_one_line_error(tmp_path, mydocs, monkeypatch, bug) -> None:
    # Only the project's own errors (corpus.errors.Problem) are the user's to put right;
    # a one-line message for any other exception would hide a bug.
    ix = str(tmp_path / "ix")
    assert run("index", str(mydocs), "--index", ix).exit_code == 0

    def broken(self, **options):
        raise bug

    monkeypatch.setattr(Library, "docs", broken)
    with pytest.raises(type(bug), match="a bug"):
        run("docs", "--index", ix)


def broken_column_code(monkeypatch: pytest.MonkeyPatch) -> type[Exception]:
    """A TypeError raised inside indexer/column.py while a search scans a unit column
    (the scan's counter made a string, as a slip in the code would)."""
    scan = column.UnitColumnReader.find_docs

    def slipped(self, *args, **kwargs) -> list[int]:
        monkeypatch.setattr(column, "CHECK_EVERY", "64")
        return scan(self, b"e", latin_start=False, latin_end=False)

    monkeypatch.setattr(column.UnitColumnReader, "find_docs", slipped)
    return TypeError


def files_closed_under_the_reader(monkeypatch: pytest.MonkeyPatch) -> type[Exception]:
    """The postings file closed under the reader ("seek of closed file"), what a reader
    closing another's files did: Whoosh's byte layer raises, but the file is not damaged."""
    opened = postings.Postings.__init__

    def then_closed(self, *args, **kwargs) -> None:
        opened(self, *args, **kwargs)
        for segment in self._segments:
            postings_file(segment.reader).close()

    monkeypatch.setattr(postings.Postings, "__init__", then_closed)
    return ValueError


@pytest.mark.parametrize("bug", [broken_column_code, files_closed_under_the_reader])
def test_a_bug_inside_the_reader_is_a_bug_not_damage(tmp_path, mydocs, monkeypatch, capsys, bug) -> None:
    ix = tmp_path / "ix"
    Library(ix).index(mydocs)
    raised = bug(monkeypatch)
    with pytest.raises(raised):
        Library(ix).search("WSIS")

    monkeypatch.setattr(sys, "argv", ["itudocs", "search", "WSIS", "--index", str(ix)])
    with pytest.raises(SystemExit) as ended:
        main()
    assert ended.value.code == EXIT_BUG
    said = capsys.readouterr().err
    assert "Traceback" in said and f"{raised.__name__}:" in said
    assert said.splitlines()[-1].startswith("itudocs: this is a bug in itudocs, not a problem with your documents")
    assert "damaged" not in said and "rebuild" not in said


def test_damage_is_raised_with_what_was_read_as_its_cause(tmp_path, mydocs) -> None:
    ix = tmp_path / "ix"
    Library(ix).index(mydocs)
    (stored,) = ix.glob("*._stored.col")
    data = bytearray(stored.read_bytes())
    data[header_size(stored_codec.CODEC) : header_size(stored_codec.CODEC) + 8] = bytes(8)  # the first block's start
    stored.write_bytes(bytes(data))
    with pytest.raises(IndexDamaged, match=r"\._stored\.col: ") as caught:
        Library(ix).search("Resolution 140")
    assert isinstance(caught.value.__cause__, (zlib.error, ValueError, OSError))


def test_a_read_only_index_folder_is_named(tmp_path, mydocs, monkeypatch) -> None:
    from whoosh.util import filelock

    def read_only(self, blocking=False):
        raise OSError(errno.EROFS, "Read-only file system", self.filename)

    monkeypatch.setattr(filelock.FcntlLock, "acquire", read_only)
    ix = tmp_path / "ix"
    result = run("index", str(mydocs), "--index", str(ix))
    assert result.exit_code == 2
    assert result.stderr == f"itudocs: {ix}: cannot write the index here (read-only file system)\n"


def test_an_index_path_that_is_a_file_is_named(tmp_path, mydocs) -> None:
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("x", encoding="utf-8")
    for command in (["index", str(mydocs)], ["search", "ITU"]):
        result = run(*command, "--index", str(not_a_folder))
        assert result.exit_code == 2
        assert result.stderr == f"itudocs: {not_a_folder}: is a file; --index wants a folder\n"


def test_an_export_into_a_missing_folder_is_named(sample_library, tmp_path) -> None:
    target = tmp_path / "nowhere" / "hits.csv"
    result = run("export", "ITU", "-o", str(target), "--index", str(sample_library.index_dir))
    assert result.exit_code == 2
    assert result.stderr == f"itudocs: {target.parent}: no such folder to write {target.name} in\n"


def test_a_second_index_run_says_it_is_waiting(tmp_path, mydocs) -> None:
    ix = tmp_path / "ix"
    ix.mkdir()
    lock = FileStorage(str(ix)).lock(BUILD_LOCK)
    assert lock.acquire(blocking=False)
    threading.Timer(1.0, lock.release).start()  # the other run ends a second later
    result = run("index", str(mydocs), "--index", str(ix))
    assert result.exit_code == 0
    assert result.stderr.startswith(f"itudocs: {ix}: another itudocs run is writing this index; waiting for it")


def test_ctrl_c_during_index_exits_130_and_keeps_the_last_run(tmp_path, mydocs, monkeypatch) -> None:
    ix = str(tmp_path / "ix")
    Library(ix).index(mydocs)
    (mydocs / "one.txt").write_text(ONE, encoding="utf-8")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(loader, "_read", interrupted)
    result = run("index", str(mydocs), "--index", ix)
    assert result.exit_code == 130
    assert result.stderr.endswith("itudocs: interrupted; the index is as the last completed run left it\n")
    monkeypatch.undo()
    assert doc_ids(ix) == ["en_report"]
