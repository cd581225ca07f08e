"""The web API and pages through Starlette's test client, against the CLI on the same index."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import socket
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from itudocs.cli import cli
from itudocs.corpus.loader import sample_folder
from itudocs.search.export import CSV_FIELDS
from itudocs.search.library import Library
from itudocs.web import create_app
from itudocs.web.app import marked
from itudocs.web.params import EXPORT, FILTERS, MAX_CHARS, MAX_CONTEXT, MAX_LIMIT, MAX_VALUES, SEARCH

FIXTURES = Path(__file__).parent / "fixtures"
LONG_QUERY = " ".join(f"w{n}" for n in range(401))


@pytest.fixture(scope="module")
def client(sample_library: Library) -> TestClient:
    return TestClient(create_app(sample_library.index_dir), base_url="http://127.0.0.1")


@pytest.fixture(scope="module")
def caller_id(sample_library: Library) -> str:
    """The id of the paragraph of 003 that calls footnote 2 (ids are the index's to choose)."""
    [hit] = sample_library.search("共进行了120场发言").hits
    assert hit.footnotes == (2,)
    return hit.id


def cli_run(library: Library, command: str, *args: str):
    return CliRunner().invoke(cli, [command, "--index", str(library.index_dir), *args])


@pytest.mark.parametrize(
    ("verb", "params", "args"),
    [
        ("search", {"q": "第140号决议", "all": "1"}, ["search", "第140号决议", "--all"]),
        (
            "search",
            {"q": "数字鸿沟", "doc": "003", "kind": "paragraph", "limit": "3"},
            ["search", "数字鸿沟", "--doc", "003", "--kind", "paragraph", "-n", "3"],
        ),
        ("search", {"q": "ITU", "no_expand": "1", "explain": "1"}, ["search", "ITU", "--no-expand", "--explain"]),
        ("search", {"q": "国际电联", "section": "参考文件", "cites": "Resolution 140"},
         ["search", "国际电联", "--section", "参考文件", "--cites", "Resolution 140"]),
        ("count", {"q": "国际电联"}, ["search", "国际电联", "--count"]),
        ("count", {"q": "国际电联", "kind": "paragraph", "by": "doc"},
         ["search", "国际电联", "--count", "--by", "doc", "--kind", "paragraph"]),
        ("show", {"id": "003:fn2"}, ["show", "003:fn2"]),
        ("show", {"id": "{hit}", "context": "2"}, ["show", "{hit}", "-C", "2"]),
        ("refs", {"doc": "003"}, ["refs", "--doc", "003"]),
        ("refs", {"q": "Resolution 140"}, ["refs", "Resolution 140"]),
        ("glossary", {"term": "ITU"}, ["glossary", "ITU"]),
        ("glossary", {}, ["glossary"]),
        ("docs", {}, ["docs"]),
    ],
)  # fmt: skip
def test_every_verb_answers_exactly_what_the_cli_prints_as_json(
    client: TestClient, sample_library: Library, caller_id: str, verb: str, params: dict, args: list[str]
) -> None:
    response = client.get(f"/api/{verb}", params={k: v.replace("{hit}", caller_id) for k, v in params.items()})
    # The API gives files from the folder indexed; the CLI does when asked.
    relative = ("--paths", "relative") if args[0] in ("search", "show", "docs") and "--count" not in args else ()
    printed = cli_run(sample_library, *(arg.replace("{hit}", caller_id) for arg in args), *relative, "--format", "json")

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert printed.exit_code == 0, printed.stderr
    assert response.text == printed.stdout
    assert json.loads(response.text)  # a real answer, not an empty list


def test_search_json_carries_the_nine_cited_passages(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "第140号决议"}).json()

    assert (body["total"], len(body["hits"]), body["partial"]) == (9, 9, False)
    assert {hit["doc"][:3] for hit in body["hits"]} == {"000", "001", "003", "004"}
    assert all(hit["refs"] == ["PP-RES-140"] for hit in body["hits"])


def cli_error(library: Library, *args: str) -> str:
    """The one line the CLI prints for a bad request, without its ``Error:``/``itudocs:`` prefix."""
    result = cli_run(library, *args)
    assert result.exit_code == 2, result.stdout
    assert "Traceback" not in result.stderr
    line = result.stderr.strip().splitlines()[-1]
    return line.removeprefix("Error: ").removeprefix("itudocs: ")


@pytest.mark.parametrize(
    ("path", "params", "args"),
    [
        ("/api/search", {"q": "数字鸿沟", "kind": "chapter"}, ["search", "数字鸿沟", "--kind", "chapter"]),
        ("/api/search", {"q": "数字鸿沟", "limit": "0"}, ["search", "数字鸿沟", "--limit", "0"]),
        ("/api/search", {"q": "数字鸿沟", "limit": "ten"}, ["search", "数字鸿沟", "-n", "ten"]),
        ("/api/search", {"q": "数字鸿沟", "doc": "999"}, ["search", "数字鸿沟", "--doc", "999"]),
        ("/api/search", {"q": "数字鸿沟", "section": "——"}, ["search", "数字鸿沟", "--section", "——"]),
        ("/api/search", {"q": "，，，"}, ["search", "，，，"]),
        ("/api/search", {"q": "-数字鸿沟"}, ["search", "--", "-数字鸿沟"]),
        ("/api/search", {"q": LONG_QUERY}, ["search", LONG_QUERY]),
        ("/api/search", {"q": "数字" * 2001}, ["search", "数字" * 2001]),
        ("/api/search", {}, ["search"]),
        ("/api/count", {"q": "数字鸿沟", "by": "section"}, ["search", "数字鸿沟", "--count", "--by", "section"]),
        ("/api/show", {"id": "003"}, ["show", "003"]),
        ("/api/show", {"id": "003:999"}, ["show", "003:999"]),
        ("/api/show", {"id": "0:1"}, ["show", "0:1"]),
        ("/api/show", {"id": "003:1", "context": "-1"}, ["show", "003:1", "-C", "-1"]),
        ("/api/refs", {"doc": "999"}, ["refs", "--doc", "999"]),
        ("/api/export", {"q": "数字鸿沟", "format": "pdf"}, ["export", "数字鸿沟", "-o", "hits.out", "-f", "pdf"]),
    ],
)
def test_a_bad_request_gets_400_with_the_clis_one_line_message(
    client: TestClient, sample_library: Library, path: str, params: dict, args: list[str]
) -> None:
    response = client.get(path, params=params)

    assert response.status_code == 400
    assert response.json() == {"error": cli_error(sample_library, *args)}


def test_an_unknown_or_repeated_single_parameter_is_refused(client: TestClient) -> None:
    unknown = client.get("/api/search", params={"q": "数字鸿沟", "colour": "red"})
    repeated = client.get("/api/search", params=[("q", "数字鸿沟"), ("lang", "zh"), ("lang", "en")])

    assert (unknown.status_code, unknown.json()) == (400, {"error": "No such parameter: colour"})
    assert (repeated.status_code, repeated.json()) == (400, {"error": "Option '--lang' does not take multiple values."})


def test_repeated_filters_are_alternatives_as_on_the_command_line(client: TestClient, sample_library) -> None:
    both = client.get(
        "/api/search", params=[("q", "国际电联"), ("kind", "Heading"), ("kind", "footnote"), ("all", "1")]
    )
    assert both.status_code == 200
    kinds = {hit["kind"] for hit in both.json()["hits"]}
    assert kinds == {"heading", "footnote"}
    heading = client.get("/api/search", params={"q": "国际电联", "kind": "heading", "all": "1"}).json()["total"]
    footnote = client.get("/api/search", params={"q": "国际电联", "kind": "footnote", "all": "1"}).json()["total"]
    assert both.json()["total"] == heading + footnote


def test_pages_show_a_bad_request_as_one_line_never_a_traceback(client: TestClient) -> None:
    search = client.get("/", params={"q": "数字鸿沟", "kind": "chapter"})
    passage = client.get("/passage/003:999")

    assert search.status_code == passage.status_code == 400
    assert '<p class="error" role="alert">Invalid value for &#39;--kind&#39;: &#39;chapter&#39;' in search.text
    assert "no passage &#39;003:999&#39; in the index" in passage.text
    assert "Traceback" not in search.text + passage.text


def test_an_unexpected_failure_is_a_500_with_one_line(sample_library: Library, monkeypatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(Library, "docs", broken)
    response = TestClient(
        create_app(sample_library.index_dir), base_url="http://127.0.0.1", raise_server_exceptions=False
    ).get("/api/docs")

    assert response.status_code == 500
    assert response.text == "itudocs: internal error; the server's log has the details\n"


def test_export_downloads_what_itudocs_export_writes(
    client: TestClient, sample_library: Library, tmp_path: Path
) -> None:
    response = client.get("/api/export", params={"q": "第140号决议", "format": "csv"})
    written = tmp_path / "hits.csv"
    assert cli_run(sample_library, "export", "第140号决议", "-o", str(written), "--paths", "relative").exit_code == 0

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith('attachment; filename="itudocs-export.csv"')
    assert response.content.startswith("\ufeff".encode())
    served = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    expected = list(csv.DictReader(io.StringIO(written.read_text(encoding="utf-8-sig"))))
    assert list(served[0]) == [*CSV_FIELDS, "partial", "query", "exported_at", "index"]
    assert len(served) == 9
    for row in (*served, *expected):
        row.pop("exported_at")  # the moment each file was made
    assert served == expected


@pytest.mark.parametrize("fmt", ["json", "jsonl", "md"])
def test_export_writes_every_format_with_the_filters(client: TestClient, fmt: str) -> None:
    response = client.get("/api/export", params={"q": "第140号决议", "doc": "003", "format": fmt})

    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert text.count("003_039c71ca7392b1ab") >= 3
    assert "001_edffbce1161b23ec" not in text


def test_the_search_page_lists_the_hits_with_citations_and_export_links(client: TestClient) -> None:
    page = client.get("/", params={"q": "第140号决议"})

    assert page.status_code == 200
    assert page.text.count('<li class="hit">') == 9
    assert "<strong>9</strong> passages" in page.text
    assert "cites PP-RES-140" in page.text
    assert "<mark>全权代表大会（PP）第140号决议（2014年，釜山）</mark>" in page.text
    assert 'href="/api/export?q=%E7%AC%AC140%E5%8F%B7%E5%86%B3%E8%AE%AE&amp;format=csv"' in page.text
    assert float(page.headers["server-timing"].removeprefix("search;dur=")) > 0


def test_the_passage_page_shows_neighbours_footnotes_and_the_caller(client: TestClient, caller_id: str) -> None:
    paragraph = client.get(f"/passage/{caller_id}")
    footnote = client.get("/passage/003:fn2")

    assert paragraph.status_code == footnote.status_code == 200
    assert "共进行了120场发言" in paragraph.text
    assert '<section class="footnotes"' in paragraph.text and "12月16日所作发言内容" in paragraph.text
    assert paragraph.text.count('<ol class="context') == 2
    assert "<h2>Called from</h2>" in footnote.text and "共进行了120场发言" in footnote.text


def test_the_passage_page_sets_the_other_language_version_beside_it(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(sample_folder() / "003_039c71ca7392b1ab.txt", folder)
    shutil.copy(FIXTURES / "C26-31-E.txt", folder)
    (folder / "parallel.tsv").write_text("003_039c71ca7392b1ab.txt\tC26-31-E.txt\n", encoding="utf-8")
    library = Library(tmp_path / "index")
    library.index(folder)

    [paragraph_67] = library.search("an internal task force", doc="C26-31-E").hits
    page = TestClient(create_app(library.index_dir), base_url="http://127.0.0.1").get(f"/passage/{paragraph_67.id}")

    assert page.status_code == 200
    assert '<div class="versions two">' in page.text
    assert "<h2>中文 version, ¶ 67</h2>" in page.text
    assert '<div class="focus" lang="zh-Hans">我们邀请国际电信联盟' in page.text


def test_references_glossary_documents_and_api_pages(client: TestClient) -> None:
    refs = client.get("/refs", params={"doc": "003"})
    glossary = client.get("/glossary", params={"term": "ITU"})
    docs = client.get("/docs")
    api = client.get("/api")

    assert 'href="/?q=PP-RES-140&amp;all=1">PP-RES-140</a>' in refs.text
    assert ">国际电联</a>" in glossary.text and ">国际电信联盟</a>" in glossary.text
    assert docs.text.count('<span class="id">') == 5
    assert all(f"<code>GET /api/{verb}</code>" in api.text for verb in ("search", "show", "refs", "export"))


def test_openapi_describes_every_verb_from_the_parameter_tables(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()

    verbs = ("search", "count", "show", "refs", "glossary", "docs", "export")
    assert set(spec["paths"]) == {f"/api/{v}" for v in verbs}
    search = spec["paths"]["/api/search"]["get"]["parameters"]
    assert [p["name"] for p in search] == [p.name for p in SEARCH]
    kind = next(p for p in search if p["name"] == "kind")
    assert kind["schema"] == {
        "type": "array",
        "items": {"type": "string", "enum": ["paragraph", "heading", "footnote", "figure"]},
        "maxItems": MAX_VALUES,
    }
    assert [p["name"] for p in spec["paths"]["/api/export"]["get"]["parameters"]] == [p.name for p in EXPORT]


def test_every_filter_is_passed_to_the_library(client: TestClient) -> None:
    # Each filter in the table changes the answer, so none is dropped on the way.
    everything = client.get("/api/search", params={"q": "国际电联", "all": "1"}).json()["total"]
    narrowed = {
        "doc": "003",
        "section": "参考文件",
        "kind": "heading",
        "lang": "en",
        "cites": "Resolution 140",
        "no_expand": "1",
        "from": "2025",
        "to": "2023",
        "meeting": "C26",
    }
    for param in FILTERS:
        total = client.get("/api/search", params={"q": "国际电联", "all": "1", param.name: narrowed[param.name]})
        assert total.json()["total"] != everything, param.name


def test_document_text_and_queries_are_escaped_everywhere(write_corpus) -> None:
    folder = write_corpus({"xss.txt": "Script test\n<script>alert(1)</script> 数字鸿沟 <b onmouseover=x>bold</b>\n"})
    library = Library(folder.parent / "index")
    library.index(folder)
    client = TestClient(create_app(library.index_dir), base_url="http://127.0.0.1")

    hits = client.get("/", params={"q": "script 数字鸿沟"})
    typed = client.get("/", params={"q": "<script>alert(1)</script>"})
    [hit] = client.get("/api/search", params={"q": "数字鸿沟"}).json()["hits"]
    passage = client.get(f"/passage/{hit['id']}")

    for page in (hits, typed, passage):
        assert "<script>alert" not in page.text and "<b onmouseover" not in page.text
    assert "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt; <mark>数字鸿沟</mark>" in hits.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in typed.text
    assert "&lt;b onmouseover=x&gt;bold&lt;/b&gt;" in passage.text


def test_marked_escapes_text_and_keeps_spans_where_control_characters_stand() -> None:
    assert marked("a\x00<b>\x01c", ((2, 5),)) == "a\ufffd<mark>&lt;b&gt;</mark>\ufffdc"


def test_the_server_picks_up_a_new_commit_of_the_index(tmp_path: Path) -> None:
    library = Library(tmp_path / "index")
    library.index(sample_folder())
    client = TestClient(create_app(library.index_dir), base_url="http://127.0.0.1")
    # As typed only: translated, the words find the sample's Chinese heading 全体会议声明概述.
    typed = {"q": "plenary statements", "no_expand": "true"}
    assert client.get("/api/search", params=typed).json()["total"] == 0

    library.index(FIXTURES)

    # The heading, and the footnote under it that holds "Statement" (its headings give "plenary").
    assert client.get("/api/search", params=typed).json()["total"] == 2


def test_requests_reach_no_file_but_the_index_and_the_shipped_assets(client: TestClient) -> None:
    assert client.get("/static/style.css").status_code == 200
    for path in ("/static/..%2fapp.py", "/static/%2e%2e/params.py", "/static/../../pyproject.toml", "/static/app"):
        assert client.get(path).status_code == 404, path


def test_responses_forbid_foreign_scripts_and_foreign_host_names(client: TestClient) -> None:
    page = client.get("/")
    rebound = client.get("/", headers={"host": "attacker.example"})

    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert page.headers["x-content-type-options"] == "nosniff"
    assert (rebound.status_code, rebound.text) == (400, "itudocs: this server answers only on this machine\n")
    for local in ("localhost:8765", "[::1]:8765", "127.0.0.1"):
        assert client.get("/", headers={"host": local}).status_code == 200, local


def test_serve_says_in_one_line_when_the_port_is_taken(sample_library: Library) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = cli_run(sample_library, "serve", "--port", str(port))

    assert result.exit_code == 2
    assert result.stderr == f"itudocs: cannot listen on 127.0.0.1:{port}: Address already in use\n"


HUGE = "12729176208016482304"


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        ("/api/show", {"id": "003:fn2", "context": HUGE}, f"'-C' / '--context': {HUGE} is more than the {MAX_CONTEXT}"),
        ("/passage/003:fn2", {"context": str(MAX_CONTEXT + 1)}, f"'-C' / '--context': {MAX_CONTEXT + 1} is more"),
        ("/api/search", {"q": "ITU", "limit": HUGE}, f"'-n' / '--limit': {HUGE} is more than the {MAX_LIMIT}"),
        ("/", {"q": "ITU", "limit": str(MAX_LIMIT + 1)}, f"'-n' / '--limit': {MAX_LIMIT + 1} is more"),
        ("/api/search", {"q": "ITU", "doc": "0" * (MAX_CHARS + 1)}, f"'--doc': {MAX_CHARS + 1} characters; at most"),
        ("/api/glossary", {"term": "国" * (MAX_CHARS + 1)}, f"'TERM': {MAX_CHARS + 1} characters; at most"),
        ("/api/count", [("q", "ITU"), *[("section", f"s{n}") for n in range(MAX_VALUES + 1)]],
         f"Option '--section' is given {MAX_VALUES + 1} times; at most {MAX_VALUES} are taken."),
    ],
)  # fmt: skip
def test_a_request_asking_for_unbounded_work_is_refused_naming_the_parameter(
    client: TestClient, path: str, params: dict | list, message: str
) -> None:
    response = client.get(path, params=params)

    assert response.status_code == 400
    assert message in (response.json()["error"] if path.startswith("/api/") else html.unescape(response.text))


def test_the_largest_context_and_limit_are_answered(client: TestClient, caller_id: str) -> None:
    shown = client.get("/api/show", params={"id": caller_id, "context": str(MAX_CONTEXT)})
    found = client.get("/api/search", params={"q": "ITU", "limit": str(MAX_LIMIT)})

    assert shown.status_code == found.status_code == 200
    assert len(shown.json()["before"]) + len(shown.json()["after"]) > 1
    assert len(found.json()["hits"]) == found.json()["total"] > 10


def test_show_with_a_context_past_the_document_ends_and_gives_the_whole_document(
    sample_library: Library, caller_id: str
) -> None:
    # The neighbours were found by counting positions one by one: a context of 10^19 never returned.
    answers: list[object] = []
    asked = threading.Thread(target=lambda: answers.append(sample_library.show(caller_id, context=int(HUGE))))
    asked.daemon = True
    asked.start()
    asked.join(timeout=30)

    whole = sample_library.show(caller_id, context=10_000)
    [document] = [info for info in sample_library.docs() if caller_id.startswith(info.doc_id)]
    assert answers == [whole]
    assert len(whole.before) + 1 + len(whole.after) == document.passages  # all of 003 but its footnotes


PARTIAL = "数字鸿沟 zqxnowhere"


def test_a_partial_result_is_exported_only_when_asked_for(client: TestClient) -> None:
    refused = client.get("/api/export", params={"q": PARTIAL, "format": "csv"})
    asked = client.get("/api/export", params={"q": PARTIAL, "format": "csv", "partial": "1"})

    assert refused.status_code == 400 and "no passage holds every word" in refused.json()["error"]
    assert asked.status_code == 200
    rows = list(csv.DictReader(io.StringIO(asked.content.decode("utf-8-sig"))))
    assert len(rows) > 1 and all(row["partial"] == "true" for row in rows)


def test_the_page_offers_a_partial_result_for_export_as_a_choice_that_works(client: TestClient) -> None:
    page = client.get("/", params={"q": PARTIAL})
    links = [html.unescape(link) for link in re.findall(r'class="button" href="([^"]+)" download', page.text)]

    assert "Export these partial hits anyway, marked partial:" in page.text
    assert len(links) == 5 and all("partial=1" in link for link in links)
    assert all(client.get(link).status_code == 200 for link in links)


def test_jsonl_exports_are_served_as_ndjson(client: TestClient) -> None:
    response = client.get("/api/export", params={"q": "第140号决议", "format": "jsonl"})

    assert response.headers["content-type"] == "application/x-ndjson"
    assert len(response.text.splitlines()) == 9
