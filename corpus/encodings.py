"""The text of a plain-text file, whatever encoding it came in.

BOMs decide first (UTF-8, and UTF-16 as Word's "Unicode text" writes it); then
strict UTF-8; then charset-normalizer picks among the encodings council texts come
in (GB18030 and its GBK/GB2312 subsets, Big5, Windows-1252), by how plausible each
decoding reads rather than by a hand-made guess.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from itudocs.corpus.errors import CorpusError, NotADocument
from itudocs.corpus.text import looks_binary

_CANDIDATES = ["gb18030", "big5", "cp1252"]


@dataclass(frozen=True, slots=True)
class Decoded:
    """A file's text, the encoding it was read in, and what was wrong with it, if anything."""

    text: str
    encoding: str
    warning: str | None = None


def decode(data: bytes, path: str) -> Decoded:
    """Decode a text file; raises CorpusError (NotADocument for binary files).

    >>> decode("第140号决议".encode("gb18030"), "x.txt").encoding
    'gb18030'
    >>> decode(codecs.BOM_UTF16_LE + "国际电联".encode("utf-16-le"), "x.txt")
    Decoded(text='国际电联', encoding='utf-16', warning=None)
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", path)
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data, "utf-8-sig", path)
    if looks_binary(data):
        raise NotADocument(path, "binary file, not text")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(data) - 3 and error.reason == "unexpected end of data":
            # A download cut short inside the last character: keep the rest.
            return Decoded(data[: error.start].decode("utf-8"), "utf-8", "truncated: its last character is incomplete")
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is None:
        raise CorpusError(path, "not text in UTF-8, UTF-16, GB18030, Big5 or Windows-1252")
    return Decoded(str(best), best.encoding)


def _strict(data: bytes, encoding: str, path: str) -> Decoded:
    try:
        return Decoded(data.decode(encoding), encoding)
    except UnicodeDecodeError as error:
        raise CorpusError(path, f"declares {encoding} by its BOM but is not ({error.reason})") from None
