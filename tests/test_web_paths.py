"""Files in the API's answers and the page: from the folder indexed unless paths=absolute."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from starlette.testclient import TestClient

from itudocs.corpus.loader import sample_folder
from itudocs.search.library import Library
from itudocs.search.paths import PATH_FORMS
from itudocs.web import create_app
from itudocs.web.app import openapi

# Sample documents by where they are put: below a folder indexed, in a folder of it, and a file indexed by itself.
IN_FOLDER = "004_49a4dae65611311e.txt"
IN_SUBFOLDER = "003_039c71ca7392b1ab.txt"
ALONE = "000_1ec08987ad33214d.txt"
QUERY = "第140号决议"  # cited in all three


@pytest.fixture(scope="module")
def disk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the files and the index sit: a path no answer given relative may show."""
    root = tmp_path_factory.mktemp("server-disk")
    (root / "corpus" / "docs").mkdir(parents=True)
    (root / "single").mkdir()
    shutil.copy(sample_folder() / IN_FOLDER, root / "corpus" / IN_FOLDER)
    shutil.copy(sample_folder() / IN_SUBFOLDER, root / "corpus" / "docs" / IN_SUBFOLDER)
    shutil.copy(sample_folder() / ALONE, root / "single" / ALONE)
    Library(root / "index").index(root / "corpus", root / "single" / ALONE)
    return root


@pytest.fixture(scope="module")
def client(disk: Path) -> TestClient:
    return TestClient(create_app(disk / "index"), base_url="http://127.0.0.1")


def relative(disk: Path) -> dict[str, str]:
    """doc id prefix → the file as a relative answer gives it."""
    return {"004": IN_FOLDER, "003": f"docs/{IN_SUBFOLDER}", "000": ALONE}


def absolute(disk: Path) -> dict[str, str]:
    return {
        "004": str(disk / "corpus" / IN_FOLDER),
        "003": str(disk / "corpus" / "docs" / IN_SUBFOLDER),
        "000": str(disk / "single" / ALONE),
    }


def number(doc_id: str) -> str:
    """The sample document's number: its id is ``docs/003_…`` in the folder ``docs``."""
    return doc_id.rsplit("/", 1)[-1][:3]


def files_of(hits: list[dict]) -> dict[str, str]:
    return {number(hit["doc"]): hit["file"] for hit in hits}


def test_search_answers_give_files_from_the_folder_indexed(client: TestClient, disk: Path) -> None:
    response = client.get("/api/search", params={"q": QUERY, "all": "1"})

    assert response.status_code == 200, response.text
    assert files_of(response.json()["hits"]) == relative(disk)
    assert str(disk) not in response.text


def test_paths_absolute_gives_the_full_path_on_the_server(client: TestClient, disk: Path) -> None:
    body = client.get("/api/search", params={"q": QUERY, "all": "1", "paths": "absolute"}).json()

    assert files_of(body["hits"]) == absolute(disk)
    assert all(Path(hit["file"]).is_file() for hit in body["hits"])


def test_show_and_docs_give_files_the_same_way(client: TestClient, disk: Path) -> None:
    [hit] = client.get("/api/search", params={"q": QUERY, "doc": "003", "limit": "1"}).json()["hits"]
    shown = client.get("/api/show", params={"id": hit["id"]})
    listed = client.get("/api/docs")
    listed_absolute = client.get("/api/docs", params={"paths": "absolute"}).json()

    assert shown.json()["hit"]["file"] == f"docs/{IN_SUBFOLDER}"
    assert {h["file"] for h in shown.json()["after"]} == {f"docs/{IN_SUBFOLDER}"}
    assert client.get("/api/show", params={"id": hit["id"], "paths": "absolute"}).json()["hit"]["file"] == str(
        disk / "corpus" / "docs" / IN_SUBFOLDER
    )
    assert {number(d["doc"]): d["file"] for d in listed.json()} == relative(disk)
    assert {number(d["doc"]): d["file"] for d in listed_absolute} == absolute(disk)
    assert str(disk) not in shown.text + listed.text


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl", "md"])
def test_exports_served_give_files_from_the_folder_indexed(client: TestClient, disk: Path, fmt: str) -> None:
    response = client.get("/api/export", params={"q": QUERY, "format": fmt})

    assert response.status_code == 200, response.text
    text = response.content.decode("utf-8-sig")
    assert str(disk) not in text
    if fmt == "csv":
        assert {row["file"] for row in csv.DictReader(io.StringIO(text))} == set(relative(disk).values())
    elif fmt == "jsonl":
        assert files_of([json.loads(line) for line in text.splitlines()]) == relative(disk)
    elif fmt == "json":
        assert files_of(json.loads(text)["hits"]) == relative(disk)
    else:  # Markdown cites each passage by its file's name
        assert f"{IN_SUBFOLDER}:" in text


def test_an_exported_workbook_still_links_each_file(client: TestClient, disk: Path) -> None:
    response = client.get("/api/export", params={"q": QUERY, "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["hits"]
    header = [cell.value for cell in sheet[1]]
    body = list(sheet.iter_rows(min_row=2))

    shown = {number(row[header.index("doc")].value): row[header.index("file")].value for row in body}
    links = {number(row[header.index("doc")].value): row[header.index("url")].value for row in body}
    assert shown == relative(disk)
    # The link opens the file on the machine that made the workbook, whatever the column shows.
    assert links == {doc: Path(path).as_uri() for doc, path in absolute(disk).items()}


def test_the_docs_page_shows_files_from_the_folder_indexed(client: TestClient, disk: Path) -> None:
    page = client.get("/docs")
    page_absolute = client.get("/docs", params={"paths": "absolute"})

    assert page.status_code == 200
    assert f"docs/{IN_SUBFOLDER}" in page.text and str(disk) not in page.text
    assert str(disk / "corpus" / "docs" / IN_SUBFOLDER) in page_absolute.text


def test_an_unknown_form_of_paths_is_refused(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": QUERY, "paths": "full"})

    assert response.status_code == 400
    assert response.json()["error"].startswith("Invalid value for '--paths': 'full' is not one of")


def test_the_openapi_document_declares_paths_wherever_files_are_answered() -> None:
    declared = {
        path: next(p for p in item["get"]["parameters"] if p["name"] == "paths")  # type: ignore[index]
        for path, item in openapi()["paths"].items()  # type: ignore[union-attr]
        if any(p["name"] == "paths" for p in item["get"]["parameters"])  # type: ignore[index]
    }

    assert set(declared) == {"/api/search", "/api/show", "/api/docs", "/api/export"}
    assert all(
        p["schema"] == {"type": "string", "enum": list(PATH_FORMS), "default": "relative"} for p in declared.values()
    )
