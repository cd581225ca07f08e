"""Translations of ordinary words: the shipped dictionary, the table learned from aligned paragraphs."""

from __future__ import annotations

import shutil
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient
from whoosh.index import Index

from itudocs.cli import cli
from itudocs.corpus.dictionary import EN_ZH, LICENCE, MAGIC, ZH_EN, shipped_table
from itudocs.indexer import schema, store
from itudocs.indexer.folder import index_files
from itudocs.indexer.translations import SUFFIX, read_table
from itudocs.search import translate
from itudocs.search.library import Library
from itudocs.search.plan import EXPANSION_WEIGHT
from itudocs.search.query import ParsedQuery, parse_query
from itudocs.search.views import open_view
from itudocs.web import create_app

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
UDHR = ROOT / "bench" / "parallel" / "udhr"
ZH = "003_039c71ca7392b1ab"
EN = "C26-31-E"


@pytest.fixture(scope="module")
def bilingual(bilingual_library: Library) -> Library:
    return bilingual_library


def test_the_dictionary_ships_with_its_licence_and_attribution() -> None:
    data = resources.files("itudocs.corpus").joinpath("data")
    assert "Attribution-ShareAlike 4.0 International" in data.joinpath(LICENCE).read_text(encoding="utf-8")
    for table in (EN_ZH, ZH_EN):
        header = data.joinpath(table).read_text(encoding="utf-8").splitlines()[:4]
        assert header[0].startswith(MAGIC)
        assert any("CC-CEDICT" in line for line in header) and any(LICENCE in line for line in header)
    package_data = next(
        line
        for line in (ROOT / "pyproject.toml").read_text(encoding="utf-8").splitlines()
        if line.startswith('"itudocs.corpus" =')
    )
    assert f'"data/{LICENCE}"' in package_data and '"data/*.tsv"' in package_data


def test_an_english_word_finds_chinese_passages_and_no_expand_turns_it_off(sample_library: Library) -> None:
    found = sample_library.search("mobile phone", limit=None)
    assert {hit.citation.label for hit in found.hits} == {"20", "22"}
    assert all("手机" in hit.text for hit in found.hits)
    assert not sample_library.search("mobile phone", limit=None, expand=False).hits


def test_a_chinese_word_finds_english_passages(bilingual: Library) -> None:
    # The fixture's English says "mobile phone" in paragraph 22 only (20 speaks of 4G networks).
    found = bilingual.search("手机", limit=None, lang="en")
    assert {hit.citation.label for hit in found.hits} == {"22"}
    assert all("mobile" in hit.text.lower() for hit in found.hits)
    assert not bilingual.search("手机", limit=None, lang="en", expand=False).hits


def test_the_words_as_typed_rank_above_their_translations(bilingual: Library) -> None:
    hits = bilingual.search("mobile phone", limit=None).hits
    langs = [hit.citation.doc_id for hit in hits]
    assert langs[0] == EN and set(langs[1:]) == {ZH} and len(langs) == 3


def test_translations_share_one_idf_and_weigh_less_than_other_names(sample_library: Library) -> None:
    reading = sample_library.search("women", limit=None).reading
    typed = [c for c in reading if not c.source]
    found = [c for c in reading if c.source == translate.DICTIONARY]
    assert [c.text for c in typed] == ["women"] and len(found) >= 2
    assert all(c.weight < EXPANSION_WEIGHT for c in found)

    def idf(word: str) -> float:
        def on_index(ix: Index) -> float:
            with open_view(ix) as view:
                return view.idf(schema.WORDS, word)

        return store.read_index(sample_library.index_dir, on_index)

    # Pirkola: each translation's weight × its own idf is the set's idf × its confidence, so a
    # rare translation earns no more than a common one of the same confidence.
    confidence = {t.text: t.confidence for t in translate.from_dictionary("women")}
    shared = {round(c.weight * idf(c.words[0]) / confidence[c.text], 6) for c in found}
    assert len(shared) == 1


def test_explain_shows_each_translation_its_source_and_weight(sample_library: Library) -> None:
    result = CliRunner().invoke(cli, ["search", "mobile phone", "--explain", "--index", str(sample_library.index_dir)])
    assert "手机  [translation, from the dictionary (CC-CEDICT)]" in result.output
    assert "ranked by: 手机 (weight 0.3)" in result.output


def test_a_table_is_learned_from_aligned_paragraphs_and_follows_the_pairs(tmp_path: Path) -> None:
    folder = tmp_path / "udhr"
    shutil.copytree(UDHR, folder)
    index = tmp_path / "index"
    lib = Library(index)
    lib.index(folder)
    [table] = index.glob(f"*{SUFFIX}")
    pairs = {(p.english, p.chinese) for p in read_table(table)}
    assert {("equal", "平等"), ("religion", "宗教"), ("education", "教育")} <= pairs
    (folder / "parallel.tsv").unlink()
    lib.index(folder)
    assert not list(index.glob(f"*{SUFFIX}"))


def test_the_learned_table_alone_translates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lib = Library(tmp_path / "index")
    lib.index(UDHR)
    monkeypatch.setattr(translate, "SOURCES", (translate.DOCUMENTS,))
    found = lib.search("宗教", limit=None, lang="en")
    assert "18.1" in {hit.citation.label for hit in found.hits}
    assert {c.source for c in found.reading if c.source} == {translate.DOCUMENTS}
    monkeypatch.setattr(translate, "SOURCES", ())
    assert not lib.search("宗教", limit=None, lang="en").hits


def test_a_search_with_nothing_to_translate_never_opens_the_dictionary(sample_library: Library) -> None:
    shipped_table.cache_clear()
    for query in ("第140号决议", "国际电联", "ITU"):
        sample_library.search(query)
    sample_library.search("women", expand=False)
    assert shipped_table.cache_info().currsize == 0
    sample_library.search("women")
    assert shipped_table.cache_info().currsize == 1


def test_the_page_marks_the_translated_words_and_names_their_source(sample_library: Library) -> None:
    client = TestClient(create_app(sample_library.index_dir), base_url="http://127.0.0.1")
    page = client.get("/", params={"q": "mobile phone", "explain": "1"}).text
    assert "<mark>手机</mark>" in page
    assert "translation, from the dictionary (CC-CEDICT), weight 0.3" in page


def test_a_damaged_table_is_one_line_naming_it_and_the_rebuild(tmp_path: Path) -> None:
    index = tmp_path / "index"
    Library(index).index(UDHR)
    [table] = index.glob(f"*{SUFFIX}")
    table.write_text(table.read_text(encoding="utf-8") + "equal\t平等\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["search", "宗教", "--index", str(index)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and table.name in lines[0] and "is not a translation pair" in lines[0]
    assert "itudocs index --rebuild" in lines[0]


def test_a_translation_is_found_as_a_word_not_across_two(tmp_path: Path, write_corpus) -> None:
    folder = write_corpus({"a.txt": "年轻人使用手机上网。\n", "b.txt": "棋坛高手机会很多。\n"})
    lib = Library(tmp_path / "index")
    lib.index(folder)
    # 高手机会 is 高手 (master) + 机会 (chance): its 手机 is no mobile phone.
    assert [hit.text for hit in lib.search("mobile phone", limit=None).hits] == ["年轻人使用手机上网。"]
    assert len(lib.search("手机", limit=None, expand=False).hits) == 2


def test_a_name_and_a_phrase_translate_as_wholes_before_their_words(sample_library: Library) -> None:
    name = sample_library.search("digital divide", limit=None).reading
    assert "数字鸿沟" in {c.text for c in name if c.source == "termbase"}
    assert not [c for c in name if c.source in (translate.DICTIONARY, translate.DOCUMENTS)]
    phrase = sample_library.search("mobile phone", limit=None).reading
    assert [(c.text, c.source) for c in phrase] == [("mobile phone", ""), ("手机", translate.DICTIONARY)]


def test_a_rebuild_clears_the_table_of_the_index_it_replaced(tmp_path: Path) -> None:
    # The table is the index's own file: cleaned up with the Whoosh index it was learned
    # with, and passed over when the index folder is also walked for documents.
    index = tmp_path / "index"
    lib = Library(index)
    lib.index(UDHR)
    [first] = index.glob(f"*{SUFFIX}")
    assert first.name in index_files(index)
    for _ in range(2):  # the second rebuild clears what the first replaced
        lib.index(UDHR, rebuild=True)
    assert [table.name for table in index.glob(f"*{SUFFIX}")] != [first.name]
    assert len(list(index.glob(f"*{SUFFIX}"))) <= 2
    assert not first.exists()


def test_a_loosened_query_counts_a_word_held_through_its_translation(sample_library: Library) -> None:
    # No passage holds "high", "income" and "countries" (nor all their translations): the
    # loosened query ranks by the words each passage holds, a translation holding for the
    # word it translates; before, only words as typed counted, every score was 0 and the
    # passages came in index order.
    found = sample_library.search("high-income countries", limit=10)
    assert found.partial and all(hit.score > 0 for hit in found.hits)
    assert any("高收入国家" in hit.text for hit in found.hits)


def test_a_translator_asks_the_index_once_per_word_however_often_its_words_are_tried(
    sample_library: Library,
) -> None:
    # A pasted sentence tries each word in several phrases, and its loosened form is translated again.
    asked: Counter[str] = Counter()
    query = parse_query("women and girls in developing countries bridge the digital divide for women")

    def expand_twice(ix: Index) -> tuple[ParsedQuery, ParsedQuery]:
        with open_view(ix) as view:

            def frequency(word: str) -> int:
                asked[word] += 1
                return view.doc_frequency(schema.WORDS, word)

            is_word = lambda word: view.has_term(schema.WORDS, word)  # noqa: E731
            words = translate.Translator(
                [translate.from_dictionary], translate.held_frequency(is_word, frequency), view.doc_count_all
            )
            return words.expand(query), words.expand(query)

    first, again = store.read_index(sample_library.index_dir, expand_twice)

    assert first == again
    assert {c.text for c in first.clauses if c.source == translate.DICTIONARY} >= {"妇女", "发展中国家"}
    assert asked and max(asked.values()) == 1
