"""Acronym definitions mined from document text at ingest.

Council texts define most acronyms where they first use them, in one of three shapes:

- ``中文全称（ACRONYM）``: 可持续发展目标（SDG）, full-width or ASCII parentheses;
- ``ACRONYM（中文全称）``: ITU（国际电信联盟）;
- ``Full English Name (ACRONYM)``: World Summit on the Information Society (WSIS).

The hard part is where a Chinese name starts, since nothing separates it from the
words before it (国际电联一直在参与由经济与社会理事会（ECOSOC）…).  The rule here
lets the acronym decide: a small glossary gives the English initials that common name
words stand for (联合国 → UN, 理事会 → C, 经济 → E …), and the name is the shortest
run of text before the parenthesis that accounts for as many of the acronym's letters
as any longer run does, never reaching back across a particle (的, 了, 由 …) that
cannot stand inside a name.  Words that account for no letter (参与, 实现) therefore
never lead a name; a name must also end with a word the glossary knows and account for
at least half of the letters, so a parenthesis that merely follows an acronym
(ITU（国际电联统计数据）) is not taken for a definition.  English names are spelled
out instead: each word gives a prefix of itself to the acronym, in order.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from itertools import accumulate

from itudocs.corpus.model import Document, Kind
from itudocs.corpus.termbase import Term
from itudocs.corpus.text import HAN

# English initials each word of an institution name stands for, as ITU and UN names
# are translated.  It only has to find where names start and end, so it covers the
# vocabulary of names, not the language; alternatives cover words translated two ways
# (理事会 is a Council or a Board).
GLOSS: dict[str, tuple[str, ...]] = {
    # who and where
    "联合国": ("UN",),
    "国际电联": ("ITU",),
    "国际": ("I",),
    "世界": ("W",),
    "全球": ("G",),
    "区域": ("R",),
    "亚太": ("AP",),
    "亚洲": ("A",),
    "太平洋": ("P",),
    "非洲": ("A",),
    "欧洲": ("E",),
    "阿拉伯": ("A",),
    "西亚": ("WA",),
    "拉丁美洲": ("LA",),
    "加勒比": ("C",),
    "日内瓦": ("G",),
    # what about
    "信息": ("I",),
    "通信": ("C",),
    "电信": ("T",),
    "无线电": ("R",),
    "无线电通信": ("R",),
    "技术": ("T",),
    "科学": ("S",),
    "科技": ("ST",),
    "数字": ("D",),
    "互联网": ("I",),
    "网络": ("C", "N"),
    "人工智能": ("AI",),
    "社会": ("S",),
    "经济": ("E",),
    "经社": ("ES",),
    "发展": ("D",),
    "开发": ("D",),
    "可持续": ("S",),
    "贸易": ("T",),
    "贸发": ("TD",),
    "工业": ("I",),
    "教育": ("E",),
    "文化": ("C",),
    "教科文": ("ESC",),
    "政治": ("P",),
    "治理": ("G",),
    "标准化": ("S",),
    "统计": ("S",),
    "环境": ("E",),
    "卫生": ("H",),
    "儿童": ("C",),
    "妇女": ("W",),
    "人权": ("HR",),
    "劳工": ("L",),
    "最不发达国家": ("LDC",),
    "全权代表": ("PP",),
    "行政首长": ("CE",),
    "执行": ("E",),
    "协调": ("C",),
    "事务": ("A",),
    "高级别": ("HL",),
    "高级": ("HL",),
    "机构间": ("IA",),
    # what kind of thing
    "峰会": ("S",),
    "高峰会议": ("S",),
    "首脑会议": ("S",),
    "会议": ("C", "M"),
    "大会": ("GA", "A", "C"),
    "全会": ("A",),
    "理事会": ("C", "B"),
    "委员会": ("C",),
    "组委会": ("OC",),
    "组织": ("O",),
    "机构": ("A", "O"),
    "联盟": ("U",),
    "小组": ("G", "P"),
    "工作组": ("WG",),
    "论坛": ("F",),
    "中心": ("C",),
    "秘书处": ("S",),
    "计划署": ("P",),
    "规划署": ("P",),
    "部门": ("S",),
    "部": ("D",),
    "基金": ("F",),
    "契约": ("C",),
    "议程": ("A",),
    "目标": ("G",),
    "伙伴关系": ("P",),
    "日": ("D",),
}
_LONGEST_GLOSS = max(map(len, GLOSS))
_HAN_UNIT = re.compile(f"[{HAN}]")

# Particles that never occur inside a name: a name cannot reach back across them.
_CLAUSE_PARTICLES = frozenset("的了在由对于向把被从")
_ENGLISH_STOPWORDS = frozenset({"a", "an", "and", "at", "by", "for", "in", "of", "on", "the", "to", "with"})

_ACRONYM = re.compile(r"[A-Z0-9][A-Z0-9&-]*(?: [A-Z0-9][A-Z0-9&-]*)?")
_IN_PARENS = re.compile(r"[（(]([^（）()]{2,12})[）)]")
# The longest name in the sample, 理事会信息社会世界峰会和可持续发展目标工作组, has 22.
MAX_HAN = 24
MAX_WORDS = 8
# Enough text before a parenthesis to hold the longest name; bounds the work per match.
_CLAUSE_WINDOW = 4 * MAX_HAN
_ENGLISH_WINDOW = 200

_BEFORE_PARENS = re.compile(rf"(?<![A-Za-z0-9&/.-])({_ACRONYM.pattern}) ?[（(]([{HAN}]{{2,{MAX_HAN}}})[）)]")
_ENGLISH_TAIL = re.compile(r"(?:[A-Za-z][A-Za-z'’-]*,? )*[A-Za-z][A-Za-z'’-]* ?$")


@dataclass(frozen=True, slots=True, kw_only=True)
class MinedTerm:
    """An acronym defined in a text; ``text[start:end]`` is the whole definition."""

    acronym: str
    name: str
    lang: str
    start: int
    end: int


def is_acronym(text: str) -> bool:
    """Capitals and digits, 2-10 of them, joined by ``&``, ``-`` or one space (UN DESA).

    The separators do not count toward the length (CWG-WSIS&SDG has ten letters).  It
    needs two capitals and must end in a letter: a trailing number makes a meeting
    (PP-22, LDC5, WTISD-24) or a document (CWG-WSIS&SDG-39), not the body.

    >>> [is_acronym(t) for t in ("CWG-WSIS&SDG", "UN DESA", "AI", "PP-22", "LDC5", "a", "2022年", "CoCo")]
    [True, True, True, False, False, False, False, False]
    """
    return (
        _ACRONYM.fullmatch(text) is not None
        and 2 <= sum(ch.isalnum() for ch in text) <= 10
        and sum(ch.isupper() for ch in text) >= 2
        and text[-1].isalpha()
    )


def _letters(acronym: str) -> str:
    return "".join(ch for ch in acronym if ch.isalpha())


def _components(acronym: str) -> frozenset[str]:
    """The parts of a compound acronym that may appear, in Latin, inside its Chinese name."""
    return frozenset(part for part in re.split(r"[-& /]", acronym) if len(part) > 1)


def _units(clause: str) -> list[str]:
    """A clause as Han characters and whole Latin runs (which are acronym components)."""
    return re.findall(rf"[{HAN}]|[A-Za-z0-9]+", clause)


Segment = tuple[str, tuple[str, ...] | None]


def _segments(units: list[str], components: frozenset[str]) -> list[Segment]:
    """Forward longest-match segmentation against the glossary; None marks unknown words.

    >>> _segments(list("联合国信息社会小组"), frozenset())
    [('联合国', ('UN',)), ('信息', ('I',)), ('社会', ('S',)), ('小组', ('G', 'P'))]
    """
    return _segments_from(0, _steps(units, components))


def _steps(units: list[str], components: frozenset[str]) -> list[tuple[Segment, int]]:
    """For each unit, the segment the longest match starts there and the unit after it:
    the segmentation from any unit on follows these, so it is found once for every start."""
    steps: list[tuple[Segment, int]] = []
    for i, unit in enumerate(units):
        if unit in components:
            steps.append(((unit, (_letters(unit),)), i + 1))
            continue
        for size in range(min(_LONGEST_GLOSS, len(units) - i), 0, -1):
            word = "".join(units[i : i + size])
            # A Latin unit makes the joined word longer than ``size``: glossary words are all Han.
            if len(word) == size and word in GLOSS:
                steps.append(((word, GLOSS[word]), i + size))
                break
        else:
            steps.append(((unit, None), i + 1))
    return steps


def _segments_from(start: int, steps: list[tuple[Segment, int]]) -> list[Segment]:
    segments: list[Segment] = []
    i = start
    while i < len(steps):
        segment, i = steps[i]
        segments.append(segment)
    return segments


def _accounted(segments: list[Segment], letters: str) -> int:
    """How many of the acronym's letters the segments account for, each letter once."""
    left = Counter(letters)

    def covered(gloss: str) -> int:
        """How many of the letters still unaccounted for ``gloss`` accounts for."""
        return sum(min(left[ch], n) for ch, n in Counter(gloss).items())

    total = 0
    for _, glosses in segments:
        if glosses is None:
            continue
        best = max(glosses, key=covered)
        for ch in best:
            if left[ch]:
                left[ch] -= 1
                total += 1
    return total


def _clause_before(text: str, end: int, components: frozenset[str]) -> str:
    """The Han text (with the acronym's own Latin parts) that ends at ``end``.

    Only the last ``_CLAUSE_WINDOW`` characters are looked at: no name is longer.
    """
    window = text[max(0, end - _CLAUSE_WINDOW) : end]
    start = len(window)
    while start > 0:
        if window[start - 1] in _CLAUSE_PARTICLES:
            break
        if re.match(rf"[{HAN}]", window[start - 1]):
            start -= 1
            continue
        run = re.search(r"[A-Za-z0-9]+$", window[:start])
        if run is None or run.group() not in components:
            break
        start = run.start()
    return window[start:]


def _han_count(text: str) -> int:
    return len(re.findall(rf"[{HAN}]", text))


# A document names the same thing the same way again and again ("信息社会世界峰会（WSIS）"
# in every other paragraph), and finding the name tries every start in the clause: each
# (clause, acronym) is worked out once per process.
@lru_cache(maxsize=4096)
def chinese_name(clause: str, acronym: str) -> str | None:
    """The name ``acronym`` abbreviates at the end of ``clause``, or None.

    >>> chinese_name("国际电联一直在参与由经济与社会理事会", "ECOSOC")
    '经济与社会理事会'
    >>> chinese_name("作为联合国信息通信技术", "ICT"), chinese_name("实现可持续发展目标", "SDG")
    ('信息通信技术', '可持续发展目标')
    >>> chinese_name("通过理事会WSIS和SDG工作组", "CWG-WSIS&SDG")
    '理事会WSIS和SDG工作组'
    >>> chinese_name("国际电联统计数据", "ITU") is None
    True
    """
    letters = _letters(acronym)
    components = _components(acronym)
    units = _units(clause)
    steps = _steps(units, components)
    # Han characters from each unit to the end (a Latin unit is a run of Latin only).
    han_after = list(accumulate(reversed([1 if _HAN_UNIT.match(unit) else 0 for unit in units])))[::-1]
    best: tuple[int, int] | None = None  # (letters accounted for, first unit)
    for start in range(len(units)):
        if han_after[start] > MAX_HAN:
            continue
        segments = _segments_from(start, steps)
        # A name starts with a word that stands for a letter and ends with a known name word.
        if _accounted(segments[:1], letters) == 0 or segments[-1][1] is None:
            continue
        score = _accounted(segments, letters)
        # Ties go to the later start: text that accounts for nothing more is not the name.
        if best is None or score >= best[0]:
            best = (score, start)
    if best is None or 2 * best[0] < len(letters):
        return None
    name = "".join(units[best[1] :])
    return name if _han_count(name) >= 2 else None


@cache
def _spelled(words: tuple[str, ...], letters: str) -> int | None:
    """How many content words can help when ``words`` spell ``letters``; None if they cannot.

    Each word gives a prefix of itself, possibly empty, in order: ECOSOC is ECOnomic,
    and, SOcial, Council.

    >>> _spelled(("economic", "and", "social", "council"), "ecosoc")
    3
    >>> _spelled(("social", "council"), "ecosoc") is None
    True
    """
    if not words:
        return None if letters else 0
    word, rest = words[0], words[1:]
    best: int | None = None
    for size in range(min(len(word), len(letters)) + 1):
        if word[:size] != letters[:size]:
            break
        tail = _spelled(rest, letters[size:])
        if tail is not None:
            counted = tail + (1 if size and word not in _ENGLISH_STOPWORDS else 0)
            best = counted if best is None else max(best, counted)
    return best


def english_name(tail: str, acronym: str) -> str | None:
    """The shortest run of 2-8 words at the end of ``tail`` that spells ``acronym``.

    The first word must give the first letter, and at least half the content words
    must give some letter, so a long run cannot spell a short acronym by accident.

    >>> english_name("the outcomes of the World Summit on the Information Society", "WSIS")
    'World Summit on the Information Society'
    >>> english_name("the Economic and Social Council", "ECOSOC")
    'Economic and Social Council'
    >>> english_name("the General Assembly", "WSIS") is None
    True
    """
    words = list(re.finditer(r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z][A-Za-z'’]*)*", tail))
    letters = _letters(acronym).lower()
    for count in range(2, min(MAX_WORDS, len(words)) + 1):
        chosen = words[-count:]
        parts = tuple(part.lower() for word in chosen for part in word.group().split("-"))
        if parts[0] in _ENGLISH_STOPWORDS or parts[0][0] != letters[0]:
            continue
        # The first word gives at least its initial, so spell the rest after each prefix of it.
        spellings = (
            _spelled(parts[1:], letters[size:])
            for size in range(1, min(len(parts[0]), len(letters)) + 1)
            if parts[0][:size] == letters[:size]
        )
        helped = [1 + others for others in spellings if others is not None]
        content = sum(part not in _ENGLISH_STOPWORDS for part in parts)
        if helped and 2 * max(helped) >= content:
            return tail[chosen[0].start() : chosen[-1].end()]
    return None


def mine_terms(text: str) -> list[MinedTerm]:
    """Every acronym definition in ``text``, in order.

    >>> [(m.acronym, m.name) for m in mine_terms("由经济与社会理事会（ECOSOC）主持，见附件1（a）。")]
    [('ECOSOC', '经济与社会理事会')]
    >>> [(m.acronym, m.name, m.lang) for m in mine_terms("ITU（国际电信联盟）; the Internet Governance Forum (IGF)")]
    [('ITU', '国际电信联盟', 'zh'), ('IGF', 'Internet Governance Forum', 'en')]
    """
    found: list[MinedTerm] = []
    for match in _IN_PARENS.finditer(text):
        acronym, opening = match.group(1).strip(), match.start()
        if not is_acronym(acronym):
            continue
        if opening and re.match(rf"[{HAN}]", text[opening - 1]):
            name = chinese_name(_clause_before(text, opening, _components(acronym)), acronym)
            if name is not None:
                found.append(
                    MinedTerm(acronym=acronym, name=name, lang="zh", start=opening - len(name), end=match.end())
                )
            continue
        tail = _ENGLISH_TAIL.search(text, max(0, opening - _ENGLISH_WINDOW), opening)
        name = english_name(tail.group(), acronym) if tail else None
        if tail and name is not None:
            start = tail.start() + tail.group().rindex(name)
            found.append(MinedTerm(acronym=acronym, name=name, lang="en", start=start, end=match.end()))
    for match in _BEFORE_PARENS.finditer(text):
        acronym, name = match.group(1), match.group(2)
        # The whole parenthesis must be the name: nothing before or after it left unexplained.
        if is_acronym(acronym) and chinese_name(name, acronym) == name:
            found.append(MinedTerm(acronym=acronym, name=name, lang="zh", start=match.start(), end=match.end()))
    return sorted(found, key=lambda mined: mined.start)


def mine_document(doc: Document) -> list[Term]:
    """One Term per acronym a document defines, with every name it gives it.

    The id is ``mined:<ACRONYM>``; the source names the line of the first definition.
    Figures are skipped: their text is diagram fragments run together, with no clause
    boundaries to find a name's start by.  A mined pair says nothing about what kind of
    thing it names, so its kind is ``"unknown"``.
    """
    first_line: dict[str, int] = {}
    names: dict[str, dict[str, str]] = {}  # acronym -> name -> lang, in order of first use
    for passage in doc.passages:
        if passage.kind is Kind.FIGURE:
            continue
        for mined in mine_terms(passage.text):
            first_line.setdefault(mined.acronym, passage.citation.line)
            names.setdefault(mined.acronym, {}).setdefault(mined.name, mined.lang)
    return [
        Term(
            id=f"mined:{acronym}",
            en=next((name for name, lang in by_name.items() if lang == "en"), ""),
            acronyms=(acronym,),
            zh=tuple(name for name, lang in by_name.items() if lang == "zh"),
            kind="unknown",
            source=f"mined:{doc.doc_id}:{first_line[acronym]}",
        )
        for acronym, by_name in names.items()
    ]


def merge_terms(terms: Iterable[Term]) -> list[Term]:
    """Mined terms with one id merged into one: every name any document gives it, and
    where it was first found."""
    merged: dict[str, Term] = {}
    for term in terms:
        seen = merged.get(term.id)
        merged[term.id] = (
            term if seen is None else replace(seen, en=seen.en or term.en, zh=tuple(dict.fromkeys(seen.zh + term.zh)))
        )
    return list(merged.values())
