"""Relevance benchmark: itudocs against two baselines, on judged query sets, in one run.

    python bench/relevance.py                      # shared set + bench/queries/council.tsv
    python bench/relevance.py --set shared -v      # one set, with per-query results
    python bench/relevance.py --set my.tsv --json out.json
    python bench/relevance.py --qrels q.trec --queries q.tsv --passages p.jsonl

Per query set, one table row per engine: pass rate (the ``expect`` column), recall
over all results, nDCG@10 and MRR@10.  Engines: itudocs, a substring scan (grep)
and Whoosh with jieba's ChineseAnalyzer (see ``engines.py``), over the bundled
sample, or over the passages of a TREC collection.  Run from the repository root.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from engines import Engine, ItudocsEngine, SubstringEngine, WhooshJiebaEngine, load_passages
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
HEADERS = ("engine", "pass", "pass all", "pass topN", "recall@all", "nDCG@10", "MRR@10")


def load_set(name_or_path: str) -> QuerySet:
    if name_or_path in SETS:
        path, scopes = SETS[name_or_path]
        return load_tsv(path, name_or_path, scopes)
    path = Path(name_or_path)
    return load_tsv(path, path.stem)


def run_set(query_set: QuerySet, engines: list[Engine]) -> dict[str, object]:
    results: dict[str, object] = {}
    for engine in engines:
        outcomes = [evaluate(q, engine.search(q.text, q.section)) for q in query_set.queries]
        results[engine.name] = {"summary": summarise(outcomes), "queries": [outcome_json(o) for o in outcomes]}
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
        help=f"query set to run: {', '.join(SETS)}, or a TSV in their format (repeatable; default: all named sets)",
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
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="itudocs-relevance-") as tmp:
        work = Path(tmp)
        if args.qrels:
            folder = work / "passages"
            sets = [load_collection(args.qrels, args.queries, args.passages, folder)]
            corpus = str(args.passages)
        else:
            folder = sample_folder()
            sets = [load_set(name) for name in args.sets or SETS]
            corpus = str(folder)
        passages = load_passages(folder)
        engines: list[Engine] = [
            ItudocsEngine(folder, work / "index"),
            SubstringEngine(passages),
            WhooshJiebaEngine(passages),
        ]
        names = ", ".join(e.name for e in engines)
        print(f"# itudocs relevance: {corpus} ({len(passages)} passages); engines: {names}")
        results = [run_set(query_set, engines) for query_set in sets]
    for result in results:
        print_result(result, args.verbose)
    if args.json:
        write_json(args.json, {"benchmark": "relevance", "machine": machine(), "corpus": corpus, "sets": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())
