"""Web speed: warm ``/api/search`` latency next to the CLI's, over the speed benchmark's query mix.

    python bench/web.py                       # the bundled sample, 3 rounds
    python bench/web.py --passages 10000      # a generated corpus (bench/corpus_gen.py)
    python bench/web.py --json bench/results/web.json
    python bench/web.py --queries 3 --rounds 1   # a quick look (the smoke test)

The 20 queries of ``speed.QUERY_MIX`` asked of one index three ways, each with the
CLI's default of 10 hits and with every hit:

* ``GET /api/search`` to a running ``itudocs serve``, on one kept-alive connection,
  warm (one untimed pass first): what a browser or another tool waits for;
* ``itudocs search QUERY --format json``, a new process each time: what a script
  calling the CLI waits for;
* ``Library.search`` in this process, warm: the floor, so the difference is what
  HTTP and JSON add.

p50 and p95 are over every timed request of every round.  Progress goes to
stderr, the table to stdout.
"""

from __future__ import annotations

import argparse
import http.client
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from corpus_gen import generate
from report import machine, markdown_table, write_json
from speed import QUERY_MIX, percentile, progress, timed

from itudocs.corpus.loader import sample_folder
from itudocs.search.library import Library

LIMITS = {"top 10": 10, "every hit": None}


@contextmanager
def running_server(index_dir: Path) -> Iterator[str]:
    """``itudocs serve`` on a free port; yields its address."""
    command = [sys.executable, "-m", "itudocs", "serve", "--index", str(index_dir), "--port", "0"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, encoding="utf-8") as process:
        try:
            found = re.search(r"http://[^ ]+/", process.stdout.readline())  # type: ignore[union-attr]
            if not found:
                raise SystemExit("web: itudocs serve did not start")
            yield found.group(0)
        finally:
            process.terminate()


def api_asker(address: str) -> Callable[[str, int | None], None]:
    parts = urlsplit(address)
    connection = http.client.HTTPConnection(parts.hostname, parts.port)

    def ask(query: str, limit: int | None) -> None:
        params = {"q": query, **({"all": "1"} if limit is None else {"limit": str(limit)})}
        try:
            connection.request("GET", "/api/search?" + urlencode(params))
            response = connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server drops a connection idle for 5 s (uvicorn's keep-alive) while the
            # CLI takes its turn; a browser reconnects the same way.
            connection.close()
            connection.request("GET", "/api/search?" + urlencode(params))
            response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"web: /api/search answered {response.status} to {query!r}")

    return ask


def cli_asker(index_dir: Path) -> Callable[[str, int | None], None]:
    def ask(query: str, limit: int | None) -> None:
        count = ["--all"] if limit is None else ["--limit", str(limit)]
        command = [sys.executable, "-m", "itudocs", "search", query, *count, "--format", "json"]
        # Exit status 1 is "no hits", not a failure.
        subprocess.run([*command, "--index", str(index_dir)], stdout=subprocess.DEVNULL, check=False)

    return ask


def library_asker(index_dir: Path) -> Callable[[str, int | None], None]:
    library = Library(index_dir)
    return lambda query, limit: library.search(query, limit=limit)


def latencies(
    askers: dict[str, tuple[Callable[[str, int | None], None], bool]], queries: tuple[str, ...], rounds: int
) -> dict[str, dict[str, list[float]]]:
    """Seconds per request, way → limit name → samples.  The ways take turns on each
    query, so a change in the machine's load falls on all of them alike."""
    for ask, warm in askers.values():
        if warm:
            for query in queries:
                for limit in LIMITS.values():
                    ask(query, limit)
    seconds: dict[str, dict[str, list[float]]] = {way: {name: [] for name in LIMITS} for way in askers}
    for n in range(rounds):
        progress(f"round {n + 1}/{rounds}")
        for query in queries:
            for name, limit in LIMITS.items():
                for way, (ask, _) in askers.items():
                    seconds[way][name].append(timed(lambda a=ask, q=query, lim=limit: a(q, lim)))
    return seconds


def build_index(work: Path, passages: int | None) -> tuple[Path, str]:
    """An index of the sample, or of a generated corpus; and what it holds, for the table's title."""
    index_dir = work / "index"
    if passages is None:
        report = Library(index_dir).index(sample_folder())
        return index_dir, f"the bundled sample ({report.passages + report.footnotes} passages)"
    progress(f"generating and indexing {passages} passages")
    generate(work / "docs", passages)
    Library(index_dir).index(work / "docs")
    return index_dir, f"a generated corpus of {passages} passages"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passages", type=int, help="a generated corpus of this size instead of the sample")
    parser.add_argument("--rounds", type=int, default=3, help="timed passes over the query mix (default 3)")
    parser.add_argument("--queries", type=int, default=len(QUERY_MIX), help="ask only the first N of the mix")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON here")
    args = parser.parse_args(argv)
    if min(args.rounds, args.queries, 1 if args.passages is None else args.passages) < 1:
        parser.error("--rounds, --queries and --passages must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    queries = QUERY_MIX[: args.queries]
    with tempfile.TemporaryDirectory(prefix="itudocs-web-bench-") as tmp:
        index_dir, holding = build_index(Path(tmp), args.passages)
        with running_server(index_dir) as address:
            askers = {
                "/api/search (warm server)": (api_asker(address), True),
                "itudocs search -f json (new process)": (cli_asker(index_dir), False),
                "Library.search (in process)": (library_asker(index_dir), True),
            }
            seconds = latencies(askers, queries, args.rounds)
    headers = ["way", *(f"{stat}, {name}" for name in LIMITS for stat in ("p50", "p95"))]
    rows = [
        [way, *(f"{percentile(runs[name], q) * 1000:.1f} ms" for name in LIMITS for q in (50, 95))]
        for way, runs in seconds.items()
    ]
    print(f"# itudocs web: {machine()['cpus']} CPUs, {len(queries)} queries × {args.rounds} rounds, {holding}\n")
    print(markdown_table(headers, rows, right=range(1, len(headers))))
    if args.json:
        write_json(
            args.json,
            {"benchmark": "web", "machine": machine(), "rounds": args.rounds, "index": holding, "seconds": seconds},
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
