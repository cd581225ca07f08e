"""Paragraph and heading labels as council documents write them.

Word exports a numbered paragraph as ``LABEL<TAB>text``: ``2.10.1``, ``一``, ``II``,
``a)``, ``iii)``, ``1)``, ``•``, or the annex's ``67``.  A label's style decides how
deep in the outline it sits, which is all the outline needs to know about it.
``format_number`` renders a list counter the way Word and browsers number lists.
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


MAX_NUMBER = 32767  # Word's own limit for a list counter
_ROMAN: tuple[tuple[int, str], ...] = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
    (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)
_CJK_DIGITS = "〇一二三四五六七八九"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


def _chinese(n: int) -> str:
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CJK_DIGITS[tens] + "十")
    return head + (_CJK_DIGITS[ones] if ones else "")


def format_number(n: int, fmt: str) -> str:
    """One level's number as Word writes it in format ``fmt`` (``w:numFmt``).

    >>> [format_number(n, f) for n, f in [(3, "lowerLetter"), (27, "lowerLetter"), (4, "upperRoman")]]
    ['c', 'aa', 'IV']
    >>> [format_number(n, f) for n, f in [(12, "chineseCounting"), (2, "decimalEnclosedCircle"), (7, "decimalZero")]]
    ['十二', '②', '07']
    >>> [format_number(n, f) for n, f in [(105, "ideographDigital"), (3, "ideographTraditional")]]
    ['一〇五', '丙']
    >>> format_number(12, "decimalFullWidth")
    '１２'
    >>> [format_number(n, f) for n, f in [(4, "none"), (-1, "lowerRoman"), (120, "chineseCounting"), (5, "ordinal")]]
    ['', '-1', '120', '5']
    """
    if not 0 <= n <= MAX_NUMBER:
        return str(n)
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else "0"
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n).upper() if fmt == "upperRoman" else _roman(n)
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting"):
        return _chinese(n)
    if fmt == "ideographDigital":
        return "".join(_CJK_DIGITS[int(d)] for d in str(n))
    if fmt in ("ideographTraditional", "ideographZodiac") and 0 < n <= 10:
        return _HEAVENLY_STEMS[n - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)
