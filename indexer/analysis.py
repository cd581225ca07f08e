"""Text analysis: how passages and queries become index terms.

Two ways to cut text:

* ``units``: every Han character on its own and every Latin or digit run whole, in
  sequence, so that any string matches as a sequence of its units and only at unit
  boundaries: ``第140号决议`` is 第 140 号 决 议 and can never match inside
  ``第1400号决议``.  The index keeps each passage's units as one string, its unit
  column (``indexer.column``); ``UnitTokenizer`` shows them, and the whole symbols
  such as ``A/RES/70/125`` they make, for ``itudocs analyze``.
* ``words`` (the ``words`` field): jieba's search-mode words for the Han runs and
  the same Latin/digit runs, for ranking by BM25.

Both fold first, one character for one character so token offsets always point
into the original text: full-width forms to ASCII, Latin to lower case, and
traditional Han characters to simplified (OpenCC), so ``國際電聯`` finds ``国际电联``.
English words in the ``words`` field are also stemmed (Porter) for recall, except
acronyms and runs with digits, which stay exact: ``WSIS`` must not become ``wsi``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from whoosh.analysis import Composable, Token, Tokenizer
from whoosh.lang.porter import stem

from itudocs.corpus.text import FULLWIDTH_FOLD, HAN

if TYPE_CHECKING:
    import opencc

# A letter or digit outside ASCII is a unit on its own, as a Han character is: kana, hangul,
# Cyrillic, accented Latin …, so text in any script can be searched (the unit column
# compares units in sequence, so a word in these scripts still matches as written).
LETTER_APART = r"[^\W\x00-\x7f]"
# What stands between units in folded text: ASCII punctuation and spaces, and any other non-word character.
NOT_UNIT = r"[\W_]"
_UNIT = re.compile(rf"{LETTER_APART}|[a-z0-9]+")
_HAN_RUN = re.compile(rf"[{HAN}]+")
_LATIN = re.compile(r"[a-z0-9]+")
_HAN_CHAR = re.compile(rf"[{HAN}]")
# Pieces joined by connectors: A/RES/70/125, CWG-WSIS&SDG-40/INF/5, WSIS+20, ITU-R,
# Digital@UNGA, 2.10.1, https://journal.un.org/en/…
# Starting only where a run starts keeps a long run from being retried at every character.
SYMBOL = re.compile(r"(?<![a-z0-9])[a-z0-9]+(?:[-/&.+@:_#%=?~]+[a-z0-9]+)+")
# Web and e-mail addresses and file names, in folded text: their pieces are an address,
# not prose.  The ``words`` field keeps each as ``ADDRESS_MARK`` + the piece, which no query
# word ranks by, so they still match (every passage holding a unit holds one of its
# ``latin_forms``) but rank nothing.
ADDRESS_MARK = "@"
ADDRESS = re.compile(
    r"(?:https?://|ftp://|www\.)[!-~]+"
    r"|[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+"
    r"|(?<![a-z0-9.])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:int|org|com|net|gov|edu)(?:/[!-~]*)?(?![a-z0-9])"
    r"|[a-z0-9_.-]+\.(?:pdf|docx?|xlsx?|pptx?|html?|aspx|txt|zip)(?![a-z0-9])"
)


# The full-width forms ``fold`` narrows, found by a pattern and each replaced throughout at
# once: ``str.translate`` would look every character of a passage up in a table (0.1 µs
# each) to change the few that are (a search listing every hit folds every hit's text).
_NARROW = {chr(code): chr(plain).lower() for code, plain in FULLWIDTH_FOLD.items()}
_WIDE = re.compile("[" + "".join(map(re.escape, _NARROW)) + "]")


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """Full-width ASCII, ideographic space and Latin capitals, folded one for one."""
    return {code: chr(plain).lower() for code, plain in FULLWIDTH_FOLD.items()} | {
        code: chr(code).lower() for code in range(0x41, 0x5B)
    }


@lru_cache(maxsize=1)
def _to_simplified() -> opencc.OpenCC:
    import opencc

    return opencc.OpenCC("t2s")


def _simplify(text: str) -> str:
    """Traditional → simplified Han, keeping one character for one."""
    converter = _to_simplified()
    simplified = converter.convert(text)
    if len(simplified) == len(text):
        return simplified
    # A phrase rule changed the length: fall back to character by character.
    return "".join(c if len(c := converter.convert(ch)) == 1 else ch for ch in text)


def fold(text: str) -> str:
    """Fold width, case and script without changing the length of the text.

    >>> fold("ＩＴＵ－Ｒ第１４０號決議"), fold("МСЭ Côte")
    ('itu-r第140号决议', 'мсэ côte')
    """
    if text.isascii():
        return text.lower()
    for wide in set(_WIDE.findall(text)):
        text = text.replace(wide, _NARROW[wide])
    lowered = text.lower()
    # A few capitals lower to two characters (İ): offsets must keep pointing into the original.
    text = lowered if len(lowered) == len(text) else "".join(c if len(c := ch.lower()) == 1 else ch for ch in text)
    return _simplify(text) if _HAN_CHAR.search(text) else text


def name_key(name: str) -> str:
    """The form names of terms are compared in: folded, commas and runs of spaces made one space.

    >>> name_key("Ｕｎ  DESA"), name_key("國際電聯")
    ('un desa', '国际电联')
    """
    return " ".join(fold(name).replace(",", " ").split())


@lru_cache(maxsize=1 << 16)
def latin_word(run: str) -> str:
    """The ``words`` field's form of a Latin/digit run as written (before case folding).

    Cached: the same English words recur throughout a corpus, and stemming is slow.

    >>> latin_word("Resolutions"), latin_word("WSIS"), latin_word("C4"), latin_word("wsis")
    ('resolut', 'wsis', 'c4', 'wsi')
    """
    folded = run.translate(_fold_table())
    if any(ch.isdigit() for ch in run) or (len(run) > 1 and run.isupper()):
        return folded
    return stem(folded)


def latin_forms(unit: str) -> tuple[str, ...]:
    """Every ``words`` term a Latin/digit unit (folded) can have been indexed as, whatever
    its case was and wherever it stood: a passage holding the unit holds one of them.
    The last is the unit as a piece of an address (``prose_forms`` leaves it out).

    >>> latin_forms("wsis"), latin_forms("140")
    (('wsis', 'wsi', '@wsis'), ('140', '@140'))
    """
    return (*prose_forms(unit), ADDRESS_MARK + unit)


def prose_forms(unit: str) -> tuple[str, ...]:
    """The ``words`` terms a Latin/digit unit can have been indexed as outside addresses.

    >>> prose_forms("wsis"), prose_forms("140")
    (('wsis', 'wsi'), ('140',))
    """
    if any(ch.isdigit() for ch in unit):
        return (unit,)
    return tuple(dict.fromkeys((unit, stem(unit))))


@dataclass(frozen=True, slots=True)
class Unit:
    """One unit of text with where it stands."""

    text: str
    pos: int
    start: int
    end: int


def units(text: str, *, symbols: bool = False) -> list[Unit]:
    """Han characters and Latin/digit runs in sequence; with ``symbols``, whole symbols too.

    >>> [u.text for u in units("第140号决议")], [u.text for u in units("こんにちは, 서울")]
    (['第', '140', '号', '决', '议'], ['こ', 'ん', 'に', 'ち', 'は', '서', '울'])
    >>> [(u.text, u.pos) for u in units("见A/RES/70/1。", symbols=True)]
    [('见', 0), ('a', 1), ('a/res/70/1', 1), ('res', 2), ('70', 3), ('1', 4)]
    """
    folded = fold(text)
    found = [Unit(m.group(), i, m.start(), m.end()) for i, m in enumerate(_UNIT.finditer(folded))]
    if not symbols:
        return found
    by_start = {u.start: u for u in found}
    extra = [
        Unit(m.group(), by_start[m.start()].pos, m.start(), m.end())
        for m in SYMBOL.finditer(folded)
        if m.start() in by_start
    ]
    return sorted(found + extra, key=lambda u: (u.pos, u.end - u.start))


_BETWEEN_UNITS = rf"{NOT_UNIT}*"


@lru_cache(maxsize=512)
def unit_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    """A regex over folded text that matches exactly where ``units`` would find ``terms`` in sequence.

    Far cheaper than cutting a whole passage into units when only a few strings
    are looked for, as in highlighting.

    >>> [m.span() for m in unit_pattern(("第", "140", "号")).finditer(fold("第1400号、第140号"))]
    [(7, 12)]
    """
    return re.compile(_BETWEEN_UNITS.join(map(_unit_part, terms)))


def _unit_part(term: str) -> str:
    """A Latin run's boundary before it is checked after it (a lookbehind over the run and
    one character more), so that a pattern starts with its literal, which ``re`` finds by a
    fast search: a lookbehind first is tried at every character, 20 times slower over a
    long passage."""
    if not term[0].isascii():
        return re.escape(term)
    return rf"{re.escape(term)}(?<![a-z0-9]{re.escape(term)})(?![a-z0-9])"


def han_runs(text: str) -> Iterator[tuple[int, int]]:
    """Spans of uninterrupted Han text."""
    for m in _HAN_RUN.finditer(text):
        yield m.start(), m.end()


class _Reusing(Tokenizer):
    """Emits terms through Whoosh's one reused Token, as its call contract requires."""

    def _terms(self, text: str) -> Iterator[tuple[str, int, int, int]]:
        """(term, position, start char, end char) for each term of ``text``."""
        raise NotImplementedError

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        terms = self._terms(value) if tokenize else [(value, 0, 0, len(value))]
        for text, pos, start, end in terms:
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


class UnitTokenizer(_Reusing):
    """Units and whole symbols: see ``units``.

    >>> [t.text for t in UnitTokenizer()("ITU-R第61-2号")]
    ['itu', 'itu-r', 'r', '第', '61', '61-2', '2', '号']
    """

    def _terms(self, text: str) -> Iterator[tuple[str, int, int, int]]:
        for unit in units(text, symbols=True):
            yield unit.text, unit.pos, unit.start, unit.end


class WordTokenizer(_Reusing):
    """The ``words`` field's terms: jieba search-mode words for Han text, runs otherwise,
    the pieces of addresses marked (``ADDRESS``).

    The field keeps no positions or offsets (exact matching is the unit column's job),
    so a Han word carries the span of the run it came from.

    >>> [t.text for t in WordTokenizer()("国际电联WSIS论坛")]
    ['国际', '电联', '国际电联', 'wsis', '论坛']
    >>> [t.text for t in WordTokenizer()("ITU网站：https://www.itu.int/wsis，见itu@itu.int")]
    ['itu', '网站', '@https', '@www', '@itu', '@int', '@wsis', '见', '@itu', '@itu', '@int']
    """

    def _terms(self, text: str) -> Iterator[tuple[str, int, int, int]]:
        for pos, (word, start, end) in enumerate(word_spans(text)):
            yield word, pos, start, end


def word_spans(text: str, folded: str | None = None) -> list[tuple[str, int, int]]:
    """The ``words`` field's terms in order, each with the span of the run it came from;
    ``folded`` is ``fold(text)`` when the caller has it."""
    folded = fold(text) if folded is None else folded
    addresses = [m.span() for m in ADDRESS.finditer(folded)]
    spans: list[tuple[str, int, int]] = []
    cursor = 0
    for start, end in han_runs(folded):
        spans.extend(_latin(text, folded, cursor, start, addresses))
        spans.extend((word, start, end) for word in segment_for_search(folded[start:end]))
        cursor = end
    spans.extend(_latin(text, folded, cursor, len(folded), addresses))
    return spans


def word_counts(text: str, folded: str | None = None) -> Counter[str]:
    """The ``words`` field's terms, each with how often it occurs: what the index stores
    per passage, counted where the passage is analysed (a worker process), so that the
    writer (``indexer.bulk``) only adds them.

    >>> word_counts("国际电联WSIS论坛，WSIS")
    Counter({'wsis': 2, '国际': 1, '电联': 1, '国际电联': 1, '论坛': 1})
    """
    return Counter(word for word, _, _ in word_spans(text, folded))


def _latin(
    original: str, folded: str, start: int, end: int, addresses: list[tuple[int, int]]
) -> Iterator[tuple[str, int, int]]:
    """The words of the Latin/digit runs between two Han runs; a run inside an address as
    ``ADDRESS_MARK`` + the run."""
    for m in _LATIN.finditer(folded, start, end):
        if any(a <= m.start() < b for a, b in addresses):
            yield ADDRESS_MARK + m.group(), m.start(), m.end()
        else:
            yield latin_word(original[m.start() : m.end()]), m.start(), m.end()


def segment_for_search(han: str) -> list[str]:
    """jieba's search mode over one Han run: the words and the shorter words inside them
    (jieba's own words, found with less Python: ``indexer.segmenter.SearchCutter``)."""
    from itudocs.indexer.segmenter import get_search_cutter

    return get_search_cutter().cut(han)


def make_word_analyzer() -> Composable:
    return WordTokenizer()
