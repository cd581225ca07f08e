"""Word translations learned from the index's own aligned paragraph pairs.

Where the index holds a Chinese document and its English version (same ITU symbol, or
paired in a ``parallel.tsv``: ``corpus.parallel``), their numbered paragraphs align by
label.  Each aligned pair is a bag of Chinese words and a bag of English terms (the stems
of its words, and of each two neighbouring words: ``human rights`` is one Chinese word,
人权); a Chinese word and an English term that occur in the same pairs far more often than
chance are translations.  The measure is Dunning's log-likelihood ratio (G²) over the 2×2
table of pairs holding either, both or neither.  A pair is kept when both occur in at
least ``MIN_PAIRS`` pairs, they co-occur in at least ``MIN_PAIRS``, their G² is at least
``MIN_G2`` (p < 0.001 for one degree of freedom), the Chinese word is among the English
term's ``TOP`` best and the English term is the Chinese word's best (the longer term on a
tie, so 人权 links to ``human rights``, not to ``human``): a word that co-occurs with
everything (a frequent word) links to nothing.

The table is written beside the index as ``<index name>_translations.tsv``:

    # itudocs-translations 1
    # pairs <fingerprint of the aligned documents>
    <english stems>\t<english term as most often written>\t<chinese word>\t<confidence>\t<G²>

confidence is co-occurrences ÷ the larger of the two words' counts (0–1].  It is
rebuilt by every indexing run whose aligned documents differ from those it was learned
from (the fingerprint), and removed when none are left.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index

from itudocs.corpus.parallel import read_pairs
from itudocs.indexer import schema
from itudocs.indexer.analysis import fold, latin_word, word_counts
from itudocs.indexer.problems import IndexProblem
from itudocs.indexer.records import DocumentRecord, PassageRecord

MAGIC = "# itudocs-translations 1"
SUFFIX = "_translations.tsv"
MIN_PAIRS = 3
MIN_G2 = 10.83
TOP = 3
_HAN_WORD = re.compile(r"[\u3400-\u9fff]{2,}")
_ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
# English words too common to translate into anything (the query side skips them too).
_ENGLISH_STOP = frozenset(
    {
        *("the", "and", "for", "with", "that", "this", "from", "are", "was", "were", "its", "their", "which"),
        *("has", "have", "been", "such", "all", "any", "other", "into", "also", "not", "shall", "may", "will"),
        *("one", "nor", "whereas", "therefore"),
    }
)


# Plurals the stemmer leaves apart from their singular.
_IRREGULAR = {"women": "woman", "men": "man", "children": "child"}
_LATIN_WORD = re.compile(r"[A-Za-z]+")


def english_key(phrase: str) -> str:
    """The form an English phrase is looked up in: the stems of its words, as the index's.

    >>> english_key("Capacity-building"), english_key("developing countries"), english_key("Women")
    ('capac build', 'develop countri', 'woman')
    """
    words = (word.lower() for word in _LATIN_WORD.findall(phrase))
    return " ".join(latin_word(_IRREGULAR.get(word, word)) for word in words)


@dataclass(frozen=True, slots=True)
class LearnedPair:
    stem: str
    english: str
    chinese: str
    confidence: float
    g2: float


def table_path(ix: whoosh_index.Index) -> Path:
    return Path(ix.storage.folder) / f"{ix.indexname}{SUFFIX}"


def parallel_documents(records: dict[str, DocumentRecord]) -> list[tuple[str, str]]:
    """(Chinese doc id, English doc id) of each pair of language versions in the index."""
    pairs: set[tuple[str, str]] = set()
    by_symbol: dict[str, dict[str, str]] = defaultdict(dict)
    for doc_id, record in sorted(records.items()):
        if record.symbol:
            by_symbol[record.symbol].setdefault(record.lang, doc_id)
    for langs in by_symbol.values():
        if "zh" in langs and "en" in langs:
            pairs.add((langs["zh"], langs["en"]))
    by_source = {Path(record.source): doc_id for doc_id, record in records.items()}
    for root in {Path(record.root) for record in records.values()}:
        folder = root if root.is_dir() else root.parent
        for a, b in read_pairs(folder):
            ids = [by_source.get(a), by_source.get(b)]
            if None in ids:
                continue
            by_lang = {records[doc_id].lang: doc_id for doc_id in ids if doc_id}
            if "zh" in by_lang and "en" in by_lang:
                pairs.add((by_lang["zh"], by_lang["en"]))
    return sorted(pairs)


def aligned_paragraphs(reader, zh: str, en: str) -> Iterator[tuple[str, str]]:
    """(Chinese text, English text) of the passages of two language versions that carry
    the same kind and label, where the label is one passage's in each."""
    sides = [_labelled(reader, doc_id) for doc_id in (zh, en)]
    for key in sorted(sides[0].keys() & sides[1].keys()):
        yield sides[0][key], sides[1][key]


def _labelled(reader, doc_id: str) -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    seen: Counter[tuple[str, str]] = Counter()
    if (schema.DOC, doc_id) not in reader:
        return found
    for docnum in reader.postings(schema.DOC, doc_id).all_ids():
        if reader.is_deleted(docnum):
            continue
        stored = reader.stored_fields(docnum)
        if stored.get(schema.KIND) in (schema.DOCUMENT_KIND, schema.TERM_KIND):
            continue
        passage = PassageRecord.from_stored(stored)
        label = passage.citation.label
        if label:
            key = (passage.kind, label)
            seen[key] += 1
            found[key] = passage.text
    return {key: text for key, text in found.items() if seen[key] == 1}


def _chinese_words(text: str) -> set[str]:
    return {word for word in word_counts(text) if _HAN_WORD.fullmatch(word)}


def _english_words(text: str, spellings: dict[str, Counter[str]]) -> set[str]:
    """The stems of a text's English words, and of each two neighbouring ones (``human rights``,
    ``united nations``): a phrase's translation is often one Chinese word."""
    terms = set()
    previous: tuple[str, str, int] | None = None
    for match in _ENGLISH_WORD.finditer(text):
        word = match.group()
        lower = word.lower()
        if lower in _ENGLISH_STOP or (len(word) > 1 and word.isupper()):
            previous = None
            continue
        stem = english_key(lower)
        spellings[stem][lower] += 1
        terms.add(stem)
        if previous is not None and text[previous[2] : match.start()] in (" ", "-"):
            pair = f"{previous[0]} {stem}"
            spellings[pair][f"{previous[1]} {lower}"] += 1
            terms.add(pair)
        previous = (stem, lower, match.end())
    return terms


def g2(both: int, left: int, right: int, total: int) -> float:
    """Dunning's log-likelihood ratio of two events' co-occurrence in ``total`` trials.

    >>> round(g2(10, 10, 10, 100), 1), round(g2(1, 10, 10, 100), 1)
    (65.0, 0.0)
    """
    table = (both, left - both, right - both, total - left - right + both)
    rows = (left, total - left)
    columns = (right, total - right)
    expected = (rows[0] * columns[0], rows[0] * columns[1], rows[1] * columns[0], rows[1] * columns[1])
    return 2 * sum(k * math.log(k * total / e) for k, e in zip(table, expected, strict=True) if k > 0 and e > 0)


def learn(pairs: Iterable[tuple[str, str]]) -> list[LearnedPair]:
    """The word translations that a list of (Chinese text, English text) pairs supports."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    bags = [(_chinese_words(zh), _english_words(en, spellings)) for zh, en in pairs]
    counts = _WordCounts.of(bags)
    scored = _without_pieces(_associations(counts))
    best_zh = _best(scored, 0, TOP)
    # A Chinese word links to its one best English term (a phrase before its words, on a tie).
    best_en = _best(scored, 1, 1)
    kept = []
    for (e, z), score in scored.items():
        if z in best_zh[e] and e in best_en[z]:
            confidence = counts.both[(e, z)] / max(counts.english[e], counts.chinese[z])
            kept.append(LearnedPair(e, spellings[e].most_common(1)[0][0], z, confidence, score))
    return sorted(kept, key=lambda pair: -pair.g2)


@dataclass(frozen=True, slots=True)
class _WordCounts:
    """In how many pairs each word occurs, and each (English, Chinese) word pair together."""

    total: int
    chinese: Counter[str]
    english: Counter[str]
    both: Counter[tuple[str, str]]

    @classmethod
    def of(cls, bags: list[tuple[set[str], set[str]]]) -> _WordCounts:
        """Counts over pairs given as (Chinese words, English stems); a word pair is counted
        only between words that each occur in ``MIN_PAIRS`` pairs."""
        chinese = Counter(word for zh, _ in bags for word in zh)
        english = Counter(word for _, en in bags for word in en)
        both: Counter[tuple[str, str]] = Counter()
        for zh, en in bags:
            zh_kept = [w for w in zh if chinese[w] >= MIN_PAIRS]
            en_kept = [w for w in en if english[w] >= MIN_PAIRS]
            both.update((e, z) for e in en_kept for z in zh_kept)
        return cls(len(bags), chinese, english, both)


def _associations(counts: _WordCounts) -> dict[tuple[str, str], float]:
    """Each (English, Chinese) word pair seen together in ``MIN_PAIRS`` pairs, more often than
    chance, with a G² of at least ``MIN_G2``: its score."""
    scored: dict[tuple[str, str], float] = {}
    for (e, z), n in counts.both.items():
        # Only an association above chance: G² is large for avoidance too.
        if n >= MIN_PAIRS and n * counts.total > counts.english[e] * counts.chinese[z]:
            score = g2(n, counts.english[e], counts.chinese[z], counts.total)
            if score >= MIN_G2:
                scored[(e, z)] = score
    return scored


def _without_pieces(scored: dict[tuple[str, str], float]) -> dict[tuple[str, str], float]:
    """The scored pairs less those whose Chinese word is a piece of a longer word that
    scores at least as well with the same English word."""
    # jieba's search mode indexes the pieces of a long word too (任何人 and 何人): a piece
    # that does no better than a word holding it adds nothing.
    return {
        (e, z): score
        for (e, z), score in scored.items()
        if not any(z in other and z != other and scored[(e, other)] >= score for other in _partners(scored, e))
    }


def _partners(scored: dict[tuple[str, str], float], english: str) -> list[str]:
    return [z for e, z in scored if e == english]


def _best(scored: dict[tuple[str, str], float], side: int, top: int) -> dict[str, set[str]]:
    """Each word of one side (0: English, 1: Chinese) → its ``top`` best partners, the longer
    first on a tie."""
    ranked: dict[str, list[tuple[float, int, str]]] = defaultdict(list)
    for pair, score in scored.items():
        other = pair[1 - side]
        ranked[pair[side]].append((round(score, 6), len(other), other))
    return {word: {other for *_, other in sorted(found, reverse=True)[:top]} for word, found in ranked.items()}


def fingerprint(records: dict[str, DocumentRecord], documents: list[tuple[str, str]]) -> str:
    """What the table was learned from: the aligned documents and their contents."""
    digest = hashlib.sha256()
    for zh, en in documents:
        digest.update(f"{records[zh].sha256} {records[en].sha256}\n".encode())
    return digest.hexdigest()[:16]


def write_table(ix: whoosh_index.Index, records: dict[str, DocumentRecord]) -> int | None:
    """Learn the table from the committed index ``ix`` and write it beside it, unless its
    aligned documents are those it was last learned from; how many pairs it holds, None
    when it was kept as it was."""
    path = table_path(ix)
    documents = parallel_documents(records)
    if not documents:
        if path.exists():
            path.unlink()
        return 0
    stamp = fingerprint(records, documents)
    if _stamp_of(path) == stamp:
        return None
    with ix.reader() as reader:
        paragraphs = [pair for zh, en in documents for pair in aligned_paragraphs(reader, zh, en)]
    learned = learn(paragraphs)
    lines = [MAGIC, f"# pairs {stamp} {len(paragraphs)}"]
    lines += [f"{p.stem}\t{p.english}\t{p.chinese}\t{p.confidence:.3f}\t{p.g2:.1f}" for p in learned]
    partial = path.with_name(path.name + ".partial")
    partial.write_text("\n".join(lines) + "\n", encoding="utf-8")
    partial.replace(path)
    return len(learned)


def _stamp_of(path: Path) -> str | None:
    try:
        with path.open(encoding="utf-8") as lines:
            header = [next(lines, ""), next(lines, "")]
    except OSError:
        return None
    if header[0].rstrip("\n") != MAGIC or not header[1].startswith("# pairs "):
        return None
    return header[1].split()[2]


def read_table(path: Path) -> list[LearnedPair]:
    """The pairs of a table file; none when there is no file.  A file that cannot be read,
    or is not a table of this version, is a problem of the index, named with the command
    that rebuilds it."""
    rebuild = "rebuild with `itudocs index --rebuild`"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as error:
        raise IndexProblem(f"{path}: cannot read the translation table ({error}); {rebuild}") from None
    if not lines or lines[0] != MAGIC:
        raise IndexProblem(f"{path}: not a translation table of this version; {rebuild}")
    pairs = []
    for number, line in enumerate(lines[1:], start=2):
        if line.startswith("#"):
            continue
        try:
            stem, english, chinese, confidence, score = line.split("\t")
            pairs.append(LearnedPair(stem, english, fold(chinese), float(confidence), float(score)))
        except ValueError:
            raise IndexProblem(f"{path}: line {number} is not a translation pair; {rebuild}") from None
    return pairs
