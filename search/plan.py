"""What a search will do, decided before it touches a posting: the plan ``--explain`` prints.

A query arrives parsed, its references read and its names expanded; the plan says,
for each clause, the unit string that finds it as written (``needle``, searched in
the text's and the label's unit columns), the reference keys and English stems that
also find it, the words that rank it and with what weight, and the tier a match as
typed lifts a passage by; then the excluded clauses and the filters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from itudocs.corpus.text import HAN, is_han
from itudocs.indexer.analysis import Unit, fold
from itudocs.search.metafilter import LeftOut
from itudocs.search.query import Clause, ParsedQuery, english_stems, segment
from itudocs.search.results import ClauseReading
from itudocs.search.stopwords import is_stopword

# Another name of what the user typed counts, but less than what they typed; and
# each clause found as typed lifts a passage a whole tier, above every passage that
# holds only other names, whatever their BM25.
EXPANSION_WEIGHT = 0.5
# The sources of translations (``search.translate``), whose clauses are found by their words.
TRANSLATED = frozenset({"dictionary", "documents"})
LITERAL_TIER = 1000.0
# A query of more clauses than this (a pasted sentence or paragraph) is ranked by its
# words from the start: no passage holds them all, and matching each as written first
# would scan the unit columns once per clause.
LONG_QUERY = 16
# A run of Latin letters and digits, or of Chinese characters.
_LATIN_OR_HAN = re.compile(f"[a-z0-9]+|[{HAN}]+")


@dataclass(frozen=True, slots=True)
class Needle:
    """A clause's units as they stand in a unit column (``indexer.column``).

    >>> from itudocs.indexer.analysis import units
    >>> Needle.of(tuple(units("ITU-R 第140号")))
    Needle(text=b'itu r\\xe7\\xac\\xac140\\xe5\\x8f\\xb7', latin_start=True, latin_end=False, latin=('itu', 'r', '140'))
    """

    text: bytes
    latin_start: bool
    latin_end: bool
    latin: tuple[str, ...]  # its Latin/digit units, which the words field also indexes

    @classmethod
    def of(cls, units: tuple[Unit, ...]) -> Needle:
        parts: list[str] = []
        for n, unit in enumerate(units):
            if n and unit.text[0].isascii() and units[n - 1].text[-1].isascii():
                parts.append(" ")
            parts.append(unit.text)
        latin = tuple(unit.text for unit in units if unit.text.isascii())
        return cls("".join(parts).encode("utf-8"), units[0].text[0].isascii(), units[-1].text[-1].isascii(), latin)


@dataclass(frozen=True, slots=True)
class ClausePlan:
    """How one clause matches and ranks.

    tier:   added where the clause matches as written (its units, label or references).
    weight: of its ranking words and label match (other names count less).
    by_words: a translation (``search.translate``), found only where a passage holds each
            of its words (its ``stems``), not by a search of the text's unit columns: a
            translation is a word, and that search is most of what a clause costs.
    """

    clause: Clause
    group: int
    needle: Needle
    stems: tuple[str, ...]
    words: tuple[str, ...]
    weight: float
    tier: float
    by_words: bool = False


@dataclass(frozen=True, slots=True)
class Filters:
    """Doc ids, section ids (DOC#N), kinds and reference keys a hit must have one of; None: any.
    ``left_out``: the documents the date and meeting filters could not judge, having no such metadata."""

    docs: tuple[str, ...] | None = None
    sections: tuple[str, ...] | None = None
    kinds: tuple[str, ...] | None = None
    cites: tuple[str, ...] | None = None
    left_out: tuple[LeftOut, ...] = ()


@dataclass(frozen=True, slots=True)
class Plan:
    """Every group must match by one of its clauses, no excluded clause may, filters hold.

    ``excluded`` holds the needles of the ``exclusions``: what was typed after ``-`` and
    the other names of what it names.

    ``any_word``: the loosened plan of a query no passage holds all of (``loosen``): one
    group of its words, a passage matching where it holds any, ranked by BM25 over all
    of them with a coordination factor rather than by tiers.
    """

    text: str
    groups: tuple[tuple[ClausePlan, ...], ...]
    excluded: tuple[Needle, ...] = ()
    filters: Filters = Filters()
    exclusions: tuple[Clause, ...] = ()
    any_word: bool = False

    @property
    def clauses(self) -> tuple[ClausePlan, ...]:
        return tuple(c for group in self.groups for c in group)

    def reading(self) -> tuple[ClauseReading, ...]:
        """Each clause as the search uses it, for ``--explain``."""
        return tuple(
            ClauseReading(
                group=c.group,
                text=c.clause.text,
                units=tuple(u.text for u in c.clause.units),
                words=c.words,
                source=c.clause.source,
                refs=c.clause.refs,
                weight=c.weight,
                tier=c.tier,
            )
            for c in self.clauses
        )

    def excluded_reading(self) -> tuple[ClauseReading, ...]:
        """Each excluded clause, as typed or another name of it, for ``--explain``."""
        return tuple(
            ClauseReading(group=0, text=c.text, units=tuple(u.text for u in c.units), words=(), source=c.source)
            for c in self.exclusions
        )


def make_plan(
    parsed: ParsedQuery, is_word: Callable[[str], bool], filters: Filters = Filters(), *, any_word: bool = False
) -> Plan:
    """The plan of a query whose references are read and names expanded; ``any_word`` for
    the loosened form of one (see ``Plan``), which has no tiers.

    Where a group offers other names, a clause as typed gets the tier; a group of one
    clause needs none, since every hit holds it.
    """
    groups = tuple(
        tuple(_clause_plan(clause, n, is_word, tiered=len(group) > 1 and not any_word) for clause in group)
        for n, group in enumerate(parsed.groups, start=1)
    )
    excluded = tuple(Needle.of(clause.units) for clause in parsed.excluded)
    return Plan(parsed.text, groups, excluded, filters, parsed.excluded, any_word)


def _clause_plan(clause: Clause, group: int, is_word: Callable[[str], bool], *, tiered: bool) -> ClausePlan:
    words = tuple(segment(clause.text, is_word))
    by_words = clause.source in TRANSLATED
    return ClausePlan(
        clause=clause,
        group=group,
        needle=Needle.of(clause.units),
        stems=words if by_words else english_stems(clause),
        words=words,
        weight=1.0 if clause.as_typed else EXPANSION_WEIGHT * clause.weight,
        tier=LITERAL_TIER if tiered and clause.as_typed else 0.0,
        by_words=by_words,
    )


def loosen(parsed: ParsedQuery, is_word: Callable[[str], bool]) -> ParsedQuery | None:
    """A query matching passages that hold any of the words of ``parsed``, for when none
    holds them all: a question typed as a sentence (``谁担任联合国信息社会小组的秘书处``)
    still finds the passages about its words.  None when there is nothing to loosen.

    Each word keeps its spelling as typed (its stem is what ranks it, through the words
    field): a stem searched as a typed word (``investig``, ``ha``) finds nothing or the
    wrong thing.  Function and question words are left out.
    """
    words = [
        word
        for clause in parsed.clauses
        if not clause.source and not is_stopword(clause.text)
        for word in _typed_words(clause.text, is_word)
        if not is_stopword(word)
    ]
    if len(words) < 2 and len(parsed.clauses) < 2:
        return None
    # A word typed twice stays twice: it ranks twice (BM25's query term frequency).
    clauses = tuple(Clause(word) for word in words)
    return ParsedQuery(parsed.text, (clauses,), parsed.excluded) if clauses else None


def _typed_words(text: str, is_word: Callable[[str], bool]) -> list[str]:
    """The words of a clause as typed: its Latin runs as they stand, its Chinese cut by the
    index's vocabulary (``segment``).

    >>> _typed_words("Investigating 数字鸿沟 ITU-R", {"数字", "鸿沟"}.__contains__)
    ['Investigating', '数字', '鸿沟', 'ITU', 'R']
    """
    words: list[str] = []
    # Folding keeps the text's length, so a run found in the folded text is cut from the typed one.
    for run in _LATIN_OR_HAN.finditer(fold(text)):
        piece = text[run.start() : run.end()]
        words.extend(segment(piece, is_word) if is_han(run.group()[0]) else [piece])
    return words
