"""The translation table itudocs learns from aligned paragraphs, on a public UN parallel text.

    python bench/learned_table.py UDHR_ZH.xml UDHR_EN.xml [--top 40]

The input is the Universal Declaration of Human Rights in simplified Chinese and in
English as the UDHR in Unicode project publishes it (``udhr_cmn_hans.xml`` and
``udhr_eng.xml``).  Each paragraph is written as a numbered paragraph
(``ARTICLE.N<TAB>text``; the preamble is article 0) into a Chinese and an English text
file paired by a ``parallel.tsv``, as a user's folder would pair them; the folder is
indexed, and the top pairs of the table the index learned are printed, by G², for
judging by hand.  Run from the repository root.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from itudocs.indexer.translations import SUFFIX, read_table
from itudocs.search.library import Library

_NS = "{http://efele.net/udhr}"


def numbered_paragraphs(path: Path) -> list[str]:
    """``ARTICLE.N<TAB>text`` for each paragraph of a UDHR XML file, the preamble as article 0."""
    root = ET.parse(path).getroot()
    lines = []
    sections = [(0, root.find(f"{_NS}preamble"))] + [
        (int(article.get("number", "0")), article) for article in root.iter(f"{_NS}article")
    ]
    for number, section in sections:
        if section is None:
            continue
        for n, para in enumerate(section.iter(f"{_NS}para"), start=1):
            text = " ".join("".join(para.itertext()).split())
            if text:
                lines.append(f"{number}.{n}\t{text}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("zh", type=Path, help="udhr_cmn_hans.xml")
    parser.add_argument("en", type=Path, help="udhr_eng.xml")
    parser.add_argument("--top", type=int, default=40, help="how many pairs to print (default 40)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="itudocs-learned-") as tmp:
        folder = Path(tmp) / "udhr"
        folder.mkdir()
        (folder / "udhr_zh.txt").write_text("世界人权宣言\n" + "\n".join(numbered_paragraphs(args.zh)) + "\n", "utf-8")
        english = "Universal Declaration of Human Rights\n" + "\n".join(numbered_paragraphs(args.en)) + "\n"
        (folder / "udhr_en.txt").write_text(english, "utf-8")
        (folder / "parallel.tsv").write_text("udhr_zh.txt\tudhr_en.txt\n", "utf-8")
        index = Path(tmp) / "index"
        Library(index).index(folder)
        table = next(index.glob(f"*{SUFFIX}"))
        header = table.read_text(encoding="utf-8").splitlines()[1]
        pairs = read_table(table)
    print(f"# {len(pairs)} pairs learned; {header.lstrip('# ')}")
    print("| # | English | Chinese | confidence | G² |\n|---|---|---|---|---|")
    for n, pair in enumerate(pairs[: args.top], start=1):
        print(f"| {n} | {pair.english} | {pair.chinese} | {pair.confidence:.2f} | {pair.g2:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
