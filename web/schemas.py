"""JSON Schemas of what each API verb answers, for the OpenAPI document.

They describe the ``to_dict`` forms the CLI's ``--format json`` prints (``search.results``
and ``search.export``): the fields every answer has, with their types.  A field added
there is allowed here until it is described (objects stay open).
"""

from __future__ import annotations

from collections.abc import Mapping

# A schema as a parameter: read only, so a dict of strings or of lists is one too.
Schema = Mapping[str, object]

STRING = {"type": "string"}
NUMBER = {"type": "number"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
STRINGS = {"type": "array", "items": STRING}
# A document's file: from the folder it was indexed from, or its full path with paths=absolute.
FILE = {
    "type": "string",
    "description": "The document's file, from the folder it was indexed from (paths=relative) "
    "or its full path on the server (paths=absolute).",
}


def maybe(schema: Schema) -> dict[str, object]:
    """``schema`` or null."""
    return {"anyOf": [schema, {"type": "null"}]}


def record(*, optional: Mapping[str, Schema] | None = None, **fields: Schema) -> dict[str, object]:
    """An object with every one of ``fields``, and maybe the ``optional`` ones."""
    return {"type": "object", "properties": {**fields, **(optional or {})}, "required": list(fields)}


def listing(item: Schema) -> dict[str, object]:
    return {"type": "array", "items": item}


HIT = record(
    id=STRING,
    doc=STRING,
    title=STRING,
    file=FILE,
    lang=STRING,
    kind=STRING,
    label=maybe(STRING),
    section=STRINGS,
    footnote=maybe(INTEGER),
    line=maybe(INTEGER),
    text=STRING,
    snippet=STRING,
    score=NUMBER,
    highlights=listing(listing(INTEGER)),
    footnotes=listing(INTEGER),
    called_from=maybe(STRING),
    refs=STRINGS,
)
CLAUSE = record(group=INTEGER, text=STRING, units=STRINGS, words=STRINGS, source=STRING, refs=STRINGS)
SEARCH = record(
    query=STRING,
    total=INTEGER,
    total_is_lower_bound=BOOLEAN,
    partial=BOOLEAN,
    summary=STRING,
    filters={"type": "object"},
    suggestion=maybe(STRING),
    hits=listing(HIT),
    optional={"reading": listing(CLAUSE)},  # only with explain
)
COUNT = listing({"anyOf": [record(query=STRING, total=INTEGER), record(doc=STRING, count=INTEGER)]})
SHOW = record(
    hit=HIT,
    before=listing(HIT),
    after=listing(HIT),
    footnotes=listing(HIT),
    called_from=maybe(HIT),
    counterpart=maybe(HIT),
)
REFS = listing(
    record(
        id=STRING,
        kind=STRING,
        body=maybe(STRING),
        number=maybe(STRING),
        editions=STRINGS,
        passages=INTEGER,
        documents=STRINGS,
    )
)
GLOSSARY = listing(record(id=STRING, en=STRING, acronyms=STRINGS, zh=STRINGS, kind=STRING, source=STRING))
DOCS = listing(
    record(
        doc=STRING,
        title=STRING,
        lang=STRING,
        format=STRING,
        symbol=maybe(STRING),
        date=maybe(STRING),
        meeting=maybe(STRING),
        file=FILE,
        passages=INTEGER,
        footnotes=INTEGER,
        indexed_at=STRING,
        file_state=STRING,
        sample=BOOLEAN,
    )
)
# Each verb's answer (application/json).
ANSWERS = {"search": SEARCH, "count": COUNT, "show": SHOW, "refs": REFS, "glossary": GLOSSARY, "docs": DOCS}
