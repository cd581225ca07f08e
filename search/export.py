"""Every output format, in one place, all written from ``Hit.to_dict()``.

Formats: ``text`` (for people; colour only when asked), ``json`` (one object:
``query``, ``total``, ``hits``, plus export metadata), ``jsonl`` (one hit per
line), ``csv`` (UTF-8 with BOM so Excel on a Chinese system opens it cleanly) and
``md`` (a Markdown table).

Fields of a hit, the same in every format:
  id          hit id, ``DOC:SEQ`` or ``DOC:fnN``; ``itudocs show ID`` prints it in context
  doc, title  the document's id and title
  file, line  the source file and the 1-based line where the passage starts (for a
              Word file, the paragraph's number in the document body)
  anchor      for a web page, the id of the element holding the passage, or null
  lang        ``zh``, ``en`` or ``mixed``
  kind        ``paragraph``, ``heading``, ``footnote`` or ``figure``
  label       the paragraph number or list label the document gives, or null
  section     the headings above the passage, outermost first
  footnote    the footnote number, for footnotes; otherwise null
  text        the whole passage, markers removed
  snippet     the part of the text shown in lists, ``…`` where cut
  score       the ranking score
  highlights  [start, end) character spans of ``text`` that matched
  footnotes   numbers of the footnotes the passage calls
  called_from for a footnote, the id of the passage that calls it
  refs        normalised ids of the references the query named that the passage cites
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from typing import TextIO

from itudocs.corpus.termbase import Term
from itudocs.search.refs import CitedReference
from itudocs.search.results import ClauseReading, DocumentInfo, Hit, SearchResult

FORMATS = ("text", "json", "jsonl", "csv", "md")
EXTENSIONS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".md": "md", ".txt": "text"}
CSV_FIELDS = (
    "id",
    "doc",
    "title",
    "file",
    "line",
    "anchor",
    "lang",
    "kind",
    "label",
    "section",
    "footnote",
    "text",
    "snippet",
    "score",
    "footnotes",
    "called_from",
    "refs",
)
# Excel runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_HIGHLIGHT = ("\x1b[1;31m", "\x1b[0m")


def neutralise(cell: str) -> str:
    """Make a CSV cell inert for spreadsheets: ``=1+1`` → ``'=1+1``."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _cell(value: object) -> str:
    if value is None:
        return ""
    return neutralise(" › ".join(str(v) for v in value) if isinstance(value, list) else str(value))


def mark(
    text: str, spans: Iterable[tuple[int, int]], before: str, after: str, *, window: tuple[int, int] | None = None
) -> str:
    """``text`` (or its window) with each span wrapped in ``before``/``after``."""
    start, end = window or (0, len(text))
    out, cursor = [], start
    for s, e in spans:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        out += [text[cursor:s], before, text[s:e], after]
        cursor = e
    out.append(text[cursor:end])
    return ("…" if start > 0 else "") + "".join(out) + ("…" if end < len(text) else "")


def citation_line(hit: Hit) -> str:
    """Document, section path, label or footnote number, file and line, and the id."""
    c = hit.citation
    parts = [c.title if len(c.title) <= 40 else c.title[:39] + "…"]
    parts.extend(c.section)
    where = " › ".join(parts)
    if c.footnote is not None:
        where += f" · footnote {c.footnote}"
    elif c.label:
        where += f" · ¶ {c.label}"
    if hit.kind not in ("paragraph", "footnote"):
        where += f" · {hit.kind}"
    if hit.refs:
        where += f" · cites {', '.join(hit.refs)}"
    return f"{where} · {hit.file.rsplit('/', 1)[-1]}:{c.line}  [{hit.id}]"


def write_text(result: SearchResult, out: TextIO, *, color: bool = False) -> None:
    before, after = _HIGHLIGHT if color else ("", "")
    if result.partial:
        out.write(f"No passage holds every word of {result.query}; these hold some of them:\n\n")
    for n, hit in enumerate(result.hits, start=1):
        out.write(f"{n}. {citation_line(hit)}\n")
        out.write(f"   {mark(hit.text, hit.highlights, before, after, window=hit.window)}\n\n")
    shown = len(result.hits)
    more = f" (showing {shown}; --all for every hit)" if shown < result.total else ""
    matched = "hold some words of" if result.partial else "match"
    plural = "s" if result.total != 1 else ""
    out.write(f"{total_text(result)} passage{plural} {matched} {result.query}{more}\n")


def total_text(result: SearchResult) -> str:
    """The total as shown: ``10,000+`` when a search with a limit stopped counting exactly."""
    return f"{result.total:,}+" if result.total_is_lower_bound else str(result.total)


def write_json(result: SearchResult, out: TextIO, *, meta: dict | None = None, explain: bool = False) -> None:
    body = {
        "query": result.query,
        "total": result.total,
        "total_is_lower_bound": result.total_is_lower_bound,
        "partial": result.partial,
        **(meta or {}),
        "hits": [h.to_dict() for h in result.hits],
    }
    if explain:
        body["reading"] = [clause.to_dict() for clause in result.reading]
    json.dump(body, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_jsonl(result: SearchResult, out: TextIO, *, meta: dict | None = None) -> None:
    for hit in result.hits:
        out.write(json.dumps({**hit.to_dict(), **(meta or {})}, ensure_ascii=False) + "\n")


def write_csv(result: SearchResult, out: TextIO, *, meta: dict | None = None) -> None:
    extra = tuple(meta or {})
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS + extra)
    for hit in result.hits:
        row = hit.to_dict() | (meta or {})
        writer.writerow([_cell(row[name]) for name in CSV_FIELDS + extra])


# Characters that end a Markdown table row wherever they stand.
_LINE_BREAKS = str.maketrans({"\n": " ", "\r": " ", "\x85": " ", "\u2028": " ", "\u2029": " "})


def _md(value: object) -> str:
    text = "" if value is None else " › ".join(value) if isinstance(value, list) else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").translate(_LINE_BREAKS)


def write_md(result: SearchResult, out: TextIO, *, meta: dict | None = None) -> None:
    out.write(f"**Query:** {_md(result.query)} — {total_text(result)} passages\n")
    for key, value in (meta or {}).items():
        out.write(f"\n**{key}:** {_md(value)}")
    out.write("\n\n| # | document | section | ¶ / fn | passage | source |\n|---|---|---|---|---|---|\n")
    for n, hit in enumerate(result.hits, start=1):
        c = hit.citation
        number = f"fn {c.footnote}" if c.footnote is not None else c.label or ""
        passage = mark(hit.text, hit.highlights, "**", "**", window=hit.window)
        out.write(
            f"| {n} | {_md(c.title)} | {_md(list(c.section))} | {_md(number)} | {_md(passage)} "
            f"| {_md(hit.file.rsplit('/', 1)[-1])}:{c.line} |\n"
        )


_WRITERS: dict[str, Callable[..., None]] = {
    "json": write_json,
    "jsonl": write_jsonl,
    "csv": write_csv,
    "md": write_md,
}


def render(
    result: SearchResult,
    out: TextIO,
    fmt: str = "text",
    *,
    color: bool = False,
    meta: dict | None = None,
    explain: bool = False,
) -> None:
    """Write a search result in one of ``FORMATS``; ``explain`` adds how the query was read."""
    if fmt == "text":
        if explain:
            write_reading(result.reading, out)
        write_text(result, out, color=color)
    elif fmt == "json":
        write_json(result, out, meta=meta, explain=explain)
    else:
        _WRITERS[fmt](result, out, meta=meta)


def render_to_string(result: SearchResult, fmt: str, *, meta: dict | None = None) -> str:
    buffer = io.StringIO()
    render(result, buffer, fmt, meta=meta)
    return buffer.getvalue()


def format_for(path: str) -> str | None:
    """The export format a file name asks for, by its extension."""
    dot = path.rfind(".")
    return EXTENSIONS.get(path[dot:].lower()) if dot >= 0 else None


def write_table(rows: list[dict], out: TextIO, fmt: str, columns: tuple[str, ...]) -> None:
    """Rows of a listing (documents, references, terms) as json, jsonl, csv or md."""
    if fmt == "json":
        json.dump(rows, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "jsonl":
        out.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    elif fmt == "csv":
        out.write("\ufeff")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerows([_cell(row[name]) for name in columns] for row in rows)
    else:
        out.write(f"| {' | '.join(columns)} |\n|{'---|' * len(columns)}\n")
        out.writelines(f"| {' | '.join(_md(row[name]) for name in columns)} |\n" for row in rows)


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def write_documents(docs: list[DocumentInfo], out: TextIO, fmt: str = "text") -> None:
    if fmt != "text":
        write_table([d.to_dict() for d in docs], out, fmt, ("doc", "title", "lang", "passages", "footnotes", "file"))
        return
    for d in docs:
        out.write(f"{d.doc_id}  {d.lang}  {d.passages} passages, {d.footnotes} footnotes\n  {d.title}\n  {d.source}\n")
    out.write(_plural(len(docs), "document") + "\n")


def write_references(refs: list[CitedReference], out: TextIO, fmt: str = "text") -> None:
    if fmt != "text":
        columns = ("id", "kind", "body", "number", "editions", "passages", "documents")
        write_table([r.to_dict() for r in refs], out, fmt, columns)
        return
    for r in refs:
        editions = f"  ({'; '.join(r.editions)})" if r.editions else ""
        out.write(f"{r.id:<28} {_plural(r.passages, 'passage'):>12} in {', '.join(r.documents)}{editions}\n")
    out.write(_plural(len(refs), "reference") + "\n")


def write_terms(terms: list[Term], out: TextIO, fmt: str = "text") -> None:
    rows = [
        {
            "id": t.id,
            "en": t.en,
            "acronyms": list(t.acronyms),
            "zh": list(t.zh),
            "kind": t.kind,
            "source": t.source,
        }
        for t in terms
    ]
    if fmt != "text":
        write_table(rows, out, fmt, ("id", "en", "acronyms", "zh", "kind", "source"))
        return
    for t in terms:
        out.write(f"{t.id}  [{t.kind}; {t.source}]\n  {' | '.join(t.names)}\n")
    out.write(_plural(len(terms), "term") + "\n")


def write_count(query: str, total: int, by_doc: dict[str, int] | None, out: TextIO, fmt: str = "text") -> None:
    """An exact count (``search --count``), or one per document with a match (``--by doc``)."""
    if by_doc is None:
        if fmt == "text":
            out.write(f"{total}\n")
        else:
            write_table([{"query": query, "total": total}], out, fmt, ("query", "total"))
    elif fmt == "text":
        out.writelines(f"{doc}\t{n}\n" for doc, n in by_doc.items())
    else:
        write_table([{"doc": doc, "count": n} for doc, n in by_doc.items()], out, fmt, ("doc", "count"))


def write_reading(reading: Iterable[ClauseReading], out: TextIO) -> None:
    """How the query was read: each AND-group, its alternatives, units, words and sources."""
    group = 0
    for clause in reading:
        if clause.group != group:
            group = clause.group
            out.write(f"group {group} (must match one of):\n")
        how = "as typed" if not clause.source else f"other name, from {clause.source}"
        out.write(f"  {clause.text}  [{how}]\n    units: {' '.join(clause.units)}\n")
        weight = f" (weight {clause.weight:g})" if clause.weight != 1 else ""
        out.write(f"    ranked by: {' '.join(clause.words) or '-'}{weight}\n")
        if clause.tier:
            out.write(f"    found as typed: +{clause.tier:g}, above every passage with only other names\n")
        if clause.refs:
            out.write(f"    cites: {', '.join(clause.refs)}\n")
    out.write("\n")
