"""itudocs: find where council documents cite a resolution or name a thing, as cited passages.

A thin skin over ``itudocs.search.library.Library``: each command reads its options, calls
one library verb and renders the result.  Only click and the standard library load
at import time, so ``--help`` and start-up stay fast.
"""

from __future__ import annotations

import math
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TextIO

import click

from itudocs.corpus.model import LANGS
from itudocs.search.export import EXPORT_FORMATS, FORMATS, PASSAGE_FORMATS, plural
from itudocs.search.results import SORTS

if TYPE_CHECKING:
    from pathlib import Path

    from itudocs.indexer.check import CheckReport
    from itudocs.indexer.writer import IndexProgress, IndexReport
    from itudocs.search.library import Library

EXIT_NO_HITS = 1
EXIT_SOME_SKIPPED = 3
EXIT_INTERRUPTED = 130
# sysexits' EX_SOFTWARE: an error in itudocs itself, apart from "damaged" (2) and "no hits" (1).
EXIT_BUG = 70


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
    from itudocs.corpus.errors import Problem

    try:
        yield
    except BrokenPipeError:
        # The reader stopped reading (``itudocs search … | head -1``): its choice, not an
        # error.  Point stdout at nothing so the flush at exit cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except Problem as error:
        raise ItudocsError(str(error)) from None


@contextmanager
def one_line_usage() -> Iterator[None]:
    """A usage mistake (an unknown option or command, a bad value) as one line, like every other
    error: click's own message, its "Did you mean" included, without the usage banner."""
    try:
        yield
    except click.exceptions.NoArgsIsHelpError:
        raise
    except click.UsageError as error:
        raise ItudocsError(error.format_message()) from None


class OneLineUsage(click.Command):
    """For a click command class: its usage mistakes are one line (``one_line_usage``)."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        with one_line_usage():
            return super().make_context(info_name, args, parent, **extra)


class Command(OneLineUsage, click.Command):
    """A command whose usage mistakes are one line."""


# An option as people type one: ``--setion``, ``--fromat=json``, ``-o``; ``-format`` too, a
# long option's name behind one dash.  Any other word starting with ``-`` is an exclusion
# (``-WSIS``, ``-信息社会``, ``-nothing``).
_OPTION_SHAPED = re.compile(r"--[A-Za-z][\w-]*(=.*)?|-[A-Za-z]", re.DOTALL)


class QueryCommand(Command):
    """A command whose QUERY may hold ``-word`` exclusions unquoted, options anywhere on the line.

    click would read ``-WSIS`` as the options ``-W -S …``.  Every word that is not one of
    the command's options (``-n``, ``--doc``, ``-n5``, ``--format=csv``) or an option's value
    is moved behind ``--``, so click takes it as part of QUERY; but a word shaped like an
    option that the command does not have (``--setion``, ``-o``) is an error, not a word to
    search for.  After ``--`` every word is the query's: ``-- -o`` excludes ``o``.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        options: dict[str, click.Option] = {
            name: param
            for param in self.get_params(ctx)
            if isinstance(param, click.Option)
            for name in (*param.opts, *param.secondary_opts)
        }
        kept, words = _options_and_words(args, options, ctx)
        return super().parse_args(ctx, [*kept, "--", *words] if words else kept)


def _options_and_words(
    args: list[str], options: dict[str, click.Option], ctx: click.Context
) -> tuple[list[str], list[str]]:
    """``args`` parted into the command's options with their values, and the query's words."""
    kept: list[str] = []
    words: list[str] = []
    rest = iter(args)
    for arg in rest:
        if arg == "--":
            words.extend(rest)
            break
        option = _option_named(arg, options, ctx)
        if option is None:
            words.append(_query_word(arg, options, ctx))
            continue
        kept.append(arg)
        if not option.is_flag and not option.count and "=" not in arg and arg in options:
            kept.append(_value_after(arg, rest, ctx))
    return kept, words


def _option_name(arg: str) -> str:
    """The option a word would name: ``--format=csv`` names ``--format``."""
    return arg.split("=", 1)[0] if arg.startswith("--") else arg


def _option_named(arg: str, options: dict[str, click.Option], ctx: click.Context) -> click.Option | None:
    """The command's option ``arg`` gives (``-n``, ``--doc``, ``--format=csv``, ``-n5``); None for a word."""
    option = options.get(_option_name(arg))
    if option is None and arg[:2] in options and not arg.startswith("--"):
        option = options[arg[:2]] if _takes(options[arg[:2]], arg[2:], ctx) else None
    return option


def _query_word(arg: str, options: dict[str, click.Option], ctx: click.Context) -> str:
    """``arg`` as a word of the query, unless it is shaped like an option the command does not have."""
    name = _option_name(arg)
    if _OPTION_SHAPED.fullmatch(arg) or f"-{name}" in options:
        raise click.NoSuchOption(name, possibilities=_near(name, options), ctx=ctx)
    return arg


def _value_after(arg: str, rest: Iterator[str], ctx: click.Context) -> str:
    """The word after option ``arg``, which is its value."""
    value = next(rest, None)
    if value is None:
        raise click.BadOptionUsage(arg, f"Option {arg!r} requires an argument.", ctx)
    return value


def _near(name: str, options: dict[str, click.Option]) -> list[str]:
    """The options click compares an unknown one with: long ones, as its own parser does, and
    for a long option's name behind one dash, that option."""
    if f"-{name}" in options:
        return [f"-{name}"]
    return [option for option in options if option.startswith("--")] if name.startswith("--") else []


def _takes(option: click.Option, value: str, ctx: click.Context) -> bool:
    """Whether ``value`` written against a short option (``-n5``, ``-fjson``) is its value:
    ``-nothing`` is the exclusion of "nothing", not ``-n othing``."""
    if option.is_flag or option.count:
        return False
    try:
        option.type.convert(value, option, ctx)
    except click.BadParameter:
        return False
    return True


class ProgressBar:
    """One line on a terminal that an index run rewrites as it goes."""

    WIDTH = 24
    # Redraws at most this often: a terminal is slower than a run of small files.
    EVERY = 0.2

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.drawn = -math.inf

    def show(self, progress: IndexProgress) -> None:
        now = time.monotonic()
        if progress.files_done < progress.files and now - self.drawn < self.EVERY:
            return
        self.drawn = now
        # Erase to the end of the line: the new line may be shorter than the last.
        self.stream.write(f"\r{progress_line(progress, self.WIDTH)}\x1b[K")
        self.stream.flush()

    def close(self) -> None:
        if self.drawn > -math.inf:
            self.stream.write("\n")


def progress_line(progress: IndexProgress, width: int) -> str:
    """Files and passages done, passages per second and the time left, by bytes read.

    >>> from itudocs.indexer.writer import IndexProgress
    >>> progress_line(IndexProgress(400, 834, 48000, 16_000_000, 37_000_000, 40.0), 10)
    'indexing [####------]  400/834 files  48,000 passages  1,200/s  ETA 0:52'
    """
    if progress.bytes_total:
        done = progress.bytes_done / progress.bytes_total
    else:
        done = progress.files_done / max(progress.files, 1)
    filled = int(done * width)
    rate = progress.passages_done / progress.seconds if progress.seconds > 0 else 0.0
    if progress.files_done == progress.files:
        left = "writing the index"
    elif done > 0:
        seconds = round(progress.seconds * (1 - done) / done)
        left = f"ETA {seconds // 60}:{seconds % 60:02d}"
    else:
        left = "ETA –"
    return (
        f"indexing [{'#' * filled}{'-' * (width - filled)}]  {progress.files_done}/{progress.files} files  "
        f"{progress.passages_done:,} passages  {rate:,.0f}/s  {left}"
    )


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


def paths_option(f: Callable) -> Callable:
    # search.paths.PATH_FORMS, spelt out: the CLI imports only click at start.
    return click.option(
        "--paths",
        type=click.Choice(("relative", "absolute")),
        default="absolute",
        show_default=True,
        help="Give each file as its full path, or from the folder it was indexed from (for reports and sharing).",
    )(f)


def filter_options(f: Callable) -> Callable:
    """The options every hit-listing command shares, passed to the library as they are.

    ``--doc``, ``--section`` and ``--kind`` may be repeated; their values are alternatives.
    """
    from itudocs.corpus.model import Kind

    f = click.option(
        "--no-expand",
        "expand",
        is_flag=True,
        flag_value=False,
        default=True,
        help="Search only the words as typed, not other names of what they name.",
    )(f)
    f = click.option(
        "--sort",
        type=click.Choice(SORTS),
        default="score",
        show_default=True,
        help="Best first, or by document and reading order.",
    )(f)
    f = click.option("--lang", type=click.Choice(LANGS, case_sensitive=False), help="Only documents in it.")(f)
    f = click.option("--cites", metavar="REF", help="Only passages citing this reference, e.g. 'Resolution 140'.")(f)
    f = click.option("--meeting", metavar="NAME", help="Only documents of this meeting (metadata.tsv), e.g. C24.")(f)
    f = click.option("--to", "date_to", metavar="DATE", help="Only documents dated up to DATE (metadata.tsv).")(f)
    f = click.option("--from", "date_from", metavar="DATE", help="Only documents dated from DATE: YYYY[-MM[-DD]].")(f)
    f = click.option(
        "--kind",
        multiple=True,
        type=click.Choice([k.value for k in Kind], case_sensitive=False),
        help="Only passages of this kind (repeat for several).",
    )(f)
    f = click.option(
        "--section", multiple=True, metavar="TEXT", help="Only passages whose section path contains TEXT (repeatable)."
    )(f)
    f = click.option(
        "--doc",
        multiple=True,
        metavar="DOC",
        help="Only this document: its id, the start of its id, or title words (repeatable).",
    )(f)
    return f


def _library(index_dir: str | None):
    from itudocs.search.library import Library

    library = Library(index_dir)
    report = library.ensure_index()
    if library.sample:
        click.echo(
            "itudocs: no index of your own yet (`itudocs index FOLDER` builds one); using the bundled sample", err=True
        )
    if report is not None:
        click.echo(
            f"itudocs: indexed the bundled sample: {plural(report.documents, 'document')}, "
            f"{plural(report.passages, 'passage')}, {plural(report.footnotes, 'footnote')}",
            err=True,
        )
    return library


def _use_color(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


class Group(OneLineUsage, click.Group):
    """The ``itudocs`` command: its own and its commands' usage mistakes are one line."""

    command_class = Command

    def resolve_command(self, ctx: click.Context, args: list[str]):
        with one_line_usage():
            return super().resolve_command(ctx, args)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="itudocs")
def cli() -> None:
    """Search ITU Council and UN documents (Chinese and English) for cited passages.

    Example:

        itudocs search 第140号决议 --all
    """


@cli.command(cls=QueryCommand)
@click.argument("query", nargs=-1, required=True)
@filter_options
@click.option("-n", "--limit", type=click.IntRange(min=1), default=10, show_default=True, help="How many hits to show.")
@click.option("--all", "all_hits", is_flag=True, help="Show every hit (a reference search wants all of them).")
@format_option(FORMATS)
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
@click.option("--group", type=click.Choice(["doc"]), help="Each document's best hit, then its other hits under it.")
@paths_option
@index_option
def search(
    query: tuple[str, ...], limit, all_hits, fmt, color, explain, count_only, by, group, paths, index_dir, **filters
) -> None:
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
        itudocs search "digital divide in least developed countries" --group doc
    """
    from itudocs.search.export import render, wants_bom, write_count

    if by and not count_only:
        raise ItudocsError("--by goes with --count")
    text = " ".join(query)
    with user_errors():
        library = _library(index_dir)
        if count_only:
            by_doc = library.count(text, by_doc=True, **filters) if by else None
            total = sum(by_doc.values()) if by_doc is not None else library.count(text, **filters)
            write_count(text, total, by_doc, sys.stdout, fmt)
            for left in library.left_out(**filters):
                click.echo(f"itudocs: {left.note()}", err=True)
        else:
            result = library.search(text, limit=None if all_hits else limit, paths=paths, **filters)
            if group:
                result = result.grouped_by_document()
            render(result, sys.stdout, fmt, color=_use_color(color), explain=explain, bom=wants_bom(sys.stdout))
            total = 0 if result.partial else result.total
    if total == 0:
        sys.exit(EXIT_NO_HITS)


@cli.command(cls=QueryCommand)
@click.argument("query", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    metavar="FILE",
    help="File to write (.csv, .xlsx, .json, .jsonl or .md); - for standard output.",
)
@filter_options
@click.option("-f", "--format", "fmt", type=click.Choice(EXPORT_FORMATS), help="Format, when FILE does not say.")
@click.option("--partial", is_flag=True, help="Export hits holding only some of the words (marked partial).")
@paths_option
@index_option
def export(query: tuple[str, ...], output, fmt, partial, paths, index_dir, **filters) -> None:
    """Write every hit of QUERY to a file, with the query, time and index recorded.

    A result where no passage holds every word is refused unless --partial is given.

    Example:

        itudocs export 第140号决议 -o hits.xlsx
    """
    target = sys.stdout.buffer if output == "-" else output
    with user_errors():
        result = _library(index_dir).export(" ".join(query), target, fmt=fmt, partial=partial, paths=paths, **filters)
    where = "standard output" if output == "-" else output
    wrote = plural(result.total, "hit")
    click.echo(f"itudocs: wrote {wrote} to {where}{' (partial)' if result.partial else ''}", err=True)
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
@format_option(PASSAGE_FORMATS)
@paths_option
@index_option
def show(hit_id: str, context: int, fmt: str, paths: str, index_dir) -> None:
    """Print one passage in context, with its footnotes (or a footnote's caller).

    HIT_ID is a hit's id as search prints it (003:67, 003:fn2, 003:p3f9a1c); the
    document part may be shortened to any unique beginning.  A position, the form
    ids had before index format 6 (003:12), is still read, with a note.

    Example:

        itudocs show 003:fn2
    """
    from itudocs.search.export import write_passage

    with user_errors():
        view = _library(index_dir).show(hit_id, context=context, paths=paths)
    if view.notice:
        click.echo(f"itudocs: {view.notice}", err=True)
    write_passage(view, sys.stdout, fmt)


@cli.command()
@click.argument("folders", nargs=-1, type=click.Path(file_okay=True, dir_okay=True))
@click.option("--rebuild", is_flag=True, help="Start a new index holding only FOLDERS (the old one stays until done).")
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
def index(
    folders: tuple[str, ...], rebuild: bool, check: bool, max_file_mb: int, max_passage_chars: int, index_dir
) -> None:
    """Add the documents in FOLDERS (folders or files: .txt, .docx, .html, .pdf) to the index in one run;
    re-running re-reads only changed files.

    Every file met is accounted for: indexed, unchanged, or skipped with its reason on
    stderr (hidden and temporary files are only counted).  Exit status: 0 every file
    indexed, 3 some skipped or failed, 2 none could be, 130 interrupted.

    Example:

        itudocs index ~/council-docs ~/more/report.docx
    """
    from itudocs.corpus.limits import ReadLimits
    from itudocs.search.library import Library

    library = Library(index_dir)
    if check:
        with user_errors():
            checked = library.check(repair=True)
        _print_check(library.index_dir, checked)
        return
    if not folders:
        raise click.UsageError("give a FOLDER to index, or --check")
    limits = ReadLimits(max_file_bytes=max_file_mb * 2**20, max_passage_chars=max_passage_chars)
    with _interrupted_run(), user_errors(), _progress_bar(sys.stderr) as on_progress:
        report = library.index(
            *folders, rebuild=rebuild, limits=limits, on_progress=on_progress, on_wait=lambda: _waiting(library)
        )
    _print_index(report)
    if report.problems:
        sys.exit(ItudocsError.exit_code if report.documents == 0 else EXIT_SOME_SKIPPED)


@contextmanager
def _interrupted_run() -> Iterator[None]:
    """Ctrl-C during an index run: one line and exit 130, no traceback."""
    try:
        yield
    except KeyboardInterrupt:
        click.echo("itudocs: interrupted; the index is as the last completed run left it", err=True)
        sys.exit(EXIT_INTERRUPTED)


@contextmanager
def _progress_bar(stream: TextIO) -> Iterator[Callable[[IndexProgress], None] | None]:
    """A progress bar's callback on a terminal, its line ended when the run ends; None elsewhere."""
    if not stream.isatty():
        yield None
        return
    bar = ProgressBar(stream)
    try:
        yield bar.show
    finally:
        bar.close()


def _waiting(library: Library) -> None:
    click.echo(
        f"itudocs: {library.index_dir}: another itudocs run is writing this index; waiting for it to finish…",
        err=True,
    )


@cli.command()
@click.argument("targets", nargs=-1, required=True)
@click.option("--dry-run", is_flag=True, help="Say what would be removed, and change nothing.")
@index_option
def remove(targets: tuple[str, ...], dry_run: bool, index_dir) -> None:
    """Take documents out of the index: each TARGET is a document id (as `itudocs docs`
    lists it) or the path of a file or a folder of indexed files.

    A TARGET that names nothing is an error and nothing is removed.  The files stay
    where they are; `itudocs index` on their folder adds them again.

    Example:

        itudocs remove 003_039c71ca7392b1ab ~/council-docs/drafts --dry-run
    """
    from itudocs.search.library import Library

    with user_errors():
        report = Library(index_dir).remove(*targets, dry_run=dry_run)
    verb, done = ("would remove", "would be removed") if dry_run else ("removed", "removed")
    for doc_id, source in report.removed:
        click.echo(f"{verb} {doc_id}  {source}")
    click.echo(f"{plural(len(report.removed), 'document')} {done}")


def _print_index(report: IndexReport) -> None:
    if report.replaced_sample:
        click.echo("itudocs: replaced the bundled sample, which stood in while the index was empty", err=True)
    for path, problem in report.skipped:
        click.echo(f"itudocs: skipped {path}: {problem}", err=True)
    for path, problem in report.failed:
        click.echo(f"itudocs: failed {path}: {problem}", err=True)
    for path, warning in report.warnings:
        click.echo(f"itudocs: warning {path}: {warning}", err=True)
    quiet = f"; {plural(report.passed_over, 'hidden or temporary file')} passed over" if report.passed_over else ""
    click.echo(
        f"{report.folder}: {report.documents} indexed ({len(report.added)} new, {len(report.updated)} changed, "
        f"{len(report.unchanged)} unchanged), {len(report.skipped)} skipped, {len(report.failed)} failed, "
        f"{len(report.removed)} removed; {plural(report.passages, 'passage')}, {plural(report.footnotes, 'footnote')}"
        f"{quiet}"
    )


def _print_check(index_dir: Path, checked: CheckReport) -> None:
    for doc_id, problem in checked.problems:
        click.echo(f"itudocs: {doc_id}: {problem}", err=True)
    for path, problem in checked.failed:
        click.echo(f"itudocs: failed {path}: {problem}; kept as last indexed", err=True)
    fixed = ""
    if checked.problems:
        fixed = f"; re-read {len(checked.reread)}, removed {len(checked.removed)}, {len(checked.failed)} failed"
    click.echo(f"{index_dir}: {plural(len(checked.problems), 'problem')}{fixed}")
    if checked.failed:
        sys.exit(EXIT_SOME_SKIPPED)


@cli.command()
@format_option(FORMATS)
@paths_option
@index_option
def docs(fmt: str, paths: str, index_dir) -> None:
    """List the indexed documents: source, format, language, date and meeting, passages,
    footnotes, when indexed, whether the file changed since, and which are the sample's.

    Example:

        itudocs docs --format csv
    """
    from itudocs.search.export import write_documents

    with user_errors():
        documents = _library(index_dir).docs(paths=paths)
    write_documents(documents, sys.stdout, fmt)


@cli.command()
@click.argument("query", required=False)
@click.option("--doc", metavar="DOC", help="Only what this document cites.")
@format_option(FORMATS)
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
@format_option(FORMATS)
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
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help="Processes answering requests at once, each with the index open (default: one per core).",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser.")
@index_option
def serve(host: str, port: int, workers: int | None, open_browser: bool, index_dir) -> None:
    """Serve a search page and a JSON API (/api/) over the index, on this machine, until Ctrl+C.

    Each request reads the index as last committed, so an `itudocs index` run
    beside it shows up without a restart; the server never writes the index.

    Example:

        itudocs serve --open
    """
    from itudocs.web.server import address, cores, listen
    from itudocs.web.server import serve as run_server

    with user_errors():
        library = _library(index_dir)
        sock = listen(host, port)
    url = address(sock)
    click.echo(f"Serving {library.index_dir} at {url} (Ctrl+C stops)")
    if open_browser:
        click.launch(url)
    run_server(library.index_dir, sock, host, workers=workers or cores())


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
    try:
        cli(prog_name="itudocs")
    except Exception:
        # Not the user's to put right (those are ItudocsError), so never advice to rebuild:
        # the traceback, to be reported, and an exit status no other outcome uses.
        import traceback

        traceback.print_exc()
        click.echo(
            f"itudocs: this is a bug in itudocs, not a problem with your documents or index; "
            f"please report it to the itudocs maintainers with the traceback above (exit {EXIT_BUG})",
            err=True,
        )
        sys.exit(EXIT_BUG)
