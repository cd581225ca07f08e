"""An index with no documents left answers every command as an index with nothing in it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from itudocs.cli import cli

FIXTURE = Path(__file__).parent / "fixtures" / "C26-31-E.txt"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def emptied_by_remove(tmp_path: Path) -> Path:
    folder, index = tmp_path / "docs", tmp_path / "ix"
    folder.mkdir()
    shutil.copy(FIXTURE, folder / "report.txt")
    assert run("index", str(folder), "--index", str(index)).exit_code == 0
    assert run("remove", "report", "--index", str(index)).exit_code == 0
    return index


def built_from_nothing_indexable(tmp_path: Path) -> Path:
    # Every file skipped: the run commits an index with no segment at all.
    folder, index = tmp_path / "docs", tmp_path / "ix"
    folder.mkdir()
    (folder / "notes.md").write_text("# not a council document\n", encoding="utf-8")
    assert run("index", str(folder), "--index", str(index)).exit_code == 2
    return index


@pytest.mark.parametrize("empty", [emptied_by_remove, built_from_nothing_indexable])
def test_an_index_with_no_documents_answers_every_command(tmp_path, empty) -> None:
    index = str(empty(tmp_path))
    search = run("search", "ITU", "--index", index, "-f", "json")
    assert (search.exit_code, search.stderr) == (1, "")
    assert (json.loads(search.stdout)["total"], json.loads(search.stdout)["hits"]) == (0, [])
    for count in (["--count"], ["--count", "--by", "doc"]):
        counted = run("search", "Resolution 140", *count, "--index", index)
        assert (counted.exit_code, counted.stderr) == (1, "")
    # refs, as search, exits 1 when it finds none.
    for listing, said, status in ((["docs"], "0 documents", 0), (["refs"], "0 references", 1)):
        listed = run(*listing, "--index", index)
        assert (listed.exit_code, listed.stderr, listed.stdout.strip()) == (status, "", said)
    glossary = run("glossary", "ITU", "--index", index)
    assert glossary.exit_code == 0 and "International Telecommunication Union" in glossary.stdout  # the termbase's
    shown = run("show", "report:1", "--index", index)
    assert (shown.exit_code, shown.stderr) == (2, "itudocs: no indexed document match 'report' in hit id 'report:1'\n")
    exported = run("export", "ITU", "-o", str(tmp_path / "hits.csv"), "--index", index)
    assert exported.exit_code == 1 and (tmp_path / "hits.csv").read_text(encoding="utf-8-sig").count("\n") == 1


@pytest.mark.parametrize("empty", [emptied_by_remove, built_from_nothing_indexable])
def test_an_index_with_no_documents_checks_healthy(tmp_path, empty) -> None:
    checked = run("index", "--check", "--index", str(empty(tmp_path)))
    assert (checked.exit_code, checked.stderr) == (0, "")
