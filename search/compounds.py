"""English compounds written closed, hyphenated or open: ``cybersecurity``, ``cyber-security``
and ``cyber security`` are one word to a reader, three spellings to an index.

A clause written closed also searches its open form where the index has that open (or
hyphenated) form standing in some passage and neither half is a suffix; one written
with a hyphen (or a space, quoted) also searches its closed form when the index holds
that word.  The open form's units match the hyphenated spelling too.  A symbol such as
``ITU-R`` is left alone: ``itur`` is no word.  Halves that are merely stems the index
knows do not make a compound: ``pressure`` is never ``pres sure``, nor ``buckling``
``buckl ing``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from itudocs.search.query import Clause, ParsedQuery
from itudocs.search.results import COMPOUND

_CLOSED = re.compile(r"[A-Za-z]{6,}")
_OPEN = re.compile(r"([A-Za-z]{3,})[- ]([A-Za-z]{3,})")
# Each half of a closed compound is at least this long: "cybercrime" is cyber + crime,
# never c + ybercrime.
SHORTEST_HALF = 3
# Endings that are never the second word of a compound: ``determin ing`` is one word.
SUFFIXES = frozenset(
    {
        "ing",
        "ings",
        "ed",
        "ers",
        "ment",
        "ments",
        "ness",
        "tion",
        "tions",
        "sion",
        "sions",
        "able",
        "ible",
        "ful",
        "less",
        "ous",
        "ive",
        "ity",
        "ism",
        "ist",
        "ure",
        "ance",
        "ence",
        "ship",
        "est",
        "age",
        "ant",
        "ent",
        "ion",
        "ise",
        "ize",
        "ized",
        "ised",
        "ally",
        "ical",
    }
)


def compound_forms(
    text: str, is_word: Callable[[str], bool], stands: Callable[[str], bool] = lambda _: True
) -> list[str]:
    """The other spellings of ``text`` as an English compound, if it is one; ``stands``
    says whether an open form stands in some passage.

    >>> known = {"cyber", "security", "crime", "cybersecurity", "determin", "ing"}.__contains__
    >>> compound_forms("cybercrime", known), compound_forms("Cyber-Security", known), compound_forms("ITU-R", known)
    (['cyber crime'], ['CyberSecurity'], [])
    >>> compound_forms("determining", known), compound_forms("cybercrime", known, lambda _: False)
    ([], [])
    """
    if _CLOSED.fullmatch(text):
        lower = text.lower()
        return [
            f"{text[:i]} {text[i:]}"
            for i in range(SHORTEST_HALF, len(text) - SHORTEST_HALF + 1)
            if lower[i:] not in SUFFIXES
            and is_word(lower[:i])
            and is_word(lower[i:])
            and stands(f"{text[:i]} {text[i:]}")
        ]
    halves = _OPEN.fullmatch(text)
    if halves and is_word("".join(halves.groups()).lower()):
        return ["".join(halves.groups())]
    return []


def add_compounds(
    parsed: ParsedQuery, is_word: Callable[[str], bool], stands: Callable[[str], bool] = lambda _: True
) -> ParsedQuery:
    """The query with each compound's other spellings as alternatives to it."""
    groups = tuple(
        (
            *group,
            *(
                Clause(form, quoted=True, source=COMPOUND)
                for clause in group
                if not clause.source and not clause.refs
                for form in compound_forms(clause.text, is_word, stands)
            ),
        )
        for group in parsed.groups
    )
    return replace(parsed, groups=groups)
