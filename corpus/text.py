"""Character classes and folding every reader and the indexer agree on.

One definition each, so the readers, reference finding and analysis cannot drift
apart on what counts as Chinese, wide, a sentence end or binary data.
"""

from __future__ import annotations

import re

# CJK Extension A, Unified Ideographs and Compatibility Ideographs: a regex class body.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_CHAR = re.compile(f"[{HAN}]")
# Characters that end a sentence wherever they stand.  A full stop ends one only
# before a space or the end of the text (``2.10.1``, ``A/RES/70/125`` do not).
SENTENCE_END = "。！？；!?;…"
# Full-width ASCII and the ideographic space, one for one to their ASCII forms.
FULLWIDTH_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
# C0 controls other than tab, line feed, form feed and carriage return.
_CONTROLS = frozenset(range(0, 9)) | {11} | frozenset(range(14, 32))
SNIFF_CHARS = 4096


def is_han(ch: str) -> bool:
    """>>> is_han("國"), is_han("Ａ")
    (True, False)
    """
    return _HAN_CHAR.match(ch) is not None


def is_wide(ch: str) -> bool:
    """A character set without spaces around it: Han, CJK punctuation, full-width forms.

    >>> [is_wide(ch) for ch in "国，Ａa"]
    [True, True, True, False]
    """
    return is_han(ch) or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"


def ends_sentence(text: str) -> bool:
    """>>> ends_sentence("见第2.10.1段。"), ends_sentence("See paragraph 2.10.1."), ends_sentence("2.10")
    (True, True, False)
    """
    return bool(text) and (text[-1] in SENTENCE_END or text[-1] == ".")


def looks_binary(head: bytes | str) -> bool:
    """More than 1 % control characters in the first few thousand: not text.

    >>> looks_binary(b"PK\\x03\\x04\\x00\\x00"), looks_binary("第140号决议\\r\\n")
    (True, False)
    """
    codes = head[:SNIFF_CHARS] if isinstance(head, bytes) else [ord(ch) for ch in head[:SNIFF_CHARS]]
    controls = sum(1 for code in codes if code in _CONTROLS)
    return controls > len(codes) // 100
