"""Date and meeting filters that cannot hold, or that leave documents out unseen (issue 22)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from itudocs.cli import cli
from itudocs.search.library import Library
from itudocs.search.query import QueryError


def run(library: Library, *args: str):
    return CliRunner().invoke(cli, ["search", "--index", str(library.index_dir), *args])


@pytest.fixture(scope="module")
def mostly_undated(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """Four reports on the ITU, one of them dated and held at a meeting in metadata.tsv."""
    folder = tmp_path_factory.mktemp("undated")
    for n in range(1, 5):
        (folder / f"r{n}.txt").write_text(f"Report {n}\n\nThe ITU met in Geneva, report {n}.\n", encoding="utf-8")
    (folder / "metadata.tsv").write_text(
        "file\ttitle\tdate\tmeeting\nr1.txt\tReport one\t2024-06\tC24\n", encoding="utf-8"
    )
    library = Library(tmp_path_factory.mktemp("undated-index"))
    library.index(folder)
    return library


def test_a_date_range_that_ends_before_it_starts_is_an_error(sample_library: Library) -> None:
    result = run(sample_library, "ITU", "--from", "2026", "--to", "2024")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == "itudocs: --from 2026 is after --to 2024: no date is in that range\n"
    with pytest.raises(QueryError, match="--from 2026-03 is after --to 2026-02"):
        sample_library.search("ITU", date_from="2026-03", date_to="2026-02")
    # A range of one period, or one day inside a year, is a range.
    assert sample_library.search("ITU", date_from="2024", date_to="2024").total > 0
    assert run(sample_library, "ITU", "--from", "2024-06-01", "--to", "2024").exit_code == 0


def test_a_date_filter_says_how_many_documents_had_no_date(mostly_undated: Library) -> None:
    result = mostly_undated.search("ITU", limit=None, date_to="2024")
    assert {hit.citation.doc_id for hit in result.hits} == {"r1"}
    assert [left.to_dict() for left in result.left_out] == [
        {"missing": "date", "documents": 3, "of": 4, "note": "3 of 4 documents have no date and were left out"}
    ]
    text = run(mostly_undated, "ITU", "--to", "2024")
    assert text.stdout.splitlines()[-1] == (
        "1 passage matches ITU dated … to 2024; 3 of 4 documents have no date and were left out"
    )
    body = json.loads(run(mostly_undated, "ITU", "--to", "2024", "-f", "json").stdout)
    assert body["left_out"] == [
        {"missing": "date", "documents": 3, "of": 4, "note": "3 of 4 documents have no date and were left out"}
    ]
    assert body["summary"].endswith("; 3 of 4 documents have no date and were left out")


def test_a_meeting_filter_says_how_many_documents_had_no_meeting(mostly_undated: Library) -> None:
    result = mostly_undated.search("ITU", meeting="C25")
    assert result.total == 0
    assert [left.note() for left in result.left_out] == ["3 of 4 documents have no meeting and were left out"]


def test_the_count_is_of_the_documents_the_other_filters_keep(mostly_undated: Library) -> None:
    result = mostly_undated.search("ITU", doc=["r2", "r1"], date_from="2024")
    assert [left.note() for left in result.left_out] == ["1 of 2 documents has no date and was left out"]


def test_nothing_is_said_when_every_document_could_be_judged(sample_library: Library) -> None:
    result = sample_library.search("ITU", date_to="2024")
    assert result.left_out == ()
    assert "left out" not in run(sample_library, "ITU", "--to", "2024").stdout


def test_a_count_says_it_on_stderr(mostly_undated: Library) -> None:
    result = run(mostly_undated, "ITU", "--count", "--to", "2024")
    assert (result.exit_code, result.stdout) == (0, "1\n")
    assert result.stderr == "itudocs: 3 of 4 documents have no date and were left out\n"
    assert [left.note() for left in mostly_undated.left_out(meeting="C24")] == [
        "3 of 4 documents have no meeting and were left out"
    ]
