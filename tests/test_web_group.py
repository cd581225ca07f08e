"""Passages in their documents on the search page and in the API (``group``), through the ASGI app."""

from __future__ import annotations

import html
import json
import re

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from itudocs.cli import cli
from itudocs.search.library import Library
from itudocs.web import create_app

# A pasted question: six words as typed once function words are set aside, answered in three documents.
QUESTION = "how can the digital divide be bridged in least developed countries"
_LINK = re.compile(r'<a class="title" href="/passage/([^"]+)"')


@pytest.fixture(scope="module")
def client(sample_library: Library) -> TestClient:
    return TestClient(create_app(sample_library.index_dir), base_url="http://127.0.0.1")


def listed(page: str) -> list[str]:
    """The hit ids the page cites, in page order."""
    return [html.unescape(hit_id).replace("%3A", ":") for hit_id in _LINK.findall(page)]


def folded(page: str) -> list[list[str]]:
    """The hit ids inside each folded ``<details>``, in page order."""
    return [listed(block) for block in re.findall(r'<details class="more">(.*?)</details>', page, re.S)]


def test_a_long_query_lists_each_documents_best_passage_with_the_others_folded_under_it(
    client: TestClient, sample_library: Library
) -> None:
    result = sample_library.search(QUESTION)
    documents = result.documents
    page = client.get("/", params={"q": QUESTION})

    assert page.status_code == 200
    assert len(documents) > 1 and any(doc.more for doc in documents)
    # Each document once, at its best passage's rank; its other passages follow it, folded.
    assert listed(page.text) == [hit.id for doc in documents for hit in (doc.best, *doc.more)]
    assert folded(page.text) == [[hit.id for hit in doc.more] for doc in documents if doc.more]
    assert '<ol class="hits documents">' in page.text
    assert "list every passage in its place" in page.text


def test_a_long_query_asked_by_passage_and_a_short_one_list_every_hit_in_rank_order(
    client: TestClient, sample_library: Library
) -> None:
    by_passage = client.get("/", params={"q": QUESTION, "group": "passage"})
    short = client.get("/", params={"q": "ITU"})

    assert listed(by_passage.text) == [hit.id for hit in sample_library.search(QUESTION).hits]
    assert listed(short.text) == [hit.id for hit in sample_library.search("ITU").hits]
    assert folded(by_passage.text) == [] and folded(short.text) == []
    assert "Group by document" in short.text


def test_a_short_query_asked_by_document_is_grouped(client: TestClient, sample_library: Library) -> None:
    documents = sample_library.search("ITU").documents
    page = client.get("/", params={"q": "ITU", "group": "doc"})

    assert listed(page.text) == [hit.id for doc in documents for hit in (doc.best, *doc.more)]
    assert len(folded(page.text)) == sum(1 for doc in documents if doc.more) > 0


def test_the_api_groups_as_the_cli_does_and_only_when_asked(client: TestClient, sample_library: Library) -> None:
    grouped = client.get("/api/search", params={"q": QUESTION, "group": "doc"})
    plain = client.get("/api/search", params={"q": QUESTION})
    index = str(sample_library.index_dir)
    args = ["search", "--index", index, QUESTION, "--group", "doc", "--paths", "relative", "--format", "json"]
    printed = CliRunner().invoke(cli, args)

    assert grouped.status_code == 200
    assert grouped.text == printed.stdout
    ids = [hit["id"] for hit in json.loads(grouped.text)["hits"]]
    assert ids != [hit["id"] for hit in plain.json()["hits"]]
    assert sorted(ids) == sorted(hit["id"] for hit in plain.json()["hits"])


def test_the_grouped_pages_export_links_work(client: TestClient) -> None:
    page = client.get("/", params={"q": "ITU", "group": "doc", "sort": "score"})
    [link] = re.findall(r'href="(/api/export[^"]*format=csv[^"]*)"', page.text)

    exported = client.get(html.unescape(link))

    assert exported.status_code == 200, exported.text
    assert "group=" not in link


def test_a_bad_group_is_refused_with_the_clis_message(client: TestClient) -> None:
    answer = client.get("/api/search", params={"q": "ITU", "group": "page"})

    assert answer.status_code == 400
    assert answer.json()["error"].startswith("Invalid value for '--group'")


def test_the_search_page_takes_its_hits_and_its_documents_from_one_commit(tmp_path, monkeypatch) -> None:
    # A commit lands while the page's search runs: the form's documents must still be the
    # ones the hits were found among, not the next commit's (as two reads would give).
    from itudocs.search import searcher

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("目的\n1\t国际电联的数字鸿沟工作。\n", encoding="utf-8")
    library = Library(tmp_path / "index")
    library.index(docs)
    run_search = searcher.run_search

    def search_while_indexing(*args, **kwargs):
        (docs / "b.txt").write_text("目的\n1\t国际电联的新工作。\n", encoding="utf-8")
        library.index(docs)
        return run_search(*args, **kwargs)

    monkeypatch.setattr(searcher, "run_search", search_while_indexing)
    result, listed = library.search_with_docs("国际电联")
    assert [hit.citation.doc_id for hit in result.hits] == ["a"]
    assert [doc.doc_id for doc in listed] == ["a"]
    assert [doc.doc_id for doc in library.docs()] == ["a", "b"]
