"""What a user typed, read into clauses: pure, testable without an index.

Syntax: words are ANDed; ``"quoted phrases"`` (also “…” and 「…」) stay one clause;
``a OR b`` makes a group of which one must match; ``-word`` excludes.  A clause
matches where its units (see ``indexer.analysis.units``) occur in sequence, so an
unquoted Chinese word is a substring search at character boundaries and a symbol
such as ``A/RES/73/218`` matches only whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from itudocs.corpus.errors import Problem
from itudocs.indexer.analysis import Unit, fold, han_runs, latin_word, units
from itudocs.search.results import COMPOUND

_QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』"}
_TOKEN = re.compile(r'\s*(-?)(["“「『])|\s*(\S+)')
LONGEST_WORD = 8
# More clauses than this are refused, to bound a request's work; a query of more than
# ``plan.LONG_QUERY`` clauses is ranked by its words (``plan.loosen``), not matched clause
# by clause, so a pasted paragraph costs a postings read per word.
MAX_CLAUSES = 400
# Longer queries are refused: a server must not be held long by one request.
MAX_QUERY_CHARS = 4000
_LATIN = re.compile(r"[a-z0-9]+")
_ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
# What joins the pieces of a symbol (A/RES/70/125, ITU-R, WSIS+20, 2.10.1, CWG-WSIS&SDG), and
# the apostrophe of ITU's.
_CONNECTORS = frozenset("-/&.+@:_#%=?~'’")


class QueryError(Problem, ValueError):
    """A query that cannot be searched; the message says why."""


@dataclass(frozen=True, slots=True)
class Clause:
    """One thing that must (or, excluded, must not) occur in a passage.

    ``source`` is empty for what the user typed, and says where an expansion came
    from otherwise (``termbase``, ``mined:DOC:LINE``).  ``refs`` holds the reference
    keys the clause was read as (``search.refs``); such a clause also matches every
    passage that cites one of them, however it spells the citation.  ``raw`` is the
    word as typed when punctuation was cut from it (``(Rev.`` for ``Rev``), since a
    reference may be spelled with it: ``Resolution 140 (Rev. Bucharest, 2022)``.
    ``weight`` scales what an expansion counts in ranking: a translation's confidence
    (``search.translate``); 1 for the rest.
    """

    text: str
    quoted: bool = False
    source: str = ""
    refs: tuple[str, ...] = ()
    raw: str = ""
    weight: float = 1.0

    @property
    def units(self) -> tuple[Unit, ...]:
        return tuple(units(self.text))

    @property
    def as_typed(self) -> bool:
        """What the user wrote, in the spelling typed or another spelling of the same word
        (a compound closed, hyphenated or open), as against another name of what it names."""
        return self.source in ("", COMPOUND)


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """AND of OR-groups of clauses, minus the excluded clauses."""

    text: str
    groups: tuple[tuple[Clause, ...], ...]
    excluded: tuple[Clause, ...] = ()

    @property
    def clauses(self) -> tuple[Clause, ...]:
        return tuple(clause for group in self.groups for clause in group)


def _split(text: str) -> list[tuple[str, bool, bool, str]]:
    """(text, quoted, negated, as typed when punctuation was cut) for each token of the query."""
    tokens: list[tuple[str, bool, bool, str]] = []
    i = 0
    while i < len(text):
        match = _TOKEN.match(text, i)
        if match is None:
            break
        if match.group(2):
            close = _QUOTES[match.group(2)]
            end = text.find(close, match.end())
            end = len(text) if end < 0 else end
            tokens.append((text[match.end() : end], True, bool(match.group(1)), ""))
            i = end + 1
        else:
            word = match.group(3)
            negated = word.startswith("-") and len(word) > 1
            typed = word[1:] if negated else word
            pieces = split_punctuation(typed)
            raw = typed if len(pieces) == 1 and pieces[0] != typed else ""
            tokens.extend((piece, False, negated, raw) for piece in pieces)
            i = match.end()
    return tokens


def _is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def split_punctuation(word: str) -> list[str]:
    """The pieces of an unquoted word between its punctuation, which separates as a space
    does (ASCII or full-width, brackets included), except where it joins two Latin or
    digit pieces of a symbol.

    >>> split_punctuation("(ITU,"), split_punctuation("国际电联，数字鸿沟。"), split_punctuation("A/RES/70/125.")
    (['ITU'], ['国际电联', '数字鸿沟'], ['A/RES/70/125'])
    >>> split_punctuation("“WSIS+20”"), split_punctuation("ITU-R；"), split_punctuation("ITU's")
    (['WSIS+20'], ['ITU-R'], ["ITU's"])
    """
    folded = fold(word)
    pieces: list[str] = []
    current: list[str] = []
    for i, ch in enumerate(word):
        joins = 0 < i < len(word) - 1 and _is_ascii_alnum(folded[i - 1]) and _is_ascii_alnum(folded[i + 1])
        if ch.isalnum() or (joins and folded[i] in _CONNECTORS):
            current.append(ch)
        elif current:
            pieces.append("".join(current))
            current = []
    if current:
        pieces.append("".join(current))
    return pieces


def parse_query(text: str) -> ParsedQuery:
    """Read a query; raises QueryError when nothing in it can be searched.

    >>> q = parse_query('"数字鸿沟" 性别 WSIS OR 信息社会世界峰会 -PP-22')
    >>> [[c.text for c in g] for g in q.groups], [c.text for c in q.excluded]
    ([['数字鸿沟'], ['性别'], ['WSIS', '信息社会世界峰会']], ['PP-22'])
    """
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query has {len(text)} characters; at most {MAX_QUERY_CHARS} are searched")
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        raise QueryError("the query holds bytes that are not text in UTF-8; check the terminal's encoding")
    groups: list[list[Clause]] = []
    excluded: list[Clause] = []
    join_next = False
    operators = 0
    for word, quoted, negated, raw in _split(text):
        if word == "OR" and not quoted:
            join_next = bool(groups)
            operators += 1
            continue
        clause = Clause(word.strip(), quoted, raw=raw)
        if not clause.units:
            continue
        if negated:
            excluded.append(clause)
        elif join_next:
            groups[-1].append(clause)
        else:
            groups.append([clause])
        join_next = False
    clauses = sum(len(group) for group in groups) + len(excluded)
    if clauses > MAX_CLAUSES:
        raise QueryError(f"the query has {clauses} words and phrases; at most {MAX_CLAUSES} are searched together")
    if not groups:
        raise QueryError(
            "a query needs at least one word to find, not only words to exclude"
            if excluded
            else 'nothing to search for: OR only joins two words (WSIS OR 信息社会); quote it to find the word: "OR"'
            if operators
            else "nothing to search for: the query has no letters, digits or Chinese characters"
        )
    return ParsedQuery(text, tuple(tuple(g) for g in groups), tuple(excluded))


def segment(text: str, is_word: Callable[[str], bool]) -> list[str]:
    """Ranking words of a clause, cut by the longest words ``is_word`` knows.

    The index's own vocabulary decides, so a query is cut the way the passages
    were, without loading jieba's dictionary for every search.

    >>> segment("性别数字鸿沟", {"性别", "数字", "鸿沟", "数字鸿沟"}.__contains__)
    ['性别', '数字鸿沟']
    """
    folded = fold(text)
    words: list[str] = []
    cursor = 0
    for start, end in han_runs(folded):
        words.extend(_latin_words(text, folded, cursor, start))
        i = start
        while i < end:
            for j in range(min(end, i + LONGEST_WORD), i, -1):
                if j - i == 1 or is_word(folded[i:j]):
                    words.append(folded[i:j])
                    i = j
                    break
        cursor = end
    words.extend(_latin_words(text, folded, cursor, len(folded)))
    return words


def _latin_words(original: str, folded: str, start: int, end: int) -> list[str]:
    return [latin_word(original[m.start() : m.end()]) for m in _LATIN.finditer(folded, start, end)]


def english_stems(clause: Clause) -> tuple[str, ...]:
    """The stems of a clause written in English words only, which also match by stem
    (all of them, anywhere in the passage); () for anything else.

    >>> english_stems(Clause("digital divides")), english_stems(Clause("WSIS")), english_stems(Clause("数字"))
    (('digit', 'divid'), (), ())
    """
    words = clause.text.split()
    if not words or not all(_ENGLISH_WORD.fullmatch(word) for word in words):
        return ()
    if len(words) == 1 and clause.text.isupper():
        return ()  # an acronym stays exact
    return tuple(latin_word(word) for word in words)
