"""Relevance benchmark: itudocs against two baselines, on judged query sets, in one run.

    python bench/relevance.py                      # every set: shared, council, cisi, cmrc2018
    python bench/relevance.py --set shared -v      # one set, with per-query results
    python bench/relevance.py --set cmrc2018 --every 10   # every 10th query of a large set
    python bench/relevance.py --set my.tsv --json out.json
    python bench/relevance.py --qrels q.trec --queries q.tsv --passages p.jsonl

Per query set, one table row per engine: pass rate (the ``expect`` column), recall
over all results, nDCG@10, MRR@10 and queries per second.  Engines (see
``engines.py``): itudocs, a substring scan (grep), Whoosh with jieba's ChineseAnalyzer
(words ANDed, and ORed: plain BM25F) and SQLite FTS5 (porter, bm25, words ORed).  The
domain sets (``shared``, ``council``) run over the bundled sample; the outside
collections (``cisi``, ``cmrc2018``, in ``bench/data/``) and a ``--qrels`` collection
over their own passages, every engine returning its best ``COLLECTION_DEPTH``.  Run
from the repository root.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from engines import (
    Engine,
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


def load_set(name_or_path: str) -> QuerySet:
    if name_or_path in SETS:
        path, scopes = SETS[name_or_path]
        return load_tsv(path, name_or_path, scopes)
    path = Path(name_or_path)
    return load_tsv(path, path.stem)


def run_set(query_set: QuerySet, engines: list[Engine], limit: int | None = None) -> dict[str, object]:
    results: dict[str, object] = {}
    for engine in engines:
        started = time.perf_counter()
        found = [engine.search(q.text, q.section, limit) for q in query_set.queries]
        seconds = time.perf_counter() - started
        outcomes = [evaluate(q, f) for q, f in zip(query_set.queries, found, strict=True)]
        summary = {**summarise(outcomes), "queries_per_second": round(len(found) / seconds, 1)}
        results[engine.name] = {"summary": summary, "queries": [outcome_json(o) for o in outcomes]}
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
    parser.add_argument("-v", "--verbose", action="store_true", help="per-query results and itudocs' failures")
    args = parser.parse_args(argv)
    trec = [args.qrels, args.queries, args.passages]
    if any(trec) and not all(trec):
        parser.error("--qrels, --queries and --passages go together")
    if all(trec) and args.sets:
        parser.error("--set runs on the bundled sample; a TREC collection brings its own passages")
    if args.every < 1:
        parser.error("--every takes a positive number")
    return args


def make_engines(folder: Path, work: Path) -> list[Engine]:
    passages = load_passages(folder)
    engines: list[Engine] = [
        ItudocsEngine(folder, work / "index"),
        SubstringEngine(passages),
        WhooshJiebaEngine(passages),
        WhooshBM25Engine(passages),
        Fts5Engine(passages),
    ]
    names = ", ".join(e.name for e in engines)
    print(f"# itudocs relevance: {folder.name} ({len(passages)} passages); engines: {names}", flush=True)
    return engines


def run_collection(qrels: Path, queries: Path, passages: Path, name: str, every: int) -> dict[str, object]:
    """A TREC collection's queries, every engine indexing its passages afresh."""
    with tempfile.TemporaryDirectory(prefix="itudocs-relevance-") as tmp:
        work = Path(tmp)
        folder = work / name
        query_set = load_collection(qrels, queries, passages, folder, name, every)
        return run_set(query_set, make_engines(folder, work), COLLECTION_DEPTH)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    results = []
    if args.qrels:
        results.append(run_collection(args.qrels, args.queries, args.passages, "trec", args.every))
    wanted = args.sets or ([] if args.qrels else [*SETS, *COLLECTIONS])
    on_sample = [load_set(name) for name in wanted if name not in COLLECTIONS]
    if on_sample:
        with tempfile.TemporaryDirectory(prefix="itudocs-relevance-") as tmp:
            engines = make_engines(sample_folder(), Path(tmp))
            results += [run_set(query_set, engines) for query_set in on_sample]
    for name in (name for name in wanted if name in COLLECTIONS):
        files = [DATA / name / part for part in ("qrels.txt", "queries.tsv", "passages.tsv.gz")]
        results.append(run_collection(*files, name, args.every))
    for result in results:
        print_result(result, args.verbose)
    if args.json:
        write_json(args.json, {"benchmark": "relevance", "machine": machine(), "sets": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())
