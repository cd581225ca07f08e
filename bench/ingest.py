"""Ingest benchmark: indexing MB/s ÷ single-core jieba, on many files and on one large file.

    python bench/ingest.py                               # 10 MB of each kind, 1 repeat
    python bench/ingest.py --mb 50 --repeats 3 --json ingest.json

Each row indexes the same amount of text (``--mb``) in a fresh child process with
``Library.index`` (its reading workers' start-up and jieba loads included) and times
single-core ``jieba.cut_for_search`` over exactly that text in this process, dictionary
loaded, the two alternating in each repeat; the ratio is of medians.

* many files: ``corpus_gen.py``'s council-style exports, about 45 kB each;
* one file, generated: the same text run together into one file;
* one file, varied: council-style numbered paragraphs of words drawn from jieba's own
  dictionary by frequency, so hardly a phrase repeats (generated text recombines the
  sample's sentences, which flatters every cache and compresses well).

Peak RSS is the indexing child's own plus, per reading worker, the largest worker's: an
upper bound, the peaks need not coincide.  CPU seconds (the child's own and its workers')
against jieba's are the figure to read on a busy machine, where wall times say more about
the neighbours: on two idle cores an ingest takes at least max(parent, all ÷ 2).  Targets:
ratio ≥ 1.0×, RSS ≤ 1 GB.  Progress goes to stderr, the table to stdout.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import accumulate
from pathlib import Path

from corpus_gen import PASSAGES_PER_DOC, generate
from report import machine, markdown_table, write_json

MB = 1e6
GB = 1e9
# corpus_gen.py writes about this many bytes a passage.
BYTES_PER_PASSAGE = 370
RATIO_TARGET = 1.0
RSS_TARGET = GB

# In a child process, so its peak RSS is the indexing's alone; files of any size are read.
INDEX_CHILD = """
import json, resource, sys, time
from pathlib import Path
from itudocs.corpus.limits import ReadLimits
from itudocs.indexer.pipeline import worker_count
from itudocs.search.library import Library
folder = Path(sys.argv[1])
start = time.perf_counter()
report = Library(sys.argv[2]).index(folder, limits=ReadLimits(max_file_bytes=2**40))
seconds = time.perf_counter() - start
scale = 1 if sys.platform == "darwin" else 1024
me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
size = folder.stat().st_size if folder.is_file() else sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
workers = worker_count(size)
worker = children.ru_maxrss * scale if workers else 0
print(json.dumps({"seconds": seconds, "passages": report.passages + report.footnotes,
                  "problems": len(report.problems), "peak_rss": me.ru_maxrss * scale + workers * worker,
                  "cpu": [me.ru_utime + me.ru_stime, children.ru_utime + children.ru_stime]}))
"""


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def write_generated(many: Path, one: Path, size: int) -> None:
    """``corpus_gen.py``'s corpus of about ``size`` bytes into the folder ``many``, and run together into ``one``."""
    passages = max(PASSAGES_PER_DOC, size // BYTES_PER_PASSAGE)
    one.parent.mkdir(parents=True)
    with open(one, "w", encoding="utf-8") as handle:
        generate(many, passages, concat=handle)


def write_varied(path: Path, size: int, seed: int = 0) -> None:
    """About ``size`` bytes of numbered paragraphs under numbered headings, each word drawn
    from jieba's dictionary by its frequency."""
    import jieba

    with jieba.get_dict_file() as handle:
        entries = [line.decode("utf-8").split()[:2] for line in handle]
    words = [word for word, _ in entries]
    # Cumulative, once: given plain weights, ``choices`` would add up 350k of them every call.
    totals = list(accumulate(int(count) for _, count in entries))
    rng = random.Random(seed)

    def words_of(fewest: int, most: int) -> str:
        return "".join(rng.choices(words, cum_weights=totals, k=rng.randint(fewest, most)))

    lines: list[str] = []
    written = section = 0
    while written < size:
        section += 1
        first = len(lines)
        lines.append(f"{section}\t{words_of(2, 5)}")
        for number in range(1, rng.randint(4, 12) + 1):
            sentences = (
                "，".join(words_of(3, 9) for _ in range(rng.randint(1, 4))) + rng.choice("。；")
                for _ in range(rng.randint(1, 4))
            )
            lines.append(f"{section}.{number}\t" + "".join(sentences))
        written += sum(len(line.encode("utf-8")) + 1 for line in lines[first:])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def jieba_seconds(files: list[Path]) -> tuple[float, float]:
    """Wall and CPU seconds of single-core ``jieba.cut_for_search`` over the files' text, dictionary loaded."""
    import jieba

    jieba.setLogLevel(logging.WARNING)  # the dictionary-loading chatter is not a result
    jieba.initialize()
    texts = [file.read_text(encoding="utf-8") for file in files]
    cpu = time.process_time()
    seconds = timed(lambda: [sum(1 for _ in jieba.cut_for_search(text)) for text in texts])
    return seconds, time.process_time() - cpu


def index_once(docs: Path, index_dir: Path) -> dict[str, float]:
    shutil.rmtree(index_dir, ignore_errors=True)
    done = subprocess.run(
        [sys.executable, "-c", INDEX_CHILD, str(docs), str(index_dir)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"ingest: the indexing child process failed:\n{done.stderr}")
    return json.loads(done.stdout)


def measure(name: str, docs: Path, work: Path, repeats: int) -> dict[str, object]:
    files = sorted(docs.rglob("*.txt")) if docs.is_dir() else [docs]
    size = sum(file.stat().st_size for file in files)
    runs: dict[str, list] = {"jieba_s": [], "jieba_cpu": [], "index_s": [], "index_cpu": [], "peak_rss": []}
    passages = 0
    for n in range(repeats):
        progress(f"{name}: jieba {n + 1}/{repeats}")
        wall, cpu = jieba_seconds(files)
        runs["jieba_s"].append(wall)
        runs["jieba_cpu"].append(cpu)
        progress(f"{name}: indexing {n + 1}/{repeats}")
        run = index_once(docs, work / "index")
        if run["problems"]:
            raise SystemExit(f"ingest: {name}: {run['problems']} files were not indexed")
        runs["index_s"].append(run["seconds"])
        runs["index_cpu"].append(run["cpu"])
        runs["peak_rss"].append(run["peak_rss"])
        passages = int(run["passages"])
    return {"name": name, "files": len(files), "bytes": size, "passages": passages, **runs}


def rows(results: list[dict]) -> list[list[str]]:
    table = []
    for r in results:
        size = r["bytes"]
        mine, jieba = size / statistics.median(r["index_s"]), size / statistics.median(r["jieba_s"])
        peak = statistics.median(r["peak_rss"])
        spread = f"({min(r['index_s']):.1f}–{max(r['index_s']):.1f})" if len(r["index_s"]) > 1 else ""
        parent, workers = (statistics.median(side) for side in zip(*r["index_cpu"], strict=True))
        table.append(
            [
                r["name"],
                f"{r['files']:,}",
                f"{size / MB:.1f}",
                f"{r['passages']:,}",
                f"{statistics.median(r['index_s']):.1f} {spread}".strip(),
                f"{mine / MB:.2f}",
                f"{jieba / MB:.2f}",
                f"{mine / jieba:.2f}×",
                f"{parent:.0f} + {workers:.0f}",
                f"{statistics.median(r['jieba_cpu']) / (parent + workers):.2f}×",
                f"{peak / MB:,.0f}",
                "yes" if mine / jieba >= RATIO_TARGET and peak <= RSS_TARGET else "no",
            ]
        )
    return table


HEADERS = [
    "text",
    "files",
    "MB",
    "passages",
    "index s",
    "MB/s",
    "jieba MB/s",
    "÷ jieba",
    "CPU s: parent + workers",
    "jieba CPU ÷ CPU",
    "peak RSS MB",
    "met?",
]


def progress(message: str) -> None:
    print(f"[ingest] {message}", file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=10, help="MB of text in each row (default 10)")
    parser.add_argument("--repeats", type=int, default=1, help="runs of each measure (default 1)")
    parser.add_argument("--only", choices=("many", "one", "varied"), action="append", help="only these rows")
    parser.add_argument("--json", type=Path, help="also write every run here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    size = int(args.mb * MB)
    only = set(args.only or ("many", "one", "varied"))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="itudocs-ingest-") as tmp:
        work = Path(tmp)
        progress(f"writing {args.mb:g} MB of each kind of text")
        write_generated(work / "many", work / "one" / "generated.txt", size)
        write_varied(work / "varied" / "varied.txt", size)
        cases = [
            ("many files, generated", work / "many", "many"),
            ("one file, generated", work / "one" / "generated.txt", "one"),
            ("one file, varied", work / "varied" / "varied.txt", "varied"),
        ]
        results = [measure(name, docs, work, args.repeats) for name, docs, key in cases if key in only]
    print(markdown_table(HEADERS, rows(results), right=range(1, 11)))
    if args.json:
        write_json(args.json, {"machine": machine(), "seconds": time.perf_counter() - started, "rows": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())
