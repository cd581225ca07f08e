"""References as first-class entities: resolutions, UN symbols, ITU documents, circular letters.

A passage's references are found in its text, normalised to ids that do not depend on
how the text spelled them, and a query that is itself a reference is read the same way,
so ``第140号决议``, ``Resolution 140 (Rev. Bucharest, 2022)`` and ``PP-140`` all find
``PP-RES-140``.  Passages and queries share one grammar, read after the same folding as
the index's (``corpus.script``: full-width to ASCII, traditional Han to simplified), so a
document's ``第140號決議`` or ``ＰＰ－１４０`` is a reference too, and every short form a
query reads (``PP-140``, ``PP-RES-140``, ``RES-140``, ``Res. 140``) is read in passages;
only a passage must write a body's abbreviation and ``RES`` in capitals.

Ids:

* ITU resolutions: ``{body}-RES-{number}`` (``PP-RES-140``, ``Council-RES-1332``,
  ``WTDC-RES-30``, ``WTSA-RES-75``, ``RA-RES-61-2``), or ``RES-{number}`` when no body
  can be told.  Kind ``resolution``.
* UN resolutions: the UN symbol, ``A/RES/70/125`` (UNGA), ``E/RES/2023/3`` (ECOSOC),
  ``ESCAP/RES/72/10``.  Kind ``un_symbol``; ``number`` is ``session/number``.
* ITU documents: the symbol upper-cased, ``CWG-WSIS&SDG-40/INF/4``, ``C24/12``.  Kind
  ``itu_document``; ``body`` is the group (``CWG-WSIS&SDG``, ``Council``).
* Circular letters: ``CL-15/46``.  Kind ``circular``.

How a passage's resolution gets its body, first rule that applies:

1. the text names it next to the mention (``全权代表大会第140号决议``, ``WTSA-16第75号决议``,
   ``Council Resolution 1332``, ``Resolution 140 of the Plenipotentiary Conference``);
2. the mention continues a list whose previous mention named one (``理事会第1332号决议（…）、
   第1334号决议``): only 、 和 及 以及 与 , and may stand between, so ； and 。 end the list;
3. for a UN session/number (``第70/125号决议``): a session of 99 or less is the General
   Assembly, a four-digit year ECOSOC;
4. numbers of 1000 and over are Council resolutions (the ITU convention);
5. the edition names a conference: ``（2022年，布加勒斯特，修订版）`` was adopted by PP-22;
6. the sentence before the mention names a conference (``PP-98通过了…（第73号决议）``).

A query is read with rules 1 to 3 only: it gives a body or it does not.

>>> [r.id for r in find_references("根据全权代表大会第140号决议（2022年，布加勒斯特，修订版）以及理事会第1334号决议")]
['PP-RES-140', 'Council-RES-1334']
>>> [(r.id, r.text) for r in find_references("理事会第1332和1336号决议；CWG-WSIS第18和19次会议")]
[('Council-RES-1332', '理事会第1332'), ('Council-RES-1336', '1336号决议')]
>>> [r.id for r in find_references("联大第70/125、A/71/212号决议；经社理事会第2006/46 号决议")]
['A/RES/70/125', 'A/RES/71/212', 'E/RES/2006/46']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from itertools import pairwise

from itudocs.corpus.script import fold_script
from itudocs.corpus.text import SENTENCE_END


class RefKind(str, Enum):
    """What a reference names; the value is what the index stores and exports show."""

    RESOLUTION = "resolution"
    UN_SYMBOL = "un_symbol"
    ITU_DOCUMENT = "itu_document"
    CIRCULAR = "circular"


RESOLUTION, UN_SYMBOL, ITU_DOCUMENT, CIRCULAR = RefKind


@dataclass(frozen=True, slots=True, kw_only=True)
class Reference:
    """One reference in a text — a resolution, a UN symbol, an ITU document or a circular
    letter: what it names (``id``, ``kind``, ``body``, ``number``, ``edition``) and where
    (``start``, ``end``, ``text``).

    In a mention that cites several items at once (``第1332和1334号决议``) the first item's
    span starts with the mention and the last one's ends with it.
    """

    id: str
    kind: RefKind
    body: str | None
    number: str
    edition: str | None
    start: int
    end: int
    text: str


# Full-width ASCII and the ideographic space, one character for one, so that spans found
# in the folded text hold in the original.
# Queries are read with ASCII upper-cased (one for one too): passages spell symbols and
# abbreviations in capitals, and only capitals are taken for them there.
_UPPER = {code: code - 0x20 for code in range(ord("a"), ord("z") + 1)}

# Each body's names: Chinese, then Latin (matched as whole words; abbreviations in capitals
# only, so that "pp." is no conference), and whether a bare resolution number may take it
# from its sentence (conferences do; the sector's name, the Council and UN bodies do not).
_BODY_NAMES: tuple[tuple[str, str, str, bool], ...] = (
    ("ECOSOC", r"经社理事会|经济[与及和]社会理事会", r"Economic\s+and\s+Social\s+Council|(?-i:ECOSOC)", False),
    ("ESCAP", r"亚太经社会", r"(?-i:(?:UN)?ESCAP)", False),
    ("UNGA", r"联大|联合国大会", r"(?:UN\s+|United\s+Nations\s+)?General\s+Assembly|(?-i:UNGA)", False),
    ("PP", r"全权代表大会|全权代表会议", r"Plenipotentiary(?:\s+Conference)?|(?-i:PP)(?:-\d\d(?!\d))?", True),
    ("Council", r"(?<!社)理事会", r"(?<!Social\s)(?<!Security\s)(?<!Rights\s)Council", False),
    (
        "WTDC",
        r"世界电信发展大会",
        r"World\s+Telecommunication\s+Development\s+Conference|(?-i:WTDC)(?:-\d\d(?!\d))?",
        True,
    ),
    (
        "WTSA",
        r"世界电信标准化全会",
        r"World\s+Telecommunication\s+Standardization\s+Assembly|(?-i:WTSA)(?:-\d\d(?!\d))?",
        True,
    ),
    ("RA", r"无线电通信全会", r"Radiocommunication\s+Assembly|(?-i:RA)(?:-\d\d(?!\d))?", True),
    ("RA", "", r"(?-i:ITU-R)", False),
    ("WRC", r"世界无线电通信大会", r"World\s+Radiocommunication\s+Conference|(?-i:WRC)(?:-\d\d(?!\d))?", True),
)
_ITU_BODIES = frozenset({"PP", "Council", "WTDC", "WTSA", "RA", "WRC"})
_UN_PREFIXES = {"UNGA": "A", "ECOSOC": "E", "ESCAP": "ESCAP"}
_UN_BODY_OF_PREFIX = {"A": "UNGA", "E": "ECOSOC", "ESCAP": "ESCAP", "E/ESCAP": "ESCAP"}


def _names(conferences_only: bool) -> str:
    """The body names as one alternation with a group per row, ``b0``, ``b1``, …"""
    rows = []
    for i, (_, chinese, latin, conference) in enumerate(_BODY_NAMES):
        if conferences_only and not conference:
            continue
        words = rf"(?<![A-Za-z])(?:{latin})(?![A-Za-z])"
        rows.append(f"(?P<b{i}>{chinese}|{words})" if chinese else f"(?P<b{i}>{words})")
    return "|".join(rows)


# A body named just before a mention, perhaps with its abbreviation in brackets and a
# colon: 全权代表大会（PP）, 国际电联全权代表大会：, WTSA-16, Council, General Assembly.
_BODY_BEFORE = re.compile(rf"(?:{_names(False)})(?:\s*\([A-Za-z]{{2,8}}(?:-\d\d)?\))?\s*:?\s*\Z", re.I)
# A body named just after an English mention: "… of the Plenipotentiary Conference".
_BODY_AFTER = re.compile(rf"\s+of\s+(?:the\s+)?(?:{_names(False)})", re.I)
# A conference named anywhere earlier in a sentence: PP-98, 全权代表大会, WTDC-22.
_CONFERENCE = re.compile(_names(True), re.I)
# Where a sentence ends, for the conference a bare number may take from its sentence.
_SENTENCE_END = re.compile(rf"[{SENTENCE_END}\n]|\.(?=\s+[A-Z])")
# How far before a mention its body's name may start (the longest English name and its abbreviation fit).
_BODY_REACH = 60

# One cited item: a UN symbol or session/number (A/RES/70/125, A/71/212, 70/125,
# E/RES/2023/3) or an ITU resolution number (140, 61-2).
_ITEM = r"(?:(?:E/ESCAP|ESCAP|A|E)/(?:RES/)?)?\d{1,4}/\d{1,4}|\d{1,4}(?:-\d{1,2})?"
_ITEM_RE = re.compile(_ITEM, re.I)
# Between the items of one mention: 、 和 及 以及 与 & "," ", and" " and", also
# 第140号、第172号决议 where each item repeats 号 and 第.
_SEP = r"\s*(?:号\s*)?(?:、|以及|及|和|与|&|,(?:\s*and(?![A-Za-z]))?|(?<=\s)and(?![A-Za-z]))\s*(?:第\s*)?"
# A Chinese mention: 第140号决议, 第1332和1334号决议, 第A/RES/70/125、A/71/212号决议; 第 may be
# left out (A/RES/70/125号决议), but then no Latin letter, digit or symbol may come just before.
_ZH = rf"(?:第\s*|(?<![A-Za-z0-9/.\-]))(?P<zh>(?:{_ITEM})(?:{_SEP}(?:{_ITEM}))*)\s*号\s*决议"
# An English mention: Resolution 140, Res. 140, RES 140, Resolutions 1332 and 1334,
# resolution 70/125, Resolution ITU-R 61-2.
_EN = (
    rf"(?<![A-Za-z/])(?:Resolutions?|Res\.|RES)(?:\s+|(?<=\.)\s*)(?:(?P<sector>ITU-R)\s+)?"
    rf"(?P<en>(?:{_ITEM})(?:{_SEP}(?:{_ITEM}))*)(?![A-Za-z0-9/])"
)
_MENTION = re.compile(f"{_ZH}|{_EN}", re.I)
# A UN session/number, with the symbol's prefix when it has one.
_UN_ITEM = re.compile(r"(?:(?P<prefix>E/ESCAP|ESCAP|A|E)/(?:RES/)?)?(?P<session>\d+)/(?P<number>\d+)", re.I)
_CONNECTOR = r"、|以及|及|和|与|&|,|,?\s*and"
# What may stand between two mentions of one list, for the first to lend the second its body.
_LIST_GAP = re.compile(rf"\s*(?:{_CONNECTOR})?\s*", re.I)
# What must stand between two references of one query: a space alone separates query words.
_QUERY_GAP = re.compile(rf"\s*(?:{_CONNECTOR})\s*", re.I)

# A UN resolution symbol standing on its own: A/RES/70/125, E/RES/2023/3, E/ESCAP/RES/72/10.
_UN_SYMBOL = re.compile(
    r"(?<![A-Za-z0-9/.\-])(?P<prefix>E/ESCAP|ESCAP|A|E)/RES/(?P<session>\d{1,4})/(?P<number>\d{1,4})(?![A-Za-z0-9/])"
)
# An ITU document or circular letter: a group, its meeting and the document's number
# (CWG-WSIS&SDG-40/INF/4, CL-15/46), or a Council document (C24/12).  Upper case only in
# passages, so that words such as covid-19/20 are not taken for symbols.
_ITU_SYMBOL = re.compile(
    r"(?<![A-Za-z0-9/&.\-])(?:(?P<group>[A-Z][A-Z0-9]*(?:[-&][A-Z][A-Z0-9]*)*)-(?P<meeting>\d{1,3}/(?:[A-Z]{2,5}/)?\d{1,4})"
    r"|C(?P<session>\d\d)/(?P<document>\d{1,4}))(?![A-Za-z0-9/])"
)

# Host cities, Chinese and English, to their English names.
_CITIES = {
    "布加勒斯特": "Bucharest",
    "釜山": "Busan",
    "瓜达拉哈拉": "Guadalajara",
    "明尼阿波利斯": "Minneapolis",
    "基加利": "Kigali",
    "日内瓦": "Geneva",
    "巴库": "Baku",
    "迪拜": "Dubai",
    "安塔利亚": "Antalya",
    "墨西哥": "Mexico",
    "马拉喀什": "Marrakesh",
    "哈马马特": "Hammamet",
    "约翰内斯堡": "Johannesburg",
    "新德里": "New Delhi",
    "沙姆沙伊赫": "Sharm el-Sheikh",
    "布宜诺斯艾利斯": "Buenos Aires",
    "海得拉巴": "Hyderabad",
    "多哈": "Doha",
    "京都": "Kyoto",
    "伊斯坦布尔": "Istanbul",
}
_CITY_NAMES = {**_CITIES, **{name.lower(): name for name in _CITIES.values()}}
_CITY = "|".join(re.escape(name) for name in sorted(_CITY_NAMES, key=len, reverse=True))
_CITY_RE = re.compile(_CITY, re.I)
# Which conference met where and when, so that an edition names the body that adopted the
# text.  Radiocommunication assemblies are left out: a WRC meets in the same city and year.
_CONFERENCES_HELD = {
    ("Kyoto", "1994"): "PP",
    ("Minneapolis", "1998"): "PP",
    ("Marrakesh", "2002"): "PP",
    ("Antalya", "2006"): "PP",
    ("Guadalajara", "2010"): "PP",
    ("Busan", "2014"): "PP",
    ("Dubai", "2018"): "PP",
    ("Bucharest", "2022"): "PP",
    ("Doha", "2026"): "PP",
    ("Istanbul", "2002"): "WTDC",
    ("Doha", "2006"): "WTDC",
    ("Hyderabad", "2010"): "WTDC",
    ("Dubai", "2014"): "WTDC",
    ("Buenos Aires", "2017"): "WTDC",
    ("Kigali", "2022"): "WTDC",
    ("Baku", "2025"): "WTDC",
    ("Johannesburg", "2008"): "WTSA",
    ("Dubai", "2012"): "WTSA",
    ("Hammamet", "2016"): "WTSA",
    ("Geneva", "2022"): "WTSA",
    ("New Delhi", "2024"): "WTSA",
}
# The words an edition is made of: （2022年，布加勒斯特，修订版）, (Rev. Bucharest, 2022),
# （理事会2011年会议，理事会2019年会议最新修订版）.
_EDITION_WORDS = rf"(?:{_CITY}|(?:19|20)\d\d|Rev\.?|revised|最新|修订版?|年|会议|理事会|Council|[\s,.])+"
# An edition in brackets after the mention, or after a comma inside the brackets that
# enclose it: （第73号决议，1998年，明尼阿波利斯）.
_EDITION = re.compile(rf"\s*\((?P<bracketed>{_EDITION_WORDS})\)|,\s*(?P<enclosed>{_EDITION_WORDS})(?=\))", re.I)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_REVISED = re.compile(r"修订|Rev", re.I)

# A resolution written as its id or in short: PP-RES-140, RES-140, PP-140, Council-1332.
# One grammar for passages and queries; a passage writes the body's name and RES as
# shown (so ``pp-140`` is not one), a query may write them in any case.
_SHORT = (
    r"(?<![A-Za-z0-9/&.\-])(?=(?:PP|Council|WTDC|WTSA|RA|WRC|RES)-)"
    r"(?:(?P<short_body>PP|Council|WTDC|WTSA|RA|WRC)-)?(?P<res>RES-)?(?P<short_number>\d{1,4}(?:-\d{1,2})?)"
    r"(?![A-Za-z0-9/\-])"
)
_SHORT_IN_TEXT = re.compile(_SHORT)
_SHORT_IN_QUERY = re.compile(_SHORT, re.I)
_SHORT_BODIES = {body.lower(): body for body in _ITU_BODIES}
# After a body's name, two digits or a year name its conference (PP-22, WTDC-2022), no resolution.
_CONFERENCE_YEAR = re.compile(r"\d\d|(?:19|20)\d\d")


@dataclass(frozen=True, slots=True)
class _Mention:
    """A resolution mention: its whole span, its items' spans, and what the text says of them."""

    start: int
    end: int
    items: tuple[tuple[int, int], ...]
    body: str | None
    edition: str | None
    held_by: str | None


def find_references(text: str) -> list[Reference]:
    """Every reference in a passage, in order of where it starts.

    >>> [(r.id, r.edition) for r in find_references("PP-98通过了一项决议（第73号决议，1998年，明尼阿波利斯）。")]
    [('PP-RES-73', 'Minneapolis 1998')]
    >>> find_references("第39和40次会议、第140段、PP-22、2022年")
    []
    """
    folded = fold_script(text)
    mentions = _mentions(folded, _SHORT_IN_TEXT)
    found = _resolutions(text, folded, mentions, infer=True) + _symbols(text, folded, mentions)
    return sorted(found, key=lambda ref: ref.start)


def read_reference_query(text: str) -> list[Reference] | None:
    """The references a query consists of, or None when it is not just references.

    A body is the query's own or None; ``PP-NN`` with two digits is a conference (PP-22,
    PP-98) and so no reference, any other number after a body and a hyphen is a
    resolution (PP-140, PP-1).

    >>> [(r.id, r.body) for r in read_reference_query("Resolutions 1332 and 1334")]
    [('RES-1332', None), ('RES-1334', None)]
    >>> [r.id for r in read_reference_query("PP-140")], read_reference_query("PP-22")
    (['PP-RES-140'], None)
    >>> read_reference_query("第140号决议 网络安全") is None
    True
    """
    folded = fold_script(text).translate(_UPPER)
    mentions = _mentions(folded, _SHORT_IN_QUERY)
    symbols = _symbols(text, folded, mentions)
    spans = sorted([(m.start, m.end) for m in mentions] + [(ref.start, ref.end) for ref in symbols])
    if not spans or not _covers(folded, spans):
        return None
    return sorted(_resolutions(text, folded, mentions, infer=False) + symbols, key=lambda ref: ref.start)


def matches(query_ref: Reference, passage_ref: Reference) -> bool:
    """Whether a passage's reference is the one a query asks for: same kind and number;
    the query's body, when it gives one, must agree; editions do not matter.

    >>> (query,) = read_reference_query("Council Resolution 1332")
    >>> [matches(query, ref) for ref in find_references("理事会第1332号决议；全权代表大会第1332号决议")]
    [True, False]
    """
    return (
        query_ref.kind == passage_ref.kind
        and query_ref.number == passage_ref.number
        and query_ref.body in (None, passage_ref.body)
    )


def _mentions(folded: str, short: re.Pattern[str]) -> list[_Mention]:
    """The resolution mentions of a folded text, written out and in short, in order."""
    written = [_mention(folded, match) for match in _MENTION.finditer(folded)]
    taken = [(m.start, m.end) for m in written]
    shorts = [
        _short_mention(folded, match)
        for match in short.finditer(folded)
        if not any(s < match.end() and match.start() < e for s, e in taken)
    ]
    return sorted(written + [m for m in shorts if m is not None], key=lambda m: m.start)


def _short_mention(folded: str, match: re.Match[str]) -> _Mention | None:
    """``PP-RES-140``, ``RES-140``, ``PP-140`` as a mention; ``PP-22`` names a conference."""
    number = match.group("short_number")
    if not match.group("res") and _CONFERENCE_YEAR.fullmatch(number):
        return None
    named = match.group("short_body")
    body = _SHORT_BODIES[named.lower()] if named else None
    end = match.end()
    edition = held_by = None
    found = _EDITION.match(folded, end)
    if found:
        edition, held_by = _edition(found.group("bracketed") or found.group("enclosed"))
        if edition:
            end = found.end()
    return _Mention(match.start(), end, (match.span("short_number"),), body, edition, held_by)


def _mention(folded: str, match: re.Match[str]) -> _Mention:
    """A mention with its edition, and the body named before or after it."""
    group = "zh" if match.group("zh") else "en"
    items = tuple(item.span() for item in _ITEM_RE.finditer(folded, *match.span(group)))
    start, end = match.span()
    body = "RA" if match.group("sector") else None
    edition = held_by = None
    found = _EDITION.match(folded, end)
    if found:
        words = found.group("bracketed") or found.group("enclosed")
        edition, held_by = _edition(words)
        if edition:
            end = found.end()
    after = _BODY_AFTER.match(folded, end)
    if after:
        body, end = body or _body(after), after.end()
    before = _BODY_BEFORE.search(folded, max(0, start - _BODY_REACH), start)
    if before:
        body, start = _body(before), before.start()
    return _Mention(start, end, items, body, edition, held_by)


def _body(match: re.Match[str]) -> str:
    """The body a match of the body names stands for, from the row group that matched."""
    (row,) = (name for name, value in match.groupdict().items() if value is not None)
    return _BODY_NAMES[int(row[1:])][0]


def _edition(words: str) -> tuple[str | None, str | None]:
    """An edition in English order (``Rev. Bucharest 2022``) and the conference held then and there.

    >>> _edition("2022年，布加勒斯特，修订版")
    ('Rev. Bucharest 2022', 'PP')
    >>> _edition("理事会2011年会议，理事会2019年会议最新修订版")
    ('Rev. 2019', None)
    """
    years = _YEAR.findall(words)
    if not years:
        return None, None
    cities = [_CITY_NAMES[city.lower()] for city in _CITY_RE.findall(words)]
    city = cities[-1] if cities else None
    parts = ["Rev." if _REVISED.search(words) else None, city, years[-1]]
    return " ".join(part for part in parts if part), (_CONFERENCES_HELD.get((city, years[-1])) if city else None)


def _resolutions(text: str, folded: str, mentions: list[_Mention], *, infer: bool) -> list[Reference]:
    """The references of the mentions, each item its own, bodies carried along lists."""
    found = []
    carried, carried_to = None, -1
    for mention in mentions:
        body = mention.body
        if body is None and carried and _LIST_GAP.fullmatch(folded, carried_to, mention.start):
            body = carried
        last = len(mention.items) - 1
        for i, (start, end) in enumerate(mention.items):
            named = _name(folded[start:end], body, mention, folded, infer)
            if named is None:
                continue
            kind, ref_body, number, ref_id = named
            start, end = (mention.start if i == 0 else start), (mention.end if i == last else end)
            found.append(_ref(text, ref_id, kind, ref_body, number, mention.edition, start, end))
        carried, carried_to = body, mention.end
    return found


def _name(
    item: str, body: str | None, mention: _Mention, folded: str, infer: bool
) -> tuple[RefKind, str | None, str, str] | None:
    """Kind, body, number and id of one item, or None for a session/number no UN body uses."""
    un = _UN_ITEM.fullmatch(item)
    if un:
        prefix = (un.group("prefix") or "").upper()
        session, serial = int(un.group("session")), int(un.group("number"))
        un_body = _UN_BODY_OF_PREFIX.get(prefix) or (body if body in _UN_PREFIXES else _un_body(session))
        if un_body is None:
            return None
        return UN_SYMBOL, un_body, f"{session}/{serial}", f"{_UN_PREFIXES[un_body]}/RES/{session}/{serial}"
    number = _itu_number(item)
    if body not in _ITU_BODIES:
        body = _itu_body(int(number.split("-")[0]), mention, folded) if infer else None
    return RESOLUTION, body, number, _resolution_id(body, number)


def _itu_number(number: str) -> str:
    """Without leading zeros, the revision suffix kept: ``061-2`` is ``61-2``."""
    return "-".join(str(int(part)) for part in number.split("-"))


def _resolution_id(body: str | None, number: str) -> str:
    return f"{body}-RES-{number}" if body else f"RES-{number}"


def _un_body(session: int) -> str | None:
    """UNGA sessions run 1 to 99 for now; ECOSOC numbers its resolutions by year."""
    if session <= 99:
        return "UNGA"
    return "ECOSOC" if 1946 <= session <= 2099 else None


def _itu_body(number: int, mention: _Mention, folded: str) -> str | None:
    """Rules 4 to 6 of the module docstring: a body the text does not name next to the mention."""
    if number >= 1000:
        return "Council"
    return mention.held_by or _sentence_conference(folded, mention.start)


def _sentence_conference(folded: str, start: int) -> str | None:
    """The conference named last in the sentence before ``start``, if any."""
    # The whole text is searched: an English full stop is told by the capital after it.
    ends = [end.end() for end in _SENTENCE_END.finditer(folded) if end.end() <= start]
    named = list(_CONFERENCE.finditer(folded, ends[-1] if ends else 0, start))
    return _body(named[-1]) if named else None


def _symbols(text: str, folded: str, mentions: list[_Mention]) -> list[Reference]:
    """UN resolution symbols, ITU documents and circular letters outside the resolution mentions."""
    taken = [(m.start, m.end) for m in mentions]
    found = []
    for match in [*_UN_SYMBOL.finditer(folded), *_ITU_SYMBOL.finditer(folded)]:
        start, end = match.span()
        if any(s < end and start < e for s, e in taken):
            continue
        found.append(_symbol(text, match))
    return found


def _symbol(text: str, match: re.Match[str]) -> Reference:
    """A match of ``_UN_SYMBOL`` or ``_ITU_SYMBOL`` as a reference."""
    start, end = match.span()
    groups = match.groupdict()
    if groups.get("prefix"):
        body = _UN_BODY_OF_PREFIX[groups["prefix"]]
        number = f"{int(groups['session'])}/{int(groups['number'])}"
        return _ref(text, f"{_UN_PREFIXES[body]}/RES/{number}", UN_SYMBOL, body, number, None, start, end)
    if groups["group"] == "CL":
        return _ref(text, f"CL-{groups['meeting']}", CIRCULAR, None, groups["meeting"], None, start, end)
    if groups["group"]:
        symbol = f"{groups['group']}-{groups['meeting']}"
        return _ref(text, symbol, ITU_DOCUMENT, groups["group"], groups["meeting"], None, start, end)
    number = f"{groups['session']}/{groups['document']}"
    return _ref(text, f"C{number}", ITU_DOCUMENT, "Council", number, None, start, end)


def _ref(
    text: str, ref_id: str, kind: RefKind, body: str | None, number: str, edition: str | None, start: int, end: int
) -> Reference:
    return Reference(
        id=ref_id, kind=kind, body=body, number=number, edition=edition, start=start, end=end, text=text[start:end]
    )


def _covers(folded: str, spans: list[tuple[int, int]]) -> bool:
    """Whether the spans fill the query, with a list connector between each two."""
    if spans[0][0] != len(folded) - len(folded.lstrip()) or spans[-1][1] != len(folded.rstrip()):
        return False
    return all(_QUERY_GAP.fullmatch(folded, end, start) for (_, end), (start, _) in pairwise(spans))


_REVISED_NUMBER = re.compile(r"(\d+)-\d+")


def keys_for(ref_id: str, kind: str, number: str, body: str | None) -> tuple[str, ...]:
    """The keys a cited reference is indexed under: its id; for an ITU resolution with a
    body also the body-less ``RES-N`` a query naming no body is read as; and for a
    revised ITU-R number (``61-2``, revision 2 of Resolution 61) the keys of its base
    number too, so ``ITU-R第61号决议`` finds every revision.

    >>> keys_for("RA-RES-61-2", RESOLUTION, "61-2", "RA")
    ('RA-RES-61-2', 'RES-61-2', 'RA-RES-61', 'RES-61')
    """
    keys = [ref_id]
    if kind == RESOLUTION:
        numbers = [number]
        revised = _REVISED_NUMBER.fullmatch(number)
        if revised:
            numbers.append(revised.group(1))
        for n in numbers:
            keys.extend([f"{body}-RES-{n}", f"RES-{n}"] if body else [f"RES-{n}"])
    return tuple(dict.fromkeys(keys))


def index_keys(ref: Reference) -> tuple[str, ...]:
    """The keys a passage's reference is indexed under (``keys_for``); ``matches`` holds
    exactly when a query's id is one of them.

    >>> [index_keys(r) for r in find_references("理事会第1332号决议和A/RES/70/125")]
    [('Council-RES-1332', 'RES-1332'), ('A/RES/70/125',)]
    """
    return keys_for(ref.id, ref.kind, ref.number, ref.body)
