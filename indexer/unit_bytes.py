"""The bytes a unit stream is written in: a denser code than UTF-8 that one byte search still reads.

UTF-8 spends three bytes on each Han character, and Han characters are most of a
Chinese archive's unit streams.  This code spends one byte on the 24 most frequent
(``ONE_BYTE``), two on the rest of GB2312's 6,763, on the accented Latin, Greek and
Cyrillic blocks (``TWO_BYTE_BLOCKS``) and on kana, three on
any other character of the Basic Multilingual Plane and four beyond it.  Latin letters,
digits, the space and the seam (``\\n``) stay one ASCII byte each.

Like UTF-8, it is self-synchronizing, which is what lets ``find`` search it: a byte is
either a character of its own (ASCII or one-byte code), a lead (which says how many
bytes follow) or a trail, and these sets do not overlap.  A needle written in this code
begins with a character or a lead, so any place ``find`` finds it begins a character;
and since a lead fixes its code's length, the needle's codes and the stream's then
line up all the way, so the match ends at a character's end too.  No misaligned match
can happen; ``[a-z0-9]`` bytes are Latin units and nothing else, as in UTF-8.

    >>> len(encode("国际电联第140号决议")), len("国际电联第140号决议".encode("utf-8"))
    (14, 27)
    >>> decode(encode("мсэcôte ゆ 𠀀 x"))
    'мсэcôte ゆ 𠀀 x'

The tables are part of the index format (``column.VERSION``): GB2312's characters and
the code points are read from Python's own ``gb2312`` codec and Unicode's code charts,
which do not change, and nothing here may be reordered without a new version.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Units written as themselves: the bytes of Latin runs, the space between two of them, the seam.
ASCII_SELF = b"abcdefghijklmnopqrstuvwxyz0123456789 \n"
# The most frequent Han characters of the sample's ITU text and the CMRC 2018 paragraphs
# (each's share of its own text summed): about 30% and 13% of their Han characters.
ONE_BYTE = "的国会年和联在为作一议方发电有际动成合进行中以关"
TRAILS = 95
# Latin-1 Supplement and Latin Extended-A/B, Greek and Coptic, Cyrillic, kana: what fits
# beside GB2312 in two bytes (the other letters and digits take three).
TWO_BYTE_BLOCKS = ((0x80, 0x250), (0x370, 0x500), (0x3041, 0x3100))
BMP = 0x10000
UNICODE = 0x110000


def encode(stream: str) -> bytes:
    """A unit stream (or a needle's units) in this code."""
    layout = _layout()
    try:
        return stream.translate(layout.encoding).encode("latin-1")
    except UnicodeEncodeError:  # a character first met, which ``translate`` left as it was
        layout.add_long_codes(stream)
        return stream.translate(layout.encoding).encode("latin-1")


def decode(data: bytes) -> str:
    """A stream written by ``encode`` back as text."""
    if not data.translate(None, ASCII_SELF):  # Latin units only (an English passage): bytes are text
        return data.decode("ascii")
    layout = _layout()
    decoded = layout.decoded
    return layout.code.sub(lambda m: decoded[m[0]], data.decode("latin-1"))


class _Decoding(dict):
    """Code → its character; three- and four-byte codes are worked out when first met."""

    def __init__(self, layout: _Layout) -> None:
        super().__init__()
        self.layout = layout

    def __missing__(self, code: str) -> str:
        self[code] = char = self.layout.long_char(code)
        return char


class _Layout:
    """Which byte is what: ASCII_SELF, then of the other 218 bytes in order, one per
    ONE_BYTE character, TRAILS trails, the leads of two-byte codes, of three-byte codes
    (a BMP code point in base TRAILS) and of four-byte codes (any code point)."""

    def __init__(self) -> None:
        coding = [chr(b) for b in range(256) if b not in ASCII_SELF]
        two = [c for c in _two_byte_characters() if c not in ONE_BYTE]
        ones, rest = coding[: len(ONE_BYTE)], coding[len(ONE_BYTE) :]
        self.trails, rest = rest[:TRAILS], rest[TRAILS:]
        twos, rest = rest[: -(-len(two) // TRAILS)], rest[-(-len(two) // TRAILS) :]
        self.threes, self.fours = rest[: -(-BMP // TRAILS**2)], rest[-(-BMP // TRAILS**2) :]
        if len(self.fours) * TRAILS**3 < UNICODE:
            raise AssertionError("unit_bytes: the code has too few bytes left for four-byte codes")
        self.trail_value = {t: n for n, t in enumerate(self.trails)}
        # Code point → its code, one latin-1 character a byte.  A plain dict, which
        # ``translate`` reads fastest, holding every character below U+0100 (so that one it
        # lacks cannot pass through ``encode`` unchanged) and more as ``encode`` meets them.
        self.encoding: dict[int, str] = {b: chr(b) for b in ASCII_SELF}
        self.encoding.update((ord(c), o) for c, o in zip(ONE_BYTE, ones, strict=True))
        self.encoding.update((ord(c), twos[n // TRAILS] + self.trails[n % TRAILS]) for n, c in enumerate(two))
        self.encoding.update((p, self.long_code(p)) for p in range(256) if p not in self.encoding)
        self.decoded = _Decoding(self)
        self.decoded.update((code, chr(point)) for point, code in self.encoding.items() if point >= 128)
        trail = _class(self.trails)
        self.code = re.compile(
            f"{_class(ones)}|{_class(twos)}{trail}|{_class(self.threes)}{trail}{{2}}|{_class(self.fours)}{trail}{{3}}"
        )

    def add_long_codes(self, stream: str) -> None:
        """Codes for the characters of ``stream`` the tables lack: three or four bytes each."""
        self.encoding.update((ord(c), self.long_code(ord(c))) for c in set(stream) if ord(c) not in self.encoding)

    def long_code(self, point: int) -> str:
        leads, width = (self.threes, 2) if point < BMP else (self.fours, 3)
        lead, value = divmod(point, TRAILS**width)
        digits = [self.trails[value // TRAILS**n % TRAILS] for n in reversed(range(width))]
        return leads[lead] + "".join(digits)

    def long_char(self, code: str) -> str:
        leads = self.threes if len(code) == 3 else self.fours
        value = leads.index(code[0])
        for trail in code[1:]:
            value = value * TRAILS + self.trail_value[trail]
        return chr(value)


@lru_cache(maxsize=1)
def _layout() -> _Layout:
    """Built when first needed: a process that reads no unit stream never pays for it."""
    return _Layout()


def _two_byte_characters() -> list[str]:
    """GB2312's Han characters in its order, then every code point of ``TWO_BYTE_BLOCKS``.

    Whole blocks, not the letters among them: which code points are letters is Unicode's
    data, which a newer Python may change, and the code must not change with it."""
    han = []
    for row in range(0xB0, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                han.append(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:  # the few empty cells at the end of row 0xD7
                continue
    return [*han, *(chr(point) for start, stop in TWO_BYTE_BLOCKS for point in range(start, stop))]


def _class(chars: list[str]) -> str:
    return "[" + "".join(re.escape(c) for c in chars) + "]"
