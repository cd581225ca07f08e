"""Query expansion: a name in the query also searches the other names of what it names.

Names come from the termbase shipped with the package and from acronym pairs mined
from the indexed documents at ingest (``corpus.terms``).  Names are compared after
the same folding as the index (case, width, traditional → simplified), so
``國際電聯``, ``ITU`` and ``itu`` all find the entry for the ITU.  Several query
words can make one name: ``Global Digital Compact``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import lru_cache

from itudocs.corpus.termbase import Term, load_termbase
from itudocs.indexer.analysis import latin_word, name_key
from itudocs.search.query import Clause, ParsedQuery

_ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
# The longest run of query words tried as one name.
MAX_NAME_WORDS = 6


@lru_cache(maxsize=4096)
def _key(name: str) -> str:
    return name_key(name)


@lru_cache(maxsize=4096)
def _stem_key(name: str) -> str:
    """The stems of a name written in English words, "" for any other name: ``digital
    divides`` and ``Digital Divide`` share one, as the index's words do."""
    words = name.split()
    if not words or not all(_ENGLISH_WORD.fullmatch(word) for word in words):
        return ""
    if len(words) == 1 and name.isupper():
        return ""  # an acronym stays exact
    return " ".join(latin_word(word) for word in words)


@lru_cache(maxsize=1)
def shipped_terms() -> tuple[Term, ...]:
    return tuple(load_termbase())


class Glossary:
    """Terms by every one of their names, as the index folds them.

    ``more`` finds further terms by a folded name: the index's mined terms, looked up
    one name at a time so that a search never reads them all.  A glossary with ``more``
    serves one search, so each name is looked up in the index once: a query's words are
    tried in several spans, and its loosened form is expanded again.
    """

    def __init__(self, terms: Iterable[Term], *, more: Callable[[str], list[Term]] | None = None) -> None:
        self.terms = tuple(terms)
        self._more = more
        self._mined: dict[str, list[Term]] = {}
        # Insertion-ordered sets: a term with two spellings of one key is listed once.
        self._by_name: dict[str, dict[Term, None]] = {}
        self._by_stems: dict[str, dict[Term, None]] = {}
        for term in self.terms:
            for name in term.names:
                self._by_name.setdefault(_key(name), {})[term] = None
                if stems := _stem_key(name):
                    self._by_stems.setdefault(stems, {})[term] = None

    def lookup(self, name: str) -> list[Term]:
        """Every term that has ``name`` as one of its names, or, for English words, the same stems.

        >>> names = Glossary(shipped_terms())
        >>> [t.id for t in names.lookup("國際電聯")], [t.id for t in names.lookup("digital divides")]
        (['itu'], ['digital-divide'])
        """
        key = _key(name)
        found = dict(self._by_name.get(key, {}))
        if self._more is not None:
            if key not in self._mined:
                self._mined[key] = self._more(key)
            found.update(dict.fromkeys(self._mined[key]))
        return list(found or self._by_stems.get(_stem_key(name), {}))

    def alternatives(self, name: str, *, besides: Iterable[str] = ()) -> list[Clause]:
        """The other names of what ``name`` names, as clauses that remember where they came from.

        Names in ``besides`` (the query's other words) are left out: ``C4 能力建设``
        asks for both names together, not for either one.
        """
        own = _key(name)
        seen = {own, *(_key(other) for other in besides)}
        found: list[Clause] = []
        for term in self.lookup(name):
            for other in term.names:
                key = _key(other)
                if key not in seen:
                    seen.add(key)
                    found.append(Clause(other, quoted=True, source=term.source))
        return found

    def expand(self, parsed: ParsedQuery) -> ParsedQuery:
        """The query with each name's other names added as alternatives to it, and each
        excluded name's other names excluded too (``-WSIS`` leaves out 信息社会世界峰会), but
        never a name the query asks for.

        >>> from itudocs.search.query import parse_query
        >>> q = Glossary(shipped_terms()).expand(parse_query("HLPF 贡献"))
        >>> [c.text for c in q.groups[0]][:2]
        ['HLPF', 'High-level Political Forum on Sustainable Development']
        >>> [c.text for c in Glossary(shipped_terms()).expand(parse_query("国际电联 -WSIS")).excluded][:3]
        ['WSIS', 'World Summit on the Information Society', '信息社会世界峰会']
        """
        typed = [clause.text for clause in parsed.clauses]
        groups: list[tuple[Clause, ...]] = []
        i = 0
        while i < len(parsed.groups):
            span, name = self._longest_name(parsed.groups, i)
            if span > 1:
                groups.append((Clause(name, quoted=True), *self.alternatives(name, besides=typed)))
            else:
                group = parsed.groups[i]
                groups.append(
                    tuple(
                        c
                        for clause in group
                        for c in (clause, *([] if clause.refs else self.alternatives(clause.text, besides=typed)))
                    )
                )
            i += span
        excluded = tuple(
            c for clause in parsed.excluded for c in (clause, *self.alternatives(clause.text, besides=typed))
        )
        return replace(parsed, groups=tuple(_unique(g) for g in groups), excluded=_unique(excluded))

    def _longest_name(self, groups: tuple[tuple[Clause, ...], ...], start: int) -> tuple[int, str]:
        """How many single-clause groups from ``start`` on spell one known name, and the name."""
        words: list[str] = []
        for group in groups[start : start + MAX_NAME_WORDS]:
            if len(group) != 1 or group[0].quoted or group[0].refs:
                break
            words.append(group[0].text)
        for n in range(len(words), 1, -1):
            name = " ".join(words[:n])
            if self.lookup(name):
                return n, name
        return 1, groups[start][0].text


def _unique(group: tuple[Clause, ...]) -> tuple[Clause, ...]:
    seen: set[tuple[str, ...]] = set()
    kept = []
    for clause in group:
        key = tuple(u.text for u in clause.units)
        if key not in seen:
            seen.add(key)
            kept.append(clause)
    return tuple(kept)
