"""Looking terms up by any of their names, as queries are expanded (``search.expand.Glossary``)."""

from __future__ import annotations

import pytest

from itudocs.search.expand import Glossary, shipped_terms
from itudocs.search.query import parse_query

GLOSSARY = Glossary(shipped_terms())


def ids(name: str) -> list[str]:
    return [term.id for term in GLOSSARY.lookup(name)]


def other_names(name: str) -> set[str]:
    return {clause.text for clause in GLOSSARY.alternatives(name)}


@pytest.mark.parametrize(
    "name",
    ["ITU", "itu", "Itu", "ＩＴＵ", "国际电联", "國際電聯", "国际电信联盟", "International Telecommunication Union"],
)
def test_lookup_finds_itu_by_any_name_in_any_case_width_or_script(name: str) -> None:
    assert ids(name) == ["itu"]


def test_ambiguous_bare_names_and_parts_of_names_find_nothing() -> None:
    assert ids("大会") == ids("行动计划") == ids("国际电") == ids("no such body") == []


def test_lookup_collapses_spaces_and_commas_in_latin_names() -> None:
    assert ids("un  desa") == ["un-desa"]


def test_other_names_of_itu_leave_out_the_name_asked_for() -> None:
    assert other_names("ITU") == {"国际电联", "国际电信联盟", "International Telecommunication Union"}


def test_other_names_of_a_shared_name_come_from_every_holder() -> None:
    holders = {term.id for term in GLOSSARY.lookup("能力建设")}
    assert len(holders) > 1
    names = other_names("能力建设")
    assert {"C4", "capacity building"} <= names
    assert "能力建设" not in names


def test_a_name_the_query_also_holds_is_not_offered_again() -> None:
    c4, building = (
        tuple(clause.text for clause in group) for group in GLOSSARY.expand(parse_query("C4 能力建设")).groups
    )
    assert c4[0] == "C4" and building[0] == "能力建设"
    assert "能力建设" not in c4[1:] and "C4" not in building[1:]
    assert "capacity building" in building
