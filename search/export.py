"""Every output format, in one place, all written from ``Hit.to_dict()``.

Formats: ``text`` (for people; colour only when asked), ``json`` (one object:
``query``, ``total``, ``partial``, ``summary``, ``filters``, ``left_out``,
``suggestion``, ``hits``, plus export metadata), ``jsonl`` (one hit per line, each with
``partial``), ``csv`` (UTF-8, with a BOM in files so Excel on a Chinese system opens them
cleanly; one column per field plus ``partial``), ``md`` (a Markdown table for reading:
document, section, number, passage with the highlights in bold, source) and, for
``export`` only, ``xlsx`` (an Excel workbook: the CSV's columns plus ``url``, and a
second sheet with the query).  ``left_out`` lists the documents the date or meeting
filters left out for lack of that metadata (``missing``, ``documents``, ``of``, ``note``).
A partial result (no passage holds every word) says so in every format.

Fields of a hit, the same in every format:
  id          hit id, ``DOC:SEQ`` or ``DOC:fnN``; ``itudocs show ID`` prints it in context
  doc, title  the document's id and title
  file, line  the source file and the 1-based line where the passage starts (for a
              Word file, the paragraph's number in the document body)
  anchor      for a web page, the id of the element holding the passage, or null
  page        for a PDF, the page the passage starts on, numbered as printed there (else
              its position in the file), and ``line`` is the line on that page; else null
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
  notes       those footnotes' numbers and texts: [{"number": 3, "text": "…"}]
  called_from for a footnote, the id of the passage that calls it
  refs        normalised ids of the references the query named that the passage cites

In CSV and XLSX cells, ``section`` is joined with `` › ``, ``notes`` one ``[N] text`` a
line, and every other list with ``; `` (``highlights`` as ``start-end``).
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO

from itudocs.corpus.errors import Problem
from itudocs.corpus.model import Kind
from itudocs.search.results import COMPOUND

if TYPE_CHECKING:
    from itudocs.corpus.termbase import Term
    from itudocs.search.refs import CitedReference
    from itudocs.search.results import ClauseReading, DocumentInfo, Hit, PassageView, SearchResult

# What ``search --format`` writes; ``export`` also writes a workbook, and no plain text.
FORMATS = ("text", "json", "jsonl", "csv", "md")
# ``itudocs show``: one passage in context.
PASSAGE_FORMATS = ("text", "json")
EXPORT_FORMATS = ("json", "jsonl", "csv", "md", "xlsx")
EXTENSIONS = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".md": "md",
    ".txt": "text",
    ".xlsx": "xlsx",
}
# A query longer than this is cut with … in summary lines.
SHOWN_QUERY_CHARS = 60
CSV_FIELDS = (
    "id",
    "doc",
    "title",
    "file",
    "line",
    "anchor",
    "page",
    "lang",
    "kind",
    "label",
    "section",
    "footnote",
    "text",
    "snippet",
    "score",
    "highlights",
    "footnotes",
    "notes",
    "called_from",
    "refs",
)
# Excel runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_HIGHLIGHT = ("\x1b[1;31m", "\x1b[0m")


def neutralise(cell: str) -> str:
    """Make a CSV cell inert for spreadsheets: ``=1+1`` → ``'=1+1``."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def flat(name: str, value: object) -> str:
    """A field's value as one spreadsheet cell: the section path joined with › , footnote
    notes one a line, other lists with ; so the three never read as one another."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, list):
        return str(value)
    if name == "section":
        return " › ".join(str(v) for v in value)
    if name == "notes":
        return "\n".join(f"[{note['number']}] {note['text']}" for note in value)
    if name == "highlights":
        return "; ".join(f"{start}-{end}" for start, end in value)
    return "; ".join(str(v) for v in value)


def _cell(name: str, value: object) -> str:
    return neutralise(flat(name, value))


def summary(result: SearchResult) -> str:
    """One line saying how many passages matched what, under which filters, and whether
    they hold every word: ``1 passage matches 数字鸿沟 citing Resolution 140 in 003``."""
    query = result.query if len(result.query) <= SHOWN_QUERY_CHARS else result.query[: SHOWN_QUERY_CHARS - 1] + "…"
    one = result.total == 1
    singular, plural = ("holds some words of", "hold some words of") if result.partial else ("matches", "match")
    verb = singular if one else plural
    where = result.filters.describe() if result.filters else ""
    left_out = "".join(f"; {left.note()}" for left in result.left_out)
    return f"{total_text(result)} passage{'' if one else 's'} {verb} {query}{where}{left_out}"


def total_text(result: SearchResult) -> str:
    """The total as shown: ``10,000+`` when a search with a limit stopped counting exactly."""
    return f"{result.total:,}+" if result.total_is_lower_bound else str(result.total)


def partial_notice(result: SearchResult) -> str:
    return f"No passage holds every word of {result.query}; these hold some of them."


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


def location(hit: Hit) -> str:
    """File name and line, with the page for a PDF: ``report.txt:29``, ``report.pdf p. 3:12``."""
    name = hit.file.rsplit("/", 1)[-1]
    page = f" p. {hit.citation.page}" if hit.citation.page is not None else ""
    return f"{name}{page}:{hit.citation.line}"


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
    if hit.kind not in (Kind.PARAGRAPH, Kind.FOOTNOTE):
        where += f" · {hit.kind}"
    if hit.refs:
        where += f" · cites {', '.join(hit.refs)}"
    return f"{where} · {location(hit)}  [{hit.id}]"


def write_text(result: SearchResult, out: TextIO, *, color: bool = False) -> None:
    before, after = _HIGHLIGHT if color else ("", "")
    if result.partial:
        out.write(partial_notice(result) + "\n\n")
    for n, hit in enumerate(result.hits, start=1):
        out.write(f"{n}. {citation_line(hit)}\n")
        out.write(f"   {mark(hit.text, hit.highlights, before, after, window=hit.window)}\n\n")
    shown = len(result.hits)
    more = f" (showing {shown}; --all for every hit)" if shown < result.total else ""
    out.write(f"{summary(result)}{more}\n")
    if result.suggestion:
        out.write(f"Did you mean: {result.suggestion}\n")


def write_json(result: SearchResult, out: TextIO, *, meta: dict | None = None, explain: bool = False) -> None:
    body = {
        "query": result.query,
        "total": result.total,
        "total_is_lower_bound": result.total_is_lower_bound,
        "partial": result.partial,
        "summary": summary(result),
        "filters": result.filters.to_dict() if result.filters else None,
        "left_out": [left.to_dict() for left in result.left_out],
        "suggestion": result.suggestion,
        **(meta or {}),
        "hits": [h.to_dict() for h in result.hits],
    }
    if explain:
        body["reading"] = [clause.to_dict() for clause in result.reading]
        body["excluded"] = [clause.to_dict() for clause in result.excluded]
    json.dump(body, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_jsonl(result: SearchResult, out: TextIO, *, meta: dict | None = None) -> None:
    for hit in result.hits:
        out.write(json.dumps({**hit.to_dict(), "partial": result.partial, **(meta or {})}, ensure_ascii=False) + "\n")


def rows(result: SearchResult, meta: dict | None = None) -> tuple[tuple[str, ...], list[dict]]:
    """The columns of a spreadsheet export and one row per hit, every row marked partial or not."""
    columns = (*CSV_FIELDS, "partial", *(meta or {}))
    return columns, [hit.to_dict() | {"partial": result.partial} | (meta or {}) for hit in result.hits]


def write_csv(result: SearchResult, out: TextIO, *, meta: dict | None = None, bom: bool = True) -> None:
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    columns, table = rows(result, meta)
    writer.writerow(columns)
    writer.writerows([_cell(name, row[name]) for name in columns] for row in table)


# Characters that end a Markdown table row wherever they stand.
_LINE_BREAKS = str.maketrans({"\n": " ", "\r": " ", "\x85": " ", "\u2028": " ", "\u2029": " "})


def _md(value: object, name: str = "section") -> str:
    return flat(name, value).replace("\\", "\\\\").replace("|", "\\|").translate(_LINE_BREAKS)


def write_md(result: SearchResult, out: TextIO, *, meta: dict | None = None) -> None:
    out.write(f"**Query:** {_md(result.query)}\n\n{_md(summary(result))}\n")
    if result.partial:
        out.write(f"\n**Partial:** {_md(partial_notice(result))}\n")
    for key, value in (meta or {}).items():
        out.write(f"\n**{key}:** {_md(value)}")
    out.write("\n\n| # | document | section | ¶ / fn | passage | source |\n|---|---|---|---|---|---|\n")
    for n, hit in enumerate(result.hits, start=1):
        c = hit.citation
        number = f"fn {c.footnote}" if c.footnote is not None else c.label or ""
        passage = mark(hit.text, hit.highlights, "**", "**", window=hit.window)
        out.write(
            f"| {n} | {_md(c.title)} | {_md(list(c.section))} | {_md(number)} | {_md(passage)} "
            f"| {_md(location(hit))} |\n"
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
    bom: bool = True,
) -> None:
    """Write a search result in one of ``FORMATS``; ``explain`` adds how the query was read,
    ``bom`` starts a CSV with the byte-order mark Excel wants (for files, not pipes)."""
    if fmt == "text":
        if explain:
            write_reading(result, out)
        write_text(result, out, color=color)
    elif fmt == "json":
        write_json(result, out, meta=meta, explain=explain)
    elif fmt == "csv":
        write_csv(result, out, meta=meta, bom=bom)
    else:
        _WRITERS[fmt](result, out, meta=meta)


def write_export(result: SearchResult, out: BinaryIO, fmt: str, *, meta: dict, bom: bool = True) -> None:
    """Write an export in one of ``EXPORT_FORMATS`` to a binary stream (a file, or standard output)."""
    if fmt == "xlsx":
        from itudocs.search.workbook import write_xlsx

        write_xlsx(result, out, meta=meta)
        return
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        render(result, text, fmt, meta=meta, bom=bom)
        text.flush()
    finally:
        text.detach()


class ExportError(Problem):
    """An export that cannot be written as asked: no format to tell, or no folder to write in."""


def export_format(name: str, fmt: str | None) -> str:
    """The format to write ``name`` (a file's path, or "standard output") in: ``fmt``, else
    the one the file's extension asks for."""
    fmt = fmt or format_for(Path(name).name)
    if fmt not in EXPORT_FORMATS:
        names = ", ".join(f".{ext}" for ext in EXPORT_FORMATS)
        raise ExportError(f"{name}: cannot tell the export format; use a {names} name or --format")
    return fmt


def export_to_file(result: SearchResult, target: Path, fmt: str, *, meta: dict) -> None:
    """Write an export to the file ``target``: beside its final name, then renamed into
    place, so a failed export never leaves half a file."""
    if not target.parent.is_dir():
        raise ExportError(f"{target.parent}: no such folder to write {target.name} in")
    unfinished = target.with_name(f".{target.name}.partial")
    try:
        with open(unfinished, "wb") as out:
            write_export(result, out, fmt, meta=meta)
        unfinished.replace(target)
    except OSError as error:
        unfinished.unlink(missing_ok=True)
        raise ExportError(f"{target}: cannot write the export ({error.strerror or error})") from None


def wants_bom(stream: object) -> bool:
    """Whether a CSV written to ``stream`` should start with a BOM: yes for a regular file,
    which Excel may open; no for a terminal or a pipe, where the next program would see it."""
    try:
        # type: ignore: any object may be handed in; one without fileno raises AttributeError, caught below.
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return False


def render_to_string(result: SearchResult, fmt: str, *, meta: dict | None = None) -> str:
    buffer = io.StringIO()
    render(result, buffer, fmt, meta=meta)
    return buffer.getvalue()


def format_for(path: str) -> str | None:
    """The export format a file name asks for, by its extension."""
    dot = path.rfind(".")
    return EXTENSIONS.get(path[dot:].lower()) if dot >= 0 else None


def write_passage(view: PassageView, out: TextIO, fmt: str = "text") -> None:
    """A passage in context (``itudocs show``): as JSON, or its citation, the passage marked
    ``>>`` between its neighbours, its footnotes, its caller and its other-language version."""
    if fmt == "json":
        out.write(json.dumps(view.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    out.write(citation_line(view.hit) + "\n\n")
    for hit in view.before:
        out.write(f"   {hit.text}\n\n")
    out.write(f">> {view.hit.text}\n\n")
    for hit in view.after:
        out.write(f"   {hit.text}\n\n")
    for note in view.footnotes:
        out.write(f"[{note.citation.footnote}] {note.text}\n")
    if view.caller:
        out.write(f"called from {view.caller.id}: {view.caller.snippet}\n")
    if view.counterpart:
        other = view.counterpart
        out.write(f"\n{other.lang} version, ¶ {other.citation.label} [{other.id}]:\n   {other.text}\n")


def write_table(rows: list[dict], out: TextIO, fmt: str, columns: tuple[str, ...]) -> None:
    """Rows of a listing (documents, references, terms) as json, jsonl, csv or md; a CSV
    starts with a BOM only when ``out`` is a file (``wants_bom``)."""
    if fmt == "json":
        json.dump(rows, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "jsonl":
        out.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    elif fmt == "csv":
        if wants_bom(out):
            out.write("\ufeff")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerows([_cell(name, row[name]) for name in columns] for row in rows)
    else:
        out.write(f"| {' | '.join(columns)} |\n|{'---|' * len(columns)}\n")
        out.writelines(f"| {' | '.join(_md(row[name], name) for name in columns)} |\n" for row in rows)


def plural(n: int, noun: str) -> str:
    """A count with its noun: ``1 document``, ``2 documents``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


DOCUMENT_COLUMNS = (
    *("doc", "title", "lang", "format", "encoding", "symbol", "date", "meeting", "passages", "footnotes"),
    *("file", "indexed_at", "file_state", "sample"),
)


def write_documents(docs: list[DocumentInfo], out: TextIO, fmt: str = "text") -> None:
    if fmt != "text":
        write_table([d.to_dict() for d in docs], out, fmt, DOCUMENT_COLUMNS)
        return
    for d in docs:
        about = "  ".join(filter(None, (d.lang, d.format, d.encoding, d.symbol, d.date, d.meeting)))
        sample = "  (sample)" if d.sample else ""
        state = "" if d.file_state == "unchanged" else f"; file {d.file_state} since"
        counts = f"{plural(d.passages, 'passage')}, {plural(d.footnotes, 'footnote')}"
        out.write(f"{d.doc_id}  {about}  {counts}{sample}\n  {d.title}\n")
        out.write(f"  {d.source}  (indexed {d.indexed_at}{state})\n")
    out.write(plural(len(docs), "document") + "\n")


def write_references(refs: list[CitedReference], out: TextIO, fmt: str = "text") -> None:
    if fmt != "text":
        columns = ("id", "kind", "body", "number", "editions", "passages", "documents")
        write_table([r.to_dict() for r in refs], out, fmt, columns)
        return
    for r in refs:
        editions = f"  ({'; '.join(r.editions)})" if r.editions else ""
        out.write(f"{r.id:<28} {plural(r.passages, 'passage'):>12} in {', '.join(r.documents)}{editions}\n")
    out.write(plural(len(refs), "reference") + "\n")


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
    out.write(plural(len(terms), "term") + "\n")


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


# How --explain names a translation's source (``search.translate``).
TRANSLATED = {
    "dictionary": "translation, from the dictionary (CC-CEDICT)",
    "documents": "translation, learned from your parallel documents",
}


def write_reading(result: SearchResult, out: TextIO) -> None:
    """How the query was read, every part of the plan: each AND-group with its alternatives,
    units, words and sources; the excluded words with their other names; the filters, and
    the references the query was read as."""
    group = 0
    for clause in result.reading:
        if clause.group != group:
            group = clause.group
            out.write(f"group {group} (must match one of):\n")
        out.write(f"  {clause.text}  [{_how(clause)}]\n    units: {' '.join(clause.units)}\n")
        weight = f" (weight {clause.weight:.3g})" if clause.weight != 1 else ""
        out.write(f"    ranked by: {' '.join(clause.words) or '-'}{weight}\n")
        if clause.tier:
            out.write(f"    found as typed: +{clause.tier:g}, above every passage with only other names\n")
        if clause.refs:
            out.write(f"    cites: {', '.join(clause.refs)}\n")
    if result.excluded:
        expanded = result.filters is None or result.filters.expand
        names = "with the other names of what it names" if expanded else "as typed only (--no-expand)"
        out.write(f"excluded, {names}; no hit holds any of:\n")
        for clause in result.excluded:
            out.write(f"  {clause.text}  [{_how(clause)}]\n    units: {' '.join(clause.units)}\n")
    where = result.filters.describe().strip() if result.filters else ""
    out.write(f"filters: {where or 'none'}\n")
    for left in result.left_out:
        out.write(f"  {left.note()}\n")
    refs = dict.fromkeys(key for clause in result.reading for key in clause.refs)
    out.write(f"references: {', '.join(refs) or 'none read in the query'}\n\n")


def _how(clause: ClauseReading) -> str:
    if clause.source == COMPOUND:
        return "another spelling of a compound"
    if clause.source in TRANSLATED:
        return TRANSLATED[clause.source]
    return "as typed" if not clause.source else f"other name, from {clause.source}"
