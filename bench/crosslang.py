"""Searching across languages: the cross-language query sets with and without translation,
and with each source of translations alone.

    python bench/crosslang.py            # both sets, a table each
    python bench/crosslang.py -v         # and each query's recall@10 per variant

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
import sys
import tempfile
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-v", "--verbose", action="store_true", help="each query's recall@10 per variant")
    args = parser.parse_args(argv)
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
