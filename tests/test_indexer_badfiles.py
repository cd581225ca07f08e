"""A folder of files nobody should have to clean up: each bad one is named, the good ones indexed."""

from __future__ import annotations

import codecs
import io
import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from itudocs.cli import cli
from itudocs.corpus.limits import ReadLimits
from itudocs.search.library import Library

GOOD = " \t目的\n{marker}是本文件的标记。\n1\t引言\n{marker}第二段提到第140号决议。\n"


def good(marker: str) -> str:
    return GOOD.format(marker=marker)


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<" + b"a" * (210 * 2**20))
    return buffer.getvalue()


@pytest.fixture(scope="module")
def messy(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("messy")
    files: dict[str, bytes] = {
        "utf8.txt": good("甲标记").encode("utf-8"),
        "utf8-bom.txt": codecs.BOM_UTF8 + good("乙标记").encode("utf-8"),
        "utf16le.txt": codecs.BOM_UTF16_LE + good("丙标记").encode("utf-16-le"),
        "utf16be.txt": codecs.BOM_UTF16_BE + good("丁标记").encode("utf-16-be"),
        "gb18030.txt": good("戊标记").encode("gb18030"),
        "big5.txt": " \t目的\n國際電聯己標記是本文件的標記。\n1\t引言\n第二段提到第140號決議。\n".encode("big5"),
        "truncated.txt": good("庚标记").encode("utf-8") + "决议".encode()[:-1],
        "footnote-missing.txt": "正文[footnoteRef:3]辛标记。\n".encode(),
        "binary.txt": bytes(range(256)) * 40,
        "empty.txt": b"",
        "blank.txt": b" \n\t\n  \n",
        "huge-line.txt": b"x" * (3 * 2**20),
        "not-a-zip.docx": b"this is not a zip",
        "no-document.docx": _zip({"word/styles.xml": "<w:styles/>"}),
        "bomb.docx": zip_bomb(),
        "nested.html": ("<html><body>" + "<div>" * 5000 + "<p>深处。</p>").encode(),
        "unclosed.html": "<html><body><div><p>壬标记在未闭合的页面里。<div><span>".encode(),
        "garbage.html": b"<html>\x00\x01\x02" + os.urandom(2000),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    return folder


def _zip(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def outcome(messy: Path, tmp_path_factory):
    index = tmp_path_factory.mktemp("ix")
    limits = ReadLimits(max_file_bytes=2 * 2**20)
    return Library(index).index(messy, limits=limits), Library(index)


def test_every_bad_file_is_named_with_its_reason(outcome, messy: Path) -> None:
    report, _ = outcome
    problems = {Path(path).name: problem for path, problem in report.problems}
    assert problems == {
        "binary.txt": "binary file, not text",
        "empty.txt": "empty file",
        "blank.txt": "empty file",
        "huge-line.txt": "larger than the 2 MB limit",
        "not-a-zip.docx": problems["not-a-zip.docx"],
        "no-document.docx": "a zip file but not a Word document (no word/document.xml)",
        "bomb.docx": problems["bomb.docx"],
        "garbage.html": problems["garbage.html"],
        "nested.html": "markup nested too deeply to read (hundreds of levels)",
    }
    assert "zip" in problems["not-a-zip.docx"]
    assert "bomb" in problems["bomb.docx"] or "large" in problems["bomb.docx"]
    assert {Path(p).name for p, _ in report.skipped} == {"binary.txt", "empty.txt", "blank.txt", "huge-line.txt"}
    assert sorted((Path(p).name, w) for p, w in report.warnings) == [
        ("footnote-missing.txt", "footnote 3 is called at line 1 but has no note; kept as [3]"),
        ("truncated.txt", "truncated: its last character is incomplete"),
    ]


def test_the_good_files_are_all_searchable(outcome) -> None:
    report, library = outcome
    assert len(report.added) == 9
    for marker in ("甲标记", "乙标记", "丙标记", "丁标记", "戊标记", "己标记", "庚标记", "辛标记", "壬标记"):
        assert library.search(marker, limit=None).total >= 1, marker
    assert library.search("国际电联", limit=None, expand=False).total == 1


def test_the_encoding_read_is_recorded(outcome, messy: Path) -> None:
    _, library = outcome
    from itudocs.indexer.store import open_index
    from itudocs.search.documents import documents_named
    from itudocs.search.views import open_view

    with open_view(open_index(library.index_dir)) as view:
        records = documents_named(view, None)
    encodings = {Path(r.source).name: r.encoding for r in records.values()}
    assert encodings["utf8.txt"] == "utf-8"
    assert encodings["utf8-bom.txt"] == "utf-8-sig"
    assert encodings["utf16le.txt"] == encodings["utf16be.txt"] == "utf-16"
    assert encodings["gb18030.txt"] == "gb18030"
    assert encodings["big5.txt"] == "big5"


def test_the_cli_summary_and_exit_codes(messy: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["index", str(messy), "--index", str(tmp_path / "ix"), "--max-file-mb", "2"])
    assert result.exit_code == 3
    assert "9 indexed (9 new, 0 changed, 0 unchanged), 4 skipped, 5 failed, 0 removed" in result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 11
    assert all(line.startswith(("itudocs: skipped ", "itudocs: failed ", "itudocs: warning ")) for line in lines)
    assert "Traceback" not in result.stderr
    only_bad = tmp_path / "bad"
    only_bad.mkdir()
    (only_bad / "empty.txt").write_bytes(b"")
    none = CliRunner().invoke(cli, ["index", str(only_bad), "--index", str(tmp_path / "ix2")])
    assert none.exit_code == 2


def test_an_oversized_passage_is_split_not_dropped(tmp_path: Path) -> None:
    folder = tmp_path / "long"
    folder.mkdir()
    sentence = "国际电联继续推进信息社会世界峰会成果的落实工作。"
    text = " \t目的\n" + sentence * 400 + "尾声标记[footnoteRef:1] [1: 脚注]\n"
    (folder / "long.txt").write_text(text, encoding="utf-8")
    library = Library(tmp_path / "ix")
    library.index(folder, limits=ReadLimits(max_passage_chars=1000))
    parts = library.search("国际电联", limit=None, expand=False).hits
    assert len(parts) >= 9
    assert all(len(hit.text) <= 1000 for hit in parts)
    assert sum(hit.text.count(sentence) for hit in parts) == 400
    [tail] = library.search("尾声标记", limit=None).hits
    assert tail.footnotes == (1,)
    [note] = library.search("脚注", kind="footnote").hits
    assert note.called_from == tail.id
