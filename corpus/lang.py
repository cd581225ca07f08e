"""Which language a piece of text is written in: ``zh``, ``en`` or ``mixed``."""

from __future__ import annotations

import re
from collections.abc import Iterable

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def is_han(ch: str) -> bool:
    return _HAN.match(ch) is not None


def detect_lang(text: str, *, default: str = "zh") -> str:
    """Compare Han characters with Latin words, weighting a word as two characters.

    A Chinese council text is full of acronyms (``WSIS+20``, ``CWG-WSIS&SDG``) and
    stays ``zh``; an English text quoting ``国际电联`` once stays ``en``.

    >>> detect_lang("国际电联对WSIS成果落实所做贡献")
    'zh'
    >>> detect_lang("The ITU Council (国际电联) met twice in 2024 and adopted the report.")
    'en'
    """
    han = len(_HAN.findall(text))
    words = len(_LATIN_WORD.findall(text))
    if han == 0 and words == 0:
        return default
    share = han / (han + 2 * words)
    if share >= 0.4:
        return "zh"
    if share <= 0.25:
        return "en"
    return "mixed"


def is_wide(ch: str) -> bool:
    """A character set full-width: Han, CJK punctuation, full-width forms."""
    return is_han(ch) or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"


def join_fragments(fragments: Iterable[str]) -> str:
    """Join diagram fragments: no space next to Chinese text, one space between Latin ones.

    >>> join_fragments(["国际电联全权代表大会：第", "140", "号决议", "ITU", "UNESCO"])
    '国际电联全权代表大会：第140号决议ITU UNESCO'
    """
    out = ""
    for fragment in (f.strip() for f in fragments):
        if not fragment:
            continue
        if out and not (is_wide(out[-1]) or is_wide(fragment[0])):
            out += " "
        out += fragment
    return out
