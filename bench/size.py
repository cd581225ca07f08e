"""Index size benchmark: itudocs's index on disk, part by part, against SQLite FTS5's.

    python bench/size.py                                   # 10k passages, both kinds of text
    python bench/size.py --sizes 10k,100k --json size.json
    python bench/size.py --sizes 100k --texts low-repeat --keep DIR

For each kind of text ``corpus_gen.py`` writes (``generated``: the sample's sentences
recombined, which repeat a great deal; ``low-repeat``: some 30,000 sentences of public
Chinese and English text) and each size, the same files are indexed by itudocs (in a
child process, as ``speed.py`` does) and put into an FTS5 table with the trigram
tokenizer (``speed.build_fts5``).  The table gives the text's size, the index's size by
kind of file (the unit streams exact matching scans, the stored passages, the postings,
the term dictionaries, everything else), FTS5's size, and the ratios; target: the index
no larger than FTS5's.  Sizes are deterministic, so there is one run of each.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from corpus_gen import TEXTS, generate
from report import machine, markdown_table, require_empty_keep, work_folder, write_json
from speed import build_fts5, parse_sizes, progress, run_index

MB = 1e6
# Kinds of index file, by how the name ends (Whoosh's segment files and itudocs's columns).
KINDS = {
    "units": (".units.col",),
    "stored": ("._stored.col",),
    "postings": (".pst",),
    "terms": (".trm",),
}
OTHER = "other"


@dataclass(frozen=True, slots=True)
class Measured:
    """One corpus: its text, itudocs's index by kind of file, and FTS5's database, in bytes."""

    text: str
    label: str
    passages: int
    text_bytes: int
    index_bytes: dict[str, int]
    fts5_bytes: int

    @property
    def index_total(self) -> int:
        return sum(self.index_bytes.values())


def kind_of(name: str) -> str:
    """Which of KINDS an index file is (OTHER when none).

    >>> kind_of("R1_abc.units.col"), kind_of("R1_abc.label_units.col"), kind_of("R1_abc.pst")
    ('units', 'other', 'postings')
    """
    return next((kind for kind, endings in KINDS.items() if name.endswith(endings)), OTHER)


def index_bytes(index_dir: Path) -> dict[str, int]:
    """Bytes on disk of each kind of file in the index folder."""
    sizes = dict.fromkeys((*KINDS, OTHER), 0)
    for path in index_dir.iterdir():
        if path.is_file():
            sizes[kind_of(path.name)] += path.stat().st_size
    return sizes


def measure(text: str, label: str, passages: int, work: Path) -> Measured:
    root = work / f"{text}-{label}"
    docs, index_dir, db = root / "docs", root / "index", root / "fts5.sqlite"
    progress(f"{text} {label}: generating {passages} passages")
    made = generate(docs, passages, text=text)
    progress(f"{text} {label}: indexing")
    run_index(docs, index_dir)
    progress(f"{text} {label}: building the FTS5 baseline")
    build_fts5(docs, db)
    return Measured(text, label, made.passages, made.bytes, index_bytes(index_dir), db.stat().st_size)


def table(results: list[Measured]) -> str:
    kinds = (*KINDS, OTHER)
    headers = ("text", "passages", "text MB", *(f"{kind} MB" for kind in kinds), "index MB", "FTS5 MB")
    headers += ("index ÷ text", "FTS5 ÷ text", "index ÷ FTS5")
    rows = [
        (
            r.text,
            r.label,
            f"{r.text_bytes / MB:.1f}",
            *(f"{r.index_bytes[kind] / MB:.1f}" for kind in kinds),
            f"{r.index_total / MB:.1f}",
            f"{r.fts5_bytes / MB:.1f}",
            f"{r.index_total / r.text_bytes:.2f}×",
            f"{r.fts5_bytes / r.text_bytes:.2f}×",
            f"{r.index_total / r.fts5_bytes:.2f}×",
        )
        for r in results
    ]
    return markdown_table(headers, rows, right=range(2, len(headers)))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=parse_sizes, default="10k", help="comma-separated passages: 10k,100k,1m or N")
    parser.add_argument(
        "--texts", default=",".join(TEXTS), help=f"comma-separated kinds of text: {', '.join(TEXTS)} (default both)"
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON here")
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="work in DIR (new or empty); leave each corpus and index there"
    )
    args = parser.parse_args(argv)
    args.texts = [t.strip() for t in args.texts.split(",") if t.strip()]
    unknown = [t for t in args.texts if t not in TEXTS]
    if unknown or not args.texts:
        parser.error(f"--texts {','.join(unknown)}: use {' or '.join(TEXTS)}")
    require_empty_keep(parser, args.keep)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    with work_folder(args.keep, "size") as work:
        results = [measure(text, label, n, work) for label, n in args.sizes for text in args.texts]
    wall = time.perf_counter() - started
    print(f"# itudocs index size: {wall / 60:.1f} min wall time\n")
    print(table(results))
    if args.json:
        write_json(
            args.json,
            {
                "benchmark": "size",
                "machine": machine(),
                "wall_seconds": wall,
                "kinds": {**{kind: list(endings) for kind, endings in KINDS.items()}, OTHER: []},
                "results": [{**asdict(r), "index_total": r.index_total} for r in results],
            },
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
