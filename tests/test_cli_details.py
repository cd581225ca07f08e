"""The smaller items of issue 22: whole words in snippets, plurals, the workbook's url, the encoding shown."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from itudocs.cli import cli
from itudocs.search.library import Library

# One long English paragraph without a sentence break before its match, as council reports have.
LONG = (
    "The Council noted with appreciation the report of the Secretary-General on the activities of the "
    "Union in support of the implementation of the outcomes of the World Summit and of the 2030 Agenda "
    "for Sustainable Development including the contributions of the three Sectors and the regional "
    "offices to the Sustainable Development Goals, and invited Member States to contribute further to "
    "the cybersecurity work of the Union."
)


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def index(tmp_path: Path, files: dict[str, bytes]) -> Library:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    library = Library(tmp_path / "ix")
    library.index(folder)
    return library


def test_an_english_snippet_never_starts_or_ends_inside_a_word(tmp_path: Path) -> None:
    library = index(tmp_path, {"report.txt": f"Report\n\n{LONG}\n".encode()})
    for query in ("cybersecurity", "regional", "Goals", "implementation"):
        (hit,) = library.search(query).hits
        start, end = hit.window
        assert start > 0 or end < len(hit.text), query
        assert start == 0 or not (hit.text[start - 1].isalnum() and hit.text[start].isalnum()), hit.snippet
        assert end == len(hit.text) or not (hit.text[end - 1].isalnum() and hit.text[end].isalnum()), hit.snippet
        shown = hit.snippet.strip("…")
        assert shown.split()[0] in LONG.split() and shown.split()[-1] in LONG.split(), hit.snippet


def test_counts_of_one_are_singular(tmp_path: Path) -> None:
    library = index(tmp_path, {"one.txt": b"A note\n\nThe ITU met once.[footnoteRef:1] [1: In Geneva.]\n"})
    ix = str(library.index_dir)
    listing = run("docs", "--index", ix).stdout
    assert "2 passages, 1 footnote" in listing and listing.splitlines()[-1] == "1 document"
    exported = run("export", "--index", ix, "Geneva", "-o", "-", "-f", "jsonl")
    assert exported.stderr.strip() == "itudocs: wrote 1 hit to standard output"
    removed = run("remove", "--index", ix, "one")
    assert removed.stdout.splitlines()[-1] == "1 document removed"


def test_the_workbook_url_is_the_passages_own_address(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Report</title></head><body><h1>Report</h1>"
        '<p id="para-7">The ITU site http://www.itu.int/ict4sdg has case studies.</p></body></html>'
    )
    library = index(tmp_path, {"report.html": page.encode()})
    target = tmp_path / "hits.xlsx"
    library.export("case studies", target)
    sheet = openpyxl.load_workbook(target)["hits"]
    header = [cell.value for cell in sheet[1]]
    (row,) = list(sheet.iter_rows(min_row=2))
    source = Path(row[header.index("file")].value)
    assert row[header.index("url")].value == f"{source.as_uri()}#para-7"
    assert row[header.index("url")].hyperlink.location == "para-7"


def test_the_encoding_a_text_file_was_read_in_is_shown(tmp_path: Path) -> None:
    library = index(tmp_path, {"gb.txt": "国际电联报告\n\n国际电联理事会通过了第140号决议。\n".encode("gb18030")})
    ix = str(library.index_dir)
    (listed,) = json.loads(run("docs", "--index", ix, "-f", "json").stdout)
    assert listed["encoding"] == "gb18030"
    assert "  zh  text  gb18030  " in run("docs", "--index", ix).stdout
    assert library.docs()[0].encoding == "gb18030"
