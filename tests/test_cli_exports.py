"""Exports as users need them (issue 12, items 8 to 11): partial marks, Excel, footnote texts, pipes."""

from __future__ import annotations

import csv
import io
import json
import shlex
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from itudocs.cli import cli
from itudocs.search.export import CSV_FIELDS
from itudocs.search.library import Library
from itudocs.search.query import QueryError

PARTIAL = "数字鸿沟 火星"


def run(library: Library, *args: str):
    return CliRunner().invoke(cli, [*args, "--index", str(library.index_dir)])


def test_export_refuses_a_partial_result_unless_asked(sample_library: Library, tmp_path: Path) -> None:
    target = tmp_path / "p.csv"
    refused = run(sample_library, "export", PARTIAL, "-o", str(target))
    assert refused.exit_code == 2 and not target.exists()
    assert refused.stderr.strip() == (
        f"itudocs: no passage holds every word of {PARTIAL}; 12 hold some of them. "
        "Export them anyway with --partial (the export marks them partial)"
    )
    with pytest.raises(QueryError, match="--partial"):
        sample_library.export(PARTIAL, tmp_path / "p.json")
    done = run(sample_library, "export", PARTIAL, "--partial", "-o", str(target))
    assert done.exit_code == 0 and "wrote 12 hits" in done.stderr and "(partial)" in done.stderr
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 12 and {row["partial"] for row in rows} == {"true"}


@pytest.mark.parametrize("suffix", ["json", "jsonl", "md", "xlsx"])
def test_every_export_format_marks_a_partial_result(sample_library: Library, tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"p.{suffix}"
    sample_library.export(PARTIAL, target, partial=True)
    if suffix == "json":
        assert json.loads(target.read_text(encoding="utf-8"))["partial"] is True
    elif suffix == "jsonl":
        assert {json.loads(line)["partial"] for line in target.read_text(encoding="utf-8").splitlines()} == {True}
    elif suffix == "md":
        assert f"**Partial:** No passage holds every word of {PARTIAL}" in target.read_text(encoding="utf-8")
    else:
        book = openpyxl.load_workbook(target)
        header = [cell.value for cell in book["hits"][1]]
        assert {row[header.index("partial")] for row in book["hits"].iter_rows(min_row=2, values_only=True)} == {"true"}
        about = dict(book["export"].iter_rows(values_only=True))
        assert about["partial"].startswith("No passage holds every word")


def test_xlsx_is_a_workbook_excel_users_can_read(sample_library: Library, tmp_path: Path) -> None:
    target = tmp_path / "hits.xlsx"
    result = run(sample_library, "export", "国际电联", "--doc", "004", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["hits", "export"]
    sheet = book["hits"]
    header = [cell.value for cell in sheet[1]]
    assert header == [*CSV_FIELDS, "partial", "url"]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    text_col = sheet.cell(row=1, column=header.index("text") + 1).column_letter
    assert sheet.column_dimensions[text_col].width >= 80
    expected = sample_library.search("国际电联", doc="004", limit=None)
    body = list(sheet.iter_rows(min_row=2))
    assert len(body) == expected.total
    assert [row[header.index("id")].value for row in body] == [hit.id for hit in expected.hits]
    assert all(row[header.index("text")].alignment.wrap_text for row in body)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    # Each passage links to where it is, its own file, not to an address its text quotes.
    addresses = [row[header.index("url")] for row in body]
    assert all(cell.hyperlink.target.casefold() == cell.value.casefold() for cell in addresses)
    files = {Path(row[header.index("file")].value).as_uri() for row in body}
    assert {cell.value for cell in addresses} == files and len(files) == 1
    about = dict(book["export"].iter_rows(values_only=True))
    assert about["query"] == "国际电联"
    assert about["summary"] == f"{expected.total} passages match 国际电联 in 004"
    assert about["exported_at"].endswith("+00:00") and about["index"] == str(sample_library.index_dir)


def test_xlsx_cells_never_become_formulas(tmp_path: Path, write_corpus) -> None:
    folder = write_corpus({"x.txt": '标题\n\n=HYPERLINK("http://evil") 数字鸿沟\n\n+1 数字鸿沟 -2\n'})
    library = Library(tmp_path / "ix")
    library.index(folder)
    target = tmp_path / "x.xlsx"
    library.export("数字鸿沟", target)
    sheet = openpyxl.load_workbook(target)["hits"]
    texts = sorted(row[CSV_FIELDS.index("text")] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert texts == ["+1 数字鸿沟 -2", '=HYPERLINK("http://evil") 数字鸿沟']
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_footnotes_travel_with_their_passage(sample_library: Library, tmp_path: Path) -> None:
    hits = sample_library.search("国际电联", doc="000", limit=None).hits
    hit = next(h for h in hits if h.kind == "paragraph" and list(h.footnotes) == [2])
    note = sample_library.show("000:fn2").hit
    assert hit.to_dict()["footnotes"] == [2]
    assert hit.to_dict()["notes"] == [{"number": 2, "text": note.text}]
    assert note.text.startswith("国际电联《2023年全球数字监管展望》")
    target = tmp_path / "hits.csv"
    assert run(sample_library, "export", "国际电联", "--doc", "000", "-o", str(target)).exit_code == 0
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig")))}
    assert rows[hit.id]["notes"] == f"[2] {note.text}"
    assert rows[hit.id]["highlights"] == "; ".join(f"{s}-{e}" for s, e in hit.highlights)
    assert " › " not in rows[hit.id]["highlights"] and "; " in rows[hit.id]["highlights"]
    sample_library.export("国际电联", tmp_path / "h.xlsx", doc="000")
    sheet = openpyxl.load_workbook(tmp_path / "h.xlsx")["hits"]
    header = [cell.value for cell in sheet[1]]
    notes = {row[0]: row[header.index("notes")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert notes[hit.id] == f"[2] {note.text}"


def test_export_to_standard_output_and_the_bom_only_in_files(sample_library: Library, tmp_path: Path) -> None:
    piped = run(sample_library, "export", "第140号决议", "-o", "-", "-f", "csv")
    assert piped.exit_code == 0 and "wrote 9 hits to standard output" in piped.stderr
    assert piped.stdout.startswith("id,doc,")
    assert len(list(csv.DictReader(io.StringIO(piped.stdout)))) == 9
    as_json = json.loads(run(sample_library, "export", "第140号决议", "-o", "-", "-f", "json").stdout)
    assert as_json["total"] == 9
    needs_format = run(sample_library, "export", "第140号决议", "-o", "-")
    assert needs_format.exit_code == 2 and "standard output: cannot tell the export format" in needs_format.stderr
    target = tmp_path / "hits.csv"
    run(sample_library, "export", "第140号决议", "-o", str(target))
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    redirected = tmp_path / "redirected.csv"
    with open(redirected, "wb") as out:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "itudocs",
                "search",
                "第140号决议",
                "-f",
                "csv",
                "--index",
                str(sample_library.index_dir),
            ],
            stdout=out,
            check=True,
        )
    assert redirected.read_bytes().startswith(b"\xef\xbb\xbf")
    listing = tmp_path / "docs.csv"
    with open(listing, "wb") as out:
        subprocess.run(
            [sys.executable, "-m", "itudocs", "docs", "-f", "csv", "--index", str(sample_library.index_dir)],
            stdout=out,
            check=True,
        )
    assert listing.read_bytes().startswith(b"\xef\xbb\xbfdoc,title,")
    assert run(sample_library, "docs", "-f", "csv").stdout.startswith("doc,title,")


def test_a_reader_that_stops_early_is_not_an_error(sample_library: Library) -> None:
    # 160 kB of JSON lines: more than a pipe holds, so the writer meets the closed pipe.
    command = shlex.join([sys.executable, "-m", "itudocs", "search", "ITU", "--all", "-f", "jsonl"])
    command += f" --index {shlex.quote(str(sample_library.index_dir))}"
    shell = subprocess.run(
        f"{command} | head -1; exit ${{PIPESTATUS[0]}}",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
    )
    assert shell.returncode == 0, shell.stderr
    assert shell.stderr == ""
    assert json.loads(shell.stdout)["id"]
    piped = subprocess.run(
        f"{command.replace('jsonl', 'csv')} | head -c 3",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
    )
    assert piped.stdout == b"id,"


def test_the_cli_gives_full_paths_unless_asked_for_relative_ones(tmp_path: Path, write_corpus) -> None:
    folder = write_corpus({"a.txt": "标题\n\n数字鸿沟在扩大。\n"}, folder="corpus")
    (folder / "sub").mkdir()
    (folder / "sub" / "b.txt").write_text("Title\n\nThe digital divide 数字鸿沟 persists.\n", encoding="utf-8")
    library = Library(tmp_path / "ix")
    library.index(folder)

    full = json.loads(run(library, "search", "数字鸿沟", "--format", "json").stdout)
    short = json.loads(run(library, "search", "数字鸿沟", "--paths", "relative", "--format", "json").stdout)
    listed = json.loads(run(library, "docs", "--paths", "relative", "--format", "json").stdout)

    assert sorted(hit["file"] for hit in full["hits"]) == [str(folder / "a.txt"), str(folder / "sub" / "b.txt")]
    assert sorted(hit["file"] for hit in short["hits"]) == ["a.txt", "sub/b.txt"]
    assert sorted(doc["file"] for doc in listed) == ["a.txt", "sub/b.txt"]


def test_an_export_with_relative_paths_names_no_folder_of_this_machine(tmp_path: Path, write_corpus) -> None:
    folder = write_corpus({"a.txt": "标题\n\n数字鸿沟在扩大。\n"}, folder="corpus")
    library = Library(tmp_path / "ix")
    library.index(folder / "a.txt")  # a file given by itself: its path is from its own folder
    target = tmp_path / "hits.csv"

    result = run(library, "export", "数字鸿沟", "-o", str(target), "--paths", "relative")

    assert result.exit_code == 0, result.stderr
    text = target.read_text(encoding="utf-8-sig")
    assert [row["file"] for row in csv.DictReader(io.StringIO(text))] == ["a.txt"]
    assert str(tmp_path) not in text


def test_a_relative_workbook_keeps_a_working_link_to_each_file(tmp_path: Path, write_corpus) -> None:
    folder = write_corpus({"a.txt": "标题\n\n数字鸿沟在扩大。\n"}, folder="corpus")
    library = Library(tmp_path / "ix")
    library.index(folder)
    target = tmp_path / "hits.xlsx"

    assert run(library, "export", "数字鸿沟", "-o", str(target), "--paths", "relative").exit_code == 0

    sheet = openpyxl.load_workbook(target)["hits"]
    header = [cell.value for cell in sheet[1]]
    [row] = sheet.iter_rows(min_row=2)
    assert row[header.index("file")].value == "a.txt"
    assert row[header.index("url")].value == (folder / "a.txt").as_uri()
    assert row[header.index("url")].hyperlink.target.casefold() == (folder / "a.txt").as_uri().casefold()
