"""A "did you mean" for a query with a word the index does not know: the words the index holds.

It is offered whether the query found nothing or only passages holding some of its words
(a typo in one word of three leaves a partial result, not an empty one).

Each Latin word the index does not know is replaced by the most common known word one
edit away (a letter left out, added, changed, or two swapped), the way spelling
correctors have done it since Norvig's.  Candidates are made from the typo itself, so
the suggestion is a word as people write it, even though the index keeps only stems.
A mistyped Chinese word is a different word, not a near one, and is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

_WORD = re.compile(r"[A-Za-z]{5,}")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _one_edit(word: str) -> Iterator[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    for left, right in splits:
        if right:
            yield left + right[1:]
            yield from (left + c + right[1:] for c in _LETTERS if c != right[0])
        if len(right) > 1:
            yield left + right[1] + right[0] + right[2:]
        yield from (left + c + right for c in _LETTERS)


def correct(word: str, weight: Callable[[str], int]) -> str | None:
    """The most common known word one edit from ``word`` (lower case), or None.

    >>> correct("internatonal", {"international": 3, "internal": 9}.get)
    'international'
    """
    best = max(dict.fromkeys(_one_edit(word)), key=lambda w: weight(w) or 0, default=None)
    return best if best is not None and weight(best) else None


def did_you_mean(
    query: str, weight: Callable[[str], int], translated: Callable[[str], bool] = lambda word: False
) -> str | None:
    """The query with each unknown Latin word of five letters or more corrected, in the case it
    was written; None when no word needs or finds a correction.  ``weight`` says how common a
    lower-case word is, 0 (or None) for one the index does not know; a word ``translated``
    says a translation source knows is not a typo either (an English word searched in
    Chinese text), and is not corrected.

    >>> known = {"international": 2, "telecommunication": 5, "union": 7}.get
    >>> did_you_mean("Internatonal Telecomunication Union", known)
    'International Telecommunication Union'
    >>> did_you_mean("Union", known) is None, did_you_mean("qqqqqq", known) is None
    (True, True)
    >>> did_you_mean("Internatonal broadband", known, {"broadband"}.__contains__)
    'International broadband'
    """
    changed = False

    def replace(match: re.Match[str]) -> str:
        nonlocal changed
        word = match.group()
        if weight(word.lower()) or translated(word.lower()):
            return word
        fixed = correct(word.lower(), weight)
        if fixed is None:
            return word
        changed = True
        return fixed.upper() if word.isupper() else fixed.title() if word[0].isupper() else fixed

    corrected = _WORD.sub(replace, query)
    return corrected if changed else None
