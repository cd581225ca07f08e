"""itudocs: find where council documents cite a resolution or name a thing, as cited passages.

A thin skin over ``itudocs.search.library.Library``: each command reads its options, calls
one library verb and renders the result.  Only click and the standard library load
at import time, so ``--help`` and start-up stay fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

EXIT_NO_HITS = 1
EXIT_SOME_SKIPPED = 3


class ItudocsError(click.ClickException):
    """A problem the user can fix, reported as one line with exit code 2."""

    exit_code = 2

    def format_message(self) -> str:
        return self.message

    def show(self, file: Any = None) -> None:
        click.echo(f"itudocs: {self.format_message()}", err=True)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the library's domain errors into one-line messages, never tracebacks."""
    from itudocs.corpus.errors import CorpusError
    from itudocs.indexer.store import IndexProblem
    from itudocs.search.query import QueryError

    try:
        yield
    except (CorpusError, IndexProblem, QueryError, ValueError, OSError) as error:
        raise ItudocsError(str(error)) from None


def index_option(f: Callable) -> Callable:
    return click.option(
        "--index",
        "index_dir",
        metavar="DIR",
        help="Index folder (default: $ITUDOCS_INDEX, else the user data folder).",
    )(f)


def format_option(choices: tuple[str, ...]) -> Callable:
    return click.option(
        "-f", "--format", "fmt", type=click.Choice(choices), default="text", show_default=True, help="Output format."
    )


def filter_options(f: Callable) -> Callable:
    """The options every hit-listing command shares, passed to the library as they are."""
    f = click.option(
        "--no-expand",
        "expand",
        is_flag=True,
        flag_value=False,
        default=True,
        help="Search only the words as typed, not other names of what they name.",
    )(f)
    f = click.option("--cites", metavar="REF", help="Only passages citing this reference, e.g. 'Resolution 140'.")(f)
    f = click.option(
        "--kind", type=click.Choice(["paragraph", "heading", "footnote", "figure"]), help="Only passages of this kind."
    )(f)
    f = click.option("--section", metavar="TEXT", help="Only passages whose section path contains TEXT.")(f)
    f = click.option("--doc", metavar="DOC", help="Only this document: its id, the start of its id, or title words.")(f)
    return f


def _library(index_dir: str | None, *, build: bool = True):
    from itudocs.search.library import Library

    library = Library(index_dir)
    if build and not library.exists:
        click.echo(
            f"itudocs: no index at {library.index_dir} yet; building one from the bundled sample corpus…", err=True
        )
        report = library.ensure_index()
        if report is not None:
            click.echo(
                f"itudocs: indexed {report.documents} documents, {report.passages} passages, "
                f"{report.footnotes} footnotes",
                err=True,
            )
    return library


def _use_color(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="itudocs")
def cli() -> None:
    """Search ITU Council and UN documents (Chinese and English) for cited passages.

    Example:

        itudocs search 第140号决议 --all
    """


@cli.command()
@click.argument("query", nargs=-1, required=True)
@filter_options
@click.option("-n", "--limit", type=click.IntRange(min=1), default=10, show_default=True, help="How many hits to show.")
@click.option("--all", "all_hits", is_flag=True, help="Show every hit (a reference search wants all of them).")
@format_option(("text", "json", "jsonl", "csv", "md"))
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Highlight matches in colour (text output; NO_COLOR is honoured).",
)
@click.option(
    "--explain", is_flag=True, help="Also print how the query was read: units, words, other names, references."
)
@click.option("--count", "count_only", is_flag=True, help="Print only how many passages match (always exact).")
@click.option("--by", type=click.Choice(["doc"]), help="With --count: one count per document with a match.")
@index_option
def search(query: tuple[str, ...], limit, all_hits, fmt, color, explain, count_only, by, index_dir, **filters) -> None:
    """Find passages that contain every word of QUERY.

    Words are ANDed; "quoted phrases" stay together; a OR b; -word excludes.
    A reference in any spelling (第140号决议, "Resolution 140", A/RES/70/125) finds
    every citation of it; a name also finds the other names of what it names.
    With a limit the total is exact up to 10,000 (then shown as 10,000+);
    --all and --count always count exactly.
    Exit status: 0 hits found, 1 no hits, 2 error.

    Example:

        itudocs search 第140号决议 --all --format json
        itudocs search 国际电联 --count --by doc
    """
    from itudocs.search.export import render, write_count

    if by and not count_only:
        raise ItudocsError("--by goes with --count")
    text = " ".join(query)
    with user_errors():
        library = _library(index_dir)
        if count_only:
            by_doc = library.count(text, by_doc=True, **filters) if by else None
            total = sum(by_doc.values()) if by_doc is not None else library.count(text, **filters)
            write_count(text, total, by_doc, sys.stdout, fmt)
        else:
            result = library.search(text, limit=None if all_hits else limit, **filters)
            render(result, sys.stdout, fmt, color=_use_color(color), explain=explain)
            total = 0 if result.partial else result.total
    if total == 0:
        sys.exit(EXIT_NO_HITS)


@cli.command()
@click.argument("query", nargs=-1, required=True)
@click.option(
    "-o", "--output", "output", required=True, metavar="FILE", help="File to write; .csv, .json, .jsonl or .md."
)
@filter_options
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["json", "jsonl", "csv", "md"]),
    help="Format, when FILE's extension does not say.",
)
@index_option
def export(query: tuple[str, ...], output, fmt, index_dir, **filters) -> None:
    """Write every hit of QUERY to a file, with the query, time and index recorded.

    Example:

        itudocs export 第140号决议 -o hits.csv
    """
    with user_errors():
        result = _library(index_dir).export(" ".join(query), output, fmt=fmt, **filters)
    click.echo(f"itudocs: wrote {result.total} hits to {output}", err=True)
    if result.total == 0:
        sys.exit(EXIT_NO_HITS)


@cli.command()
@click.argument("hit_id")
@click.option(
    "-C",
    "--context",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Passages to show before and after.",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@index_option
def show(hit_id: str, context: int, fmt: str, index_dir) -> None:
    """Print one passage in context, with its footnotes (or a footnote's caller).

    HIT_ID is a hit's id as search prints it; the document part may be shortened
    to any unique beginning.

    Example:

        itudocs show 003:fn2
    """
    from itudocs.search.export import citation_line

    with user_errors():
        view = _library(index_dir).show(hit_id, context=context)
    out = sys.stdout
    if fmt == "json":
        import json

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


@cli.command()
@click.argument("folder", required=False, type=click.Path(file_okay=True, dir_okay=True))
@click.option("--rebuild", is_flag=True, help="Start a new index holding only FOLDER (the old one stays until done).")
@click.option("--check", is_flag=True, help="Verify the index against its files; re-read what is missing or changed.")
@click.option("--max-file-mb", type=click.IntRange(min=1), default=20, show_default=True, help="Skip larger files.")
@click.option(
    "--max-passage-chars",
    type=click.IntRange(min=200),
    default=5000,
    show_default=True,
    help="Split longer passages at sentence ends.",
)
@index_option
def index(folder: str | None, rebuild: bool, check: bool, max_file_mb: int, max_passage_chars: int, index_dir) -> None:
    """Add the documents in FOLDER (.txt, .docx, .html) to the index; re-running re-reads only changed files.

    Each file that cannot be indexed is named on stderr with the reason, and the run
    goes on. Exit status: 0 every file indexed, 3 some skipped or failed, 2 none could be.

    Example:

        itudocs index ~/council-docs
    """
    from itudocs.corpus.limits import ReadLimits
    from itudocs.search.library import Library

    library = Library(index_dir)
    if check:
        with user_errors():
            checked = library.check(repair=True)
        for doc_id, problem in checked.problems:
            click.echo(f"itudocs: {doc_id}: {problem}", err=True)
        fixed = f"; re-read or removed {len(checked.repaired)}" if checked.repaired else ""
        click.echo(f"{library.index_dir}: {len(checked.problems)} problems{fixed}")
        return
    if folder is None:
        raise click.UsageError("give a FOLDER to index, or --check")
    limits = ReadLimits(max_file_bytes=max_file_mb * 2**20, max_passage_chars=max_passage_chars)
    with user_errors():
        if sys.stderr.isatty():
            from itudocs.corpus.loader import discover

            total = sum(1 for _ in discover(Path(folder)))
            with click.progressbar(length=total, label="indexing", file=sys.stderr) as bar:
                report = library.index(folder, rebuild=rebuild, limits=limits, on_file=lambda _: bar.update(1))
        else:
            report = library.index(folder, rebuild=rebuild, limits=limits)
    for path, problem in report.skipped:
        click.echo(f"itudocs: skipped {path}: {problem}", err=True)
    for path, problem in report.failed:
        click.echo(f"itudocs: failed {path}: {problem}", err=True)
    for path, warning in report.warnings:
        click.echo(f"itudocs: warning {path}: {warning}", err=True)
    click.echo(
        f"{report.folder}: {report.documents} indexed ({len(report.added)} new, {len(report.updated)} changed, "
        f"{len(report.unchanged)} unchanged), {len(report.skipped)} skipped, {len(report.failed)} failed, "
        f"{len(report.removed)} removed; {report.passages} passages, {report.footnotes} footnotes"
    )
    if report.problems:
        sys.exit(ItudocsError.exit_code if report.documents == 0 else EXIT_SOME_SKIPPED)


@cli.command()
@format_option(("text", "json", "jsonl", "csv", "md"))
@index_option
def docs(fmt: str, index_dir) -> None:
    """List the indexed documents.

    Example:

        itudocs docs --format csv
    """
    from itudocs.search.export import write_documents

    with user_errors():
        documents = _library(index_dir).docs()
    write_documents(documents, sys.stdout, fmt)


@cli.command()
@click.argument("query", required=False)
@click.option("--doc", metavar="DOC", help="Only what this document cites.")
@format_option(("text", "json", "jsonl", "csv", "md"))
@index_option
def refs(query: str | None, doc: str | None, fmt: str, index_dir) -> None:
    """List every reference the index cites: id, body, number, editions, passages, documents.

    QUERY keeps only the references it names ("Resolution 140", A/RES/70/125) or,
    when it is not a reference, those whose id contains it (CWG-WSIS).

    Example:

        itudocs refs --doc 003 --format csv
    """
    from itudocs.search.export import write_references

    with user_errors():
        found = _library(index_dir).refs(query, doc=doc)
    write_references(found, sys.stdout, fmt)
    if not found:
        sys.exit(EXIT_NO_HITS)


@cli.command()
@click.argument("term", required=False)
@format_option(("text", "json", "jsonl", "csv", "md"))
@index_option
def glossary(term: str | None, fmt: str, index_dir) -> None:
    """List the termbase and the terms mined from the indexed documents; TERM shows all names of one thing.

    Example:

        itudocs glossary ITU
    """
    from itudocs.search.export import write_terms

    with user_errors():
        found = _library(index_dir).glossary(term)
    write_terms(found, sys.stdout, fmt)
    if not found:
        sys.exit(EXIT_NO_HITS)


@cli.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; any other lets other machines read the index (there is no login).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="Port to listen on; 0 picks a free one.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser.")
@index_option
def serve(host: str, port: int, open_browser: bool, index_dir) -> None:
    """Serve a search page and a JSON API (/api/) over the index, on this machine, until Ctrl+C.

    Each request reads the index as last committed, so an `itudocs index` run
    beside it shows up without a restart; the server never writes the index.

    Example:

        itudocs serve --open
    """
    from itudocs.web.server import address, listen
    from itudocs.web.server import serve as run_server

    with user_errors():
        library = _library(index_dir)
        sock = listen(host, port)
    url = address(sock)
    click.echo(f"Serving {library.index_dir} at {url} (Ctrl+C stops)")
    if open_browser:
        click.launch(url)
    run_server(library.index_dir, sock, host)


@cli.command()
@click.argument("text")
def analyze(text: str) -> None:
    """Print how TEXT is cut for the index: exact units and ranking words, with positions and offsets.

    Example:

        itudocs analyze "全权代表大会第140号决议（A/RES/70/125）"
    """
    from itudocs.indexer.analysis import UnitTokenizer, WordTokenizer

    for name, tokenizer in (("exact", UnitTokenizer()), ("words", WordTokenizer())):
        click.echo(f"{name}:")
        for token in tokenizer(text, positions=True, chars=True):
            click.echo(f"  {token.pos:>4}  {token.startchar:>4}-{token.endchar:<4} {token.text}")


def main() -> None:
    cli(prog_name="itudocs")
