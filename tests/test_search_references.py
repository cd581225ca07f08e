"""References as entities in search: every spelling finds every citation, bodies narrow."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from itudocs.cli import cli
from itudocs.corpus.loader import discover, read_document, sample_folder
from itudocs.search.library import Library
from itudocs.search.query import QueryError


def at(prefix: str, seq: int) -> str:
    """The id of the passage at position ``seq`` of a sample document."""
    (source,) = (s for s in discover(sample_folder()) if s.doc_id.startswith(prefix))
    return next(p.id for p in read_document(source).passages if p.seq == seq)


PP_140_AT = (("000", 10), ("000", 16), ("000", 39), ("000", 45), ("001", 2), ("003", 10), ("003", 2), ("003", 34))
PP_140 = sorted(at(prefix, seq) for prefix, seq in (*PP_140_AT, ("004", 9)))


def ids(result) -> list[str]:
    return sorted(hit.id for hit in result.hits)


@pytest.mark.parametrize(
    "query",
    [
        "第140号决议",
        "Resolution 140",
        "Res. 140",
        "PP-140",
        "PP Resolution 140 (Rev. Bucharest, 2022)",
        "第 140 号决议",
    ],
)
def test_every_spelling_of_resolution_140_finds_the_same_passages(sample_library: Library, query: str) -> None:
    result = sample_library.search(query, limit=None)
    assert ids(result) == PP_140
    assert {hit.refs for hit in result.hits} == {("PP-RES-140",)}


def test_a_joint_form_cites_each_of_its_resolutions(sample_library: Library) -> None:
    result = sample_library.search("第1336号决议", limit=None)
    assert ids(result) == [at("004", 10)]
    assert result.hits[0].refs == ("Council-RES-1336",)
    joint = sample_library.search("第1334号决议", limit=None)
    assert "001_edffbce1161b23ec:2.1" in ids(joint)
    assert "第1332和1334号决议" in next(h.text for h in joint.hits if h.id == "001_edffbce1161b23ec:2.1")
    assert all(hit.refs == ("Council-RES-1334",) for hit in joint.hits)


def test_a_number_never_matches_a_longer_one(sample_library: Library) -> None:
    assert sample_library.search("第14号决议", limit=None).total == 0
    assert all("1400" not in hit.text for hit in sample_library.search("Resolution 140", limit=None).hits)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("理事会第1332号决议", "Council-RES-1332"),
        ("Council Resolution 1332", "Council-RES-1332"),
        ("WTSA第75号决议", "WTSA-RES-75"),
        ("WTSA Resolution 75", "WTSA-RES-75"),
        ("WTDC第30号决议", "WTDC-RES-30"),
    ],
)
def test_a_body_in_the_query_narrows(sample_library: Library, query: str, expected: str) -> None:
    result = sample_library.search(query, limit=None)
    assert result.total > 0
    assert {hit.refs for hit in result.hits} == {(expected,)}


def test_pp_resolution_75_is_not_wtsa_75(sample_library: Library) -> None:
    assert sample_library.search("PP Resolution 75", limit=None).total == 0
    assert sample_library.search("第75号决议", limit=None).total == 3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("A/RES/70/125", 8),
        ("第70/125号决议", 8),
        ("UNGA resolution 70/125", 8),
        ("E/RES/2023/3", 4),
        ("CWG-WSIS&SDG-39/2", 1),
        ("CL-15/46", 1),
    ],
)
def test_un_and_itu_symbols_in_any_spelling(sample_library: Library, query: str, expected: int) -> None:
    assert sample_library.search(query, limit=None).total == expected


def test_cites_filter_combines_with_words(sample_library: Library) -> None:
    result = sample_library.search("WSIS", cites="Resolution 140", limit=None)
    assert ids(result) == [i for i in PP_140 if i != at("004", 9)]
    assert all("WSIS" in hit.text for hit in result.hits)
    with pytest.raises(QueryError, match="--cites"):
        sample_library.search("WSIS", cites="数字鸿沟")


def test_refs_table_counts_passages_documents_and_editions(sample_library: Library) -> None:
    [row] = sample_library.refs("Resolution 140")
    assert (row.id, row.body, row.number, row.passages) == ("PP-RES-140", "PP", "140", 9)
    assert set(row.editions) == {"Rev. Bucharest 2022", "Busan 2014"}
    assert len(row.documents) == 4
    cited_by_003 = {r.id for r in sample_library.refs(doc="003")}
    assert {"PP-RES-140", "A/RES/80/173", "A/RES/79/277", "Council-RES-1334"} <= cited_by_003
    assert "Council-RES-1336" not in cited_by_003


def test_refs_command_exports(sample_library: Library) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["refs", "第1336号决议", "-f", "json", "--index", str(sample_library.index_dir)])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [
        {
            "id": "Council-RES-1336",
            "kind": "resolution",
            "body": "Council",
            "number": "1336",
            "editions": [],
            "passages": 1,
            "documents": ["004_49a4dae65611311e"],
        }
    ]
    csv_out = runner.invoke(cli, ["refs", "--doc", "004", "-f", "csv", "--index", str(sample_library.index_dir)])
    assert csv_out.stdout.startswith("id,kind,body,number,editions,passages,documents")


def test_explain_shows_the_reference_reading(sample_library: Library) -> None:
    result = CliRunner().invoke(
        cli, ["search", "Resolution", "172", "--explain", "--index", str(sample_library.index_dir)]
    )
    assert "  Resolution 172  [as typed]" in result.stdout
    assert "    cites: RES-172" in result.stdout
    assert result.stdout.rstrip().endswith("3 passages match Resolution 172")


def test_an_itu_r_resolution_finds_every_revision(sample_library: Library) -> None:
    result = sample_library.search("ITU-R第61号决议", limit=None)
    assert {hit.refs for hit in result.hits} == {("RA-RES-61-2",), ("RA-RES-61-3",)}
    assert sample_library.search("ITU-R第61-2号决议", limit=None).total == 1
