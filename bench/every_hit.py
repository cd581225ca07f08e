"""Every hit of a search, with snippets, against SQLite FTS5 returning every matching row with ``snippet()``.

    python bench/every_hit.py DIR --passages 30000    # DIR/docs generated, index/ and fts5.sqlite built if missing
    python bench/every_hit.py DIR --repeats 3 --json every_hit.json
    python bench/every_hit.py DIR --other OLD         # also OLD/itudocs (another checkout), same run
    python bench/every_hit.py DIR --other OLD --other-index OLDDIR/index   # OLD reads an index it built

``speed.py`` measures the same pair at each size up to 100k passages (its "every hit"
rows); this script measures only it, on a corpus and index left in ``DIR`` from one run to
the next, so a change to the every-hit path can be timed against the same index and peer.
Per query of ``speed.QUERY_MIX``: itudocs ``Library.search(query, limit=None)`` and each
hit's snippet, in a warm child process (each query once untimed first), and FTS5's every
matching row with ``snippet()`` (trigram tokenizer, a phrase query), warm too.  The table
gives each query's median over the repeats, then p50 and p95 over the mix and their ratios
(target: p95 ≤ 1.5× FTS5).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

from corpus_gen import generate
from report import machine, markdown_table, write_json
from speed import FTS5_EVERY_HIT, QUERY_MIX, build_fts5, percentile, progress, run_index

TARGET = 1.5
# One warm searcher: each query once untimed, then timed; the snippets are made as a listing would.
CHILD = """
import json, sys, time
from itudocs.search.library import Library
library, mix = Library(sys.argv[1]), json.loads(sys.argv[2])
def every_hit(query):
    return [hit.snippet for hit in library.search(query, limit=None).hits]
for query in mix:
    every_hit(query)
out = {}
for query in mix:
    start = time.perf_counter()
    hits = len(every_hit(query))
    out[query] = (hits, time.perf_counter() - start)
print(json.dumps(out))
"""


def fts5_every_hit(db: Path, mix: tuple[str, ...]) -> dict[str, tuple[int, float]]:
    """Rows and seconds per query of FTS5's every matching row with ``snippet()``, after one untimed pass."""
    connection = sqlite3.connect(db)

    def run(query: str) -> int:
        return len(connection.execute(FTS5_EVERY_HIT, ['"' + query.replace('"', '""') + '"']).fetchall())

    for query in mix:
        run(query)
    out = {}
    for query in mix:
        start = time.perf_counter()
        rows = run(query)
        out[query] = (rows, time.perf_counter() - start)
    connection.close()
    return out


def itudocs_every_hit(
    index_dir: Path, mix: tuple[str, ...], package: Path | None = None
) -> dict[str, tuple[int, float]]:
    """Hits and seconds per query of ``Library.search(limit=None)`` with snippets, in a warm child
    process; ``package``: a folder holding another ``itudocs`` package to import instead."""
    env = dict(os.environ)
    if package is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(package), env.get("PYTHONPATH"))))
    command = [sys.executable, "-c", CHILD, str(index_dir), json.dumps(mix)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        raise SystemExit(f"every_hit: the measuring child process failed:\n{done.stderr}")
    return {query: (hits, seconds) for query, (hits, seconds) in json.loads(done.stdout).items()}


def prepare(root: Path, passages: int) -> tuple[Path, Path]:
    """The index and FTS5 database of ``root``'s corpus, each made only if missing."""
    docs, index_dir, db = root / "docs", root / "index", root / "fts5.sqlite"
    if not docs.exists():
        progress(f"generating {passages} passages")
        generate(docs, passages)
    if not index_dir.exists():
        progress("indexing")
        run_index(docs, index_dir)
    if not db.exists():
        progress("building the FTS5 peer")
        build_fts5(docs, db)
    return index_dir, db


Runs = dict[str, list[dict[str, tuple[int, float]]]]


def measure(
    index_dir: Path, db: Path, mix: tuple[str, ...], repeats: int, other: Path | None, other_index: Path | None = None
) -> Runs:
    """``repeats`` runs of each, FTS5 and itudocs (and the ``other`` package, on ``other_index``
    if given, else on the same index) alternating."""
    runs: Runs = {"itudocs": [], "fts5": [], **({"other": []} if other else {})}
    for n in range(repeats):
        progress(f"every hit {n + 1}/{repeats}")
        runs["fts5"].append(fts5_every_hit(db, mix))
        runs["itudocs"].append(itudocs_every_hit(index_dir, mix))
        if other:
            runs["other"].append(itudocs_every_hit(other_index or index_dir, mix, other))
    return runs


def rows(runs: Runs, mix: tuple[str, ...]) -> list[tuple[str, ...]]:
    """One row per query (hits, median ms of each, ratio), then p50 and p95 over the mix."""
    engines = [name for name in ("itudocs", "other") if name in runs]

    def ms(engine: str, query: str) -> float:
        return statistics.median(run[query][1] for run in runs[engine]) * 1e3

    def percentile_ms(engine: str, p: int) -> float:
        return statistics.median(percentile([run[q][1] for q in mix], p) for run in runs[engine]) * 1e3

    table = []
    for query in mix:
        theirs = ms("fts5", query)
        cells = [f"{ms(e, query):.1f} ({ms(e, query) / theirs:.2f}×)" for e in engines]
        table.append(
            (query, f"{runs['itudocs'][0][query][0]:,}", *cells, f"{runs['fts5'][0][query][0]:,}", f"{theirs:.1f}", "")
        )
    for p in (50, 95):
        theirs = percentile_ms("fts5", p)
        cells = [f"{percentile_ms(e, p):.1f} ({percentile_ms(e, p) / theirs:.2f}×)" for e in engines]
        met = ("yes" if percentile_ms("itudocs", p) / theirs <= TARGET else "NO") if p == 95 else "–"
        table.append((f"p{p}", "", *cells, "", f"{theirs:.1f}", met))
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dir", type=Path, help="folder for the corpus (docs/), index/ and fts5.sqlite; reused")
    parser.add_argument("--passages", type=int, default=30_000, help="passages to generate if DIR has no docs/")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each (default 3)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON here")
    parser.add_argument(
        "--other",
        type=Path,
        metavar="FOLDER",
        help="also time the itudocs package in FOLDER (FOLDER/itudocs: another checkout, e.g. before a change)",
    )
    parser.add_argument(
        "--other-index",
        type=Path,
        metavar="INDEX",
        help="the index --other reads, built by it from DIR/docs (when the index format changed between the two)",
    )
    args = parser.parse_args(argv)
    if args.repeats < 1 or args.passages < 1:
        parser.error("--repeats and --passages must be at least 1")
    if args.other_index and not args.other:
        parser.error("--other-index needs --other")
    started = time.perf_counter()
    index_dir, db = prepare(args.dir, args.passages)
    runs = measure(index_dir, db, QUERY_MIX, args.repeats, args.other, args.other_index)
    wall = time.perf_counter() - started
    print(f"# itudocs every hit vs FTS5: {machine()['cpus']} CPUs, {args.repeats} repeats, {wall:.0f} s wall time\n")
    mine = ["itudocs ms (÷ FTS5)", *(["other ms (÷ FTS5)"] if args.other else [])]
    header = ("query", "hits", *mine, "FTS5 rows", "FTS5 ms", f"p95 ≤ {TARGET:g}×?")
    print(markdown_table(header, rows(runs, QUERY_MIX), right=tuple(range(1, len(header) - 1))))
    if args.json:
        write_json(args.json, {"benchmark": "every_hit", "machine": machine(), "repeats": args.repeats, "runs": runs})
    return 0


if __name__ == "__main__":
    sys.exit(main())
