"""Chinese and English documents side by side: names across languages, scripts and versions."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from itudocs.cli import cli
from itudocs.corpus.loader import SourceFile, read_document
from itudocs.search.library import Library

FIXTURES = Path(__file__).parent / "fixtures"
ZH = "003_039c71ca7392b1ab"
EN = "C26-31-E"


@pytest.fixture(scope="module")
def library(bilingual_library: Library) -> Library:
    return bilingual_library


def labels(result, doc: str) -> list[str]:
    return sorted((hit.citation.label for hit in result.hits if hit.citation.doc_id == doc), key=int)


def test_the_english_fixture_reads_like_its_chinese_original() -> None:
    doc = read_document(SourceFile(FIXTURES / f"{EN}.txt", EN))
    annex = [p for p in doc.passages if p.citation.section[:1] == ("Annex",) and p.citation.label]
    assert [p.citation.label for p in annex] == ["20", "21", "22", "67"]
    assert {p.citation.section for p in annex} == {
        ("Annex", "Paragraphs of the WSIS+20 outcome document that mention ITU")
    }
    assert doc.lang == "en" and {p.lang for p in doc.passages} == {"en"}
    assert doc.symbol == "C26/31"


def test_a_chinese_name_finds_english_passages(library: Library) -> None:
    result = library.search("国际电信联盟", limit=None, section="成果文件")
    assert labels(result, ZH) == ["20", "21", "22", "67", "107", "108", "121"]
    result = library.search("国际电信联盟", limit=None, section="outcome document")
    assert labels(result, EN) == ["20", "21", "22", "67"]


def test_an_english_name_finds_chinese_passages(library: Library) -> None:
    result = library.search("International Telecommunication Union", limit=None, section="成果文件")
    assert labels(result, ZH) == ["20", "21", "22", "67", "107", "108", "121"]
    assert all("国际电信联盟" in h.text[a:b] for h in result.hits for a, b in h.highlights)


def test_concepts_cross_both_ways(library: Library) -> None:
    english = library.search("gender digital divide", limit=None)
    found = {(h.citation.doc_id, h.citation.label, h.citation.line) for h in english.hits}
    assert found == {(EN, "22", 16), (ZH, "22", 62), (ZH, None, 20), (EN, None, 11)}
    assert english.hits[0].citation.doc_id == EN and english.hits[0].citation.label == "22"
    chinese = library.search("数字鸿沟", limit=None, doc=EN)
    assert {h.citation.label for h in chinese.hits} == {None, "21", "22"}


def test_expansions_rank_below_literal_matches(library: Library) -> None:
    hits = library.search("ITU", limit=None).hits
    literal = [i for i, hit in enumerate(hits) if "ITU" in hit.text]
    assert literal == list(range(len(literal)))
    assert len(hits) > len(literal)


def test_no_expand_is_literal(library: Library) -> None:
    result = library.search("国际电信联盟", limit=None, expand=False)
    assert {hit.citation.doc_id for hit in result.hits} == {ZH}


def test_english_words_match_by_stem(library: Library) -> None:
    result = library.search("divides", limit=None, expand=False)
    assert {hit.citation.label for hit in result.hits} == {None, "21", "22"}
    assert any("divide " in hit.text or "divide." in hit.text for hit in result.hits)


def test_traditional_characters_find_simplified_text(library: Library) -> None:
    assert (
        library.search("國際電信聯盟", limit=None, expand=False).total
        == library.search("国际电信联盟", limit=None, expand=False).total
    )


def test_english_references_are_the_same_entities(library: Library) -> None:
    result = library.search("第140号决议", limit=None)
    assert EN in {hit.citation.doc_id for hit in result.hits}
    assert {hit.refs for hit in result.hits} == {("PP-RES-140",)}


def test_show_prints_the_other_language_version_of_a_numbered_paragraph(library: Library) -> None:
    view = library.show(f"{EN}:67")
    assert view.hit.citation.label == "67"
    assert view.counterpart is not None
    assert (view.counterpart.citation.doc_id, view.counterpart.citation.label) == (ZH, "67")
    assert view.counterpart.text.startswith("我们邀请国际电信联盟")
    back = library.show(view.counterpart.id)
    assert back.counterpart is not None and back.counterpart.id == f"{EN}:67"


def test_documents_with_one_symbol_are_versions_of_each_other(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "c-zh.txt").write_text("文件 C25/7-C\n \t目的\n1\t第一段。\n", encoding="utf-8")
    (folder / "c-en.txt").write_text("Document C25/7-E\n \tPurpose\n1\tThe first paragraph.\n", encoding="utf-8")
    lib = Library(tmp_path / "ix")
    lib.index(folder)
    [hit] = lib.search("第一段").hits
    counterpart = lib.show(hit.id).counterpart
    assert counterpart is not None and counterpart.text == "The first paragraph."


def test_show_prints_the_other_version_last(library: Library) -> None:
    out = CliRunner().invoke(cli, ["show", f"{EN}:67", "--index", str(library.index_dir)]).stdout
    head, _, other = out.rpartition("\n\nzh version, ¶ 67 [")
    assert head.splitlines()[0].endswith(f"[{EN}:67]") and ">> " in head
    assert other.startswith(f"{ZH}:67]:\n   我们邀请国际电信联盟")


def test_explain_names_where_each_other_name_comes_from(library: Library) -> None:
    out = CliRunner().invoke(cli, ["search", "UNGIS", "--explain", "--index", str(library.index_dir)]).stdout
    assert "  UNGIS  [as typed]" in out
    assert "  联合国信息社会小组  [other name, from termbase]" in out


def test_glossary_lists_all_names_and_mined_pairs(library: Library) -> None:
    runner = CliRunner()
    out = runner.invoke(cli, ["glossary", "ITU", "--index", str(library.index_dir)]).stdout
    assert "International Telecommunication Union | ITU | 国际电联 | 国际电信联盟" in out
    mined = [t for t in library.glossary() if t.source.startswith(f"mined:{ZH}:")]
    assert ("UNGIS", ("联合国信息社会小组",)) in {(t.acronyms[0], t.zh) for t in mined}
    csv_out = runner.invoke(cli, ["glossary", "-f", "csv", "--index", str(library.index_dir)]).stdout
    assert csv_out.startswith("id,en,acronyms,zh,kind,source")


@pytest.mark.parametrize(("english", "chinese"), [("gender equality", "性别平等"), ("Tunis Agenda", "突尼斯议程")])
def test_short_english_names_find_their_chinese_names(library: Library, english: str, chinese: str) -> None:
    result = library.search(english, limit=None)
    assert result.total > 0
    assert all(chinese in hit.text or english.lower() in hit.text.lower() for hit in result.hits)
