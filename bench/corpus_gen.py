"""A larger corpus for the benchmarks, built deterministically from public text in the repository.

    python bench/corpus_gen.py OUT_DIR --passages 10000 [--seed 0] [--text low-repeat]

Sentences of the five sample documents are recombined into new council-style text
exports: a title, the cover sections, numbered sections of ``LABEL<TAB>text``
paragraphs, footnotes now and then, and references whose numbers vary
(第{n}号决议, A/RES/{s}/{n}, ITU-R第{n}-{r}号决议, CWG-WSIS&SDG-{m}/{k}).  The
same seed and size always give the same files; each written line is one passage,
and each footnote one more.

Five documents' sentences repeat a great deal at 100k passages, which flatters any
index that compresses.  ``--text low-repeat`` draws the prose from some 30,000
sentences instead: the sample's, the CMRC 2018 paragraphs' and the Universal
Declaration of Human Rights' in Chinese, and the CISI abstracts' and the
Declaration's in English (a paragraph in one language or the other), in the same
document shape.
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from itudocs.corpus.loader import discover, read_document, sample_folder
from itudocs.corpus.model import Kind

BENCH = Path(__file__).resolve().parent
PASSAGES_PER_DOC = 120
FOOTNOTE_CHANCE = 0.04
_SENTENCE = re.compile(r"[^。；]+[。；]")
_CITIES = ("布加勒斯特", "迪拜", "釜山", "瓜达拉哈拉", "日内瓦", "基加利", "巴库")
COVER = ("目的", "理事会需采取的行动", "与《战略规划》的关联", "参考文件")
TEXTS = ("generated", "low-repeat")
# Of the low-repeat text's paragraphs, about this share is English (the rest Chinese).
ENGLISH_SHARE = 0.25
_ENGLISH_SENTENCE = re.compile(r"\S.*?[.?!](?=\s+[A-Z]|\s*$)")


@dataclass(frozen=True, slots=True)
class Seeds:
    """What documents are recombined from: prose sentences, headings and footnote texts."""

    sentences: tuple[str, ...]
    headings: tuple[str, ...]
    notes: tuple[str, ...]
    # Sentences a paragraph is drawn from instead, now and then (ENGLISH_SHARE); none in generated text.
    english: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Generated:
    files: int
    passages: int
    bytes: int


def load_seeds(folder: Path) -> Seeds:
    sentences: list[str] = []
    headings: list[str] = []
    notes: list[str] = []
    for source in discover(folder):
        for passage in read_document(source).passages:
            if passage.kind is Kind.PARAGRAPH:
                sentences.extend(s for s in _SENTENCE.findall(passage.text) if len(s) >= 12)
            elif passage.kind is Kind.HEADING and passage.text not in COVER:
                headings.append(passage.text)
            elif passage.kind is Kind.FOOTNOTE:
                notes.append(passage.text)
    return Seeds(tuple(sentences), tuple(headings), tuple(notes))


def load_low_repeat(folder: Path) -> Seeds:
    """The sample's headings and notes, with prose sentences from every public text at hand."""
    sample = load_seeds(folder)
    chinese = [*sample.sentences, *_tsv_texts(BENCH / "data" / "cmrc2018" / "passages.tsv.gz")]
    chinese += _tsv_texts(BENCH / "parallel" / "udhr" / "udhr_zh.txt")
    english = [
        s for text in _tsv_texts(BENCH / "data" / "cisi" / "passages.tsv.gz") for s in _ENGLISH_SENTENCE.findall(text)
    ]
    english += _tsv_texts(BENCH / "parallel" / "udhr" / "udhr_en.txt")
    return Seeds(
        tuple(s for s in chinese if len(s) >= 12),
        sample.headings,
        (*sample.notes, *(s for s in chinese if 12 <= len(s) <= 60)),
        tuple(s for s in english if len(s) >= 30),
    )


def _tsv_texts(path: Path) -> list[str]:
    """The text column of an ``id<TAB>text`` file (gzipped or not); lines without a tab are left out."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return [line.partition("\t")[2].strip() for line in data.decode("utf-8").splitlines() if "\t" in line]


def _vary(pattern: str, make: Callable[[random.Random], str], rng: random.Random) -> Callable[[str], str]:
    """A rewrite of every match of ``pattern``, half of them kept so the seed's own references stay common."""
    regex = re.compile(pattern)
    return lambda text: regex.sub(lambda m: m.group() if rng.random() < 0.5 else make(rng), text)


def _rewrites(rng: random.Random) -> list[Callable[[str], str]]:
    return [
        _vary(r"第\d{1,4}号决议", lambda r: f"第{r.randint(1, 1400)}号决议", rng),
        _vary(r"A/RES/\d{2}/\d{1,3}", lambda r: f"A/RES/{r.randint(50, 80)}/{r.randint(1, 330)}", rng),
        _vary(r"(?:19|20)\d\d年", lambda r: f"{r.randint(1998, 2030)}年", rng),
    ]


def _reference(rng: random.Random) -> str:
    """One entry of a reference list, with varied numbers."""
    year = rng.randint(2002, 2026)
    return rng.choice(
        (
            f"全权代表大会第{rng.randint(1, 220)}号决议（{year}年，{rng.choice(_CITIES)}，修订版）",
            f"理事会第{rng.randint(1300, 1420)}号决议（{year}年修订版）",
            f"联大第A/RES/{rng.randint(50, 80)}/{rng.randint(1, 330)}号决议",
            f"ITU-R第{rng.randint(1, 80)}-{rng.randint(1, 4)}号决议（{year}年修订版）",
            f"CWG-WSIS&SDG-{rng.randint(20, 45)}/{rng.randint(1, 30)}号文件",
        )
    )


class _Writer:
    """Writes one document's lines, at most ``budget`` passages of them."""

    def __init__(self, seeds: Seeds, rng: random.Random, budget: int) -> None:
        self.seeds = seeds
        self.rng = rng
        self.rewrites = _rewrites(rng)
        self.budget = budget
        self.lines: list[str] = []
        self.passages = 0
        self.footnotes = 0

    @property
    def full(self) -> bool:
        return self.passages >= self.budget

    def paragraph(self) -> str:
        # Generated text draws nothing more, so its files stay what they were before there was a choice.
        if self.seeds.english and self.rng.random() < ENGLISH_SHARE:
            return " ".join(self.rng.choices(self.seeds.english, k=self.rng.randint(1, 4)))
        text = "".join(self.rng.choices(self.seeds.sentences, k=self.rng.randint(1, 4)))
        for rewrite in self.rewrites:
            text = rewrite(text)
        if self.rng.random() < 0.2:
            text = f"根据{_reference(self.rng)}，{text}"
        return text

    def line(self, text: str, label: str | None = None, *, may_call: bool = False) -> None:
        """One passage; with ``may_call``, sometimes a footnote too (a second passage), budget allowing."""
        if may_call and self.passages + 2 <= self.budget and self.rng.random() < FOOTNOTE_CHANCE:
            self.footnotes += 1
            n = self.footnotes
            text += f"[footnoteRef:{n}] [{n}:  \t{self.rng.choice(self.seeds.notes)} ]"
            self.passages += 1
        self.lines.append(f"{label}\t{text}" if label else text)
        self.passages += 1


def write_document(seeds: Seeds, rng: random.Random, passages: int) -> str:
    """One text export of exactly ``passages`` passages: title, cover sections, numbered sections."""
    doc = _Writer(seeds, rng, passages)
    references = "；".join(_reference(rng) for _ in range(rng.randint(3, 9))) + "。"
    for text in (rng.choice(seeds.headings), COVER[0], doc.paragraph(), COVER[3], references):
        if not doc.full:
            doc.line(text)
    section = 0
    while not doc.full:
        section += 1
        doc.line(rng.choice(seeds.headings).rstrip("。；：:"), str(section))
        for number in range(1, rng.randint(4, 12) + 1):
            if doc.full:
                break
            # Footnotes are called from body paragraphs only: a title line's would be lost.
            doc.line(doc.paragraph(), f"{section}.{number}", may_call=True)
    return "\n".join(doc.lines) + "\n"


def generate(
    out: Path, passages: int, *, seed: int = 0, concat: TextIO | None = None, text: str = "generated"
) -> Generated:
    """Write documents of ``passages`` passages in all into ``out``; ``concat`` also gets every file's text.
    ``text`` is one of TEXTS: the sample's sentences alone, or every public text's (``load_low_repeat``)."""
    seeds = load_low_repeat(sample_folder()) if text == "low-repeat" else load_seeds(sample_folder())
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    files = size = 0
    for start in range(0, passages, PASSAGES_PER_DOC):
        text = write_document(seeds, rng, min(PASSAGES_PER_DOC, passages - start))
        data = text.encode("utf-8")
        (out / f"{files:06d}.txt").write_bytes(data)
        if concat is not None:
            concat.write(text)
        files += 1
        size += len(data)
    return Generated(files, passages, size)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="folder to write the documents into")
    parser.add_argument("--passages", type=int, default=10_000, help="passages in all (default 10000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--text", choices=TEXTS, default="generated", help="where the prose comes from (default generated)"
    )
    args = parser.parse_args(argv)
    made = generate(args.out, args.passages, seed=args.seed, text=args.text)
    print(f"{made.files} files, {made.passages} passages, {made.bytes / 1e6:.1f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
