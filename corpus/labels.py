"""Paragraph and heading labels as council documents write them.

Word exports a numbered paragraph as ``LABEL<TAB>text``: ``2.10.1``, ``一``, ``II``,
``a)``, ``iii)``, ``1)``, ``•``, or the annex's ``67``.  A label's style decides how
deep in the outline it sits, which is all the outline needs to know about it.
"""

from __future__ import annotations

import re
from enum import Enum


class Style(str, Enum):
    DECIMAL = "decimal"  # 1, 2.10.1, 67
    CJK_NUMERAL = "cjk"  # 一, 二十
    CJK_PAREN = "cjk_paren"  # （一）
    ROMAN = "roman"  # I, IV
    LETTER_PAREN = "letter"  # a), (b)
    ROMAN_PAREN = "roman_paren"  # iii), (iv)
    NUMBER_PAREN = "number_paren"  # 1), (2)
    BULLET = "bullet"  # •, –


_PATTERNS: tuple[tuple[Style, re.Pattern[str]], ...] = (
    (Style.DECIMAL, re.compile(r"\d{1,3}(?:\.\d{1,3})*\.?")),
    (Style.CJK_NUMERAL, re.compile(r"[一二三四五六七八九十]{1,3}[、.]?")),
    (Style.CJK_PAREN, re.compile(r"[（(][一二三四五六七八九十]{1,3}[）)]")),
    (Style.ROMAN, re.compile(r"[IVX]{1,5}\.?")),
    (Style.ROMAN_PAREN, re.compile(r"\(?(?:i{1,3}|iv|vi{0,3}|ix|xi{0,3})\)")),
    (Style.LETTER_PAREN, re.compile(r"\(?[a-z]\)")),
    (Style.NUMBER_PAREN, re.compile(r"[（(]?\d{1,3}[)）]")),
    (Style.BULLET, re.compile(r"[•·▪◦\-–—]")),
)

# How deep each style sits; decimals take their depth from their dots instead.
_LEVEL = {
    Style.CJK_NUMERAL: 1,
    Style.ROMAN: 1,
    Style.CJK_PAREN: 2,
    Style.LETTER_PAREN: 2,
    Style.ROMAN_PAREN: 3,
    Style.NUMBER_PAREN: 3,
    Style.BULLET: 4,
}

ANNEX = re.compile(r"(?:附件|附录|Annex|ANNEX|Appendix|APPENDIX)\s*(?:[\dA-Z]{1,3}\s*[:：]?)?(?:\s.*)?")


def label_style(label: str) -> Style | None:
    """The style of a label, or None when it is not one.

    >>> label_style("2.10.1"), label_style("iii)"), label_style("a)"), label_style("WSIS")
    (<Style.DECIMAL: 'decimal'>, <Style.ROMAN_PAREN: 'roman_paren'>, <Style.LETTER_PAREN: 'letter'>, None)
    """
    for style, pattern in _PATTERNS:
        if pattern.fullmatch(label):
            return style
    return None


def label_level(label: str) -> int:
    """Outline depth of a label: ``一``/``I``/``1`` → 1, ``2.1`` → 2, ``a)`` → 2, ``i)`` → 3."""
    style = label_style(label)
    if style is None:
        raise ValueError(f"not a label: {label!r}")
    if style is Style.DECIMAL:
        return label.rstrip(".").count(".") + 1
    return _LEVEL[style]


def split_label(line: str) -> tuple[str | None, str]:
    """Split ``LABEL<TAB>text`` into its label and text.

    A line with no TAB, or whose part before the TAB is not a label, has no label.
    An empty part before the TAB (``" \\t目的"``) gives the label ``""``: the line was
    laid out as a numbered one but carries no number.

    >>> split_label("2.10.1\\t发起了讨论"), split_label(" \\t目的 "), split_label("正文")
    (('2.10.1', '发起了讨论'), ('', '目的'), (None, '正文'))
    """
    head, tab, rest = line.partition("\t")
    if not tab:
        return None, line.strip()
    label = head.strip()
    if label == "" or label_style(label) is not None:
        return label, rest.strip()
    return None, " ".join(part.strip() for part in line.split("\t") if part.strip())


def is_annex(text: str) -> bool:
    """``附件``, ``附件2``, ``Annex 1``, ``附件1 标题``: a heading that starts a new top-level part."""
    return ANNEX.fullmatch(text.strip()) is not None
