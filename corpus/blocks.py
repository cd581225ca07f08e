"""What a block of text is, decided once for every format.

A reader finds blocks (a line of a text export, a ``<p>`` or ``<li>``, a Word paragraph,
a PDF paragraph) and says what its format tells it: a heading's depth, a list number.
The rules here decide the rest the same way whatever the format, so one document
written four ways reads as one document:

- a block's **label** is the number its format gives it, else the one typed at its start
  (``1.1 The Council…``, ``a) hold…``, ``（一）背景``, and in a heading also ``4 Action…``);
  a typed number beats a bullet, because Word shows ``• c) …`` for a ``c)`` typed into a
  bulleted list and the ``c)`` is what the document cites;
- a **masthead** line (the meeting, its place and dates, the document symbol, the
  original language, the agenda item) is its own passage and never part of the title.
"""

from __future__ import annotations

import re

from itudocs.corpus.labels import Style, label_style
from itudocs.corpus.text import HAN

# Typed labels closed by a bracket or 、 need no space after them (``（一）背景``, ``一、背景``).
_CLOSED = re.compile(
    r"([（(][一二三四五六七八九十]{1,3}[）)]"  # （一）
    r"|[一二三四五六七八九十]{1,3}、"  # 一、
    r"|\(?(?:i{1,3}|iv|vi{0,3}|ix|xi{0,3})\)"  # (iv), iv)
    r"|\(?[a-z]\)"  # (a), a)
    r"|[（(]?\d{1,3}[)）])"  # 1), （2）
    r"\s*(?=\S)"
)
# Numbers need a space after them, and what follows must not read as the rest of a
# quantity or a sentence: ``1.5 million`` and ``15 June`` are not labelled.
_SPACED = re.compile(
    r"(\d{1,3}(?:\.\d{1,3})+\.?|\d{1,3}\.|\d{1,3}|[IVX]{1,5}\.?|[一二三四五六七八九十]{1,3})\s+(?=[^\sa-z0-9.,;:%])"
)
# Only headings are numbered with a bare number or numeral (``4 Action…``, ``II 全体会议``,
# ``一 背景``); in a paragraph ``67 countries…`` is text.
_HEADING_ONLY = re.compile(r"\d{1,3}|[IVX]{1,5}\.?|[一二三四五六七八九十]{1,3}")


def typed_label(text: str, *, heading: bool = False) -> tuple[str | None, str]:
    """The label typed at the start of ``text``, and the text after it.

    >>> typed_label("1.1 The Council adopted the plan."), typed_label("（一）背景"), typed_label("c) review")
    (('1.1', 'The Council adopted the plan.'), ('（一）', '背景'), ('c)', 'review'))
    >>> typed_label("1.5 million people"), typed_label("67 countries signed."), typed_label("Council 2025")
    ((None, '1.5 million people'), (None, '67 countries signed.'), (None, 'Council 2025'))
    >>> typed_label("4 Action required by the Council", heading=True), typed_label("I am", heading=True)
    (('4', 'Action required by the Council'), (None, 'I am'))
    >>> typed_label("II 全体会议声明概述", heading=True), typed_label("一 背景", heading=True), typed_label("一 背景")
    (('II', '全体会议声明概述'), ('一', '背景'), (None, '一 背景'))
    """
    match = _CLOSED.match(text) or _SPACED.match(text)
    if match is None or is_masthead(text):  # a date is no label: 15 June 2025
        return None, text
    label, rest = match.group(1), text[match.end() :]
    # ``1 | WSIS Forum``: a number in a table row's first cell is content.
    if label_style(label) is None or (not heading and _HEADING_ONLY.fullmatch(label)) or rest.startswith("|"):
        return None, text
    return label, rest


def block_label(given: str | None, text: str, *, heading: bool = False) -> tuple[str | None, str, int]:
    """The label of a block its format numbered ``given`` (or None), its text, and how
    many characters were cut from the text's start (footnote calls move back by as many).

    >>> block_label(None, "2.3 The group agreed to:"), block_label("•", "c) review"), block_label("b)", "1.1 x")
    (('2.3', 'The group agreed to:', 4), ('c)', 'review', 3), ('b)', '1.1 x', 0))
    """
    if given is not None and label_style(given) is not Style.BULLET:
        return given, text, 0
    label, rest = typed_label(text, heading=heading)
    if label is None:
        return given, text, 0
    return label, rest, len(text) - len(rest)


_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_EN_DATE = rf"\d{{1,2}}(?:\s*[-–]\s*\d{{1,2}})?\s+(?:{_MONTHS})(?:\s*[-–]\s*\d{{1,2}}\s+(?:{_MONTHS}))?\s+\d{{4}}"
_ZH_DATE = r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}(?:\s*[-–至]\s*\d{1,2})?\s*日"
_SYMBOL = r"(?:C\d{2}|CWG-[\w&-]+|PP-\d{2}|WTDC-\d{2}|WTSA-\d{2})/[\w.()/-]+"
_MASTHEAD = re.compile(
    "|".join(
        (
            r"(?:ITU\s+)?Council\s+\d{4}",  # Council 2025
            r"(?:国际电联)?理事会\s*\d{4}\s*年会议",  # 理事会2025年会议
            rf"(?:[A-Z][\w .'-]{{0,30}},\s*)?{_EN_DATE}",  # Geneva, 17-27 June 2025
            rf"(?:[{HAN}]{{1,10}}\s*[，,]\s*)?{_ZH_DATE}(?:\s*[，,]\s*[{HAN}]{{1,10}})?",  # 2025年6月17-27日，日内瓦
            rf"(?:Document|文件)?\s*{_SYMBOL}",  # Document C25/45-E
            r"(?:Original|原文)\s*[:：]\s*\S.{0,20}",  # Original: English
            r"(?:Agenda item|议项)\s*[:：]\s*\S.{0,30}",  # Agenda item: ADM 5
            r"(?:English|French|Spanish|Arabic|Chinese|Russian) only",
        )
    ),
)


def is_masthead(text: str) -> bool:
    """A line of a council document's masthead: the meeting, its place and dates, the
    document symbol, the original language, the agenda item.

    >>> [is_masthead(t) for t in ("Council 2025", "Geneva, 17-27 June 2025", "Document C25/45-E")]
    [True, True, True]
    >>> [is_masthead(t) for t in ("理事会2025年会议", "2025年6月17-27日，日内瓦", "文件 C25/45-C", "原文：英文")]
    [True, True, True, True]
    >>> [is_masthead(t) for t in ("Report on the implementation of Resolution 140", "Purpose", "关于第140号决议的报告")]
    [False, False, False]
    """
    return _MASTHEAD.fullmatch(text.strip()) is not None
