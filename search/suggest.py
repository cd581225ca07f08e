"""A "did you mean" for a query that finds nothing because of a typo: the words the index holds.

Only Latin words are corrected: a mistyped Chinese word is a different word, not a
near one, and the ``words`` it would be compared with are jieba's cuts, not the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import get_close_matches

_WORD = re.compile(r"[A-Za-z]{3,}")
# How alike a known word must be to be offered: Internatonal → international is 0.96,
# a different word such as digital → digits 0.77.
SIMILARITY = 0.85


def did_you_mean(query: str, vocabulary: Iterable[str]) -> str | None:
    """The query with each Latin word the index does not hold replaced by the closest one it
    does, written in the same case; None when no word needs or finds a replacement.

    >>> did_you_mean("Internatonal Telecomunication Union", ["international", "telecommunication", "union"])
    'International Telecommunication Union'
    >>> did_you_mean("WSIS", ["wsis"]) is None, did_you_mean("qqqq", ["wsis"]) is None
    (True, True)
    """
    known = {word for word in vocabulary if word.isascii() and word.isalpha()}
    changed = False

    def replace(match: re.Match[str]) -> str:
        nonlocal changed
        word = match.group()
        lower = word.lower()
        if lower in known:
            return word
        near = [w for w in known if abs(len(w) - len(lower)) <= 2]
        best = get_close_matches(lower, near, n=1, cutoff=SIMILARITY)
        if not best:
            return word
        changed = True
        return best[0].upper() if word.isupper() else best[0].title() if word[0].isupper() else best[0]

    corrected = _WORD.sub(replace, query)
    return corrected if changed else None
