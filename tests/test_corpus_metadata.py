"""metadata.tsv: what a folder says about its documents overrides what is read."""

from __future__ import annotations

from pathlib import Path

from itudocs.corpus.loader import read_document, sample_folder, scan
from itudocs.corpus.metadata import DocMeta, read_sidecar

FIXTURE = Path(__file__).parent / "fixtures" / "C26-31-E.txt"


def test_the_sample_ships_its_real_titles_dates_and_meetings() -> None:
    docs = {source.doc_id[:3]: read_document(source) for source in scan(sample_folder()).sources}
    assert docs["003"].title == "联合国大会信息社会世界峰会成果落实情况全面审查（WSIS+20）高级别会议的成果"
    assert {p.citation.title for p in docs["003"].passages} == {docs["003"].title}
    assert [(d.meta.date, d.meta.meeting) for d in docs.values()] == [
        ("2024", "C24"),
        ("2024", "C24"),
        ("2023", "C23"),
        ("2026", "C26"),
        ("2017", "C17"),
    ]
    assert not any("…" in d.title for d in docs.values())


def test_a_row_overrides_title_symbol_and_language_and_bad_cells_are_named(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "report.txt").write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "metadata.tsv").write_text(
        "# our council papers\n"
        "file\tdate\ttitle\tsymbol\tmeeting\tlanguage\n"
        "sub/report.txt\t2026-02\tOutcome of WSIS+20\tC26/31\tC26\ten\n"
        "missing.txt\tJune 2024\t\t\t\tklingon\n",
        encoding="utf-8",
    )
    found = scan(folder)
    (source,) = found.sources
    assert source.meta == DocMeta(
        title="Outcome of WSIS+20", symbol="C26/31", date="2026-02", meeting="C26", language="en"
    )
    doc = read_document(source)
    assert (doc.title, doc.symbol, doc.lang) == ("Outcome of WSIS+20", "C26/31", "en")
    where = f"{folder / 'metadata.tsv'}:4"
    assert found.warnings == [
        (where, "date 'June 2024' is not YYYY, YYYY-MM or YYYY-MM-DD; left out"),
        (where, "language 'klingon' is not zh or en; left out"),
        (where, "no file missing.txt beside it; row left out"),
    ]
    assert found.skipped == []  # the metadata file is not a document, nor an unsupported one


def test_a_folder_without_metadata_has_none(tmp_path: Path) -> None:
    assert read_sidecar(tmp_path) is None
