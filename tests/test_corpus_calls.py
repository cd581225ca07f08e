"""Footnote calls without a note stay visible in the text, with a warning at ingest (issue 12, item 12)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from itudocs.cli import cli
from itudocs.corpus.loader import SourceFile, read_document
from itudocs.search.library import Library

TEXT = "测试报告\n\n这是一段有脚注的文字[footnoteRef:3]，后面[footnoteRef:4]还有。[4:  \t真的脚注 ]\n"


def test_a_call_without_a_note_stays_as_a_call_in_the_text(write_corpus) -> None:
    folder = write_corpus({"a.txt": TEXT})
    doc = read_document(SourceFile(folder / "a.txt", "a"))
    paragraph = next(p for p in doc.passages if p.kind.value == "paragraph")
    assert paragraph.text == "这是一段有脚注的文字[3]，后面还有。"
    assert paragraph.footnotes == (4,)
    assert paragraph.calls[0].offset == len("这是一段有脚注的文字[3]，后面")
    assert doc.warnings == ("footnote 3 is called at line 3 but has no note; kept as [3]",)


def test_ingest_warns_and_search_shows_the_call(write_corpus, tmp_path: Path) -> None:
    folder = write_corpus({"a.txt": TEXT})
    index = tmp_path / "index"
    result = CliRunner().invoke(cli, ["index", str(folder), "--index", str(index)])
    assert result.exit_code == 0
    assert f"itudocs: warning {folder / 'a.txt'}: footnote 3 is called at line 3 but has no note; kept as [3]" in (
        result.stderr
    )
    hit = Library(index).search("脚注的文字").hits[0]
    assert "文字[3]，" in hit.text
    assert [note.number for note in hit.notes] == [4] and hit.notes[0].text == "真的脚注"
