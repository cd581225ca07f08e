"""Translating a query's words into the other language: structured queries across languages.

An English word also searches its Chinese translations, and a Chinese word its English
ones, from two sources: the dictionary shipped with the package (``corpus.dictionary``,
CC-CEDICT) and the table learned at ingest from the index's own aligned paragraph pairs
(``indexer.translations``).  Only translations the index holds are kept, at most
``MAX_TRANSLATIONS`` of a word, the most confident first.

The translations of one word are alternatives in its group, and count as one word
(Pirkola's structured query): each is ranked with the idf of the whole set, whose
document frequency is taken as the sum of theirs (an upper bound of their union that
needs no postings read), so a rare translation earns no more than a common one; and
each is weighted by its confidence and ``TRANSLATION_WEIGHT``, below the other names
of the termbase (``search.plan.EXPANSION_WEIGHT`` × 1), while a clause as typed still
lifts its passages a whole tier.

A run of query words the dictionary or the table knows as one phrase (``mobile phone``,
``developing countries``) translates as a whole before its words, and a group the
termbase already gave other names to (``digital divide`` ↔ ``数字鸿沟``) is not
translated again: a name is translated as a name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from math import log
from pathlib import Path

from itudocs.corpus.dictionary import EN_ZH, ZH_EN, shipped_table
from itudocs.indexer.analysis import fold
from itudocs.indexer.translations import SUFFIX, LearnedPair, english_key, read_table
from itudocs.search.query import Clause, ParsedQuery, segment
from itudocs.search.stopwords import is_stopword

DICTIONARY, DOCUMENTS = "dictionary", "documents"  # as ``search.plan.TRANSLATED`` knows them
# The sources a search uses; the relevance benchmark turns one off to measure the other.
SOURCES: tuple[str, ...] = (DICTIONARY, DOCUMENTS)
# A translation counts this much of another name (``search.plan.EXPANSION_WEIGHT``) at full confidence.
TRANSLATION_WEIGHT = 0.6
MAX_TRANSLATIONS = 4
DICTIONARY_STEP = 0.25
MAX_PHRASE_WORDS = 3
_ENGLISH = re.compile(r"[A-Za-z]+(?:[ '-][A-Za-z]+)*")
_HAN_ONLY = re.compile(r"[\u3400-\u9fff]{2,}")

@dataclass(frozen=True, slots=True)
class Translation:
    """One word's translation, where it came from, and how sure that source is (0–1]."""

    text: str
    source: str
    confidence: float


def from_dictionary(phrase: str) -> list[Translation]:
    """The shipped dictionary's translations of an English phrase or a Chinese word, the
    usual first (in general Chinese, by jieba's frequencies, so less sure of the order than
    of the word): the n-th (from 0) is 1 / (1 + n × ``DICTIONARY_STEP``) confident.

    >>> [t.text for t in from_dictionary("mobile phones")], [t.text for t in from_dictionary("宽带")]
    (['手机'], ['broadband'])
    """
    if _HAN_ONLY.fullmatch(phrase):
        found = shipped_table(ZH_EN).get(fold(phrase))
        texts = found.split("|") if found else []
    else:
        found = shipped_table(EN_ZH).get(english_key(phrase))
        texts = found.split() if found else []
    return [Translation(text, DICTIONARY, 1 / (1 + DICTIONARY_STEP * rank)) for rank, text in enumerate(texts)]


class LearnedTable:
    """The translations learned from the index's aligned paragraphs (``indexer.translations``),
    both ways.

    >>> table = LearnedTable([LearnedPair("woman", "women", "妇女", 0.8, 40.0)])
    >>> [t.text for t in table.lookup("Women")], [t.text for t in table.lookup("妇女")]
    (['妇女'], ['women'])
    """

    def __init__(self, pairs: Iterable[LearnedPair]) -> None:
        self._by_stem: dict[str, list[Translation]] = {}
        self._by_chinese: dict[str, list[Translation]] = {}
        for pair in pairs:
            self._by_stem.setdefault(pair.stem, []).append(Translation(pair.chinese, DOCUMENTS, pair.confidence))
            self._by_chinese.setdefault(pair.chinese, []).append(Translation(pair.english, DOCUMENTS, pair.confidence))

    def lookup(self, phrase: str) -> list[Translation]:
        if _HAN_ONLY.fullmatch(phrase):
            return self._by_chinese.get(fold(phrase), [])
        return self._by_stem.get(english_key(phrase), [])


@lru_cache(maxsize=8)
def learned_table(path: Path, stamp: tuple[int, int]) -> LearnedTable:
    """The table in ``path`` as it was at ``stamp`` (size, mtime), read once."""
    return LearnedTable(read_table(path))


def learned_table_of(folder: Path, index_name: str) -> LearnedTable | None:
    """The table learned beside an index (``indexer.translations``), or None when it has none."""
    path = folder / f"{index_name}{SUFFIX}"
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return learned_table(path, (status.st_size, status.st_mtime_ns))


def translatable(clause: Clause) -> bool:
    """Whether a clause is a word or phrase to translate: English words (not an acronym, not a
    stopword) or Chinese characters only, and no reference."""
    text = clause.text
    if clause.refs or not clause.as_typed:
        return False
    if _HAN_ONLY.fullmatch(text):
        return True
    return bool(_ENGLISH.fullmatch(text)) and not text.isupper() and not is_stopword(text)


class Translator:
    """Translations of a query's words, kept where the index holds them and weighted for ranking.

    ``lookups`` are the sources (each a phrase → translations); ``frequency`` is how many
    passages hold a translation (0: none, and it is dropped); ``passages`` how many the
    index has, for idf.  A translator serves one search, so each text's frequency is asked
    of the index once: a query's words are tried in several phrases, and its loosened form
    is translated again.
    """

    def __init__(
        self,
        lookups: Iterable[Callable[[str], list[Translation]]],
        frequency: Callable[[str], int],
        passages: int,
    ) -> None:
        self._lookups = tuple(lookups)
        self._asked = frequency
        self._frequencies: dict[str, int] = {}
        self._passages = passages

    def _frequency(self, text: str) -> int:
        if text not in self._frequencies:
            self._frequencies[text] = self._asked(text)
        return self._frequencies[text]

    def translations(self, phrase: str) -> list[Translation]:
        """The translations of ``phrase`` the index holds, the most confident first; one per
        text, from the most confident source."""
        best: dict[str, Translation] = {}
        for lookup in self._lookups:
            for found in lookup(phrase):
                key = fold(found.text)
                if key != fold(phrase) and (key not in best or found.confidence > best[key].confidence):
                    best[key] = found
        held: list[Translation] = []
        for found in sorted(best.values(), key=lambda t: -t.confidence):
            if len(held) == MAX_TRANSLATIONS:
                break  # the rest are less sure: their frequencies need not be asked
            if self._frequency(found.text):
                held.append(found)
        return held

    def knows(self, phrase: str) -> bool:
        """Whether some source has a translation of ``phrase``, held by the index or not."""
        return any(lookup(phrase) for lookup in self._lookups)

    def clauses(self, phrase: str, *, besides: Iterable[str] = ()) -> list[Clause]:
        """The translations of ``phrase`` as clauses, each weighted by its confidence and by
        the idf of the whole set over its own (Pirkola's structured query)."""
        seen = {fold(other) for other in besides}
        found = [t for t in self.translations(phrase) if fold(t.text) not in seen]
        if not found:
            return []
        frequencies = {t.text: self._frequency(t.text) for t in found}
        shared = self._idf(min(self._passages, sum(frequencies.values())))
        return [
            Clause(
                t.text,
                quoted=True,
                source=t.source,
                weight=TRANSLATION_WEIGHT * t.confidence * shared / self._idf(frequencies[t.text]),
            )
            for t in found
        ]

    def _idf(self, frequency: int) -> float:
        # Whoosh's idf, as ranking uses (``search.reader.IndexView.idf_of``).
        return _idf(self._passages, frequency)

    def expand(self, parsed: ParsedQuery) -> ParsedQuery:
        """The query with each word's, or phrase's, translations added as alternatives to it.

        A group of several clauses (``a OR b``, a loosened query) has each of its words
        translated; a group the glossary gave other names to is left as it is.
        """
        typed = [clause.text for clause in parsed.clauses]
        groups: list[tuple[Clause, ...]] = []
        i = 0
        while i < len(parsed.groups):
            group = parsed.groups[i]
            span, phrase, found = self._longest_phrase(parsed.groups, i, typed)
            if span:
                clause = group[0] if span == 1 else Clause(phrase)
                groups.append((clause, *found))
                i += span
                continue
            if len(group) > 1 and all(clause.as_typed for clause in group):
                group = tuple(
                    c
                    for clause in group
                    for c in (clause, *(self.clauses(clause.text, besides=typed) if translatable(clause) else ()))
                )
            groups.append(group)
            i += 1
        return replace(parsed, groups=tuple(groups))

    def _longest_phrase(
        self, groups: tuple[tuple[Clause, ...], ...], start: int, typed: list[str]
    ) -> tuple[int, str, list[Clause]]:
        """How many plain word groups from ``start`` on make the longest phrase with
        translations the index holds, the phrase, and its translations as clauses; 0 for none."""
        words: list[str] = []
        for group in groups[start : start + MAX_PHRASE_WORDS]:
            if len(group) != 1 or not translatable(group[0]) or (words and group[0].quoted):
                break
            words.append(group[0].text)
            if group[0].quoted:
                break
        # Chinese words are not joined into phrases: the index's words already segment them.
        if words and _HAN_ONLY.fullmatch(words[0]):
            words = words[:1]
        for n in range(len(words), 0, -1):
            phrase = " ".join(words[:n])
            found = self.clauses(phrase, besides=typed)
            if found:
                return n, phrase, found
        return 0, "", []


def _idf(passages: int, frequency: int) -> float:
    return log(passages / (frequency + 1)) + 1


def held_frequency(is_word: Callable[[str], bool], frequency: Callable[[str], int]) -> Callable[[str], int]:
    """How many passages hold a translation, estimated from its ranking words (cut by the
    words ``is_word`` knows, as a query is): the fewest that hold any one of them, 0 when
    the index lacks one.  What it asks of the index it keeps: it serves one search, whose
    translations share their words and their characters' candidate words."""
    known: dict[str, bool] = {}
    frequencies: dict[str, int] = {}

    def knows(word: str) -> bool:
        if word not in known:
            known[word] = is_word(word)
        return known[word]

    def frequency_of(word: str) -> int:
        if word not in frequencies:
            frequencies[word] = frequency(word)
        return frequencies[word]

    def held(text: str) -> int:
        fewest = 0
        for n, word in enumerate(segment(text, knows)):
            frequency = frequency_of(word)
            if not frequency:
                return 0  # the rest need not be asked: the index lacks this one
            fewest = frequency if not n else min(fewest, frequency)
        return fewest

    return held
