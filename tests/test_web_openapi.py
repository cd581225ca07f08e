"""The OpenAPI document against the API it describes, with Schemathesis.

Schemathesis reads ``/api/openapi.json`` and asks every operation with parameters drawn
from their schemas (positive mode: values the schema allows), then checks each answer:
no server error, a status the document lists, the media type it lists for that status,
and a body that fits its schema.  A value the schema allows may still name nothing (an
unknown ``doc``, a query of punctuation only): those get the documented 400 with the
CLI's message, as on the command line, so the check that every allowed value gets a 2xx
(``positive_data_acceptance``) is not one of these.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from starlette.applications import Starlette
from starlette.testclient import TestClient

from itudocs.search.library import Library
from itudocs.web import create_app
from itudocs.web.app import openapi

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


# The document is written from the parameter tables, with no index; the app answers from the sample's.
schema = schemathesis.openapi.from_dict(openapi())
schema.config.generation.update(modes=[schemathesis.GenerationMode.POSITIVE])


@pytest.fixture(scope="module")
def app(sample_library: Library) -> Starlette:
    # Schemathesis addresses its requests to "testserver"; the host check has tests of its own.
    return create_app(sample_library.index_dir, hosts=None)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_answer_fits_the_openapi_document(app: Starlette, case) -> None:
    case.call_and_validate(app=app, checks=CHECKS)


def test_every_200_answer_has_its_media_type_and_schema_in_the_document() -> None:
    for path, item in openapi()["paths"].items():  # type: ignore[union-attr]
        content = item["get"]["responses"]["200"].get("content", {})
        assert content, path
        assert all(media.get("schema") for media in content.values()), path
    exports = openapi()["paths"]["/api/export"]["get"]["responses"]["200"]["content"]  # type: ignore[index]
    assert set(exports) == {
        "text/csv",
        "application/json",
        "application/x-ndjson",
        "text/markdown",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }


def test_an_empty_query_is_missing_as_the_schema_says(app: Starlette) -> None:
    [q] = [p for p in openapi()["paths"]["/api/search"]["get"]["parameters"] if p["name"] == "q"]  # type: ignore[index]
    response = TestClient(app).get("/api/search", params={"q": ""})

    assert q["required"] and q["schema"]["minLength"] == 1
    assert (response.status_code, response.json()) == (400, {"error": "Missing argument 'QUERY...'."})
