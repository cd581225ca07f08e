"""The local search page and its JSON API: a skin over ``Library``, as ``cli.py`` is.

The API answers with the writers the CLI's ``--format json`` uses, so it returns
byte for byte what the CLI prints for the same query.  No request names a file:
templates and assets are package data read once, exports are written to a fresh
temporary folder, and the only folder read on request is the index.
"""

from __future__ import annotations

import io
import logging
import mimetypes
import tempfile
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from time import perf_counter
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple, Protocol, TypedDict
from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from itudocs.corpus.errors import Problem
from itudocs.search.export import (
    EXTENSIONS,
    mark,
    render,
    total_text,
    write_count,
    write_documents,
    write_passage,
    write_references,
    write_terms,
)
from itudocs.search.library import Library
from itudocs.search.query import MAX_QUERY_CHARS
from itudocs.search.results import DocumentInfo, PassageView, SearchResult
from itudocs.web.params import (
    COUNT,
    DOCS,
    EXPORT,
    EXPORT_FORMATS,
    FILTERS,
    GLOSSARY,
    REFS,
    SEARCH,
    SHOW,
    Param,
    number,
    read_params,
    text,
)
from itudocs.web.schemas import ANSWERS
from itudocs.web.workers import LibraryWorkers, ServerStopping

if TYPE_CHECKING:
    import os

    from itudocs.corpus.termbase import Term
    from itudocs.search.refs import CitedReference

HEADERS = {
    # Nothing is loaded from anywhere but this server, and no inline script runs.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
_SENTINELS = str.maketrans({"\x00": "\ufffd", "\x01": "\ufffd"})
log = logging.getLogger("itudocs.web")
# A query of this many words as typed (function words aside) is a sentence or a title,
# whose answer is often a document: the page shows its hits by document.
LONG_QUERY = 5


class Verbs(Protocol):
    """What the site asks of the index: a ``Library``, or ``LibraryWorkers`` answering as one."""

    def search(self, query: str, *, limit: int | None = 10, **filters: Any) -> SearchResult: ...
    def search_with_docs(
        self, query: str, *, limit: int | None = 10, **filters: Any
    ) -> tuple[SearchResult, list[DocumentInfo]]: ...
    def count(self, query: str, *, by_doc: bool = False, **filters: Any) -> int | dict[str, int]: ...
    def show(self, hit_id: str, *, context: int = 1, paths: str = ...) -> PassageView: ...
    def refs(self, query: str | None = None, *, doc: str | None = None) -> list[CitedReference]: ...
    def glossary(self, term: str | None = None) -> list[Term]: ...
    def docs(self, *, paths: str = ...) -> list[DocumentInfo]: ...
    def export(
        self,
        query: str,
        path: str | os.PathLike[str] | BinaryIO,
        *,
        fmt: str | None = None,
        partial: bool = False,
        paths: str = ...,
        **filters: Any,
    ) -> SearchResult: ...


class SearchShown(TypedDict):
    """What the search page draws besides the form.

    by_document: the hits are drawn as ``result.documents``: each document's best passage,
    its other passages folded under it.
    """

    result: SearchResult | None
    seconds: float
    explain: bool
    by_document: bool
    docs: list[DocumentInfo]


def marked(text: str, spans: tuple[tuple[int, int], ...], window: tuple[int, int] | None = None) -> Markup:
    """``text`` escaped, with the spans that matched in ``<mark>``: a passage holding markup shows it as text."""
    # Two control characters stand for the tags while the text is escaped; any in the
    # text itself become U+FFFD first, one character for one, so spans still fit.
    raw = mark(text.translate(_SENTINELS), spans, "\x00", "\x01", window=window)
    return Markup(str(escape(raw)).replace("\x00", "<mark>").replace("\x01", "</mark>"))


def _written(write: Callable[[io.StringIO], None]) -> str:
    out = io.StringIO()
    write(out)
    return out.getvalue()


class SearchArgs(NamedTuple):
    """Read ``SEARCH`` parameters: what ``Library.search`` takes, and how its answer is shown."""

    query: str
    limit: int | None
    filters: dict[str, object]  # the Library's other keywords
    explain: bool
    group: str | None  # ``params.GROUPS``, or None: as the verb decides


def _search_args(values: Mapping[str, object]) -> SearchArgs:
    filters = dict(values)
    query, everything, explain, group = (filters.pop(name) for name in ("q", "all", "explain", "group"))
    limit = None if everything else number(filters, "limit")
    del filters["limit"]
    return SearchArgs(str(query), limit, filters, bool(explain), None if group is None else str(group))


def is_long(result: SearchResult) -> bool:
    """Whether a query reads as a sentence or a title (``LONG_QUERY`` words as typed, function words aside)."""
    return sum(not clause.source for clause in result.reading) >= LONG_QUERY


def by_document(result: SearchResult, group: str | None) -> bool:
    """Whether the page lists ``result`` by document: when asked, or for a long query unless asked not to."""
    return group == "doc" or (group is None and is_long(result))


def view_json(library: Verbs, values: dict[str, object]) -> str:
    view = library.show(str(values["id"]), context=number(values, "context"), paths=str(values["paths"]))
    return _written(lambda out: write_passage(view, out, "json"))


def search_json(library: Verbs, values: dict[str, object]) -> str:
    args = _search_args(values)
    result = library.search(args.query, limit=args.limit, **args.filters)
    if args.group == "doc":
        result = result.grouped_by_document()
    return _written(lambda out: render(result, out, "json", explain=args.explain))


def count_json(library: Verbs, values: dict[str, object]) -> str:
    filters = dict(values)
    query, by = str(filters.pop("q")), filters.pop("by")
    counted = library.count(query, by_doc=bool(by), **filters)
    by_doc = counted if isinstance(counted, dict) else None
    total = sum(counted.values()) if isinstance(counted, dict) else counted
    return _written(lambda out: write_count(query, total, by_doc, out, "json"))


# Each API verb: its parameters, what it writes (the CLI's --format json) and what it does.
API: dict[str, tuple[tuple[Param, ...], Callable[[Verbs, dict[str, object]], str], str]] = {
    "search": (SEARCH, search_json, "Cited passages matching a query, best first (as itudocs search -f json)."),
    "count": (COUNT, count_json, "How many passages match, exactly (as itudocs search --count -f json)."),
    "show": (SHOW, view_json, "A passage in context with its footnotes, caller and other-language version."),
    "refs": (
        REFS,
        lambda lib, v: _written(lambda out: write_references(lib.refs(text(v, "q"), doc=text(v, "doc")), out, "json")),
        "Every reference the index cites, with where (as itudocs refs -f json).",
    ),
    "glossary": (
        GLOSSARY,
        lambda lib, v: _written(lambda out: write_terms(lib.glossary(text(v, "term")), out, "json")),
        "The termbase and the terms mined from the documents (as itudocs glossary -f json).",
    ),
    "docs": (
        DOCS,
        lambda lib, v: _written(lambda out: write_documents(lib.docs(paths=str(v["paths"])), out, "json")),
        "Every indexed document (as itudocs docs -f json).",
    ),
}
EXPORT_SUMMARY = "Every hit of a query as a file, as itudocs export writes it."


def openapi() -> dict[str, object]:
    """The API described for other tools, written from the same parameter tables."""
    error = {
        "description": "A bad parameter or query: the CLI's one-line message.",
        "content": {"application/json": {"schema": {"type": "object", "properties": {"error": {"type": "string"}}}}},
    }
    paths: dict[str, object] = {
        f"/api/{verb}": {
            "get": {
                "summary": summary,
                "parameters": [p.openapi() for p in params],
                "responses": {
                    "200": {
                        "description": "The CLI's JSON for the same request.",
                        "content": {"application/json": {"schema": ANSWERS[verb]}},
                    },
                    "400": error,
                },
            }
        }
        for verb, (params, _, summary) in API.items()
    }
    files = {
        media_type(fmt): {"schema": {"type": "object"} if fmt == "json" else {"type": "string"}}
        for fmt in EXPORT_FORMATS
    }
    paths["/api/export"] = {
        "get": {
            "summary": EXPORT_SUMMARY,
            "parameters": [p.openapi() for p in EXPORT],
            "responses": {"200": {"description": "The file, as an attachment.", "content": files}, "400": error},
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "itudocs", "version": "1", "description": "Search ITU Council and UN documents."},
        "paths": paths,
    }


def _extension(fmt: str) -> str:
    return next(ext for ext, name in EXTENSIONS.items() if name == fmt)


def media_type(fmt: str) -> str:
    """The media type an export in ``fmt`` is served as."""
    # JSON Lines has no registered type; x-ndjson is the one tools recognise (mimetypes knows none).
    if fmt == "jsonl":
        return "application/x-ndjson"
    return mimetypes.guess_type(f"export{_extension(fmt)}")[0] or "application/octet-stream"


def _page_query(request: Request, *drop: str) -> dict[str, str]:
    """The request's parameters that were given, less ``drop``: for links that keep the search."""
    return {k: v for k, v in request.query_params.multi_items() if v != "" and k not in drop}


def href(path: str, params: dict[str, object] | None = None, **more: object) -> str:
    """``path`` with the non-empty parameters as its query string."""
    given = {k: v for k, v in {**(params or {}), **more}.items() if v not in (None, "", False)}
    return path + ("?" + urlencode(given) if given else "")


class Site:
    """The routes of one server over one index."""

    def __init__(self, library: Verbs) -> None:
        self.library = library
        self.templates = Environment(
            loader=PackageLoader("itudocs.web", "templates"), autoescape=True, undefined=StrictUndefined
        )
        self.templates.globals.update(
            href=href,
            marked=marked,
            total_text=total_text,
            export_formats=EXPORT_FORMATS,
            filters=FILTERS,
            max_query=MAX_QUERY_CHARS,
        )
        static = resources.files("itudocs.web") / "static"
        self.assets = {item.name: item.read_bytes() for item in static.iterdir() if item.is_file()}

    def routes(self) -> list[Route]:
        return [
            Route("/", self.search_page),
            Route("/passage/{hit_id}", self.passage_page),
            Route("/refs", self.refs_page),
            Route("/glossary", self.glossary_page),
            Route("/docs", self.docs_page),
            Route("/api", self.api_page),
            Route("/api/openapi.json", lambda _: JSONResponse(openapi())),
            Route("/api/export", self.export),
            *(Route(f"/api/{verb}", self.api_verb(verb)) for verb in API),
            Route("/static/{name}", self.asset),
        ]

    # --- the API -------------------------------------------------------------------

    def api_verb(self, verb: str) -> Callable[[Request], Response]:
        params, answer, _ = API[verb]

        def endpoint(request: Request) -> Response:
            try:
                body = answer(self.library, read_params(params, request.query_params))
            except Problem as error:
                return JSONResponse({"error": str(error)}, status_code=400)
            return Response(body, media_type="application/json")

        return endpoint

    def export(self, request: Request) -> Response:
        try:
            values = read_params(EXPORT, request.query_params)
            query, fmt, partial = str(values.pop("q")), str(values.pop("format")), bool(values.pop("partial"))
            paths = str(values.pop("paths"))
            name = f"itudocs-export{_extension(fmt)}"
            with tempfile.TemporaryDirectory(prefix="itudocs-export-") as folder:
                target = Path(folder) / name
                self.library.export(query, target, fmt=fmt, partial=partial, paths=paths, **values)
                body = target.read_bytes()
        except Problem as error:
            return JSONResponse({"error": str(error)}, status_code=400)
        media = media_type(fmt)
        # The query names the file where the browser allows it; the ASCII name is the fallback.
        named = quote(f"itudocs {query[:60]}{_extension(fmt)}", safe="")
        disposition = f"attachment; filename=\"{name}\"; filename*=UTF-8''{named}"
        return Response(body, media_type=media, headers={"Content-Disposition": disposition})

    def asset(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in self.assets:
            return PlainTextResponse("not found", status_code=404)
        media = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return Response(self.assets[name], media_type=media, headers={"Cache-Control": "max-age=3600"})

    # --- the pages -------------------------------------------------------------------

    def page(self, template: str, request: Request, *, status: int = 200, **context: object) -> HTMLResponse:
        context.setdefault("error", None)
        html = self.templates.get_template(template).render(request=request, form=request.query_params, **context)
        return HTMLResponse(html, status_code=status)

    def search_page(self, request: Request) -> Response:
        shown: SearchShown = {"result": None, "seconds": 0.0, "explain": False, "by_document": False, "docs": []}
        if not request.query_params.get("q", "").strip():
            shown["docs"] = self._docs()
            return self.page("search.html", request, **shown)
        try:
            args = _search_args(read_params(SEARCH, request.query_params))
            started = perf_counter()
            # The hits and the form's documents from one commit, whatever is indexed meanwhile.
            result, shown["docs"] = self.library.search_with_docs(args.query, limit=args.limit, **args.filters)
            shown["result"] = result
            seconds = shown["seconds"] = perf_counter() - started
        except Problem as error:
            shown["docs"] = self._docs()
            return self.page("search.html", request, status=400, error=str(error), **shown)
        shown["explain"], shown["by_document"] = args.explain, by_document(result, args.group)
        keep = _page_query(request, "limit", "all", "explain")
        # An export writes every hit in one order; how the page lists them is not its parameter.
        exported = _page_query(request, "limit", "all", "explain", "group", "sort")
        response = self.page("search.html", request, keep=keep, exported=exported, **shown)
        response.headers["Server-Timing"] = f"search;dur={seconds * 1000:.1f}"
        return response

    def _docs(self) -> list[DocumentInfo]:
        """The documents, for the form's suggestions; none when the index cannot be read (the search says why)."""
        try:
            return self.library.docs()
        except Problem:
            return []

    def passage_page(self, request: Request) -> Response:
        try:
            values = read_params(SHOW[1:], request.query_params)
            context = number(values, "context")
            view = self.library.show(request.path_params["hit_id"], context=context, paths=str(values["paths"]))
        except Problem as error:
            return self.page("passage.html", request, status=400, view=None, error=str(error), context=1)
        return self.page("passage.html", request, view=view, context=context)

    def listing(self, request: Request, template: str, params: tuple[Param, ...], fetch: Callable) -> Response:
        try:
            rows = fetch(read_params(params, request.query_params))
        except Problem as error:
            return self.page(template, request, status=400, rows=[], error=str(error))
        return self.page(template, request, rows=rows)

    def refs_page(self, request: Request) -> Response:
        return self.listing(request, "refs.html", REFS, lambda v: self.library.refs(text(v, "q"), doc=text(v, "doc")))

    def glossary_page(self, request: Request) -> Response:
        return self.listing(request, "glossary.html", GLOSSARY, lambda v: self.library.glossary(text(v, "term")))

    def docs_page(self, request: Request) -> Response:
        return self.listing(request, "docs.html", DOCS, lambda v: self.library.docs(paths=str(v["paths"])))

    def api_page(self, request: Request) -> Response:
        return self.page("api.html", request, spec=openapi())


class Guard(BaseHTTPMiddleware):
    """Refuses requests addressed to a name not in ``hosts`` (None: any), and adds ``HEADERS``.

    On this machine that stops a page elsewhere that points its own name at
    127.0.0.1 (DNS rebinding) from reading the index through the user's browser.
    """

    def __init__(self, app: ASGIApp, hosts: tuple[str, ...] | None) -> None:
        super().__init__(app)
        self.hosts = hosts

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        if self.hosts is not None and request.url.hostname not in self.hosts:
            response: Response = PlainTextResponse("itudocs: this server answers only on this machine\n", 400)
        else:
            response = await call_next(request)
        response.headers.update(HEADERS)
        return response


def _server_error(request: Request, error: Exception) -> Response:
    log.error("%s %s failed", request.method, request.url.path, exc_info=error)
    return PlainTextResponse("itudocs: internal error; the server's log has the details\n", status_code=500)


def _stopping(request: Request, error: Exception) -> Response:
    return PlainTextResponse("itudocs: the server is stopping\n", status_code=503)


def create_app(
    index_dir: str | Path | None = None, *, hosts: tuple[str, ...] | None = LOCAL_HOSTS, workers: int = 0
) -> Starlette:
    """The web app over the index at ``index_dir`` (the CLI's default when None).

    ``hosts``: the names a request may be addressed to, None for any (a server
    that listens beyond this machine).  ``workers``: how many processes answer
    requests at once (``web.workers``); 0 calls the Library in this process, from
    Starlette's threads, so searches share one core.  The app's ``state.library``
    is what it calls; with workers, ``state.library.close()`` stops them.
    """
    index = Library(index_dir)
    library: Verbs = LibraryWorkers(index.index_dir, workers) if workers else index

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        if isinstance(library, LibraryWorkers):
            library.close()

    app = Starlette(
        routes=Site(library).routes(),
        middleware=[Middleware(Guard, hosts=hosts)],
        exception_handlers={ServerStopping: _stopping, Exception: _server_error},
        lifespan=lifespan,
    )
    app.state.library = library
    return app
