"""Searching across languages: the cross-language query sets with and without translation,
and with each source of translations alone.

    python bench/crosslang.py            # both sets, a table each
    python bench/crosslang.py -v         # and each query's recall@10 per variant
    python bench/crosslang.py --speed DIR   # warm top-10 latency with and without translation
                                            # on an index (speed.py --keep leaves one in DIR/10k/index)

First a table of what the shipped dictionary costs: opening both tables (reading the
files; nothing is parsed) and looking a word up in them.

``queries/crosslang.tsv``: English words whose answers are Chinese passages of the
bundled sample.  ``queries/crosslang_zh.tsv``: Chinese words whose answers are English
paragraphs of the Universal Declaration of Human Rights (``parallel/udhr``, both
language versions indexed and paired by its ``parallel.tsv``, so the table learned from
your documents has pairs to learn from).  Variants: no translation (``search.translate``
with no source: the names of the termbase still expand), the dictionary alone, the
learned table alone, both.  Run from the repository root.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from engines import ItudocsEngine
from judgments import evaluate, load_tsv, summarise
from report import markdown_table

from itudocs.corpus.loader import sample_folder
from itudocs.search import translate

ROOT = Path(__file__).resolve().parent.parent
SETS = (
    ("crosslang", ROOT / "bench" / "queries" / "crosslang.tsv", sample_folder()),
    ("crosslang_zh", ROOT / "bench" / "queries" / "crosslang_zh.tsv", ROOT / "bench" / "parallel" / "udhr"),
)
VARIANTS = {
    "no translation": (),
    "dictionary": (translate.DICTIONARY,),
    "your documents": (translate.DOCUMENTS,),
    "both": (translate.DICTIONARY, translate.DOCUMENTS),
}


def dictionary_costs() -> str:
    """Opening the two shipped tables in this process, and one lookup in each, averaged."""
    from itudocs.corpus.dictionary import EN_ZH, ZH_EN, shipped_table

    shipped_table.cache_clear()
    started = time.perf_counter()
    tables = shipped_table(EN_ZH), shipped_table(ZH_EN)
    opened = time.perf_counter() - started
    words = ("countri", "woman", "mobil phone", "educ", "infrastructur") * 200
    started = time.perf_counter()
    for word in words:
        tables[0].get(word)
        tables[1].get("国家")
    looked = (time.perf_counter() - started) / len(words)
    sizes = sum(table.size for table in tables) / 1e6
    rows = [
        ("open both tables", f"{opened * 1e3:.1f} ms", f"{sizes:.1f} MB"),
        ("a word in each", f"{looked * 1e6:.0f} µs", ""),
    ]
    return markdown_table(("dictionary", "time", "size"), rows, right=range(1, 3))


def latencies(index: Path, repeats: int = 5) -> str:
    """Warm top-10 latency p50/p95, with every source of translations and with none, of
    ``speed.py``'s query mix and of the English queries of ``crosslang.tsv``, in turn."""
    from speed import QUERY_MIX

    from itudocs.search.library import Library

    library = Library(index)
    english = tuple(dict.fromkeys(q.text for q in load_tsv(SETS[0][1], "crosslang").queries))
    rows = []
    for name, queries in (("speed.py's mix", QUERY_MIX), ("crosslang English", english)):
        for variant in ("no translation", "both"):
            translate.SOURCES = VARIANTS[variant]
            for query in queries:
                library.search(query)  # warm: the view, its postings, the dictionary
            times = []
            for _ in range(repeats):
                for query in queries:
                    started = time.perf_counter()
                    library.search(query)
                    times.append(time.perf_counter() - started)
            p50, p95 = statistics.median(times), statistics.quantiles(times, n=20)[-1]
            rows.append((name, variant, f"{p50 * 1e3:.1f} ms", f"{p95 * 1e3:.1f} ms"))
    translate.SOURCES = VARIANTS["both"]
    return markdown_table(("queries", "variant", "top 10 p50", "top 10 p95"), rows, right=range(2, 4))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-v", "--verbose", action="store_true", help="each query's recall@10 per variant")
    parser.add_argument("--speed", type=Path, metavar="INDEX", help="only time searches on this index")
    args = parser.parse_args(argv)
    if args.speed:
        print(latencies(args.speed))
        return 0
    print(dictionary_costs())
    with tempfile.TemporaryDirectory(prefix="itudocs-crosslang-") as tmp:
        for name, path, folder in SETS:
            query_set = load_tsv(path, name)
            engine = ItudocsEngine(folder, Path(tmp) / name)
            rows, per_query = [], {}
            for variant, sources in VARIANTS.items():
                translate.SOURCES = sources
                outcomes = [evaluate(q, engine.search(q.text, q.section)) for q in query_set.queries]
                s = summarise(outcomes)
                rows.append((variant, f"{s['recall_10']:.3f}", f"{s['ndcg_10']:.3f}", f"{s['recall_all']:.3f}"))
                per_query[variant] = outcomes
            what = f"{len(query_set.queries)} queries, {query_set.judged} judged passages"
            print(f"\n## {name}: {path.relative_to(ROOT)} over {folder.name} ({what})\n")
            print(markdown_table(("variant", "recall@10", "nDCG@10", "recall@all"), rows, right=range(1, 4)))
            if args.verbose:
                table = [
                    (q.qid, q.text, *(f"{per_query[v][i].recall_10:.2f}" for v in VARIANTS))
                    for i, q in enumerate(query_set.queries)
                ]
                print()
                print(markdown_table(("qid", "query", *VARIANTS), table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
