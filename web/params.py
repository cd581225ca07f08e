"""The query parameters of the API and the page, and the Library arguments they become.

One table per verb.  The API reads it, the OpenAPI document is written from it and
the page's filter form is drawn from it, so a new filter of ``Library.search`` is
one line in ``FILTERS``.  Values are checked with the click types the CLI uses and
a bad one is refused with the CLI's own message (``Invalid value for '--kind': …``).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass

import click
from starlette.datastructures import QueryParams

from itudocs.corpus.errors import Problem
from itudocs.corpus.model import LANGS, Kind
from itudocs.search.export import EXTENSIONS
from itudocs.search.filters import SearchFilters
from itudocs.search.paths import PATH_FORMS, RELATIVE
from itudocs.search.query import MAX_QUERY_CHARS
from itudocs.search.results import SORTS

KINDS = tuple(kind.value for kind in Kind)
# What one request may ask for, so that its work is bounded (the CLI's options have no
# upper bounds; a server answers anyone who can reach it): hits per page (``all`` asks
# for every hit, bounded by the index), passages of context either side, characters of
# a text value, values of a repeatable filter.
MAX_LIMIT = 10_000
MAX_CONTEXT = 100
MAX_CHARS = MAX_QUERY_CHARS
MAX_VALUES = 20
# How hits may be listed: by document (the CLI's ``--group doc``), or each passage in its place.
GROUPS = ("doc", "passage")
# Every format ``Library.export`` can write, in the order the page offers them.
EXPORT_FORMATS = tuple(dict.fromkeys(fmt for fmt in EXTENSIONS.values() if fmt != "text"))


class BadRequest(Problem):
    """A request the API refuses; the message is the one line the CLI would print."""


@dataclass(frozen=True, slots=True)
class Param:
    """One query parameter.

    opts:   the CLI's spelling of it, used in messages (``("-n", "--limit")``).
    arg:    the Library keyword it fills, when not ``name``; ``invert`` for a
            ``--no-x`` flag that sets ``x=False``.
    label:  what the page's form calls it; empty for parameters the form does not show.
    most:   the largest number, or the most characters of a text, the API takes; None for
            no bound here (the query, which ``parse_query`` bounds).
    """

    name: str
    type: click.ParamType
    help: str
    opts: tuple[str, ...] = ()
    default: object = None
    required: bool = False
    multiple: bool = False
    arg: str = ""
    invert: bool = False
    label: str = ""
    most: int | None = MAX_CHARS

    @property
    def keyword(self) -> str:
        return self.arg or self.name

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(self.type.choices) if isinstance(self.type, click.Choice) else ()

    def read(self, query: QueryParams) -> object:
        """This parameter's value from a request's query (a Starlette ``QueryParams``)."""
        given = [value for value in query.getlist(self.name) if value != ""]
        if not given:
            if self.required:
                raise BadRequest(f"Missing argument '{self.opts[0] if self.opts else self.name}'.")
            return not self.default if self.invert else self.default
        if len(given) > 1 and not self.multiple:
            raise BadRequest(f"Option '{self.opts[-1]}' does not take multiple values.")
        if len(given) > MAX_VALUES:
            raise BadRequest(f"Option '{self.opts[-1]}' is given {len(given)} times; at most {MAX_VALUES} are taken.")
        try:
            values = [self._bounded(self.type.convert(value, None, None)) for value in given]
        except click.BadParameter as error:
            error.param_hint = self.opts or self.name
            raise BadRequest(error.format_message()) from None
        if self.invert:
            values = [not value for value in values]
        return values if self.multiple else values[0]

    def _bounded(self, value: object) -> object:
        if self.most is None or isinstance(value, bool):
            return value
        if isinstance(value, int) and value > self.most:
            raise click.BadParameter(f"{value} is more than the {self.most} the API answers.")
        if isinstance(value, str) and len(value) > self.most:
            raise click.BadParameter(f"{len(value)} characters; at most {self.most} are read.")
        return value

    def openapi(self) -> dict[str, object]:
        schema: dict[str, object] = {"type": "string"}
        if self.choices:
            schema["enum"] = list(self.choices)
        elif isinstance(self.type, click.types.BoolParamType):
            schema = {"type": "boolean"}
        elif isinstance(self.type, click.types.IntParamType):
            schema = {"type": "integer"}
            if isinstance(self.type, click.IntRange) and self.type.min is not None:
                schema["minimum"] = self.type.min
            if self.most is not None:
                schema["maximum"] = self.most
        elif self.most is not None:
            schema["maxLength"] = self.most
        if schema["type"] == "string" and self.required:
            # An empty value is no value (the form sends q= for an empty box): a required one is missing.
            schema["minLength"] = 1
        if self.default is not None:
            schema["default"] = self.default
        if self.multiple:
            schema = {"type": "array", "items": schema, "maxItems": MAX_VALUES}
        return {"name": self.name, "in": "query", "required": self.required, "description": self.help, "schema": schema}


def read_params(params: tuple[Param, ...], query: QueryParams) -> dict[str, object]:
    """Library keyword → value for every parameter of ``params``; unknown parameters are refused."""
    known = {p.name for p in params}
    for name in query:
        if name not in known:
            raise BadRequest(f"No such parameter: {name}")
    return {p.keyword: p.read(query) for p in params}


def text(values: Mapping[str, object], keyword: str) -> str | None:
    """A text parameter's read value; None when it was not given."""
    value = values[keyword]
    return None if value is None else str(value)


def number(values: Mapping[str, object], keyword: str) -> int:
    """A number parameter's read value (its click type made it an int, its default is one)."""
    value = values[keyword]
    if not isinstance(value, int):
        raise TypeError(f"the parameter {keyword} was read as {value!r}, not a number")
    return value


def _accepted(params: tuple[Param, ...]) -> tuple[Param, ...]:
    # A filter stays out of the API and the form until a search takes it (Library.search
    # passes its filters to SearchFilters.make).
    accepted = inspect.signature(SearchFilters.make).parameters
    return tuple(p for p in params if p.keyword in accepted)


QUERY = Param(
    "q", click.STRING, "The query, as typed after itudocs search.", opts=("QUERY...",), required=True, most=None
)
FILTERS = _accepted(
    (
        Param("doc", click.STRING, "Only this document: its id, the start of its id, or title words; "
              "repeat for alternatives.", opts=("--doc",), multiple=True, label="Document"),
        Param("section", click.STRING, "Only passages whose section path contains this text; repeat for "
              "alternatives.", opts=("--section",), multiple=True, label="Section"),
        Param("kind", click.Choice(KINDS, case_sensitive=False), "Only passages of this kind; repeat for "
              "alternatives.", opts=("--kind",), multiple=True, label="Kind"),
        Param("lang", click.Choice(LANGS), "Only documents in this language.", opts=("--lang",),
              label="Language"),
        Param("cites", click.STRING, "Only passages citing this reference, e.g. 'Resolution 140'.",
              opts=("--cites",), label="Cites"),
        Param("no_expand", click.BOOL, "Search only the words as typed, not other names of what they name.",
              opts=("--no-expand",), default=False, arg="expand", invert=True, label="Only the words as typed"),
        Param("from", click.STRING, "Only documents dated from DATE (YYYY[-MM[-DD]], metadata.tsv).",
              opts=("--from",), arg="date_from", label="From date"),
        Param("to", click.STRING, "Only documents dated up to DATE (metadata.tsv).", opts=("--to",),
              arg="date_to", label="To date"),
        Param("meeting", click.STRING, "Only documents of this meeting (metadata.tsv), e.g. C24.",
              opts=("--meeting",), label="Meeting"),
    )
)  # fmt: skip
# A server's answers give files from the folder indexed, not where they sit on its disk (``search.paths``).
PATHS = Param(
    "paths",
    click.Choice(PATH_FORMS),
    "Each file from the folder it was indexed from (relative), or as its full path on the server (absolute).",
    opts=("--paths",),
    default=RELATIVE,
)
SEARCH = (
    QUERY,
    *FILTERS,
    Param(
        "sort",
        click.Choice(SORTS),
        "Best first, or by document and reading order.",
        opts=("--sort",),
        default="score",
        label="Order",
    ),
    Param(
        "group",
        click.Choice(GROUPS),
        "doc: each document's best hit, then its other hits under it (as --group doc); passage: every hit "
        "in its own place.  Unset, the page groups a long query's hits by document and the API does not.",
        opts=("--group",),
    ),
    Param(
        "limit", click.IntRange(min=1), "How many hits to return.", opts=("-n", "--limit"), default=10, most=MAX_LIMIT
    ),
    Param("all", click.BOOL, "Return every hit (overrides limit).", opts=("--all",), default=False),
    Param("explain", click.BOOL, "Also return how the query was read.", opts=("--explain",), default=False),
    PATHS,
)
COUNT = (
    QUERY,
    *FILTERS,
    Param("by", click.Choice(("doc",)), "One count per document with a match.", opts=("--by",)),
)
EXPORT = (
    QUERY,
    *FILTERS,
    Param("format", click.Choice(EXPORT_FORMATS), "The file format.", opts=("-f", "--format"), default="csv"),
    Param(
        "partial",
        click.BOOL,
        "Export a partial result (no passage holds every word) too, marked partial; without it, one is refused.",
        opts=("--partial",),
        default=False,
    ),
    PATHS,
)
SHOW = (
    Param("id", click.STRING, "A hit id (DOC:SEQ or DOC:fnN); the document part may be shortened.",
          opts=("HIT_ID",), required=True),
    Param("context", click.IntRange(min=0), "Passages to show before and after.", opts=("-C", "--context"),
          default=1, most=MAX_CONTEXT),
    PATHS,
)  # fmt: skip
REFS = (
    Param("q", click.STRING, "Keep only the references this names, or whose id contains it.", opts=("QUERY",)),
    Param("doc", click.STRING, "Only what this document cites.", opts=("--doc",)),
)
GLOSSARY = (Param("term", click.STRING, "Show every name of what this names.", opts=("TERM",)),)
DOCS = (PATHS,)
