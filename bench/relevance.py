"""Relevance benchmark: itudocs against two baselines, on judged query sets, in one run.

    python bench/relevance.py                      # every set: shared, council, cisi, cmrc2018
    python bench/relevance.py --set shared -v      # one set, with per-query results
    python bench/relevance.py --set cmrc2018 --every 10   # every 10th query of a large set
    python bench/relevance.py --set my.tsv --json out.json
    python bench/relevance.py --qrels q.trec --queries q.tsv --passages p.jsonl
    python bench/relevance.py --set cisi --other OLD --repeats 3   # also OLD/itudocs (another checkout)

Per query set, one table row per engine: pass rate (the ``expect`` column), recall
over all results, nDCG@10, MRR@10 and queries per second.  Engines (see
``engines.py``): itudocs, a substring scan (grep), Whoosh with jieba's ChineseAnalyzer
(words ANDed, and ORed: plain BM25F) and SQLite FTS5 (porter, bm25, words ORed).  The
domain sets (``shared``, ``council``) run over the bundled sample; the outside
collections (``cisi``, ``cmrc2018``, in ``bench/data/``) and a ``--qrels`` collection
over their own passages, every engine returning its best ``COLLECTION_DEPTH``.  Run
from the repository root.

Queries per second: each engine answers the whole set ``--repeats`` times, the engines
taking turns, and the median run counts.  With ``--other FOLDER`` the itudocs package in
``FOLDER/itudocs`` (another checkout, e.g. before a change) is an engine too, and both
itudocs run the same way, each in a child process of its own (``CHECKOUT_CHILD``) over
an index it built itself, so the two are timed alike.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from engines import (
    Engine,
    Found,
    Fts5Engine,
    ItudocsEngine,
    SubstringEngine,
    WhooshBM25Engine,
    WhooshJiebaEngine,
    load_passages,
)
from judgments import QuerySet, evaluate, load_tsv, outcome_json, summarise
from report import machine, markdown_table, write_json
from trec import load_collection

from itudocs.corpus.loader import sample_folder

ROOT = Path(__file__).resolve().parent.parent
# The shared set has no section column; its q05 is scoped to 003's annex, as in tests/test_search_eval.py.
SETS = {
    "shared": (ROOT / "tests" / "data" / "queries.tsv", {"q05": "成果文件"}),
    "council": (ROOT / "bench" / "queries" / "council.tsv", {}),
    # English words whose answers are Chinese passages (bench/crosslang.py also runs it per translation source).
    "crosslang": (ROOT / "bench" / "queries" / "crosslang.tsv", {}),
}
# Outside collections in TREC form (bench/data/<name>/, see its README): their own passages.
COLLECTIONS = ("cisi", "cmrc2018")
DATA = ROOT / "bench" / "data"
# How many results each engine returns on a collection: a ranking is judged by its top.
COLLECTION_DEPTH = 100
HEADERS = ("engine", "pass", "pass all", "pass topN", "recall@all", "nDCG@10", "MRR@10", "queries/s")
# One itudocs checkout answering a query set: it indexes the folder (nothing to do when its
# index is current), answers the first query untimed (jieba's dictionary, the index opened),
# then the set, timed; stdin: [[text, section], ...]; stdout: the hits and the seconds.
CHECKOUT_CHILD = """
import json, sys, time
from itudocs.search.library import Library
folder, index_dir, limit = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
queries = json.load(sys.stdin)
library = Library(index_dir)
library.index(folder)
def answer(text, section):
    try:
        result = library.search(text, limit=limit, section=section)
    except ValueError:
        return []
    return [[h.file, h.text, h.citation.label, list(h.citation.section)] for h in result.hits]
answer(*queries[0])
start = time.perf_counter()
found = [answer(text, section) for text, section in queries]
print(json.dumps({"found": found, "seconds": time.perf_counter() - start}))
"""


class CheckoutEngine:
    """itudocs from a checkout's package (``package``/itudocs; None: this one), in a child process."""

    def __init__(self, name: str, folder: Path, index_dir: Path, package: Path | None) -> None:
        self.name, self.folder, self.index_dir = name, folder, index_dir
        self.env = dict(os.environ)
        if package is not None:
            self.env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(package), self.env.get("PYTHONPATH"))))

    def answer(self, query_set: QuerySet, limit: int | None) -> tuple[list[list[Found]], float]:
        """Each query's hits and the seconds the set took."""
        command = [sys.executable, "-c", CHECKOUT_CHILD, str(self.folder), str(self.index_dir), json.dumps(limit)]
        asked = json.dumps([[q.text, q.section] for q in query_set.queries])
        done = subprocess.run(command, input=asked, capture_output=True, text=True, check=False, env=self.env)
        if done.returncode != 0:
            raise SystemExit(f"relevance: {self.name} failed in its child process:\n{done.stderr}")
        out = json.loads(done.stdout)
        found = [[Found(file, text, label, tuple(section)) for file, text, label, section in f] for f in out["found"]]
        return found, out["seconds"]


def answer(engine: Engine | CheckoutEngine, query_set: QuerySet, limit: int | None) -> tuple[list[list[Found]], float]:
    """Each query's hits from ``engine`` and the seconds the set took."""
    if isinstance(engine, CheckoutEngine):
        return engine.answer(query_set, limit)
    started = time.perf_counter()
    found = [engine.search(q.text, q.section, limit) for q in query_set.queries]
    return found, time.perf_counter() - started


def load_set(name_or_path: str) -> QuerySet:
    if name_or_path in SETS:
        path, scopes = SETS[name_or_path]
        return load_tsv(path, name_or_path, scopes)
    path = Path(name_or_path)
    return load_tsv(path, path.stem)


def run_set(
    query_set: QuerySet, engines: list[Engine | CheckoutEngine], limit: int | None = None, repeats: int = 1
) -> dict[str, object]:
    """Every engine's answers judged, and its queries per second over its median of ``repeats`` runs."""
    found: dict[str, list[list[Found]]] = {}
    seconds: dict[str, list[float]] = {engine.name: [] for engine in engines}
    for _ in range(repeats):
        for engine in engines:
            answers, took = answer(engine, query_set, limit)
            found.setdefault(engine.name, answers)
            seconds[engine.name].append(took)
    results: dict[str, object] = {}
    for name, answers in found.items():
        outcomes = [evaluate(q, f) for q, f in zip(query_set.queries, answers, strict=True)]
        rate = len(answers) / statistics.median(seconds[name])
        summary = {**summarise(outcomes), "queries_per_second": round(rate, 1)}
        results[name] = {"summary": summary, "seconds": seconds[name], "queries": [outcome_json(o) for o in outcomes]}
    return {
        "name": query_set.name,
        "source": query_set.source,
        "queries": len(query_set.queries),
        "judged": query_set.judged,
        "engines": results,
    }


def _ratio(pair: list[int], *, percent: bool = False) -> str:
    passed, total = pair
    if not total:
        return "–"
    return f"{passed}/{total} ({passed / total:.0%})" if percent else f"{passed}/{total}"


def summary_table(result: dict) -> str:
    rows = []
    for name, engine in result["engines"].items():
        s = engine["summary"]
        rows.append(
            (
                name,
                _ratio(s["pass"], percent=True),
                _ratio(s["pass_all"]),
                _ratio(s["pass_top"]),
                f"{s['recall_all']:.3f}",
                f"{s['ndcg_10']:.3f}",
                f"{s['mrr_10']:.3f}",
                f"{s['queries_per_second']:.0f}",
            )
        )
    return markdown_table(HEADERS, rows, right=range(1, len(HEADERS)))


def per_query_table(result: dict) -> str:
    """Each query's pass mark and recall for every engine, to see who wins where."""
    names = list(result["engines"])
    columns = [result["engines"][n]["queries"] for n in names]
    rows = []
    for outcomes in zip(*columns, strict=True):
        first = outcomes[0]
        marks = [f"{'✓' if o['passed'] else '✗'} {o['recall']:.2f} n={o['hits']}" for o in outcomes]
        rows.append((first["qid"], first["query"], first["expect"], *marks))
    return markdown_table(("qid", "query", "expect", *names), rows)


def failures(result: dict, engine: str = "itudocs") -> str:
    lines = []
    for outcome in result["engines"][engine]["queries"]:
        if outcome["passed"]:
            continue
        lines.append(f"- {outcome['qid']} {outcome['query']!r} ({outcome['expect']}, {outcome['hits']} hits):")
        lines.extend(f"    {problem}" for problem in outcome["problems"])
    return "\n".join(lines) if lines else "(none)"


def print_result(result: dict, verbose: bool) -> None:
    what = f"{result['queries']} queries, {result['judged']} judged passages"
    print(f"\n## {result['name']}: {result['source']} ({what})\n")
    print(summary_table(result))
    if verbose:
        print(f"\n### {result['name']}: per query (pass, recall, hits)\n")
        print(per_query_table(result))
        print(f"\n### {result['name']}: itudocs failures\n")
        print(failures(result))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        metavar="NAME|TSV",
        help=f"query set to run: {', '.join([*SETS, *COLLECTIONS])}, or a TSV in the domain sets' format "
        "(repeatable; default: all named sets)",
    )
    parser.add_argument(
        "--every", type=int, default=1, metavar="N", help="on a collection, only every N-th query (a quicker run)"
    )
    parser.add_argument("--qrels", type=Path, help="TREC qrels (qid 0 docid rel); needs --queries and --passages")
    parser.add_argument("--queries", type=Path, help="TREC queries: qid<TAB>text")
    parser.add_argument("--passages", type=Path, help="passages: docid<TAB>text, or JSON lines with id and text")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON here")
    parser.add_argument(
        "--other",
        type=Path,
        metavar="FOLDER",
        help="also run the itudocs package in FOLDER (FOLDER/itudocs: another checkout, e.g. before a change)",
    )
    parser.add_argument(
        "--repeats", type=int, default=1, metavar="N", help="time each engine N times, taking turns; the median counts"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="per-query results and itudocs' failures")
    args = parser.parse_args(argv)
    trec = [args.qrels, args.queries, args.passages]
    if any(trec) and not all(trec):
        parser.error("--qrels, --queries and --passages go together")
    if all(trec) and args.sets:
        parser.error("--set runs on the bundled sample; a TREC collection brings its own passages")
    if args.every < 1 or args.repeats < 1:
        parser.error("--every and --repeats take a positive number")
    if args.other and not (args.other / "itudocs" / "search" / "library.py").is_file():
        parser.error(f"--other {args.other}: no itudocs package in {args.other / 'itudocs'}")
    return args


def make_engines(folder: Path, work: Path, other: Path | None = None) -> list[Engine | CheckoutEngine]:
    """The engines over ``folder``; with ``other``, this checkout and that one each in a child process."""
    passages = load_passages(folder)
    mine: list[Engine | CheckoutEngine] = (
        [
            CheckoutEngine("itudocs", folder, work / "index", None),
            CheckoutEngine("itudocs other", folder, work / "index-other", other),
        ]
        if other
        else [ItudocsEngine(folder, work / "index")]
    )
    engines: list[Engine | CheckoutEngine] = [
        *mine,
        SubstringEngine(passages),
        WhooshJiebaEngine(passages),
        WhooshBM25Engine(passages),
        Fts5Engine(passages),
    ]
    names = ", ".join(e.name for e in engines)
    print(f"# itudocs relevance: {folder.name} ({len(passages)} passages); engines: {names}", flush=True)
    return engines


def run_collection(
    qrels: Path, queries: Path, passages: Path, name: str, args: argparse.Namespace
) -> dict[str, object]:
    """A TREC collection's queries, every engine indexing its passages afresh."""
    with tempfile.TemporaryDirectory(prefix="itudocs-relevance-") as tmp:
        work = Path(tmp)
        folder = work / name
        query_set = load_collection(qrels, queries, passages, folder, name, args.every)
        return run_set(query_set, make_engines(folder, work, args.other), COLLECTION_DEPTH, args.repeats)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    results = []
    if args.qrels:
        results.append(run_collection(args.qrels, args.queries, args.passages, "trec", args))
    wanted = args.sets or ([] if args.qrels else [*SETS, *COLLECTIONS])
    on_sample = [load_set(name) for name in wanted if name not in COLLECTIONS]
    if on_sample:
        with tempfile.TemporaryDirectory(prefix="itudocs-relevance-") as tmp:
            engines = make_engines(sample_folder(), Path(tmp), args.other)
            results += [run_set(query_set, engines, repeats=args.repeats) for query_set in on_sample]
    for name in (name for name in wanted if name in COLLECTIONS):
        files = [DATA / name / part for part in ("qrels.txt", "queries.tsv", "passages.tsv.gz")]
        results.append(run_collection(*files, name, args))
    for result in results:
        print_result(result, args.verbose)
    if args.json:
        write_json(args.json, {"benchmark": "relevance", "machine": machine(), "sets": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())
