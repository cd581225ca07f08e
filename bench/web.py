"""Web speed: warm ``/api/search`` latency next to the CLI's, over the speed benchmark's query mix.

    python bench/web.py                       # the bundled sample, 3 rounds
    python bench/web.py --passages 10000      # a generated corpus (bench/corpus_gen.py)
    python bench/web.py --json bench/results/web.json
    python bench/web.py --queries 3 --rounds 1   # a quick look (the smoke test)
    python bench/web.py --passages 100000 --work DIR --clients 1,4,16   # the concurrency table
    python bench/web.py --passages 100000 --work DIR --soak 10          # 10 minutes, a re-index each minute

The 20 queries of ``speed.QUERY_MIX`` asked of one index three ways, each with the
CLI's default of 10 hits and with every hit:

* ``GET /api/search`` to a running ``itudocs serve``, on one kept-alive connection,
  warm (one untimed pass first): what a browser or another tool waits for;
* ``itudocs search QUERY --format json``, a new process each time: what a script
  calling the CLI waits for;
* ``Library.search`` in this process, warm: the floor, so the difference is what
  HTTP and JSON add.

p50 and p95 are over every timed request of every round.

``--clients 1,4,16`` measures instead how the server shares its cores: for each count,
that many clients (threads of this process, each with its own kept-alive connection
to 127.0.0.1) ask ``--requests`` top-10 searches of the mix in all, each client
starting at another query; requests/s is over the wall time of the whole row, p50 and
p95 over each request.  ``--soak MINUTES`` keeps 4 clients asking for that long while
one document changes and ``itudocs index`` runs every minute, and reports the errors
and the server's memory (the server and its workers) after warming up and at the end.
``--work DIR`` keeps the generated corpus and its index in DIR and reuses them.
Progress goes to stderr, the tables to stdout.
"""

from __future__ import annotations

import argparse
import http.client
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from os import cpu_count
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from corpus_gen import generate
from report import machine, markdown_table, write_json
from speed import QUERY_MIX, percentile, progress, timed

from itudocs.corpus.loader import sample_folder
from itudocs.search.library import Library

LIMITS = {"top 10": 10, "every hit": None}


@contextmanager
def running_server(index_dir: Path) -> Iterator[tuple[str, int]]:
    """``itudocs serve`` on a free port of 127.0.0.1; yields its address and process id."""
    command = [sys.executable, "-m", "itudocs", "serve", "--index", str(index_dir), "--port", "0"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, encoding="utf-8") as process:
        try:
            found = re.search(r"http://127\.0\.0\.1:\d+/", process.stdout.readline())  # type: ignore[union-attr]
            if not found:
                raise SystemExit("web: itudocs serve did not start")
            yield found.group(0), process.pid
        finally:
            process.terminate()


def searcher(address: str) -> Callable[[str, int | None], int]:
    """A client on its own kept-alive connection: asks ``/api/search``, returns the status."""
    parts = urlsplit(address)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=300)

    def ask(query: str, limit: int | None) -> int:
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
        return response.status

    return ask


def api_asker(address: str) -> Callable[[str, int | None], None]:
    ask = searcher(address)

    def checked(query: str, limit: int | None) -> None:
        status = ask(query, limit)
        if status != 200:
            raise SystemExit(f"web: /api/search answered {status} to {query!r}")

    return checked


@dataclass
class Load:
    """What clients saw: seconds per answered request, and the failures."""

    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ask(self, ask: Callable[[str, int | None], int], query: str) -> None:
        started = time.perf_counter()
        try:
            status = ask(query, 10)
        except (OSError, http.client.HTTPException) as error:
            failure = f"{query!r}: {error!r}"
        else:
            failure = "" if status == 200 else f"{query!r}: status {status}"
        took = time.perf_counter() - started
        with self.lock:
            if failure:
                self.errors.append(failure)
            else:
                self.seconds.append(took)


def run_clients(clients: int, client: Callable[[int], None]) -> float:
    """``client(n)`` in ``clients`` threads at once; the wall seconds until the last ends."""
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def warm_up(address: str, queries: tuple[str, ...]) -> None:
    """Every query asked by as many clients at once as the server has workers (or cores), twice over,
    so that each worker has cut words and read what the mix needs before anything is timed."""

    def client(n: int) -> None:
        ask = searcher(address)
        for query in queries * 2:
            ask(query, 10)

    progress("warming up")
    run_clients(cpu_count() or 1, client)


def concurrency(address: str, counts: list[int], requests: int, queries: tuple[str, ...]) -> list[list[str]]:
    """One row per client count: requests/s, p50, p95 and errors of ``requests`` top-10 searches."""
    warm_up(address, queries)
    rows = []
    for clients in counts:
        progress(f"{clients} clients")
        load = Load()

        def client(n: int, clients: int = clients, load: Load = load) -> None:
            ask = searcher(address)
            for k in range(n, requests, clients):  # the requests shared out, each client from its own query
                load.ask(ask, queries[k % len(queries)])

        wall = run_clients(clients, client)
        rows.append(
            [
                str(clients),
                f"{len(load.seconds) / wall:.1f}",
                f"{percentile(load.seconds, 50) * 1000:.0f} ms",
                f"{percentile(load.seconds, 95) * 1000:.0f} ms",
                str(len(load.errors)),
            ]
        )
        for error in load.errors[:5]:
            progress(f"  error: {error}")
    return rows


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its children (the server and its workers), MiB."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    total = 0
    for each in (pid, *map(int, children)):
        status = Path(f"/proc/{each}/status").read_text()
        total += int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))  # type: ignore[union-attr]
    return total / 1024


def soak(address: str, pid: int, docs: Path, index_dir: Path, minutes: float, queries: tuple[str, ...]) -> list[str]:
    """4 clients for ``minutes`` while a document changes and is re-indexed each minute: one row."""
    warm_up(address, queries)
    before = rss_mib(pid)
    load = Load()
    stop = threading.Event()
    reindexed: list[float] = []

    def client(n: int) -> None:
        ask = searcher(address)
        k = n
        while not stop.is_set():
            load.ask(ask, queries[k % len(queries)])
            k += 1

    def reindex() -> None:
        changing = sorted(docs.glob("*.txt"))[0]
        original = changing.read_text(encoding="utf-8")
        began = time.monotonic()
        for minute in range(1, int(minutes) + 1):
            # On the minute from the start, however long the runs before took.
            if stop.wait(max(0.0, began + 60 * minute - time.monotonic())):
                return
            changing.write_text(original + f"\n数字鸿沟 soak minute {minute}\n", encoding="utf-8")
            command = [sys.executable, "-m", "itudocs", "index", str(docs), "--index", str(index_dir)]
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8")
            if done.returncode != 0:
                with load.lock:
                    load.errors.append(f"itudocs index exited {done.returncode}: {done.stderr[-300:]}")
            reindexed.append(time.perf_counter() - started)
            progress(f"minute {minute}: re-indexed in {reindexed[-1]:.1f} s, {len(load.seconds)} answered")

    timer = threading.Timer(minutes * 60, stop.set)
    indexer = threading.Thread(target=reindex)
    timer.start()
    indexer.start()
    wall = run_clients(4, client)
    indexer.join()
    after = rss_mib(pid)
    for error in load.errors[:5]:
        progress(f"  error: {error}")
    return [
        f"{minutes:g} min",
        str(len(load.seconds)),
        f"{len(load.seconds) / wall:.1f}",
        f"{percentile(load.seconds, 50) * 1000:.0f} ms",
        f"{percentile(load.seconds, 95) * 1000:.0f} ms",
        str(len(reindexed)),
        str(len(load.errors)),
        f"{before:.0f} → {after:.0f} MiB ({after - before:+.0f})",
    ]


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


def build_index(work: Path, passages: int | None) -> tuple[Path, Path, str]:
    """An index of a copy of the sample, or of a generated corpus (kept from an earlier run
    with ``--work``): its documents' folder, its folder, and what it holds, for the title."""
    docs, index_dir = work / "docs", work / "index"
    if passages is None:
        docs.mkdir(exist_ok=True)
        for source in sample_folder().glob("*.txt"):
            (docs / source.name).write_bytes(source.read_bytes())
        report = Library(index_dir).index(docs)
        return docs, index_dir, f"the bundled sample ({report.passages + report.footnotes} passages)"
    holding = f"a generated corpus of {passages} passages"
    if (work / "passages").exists() and (work / "passages").read_text() == str(passages):
        return docs, index_dir, holding
    progress(f"generating and indexing {passages} passages")
    generate(docs, passages)
    Library(index_dir).index(docs)
    (work / "passages").write_text(str(passages))
    return docs, index_dir, holding


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passages", type=int, help="a generated corpus of this size instead of the sample")
    parser.add_argument("--rounds", type=int, default=3, help="timed passes over the query mix (default 3)")
    parser.add_argument("--queries", type=int, default=len(QUERY_MIX), help="ask only the first N of the mix")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON here")
    parser.add_argument("--clients", help="client counts, e.g. 1,4,16: the concurrency table instead")
    parser.add_argument("--requests", type=int, default=200, help="requests per row of the concurrency table")
    parser.add_argument("--soak", type=float, metavar="MINUTES", help="the soak table instead (4 clients)")
    parser.add_argument("--work", type=Path, metavar="DIR", help="keep the corpus and index in DIR, and reuse them")
    args = parser.parse_args(argv)
    if min(args.rounds, args.queries, args.requests, 1 if args.passages is None else args.passages) < 1:
        parser.error("--rounds, --queries, --requests and --passages must be at least 1")
    try:
        args.clients = [int(n) for n in args.clients.split(",")] if args.clients else None
    except ValueError:
        parser.error(f"--clients {args.clients}: give counts separated by commas, e.g. 1,4,16")
    if (args.clients and min(args.clients) < 1) or (args.soak is not None and args.soak <= 0):
        parser.error("--clients counts and --soak minutes must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    queries = QUERY_MIX[: args.queries]
    with tempfile.TemporaryDirectory(prefix="itudocs-web-bench-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        docs, index_dir, holding = build_index(work, args.passages)
        title = f"# itudocs web: {machine()['cpus']} CPUs, {holding}"
        if args.clients or args.soak:
            with running_server(index_dir) as (address, pid):
                if args.clients:
                    rows = concurrency(address, args.clients, args.requests, queries)
                    print(f"{title}, {args.requests} top-10 searches per row\n")
                    headers = ["clients", "requests/s", "p50", "p95", "errors"]
                    print(markdown_table(headers, rows, right=range(len(headers))))
                if args.soak:
                    row = soak(address, pid, docs, index_dir, args.soak, queries)
                    print(f"{title}, 4 clients, a document changed and re-indexed every minute\n")
                    headers = ["soak", "answered", "requests/s", "p50", "p95", "re-indexes", "errors", "server RSS"]
                    print(markdown_table(headers, [row], right=range(1, len(headers) - 1)))
            return 0
        with running_server(index_dir) as (address, _):
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
