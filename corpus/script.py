"""Traditional Han characters read as simplified, one character for one.

References are found in folded text and their spans cut from the original, so the
folding must keep every character in its place: ``第140號決議`` reads as ``第140号决议``
at the same offsets.  The index folds its terms the same way (``indexer.analysis``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from itudocs.corpus.text import FULLWIDTH_FOLD, HAN

if TYPE_CHECKING:
    import opencc

_HAN_CHAR = re.compile(f"[{HAN}]")


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """``text`` with traditional Han characters made simplified, its length unchanged.

    >>> simplified("第140號決議和國際電聯"), simplified("Resolution 140")
    ('第140号决议和国际电联', 'Resolution 140')
    """
    if not _HAN_CHAR.search(text):
        return text
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    # A phrase rule changed the length: convert character by character instead.
    return "".join(c if len(c := _converter().convert(ch)) == 1 else ch for ch in text)


def fold_script(text: str) -> str:
    """Full-width forms to ASCII and traditional Han to simplified, one character for one.

    >>> fold_script("ＰＰ－１４０、第１４０號決議")
    'PP-140、第140号决议'
    """
    return simplified(text.translate(FULLWIDTH_FOLD))
