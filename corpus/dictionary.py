"""The word dictionary shipped with the package: English ↔ Chinese, from CC-CEDICT.

Two tables in ``corpus/data/``, built by ``tools/build_dictionary.py`` and shared under
CC-CEDICT's licence (CC BY-SA 4.0, ``CC-CEDICT-LICENSE.txt`` beside them):

- ``cedict_en_zh.tsv``: an English phrase by the stems of its words (``capac build``) →
  its Chinese words, the most common first, space-separated;
- ``cedict_zh_en.tsv``: a simplified Chinese word → its English glosses, ``|``-separated.

Lines are sorted by key after a few ``#`` header lines (the first names the format), so
a word is found by bisection in the file's bytes: opening a table reads the file and
parses nothing, and a search that translates nothing never opens it.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from itudocs.corpus.errors import CorpusError

MAGIC = "# itudocs-dictionary 1"
EN_ZH = "cedict_en_zh.tsv"
ZH_EN = "cedict_zh_en.tsv"
LICENCE = "CC-CEDICT-LICENSE.txt"


class SortedTable:
    """A tab-separated table sorted by its first column, looked up by bisection of its bytes.

    >>> table = SortedTable(b"# h\\nabc\\tx y\\nabd\\tz\\n")
    >>> table.get("abd"), table.get("ab")
    ('z', None)
    """

    def __init__(self, data: bytes) -> None:
        self._data = data
        # Header lines start with '#', which sorts before every key: bisection starts past them.
        self._start = 0
        while data.startswith(b"#", self._start):
            self._start = data.index(b"\n", self._start) + 1

    @property
    def size(self) -> int:
        """Its bytes."""
        return len(self._data)

    def get(self, key: str) -> str | None:
        """The value of ``key``, or None."""
        wanted = key.encode("utf-8") + b"\t"
        data = self._data
        low, high = self._start, len(data)
        # Invariant: the line holding ``key``, if any, starts in [low, high).
        while low < high:
            middle = (low + high) // 2
            start = data.rfind(b"\n", low, middle) + 1 if middle > low else low
            start = max(start, low)
            end = data.find(b"\n", start)
            end = len(data) if end < 0 else end
            line = data[start:end]
            if line.startswith(wanted):
                return line[len(wanted) :].decode("utf-8")
            if line < wanted:
                low = end + 1
            else:
                high = start
        return None


@lru_cache(maxsize=2)
def shipped_table(name: str) -> SortedTable:
    """One of the shipped tables (``EN_ZH`` or ``ZH_EN``), read once per process."""
    data = (resources.files("itudocs.corpus") / "data" / name).read_bytes()
    if not data.startswith(MAGIC.encode()):
        raise CorpusError(name, f"not an itudocs dictionary table (its first line should be {MAGIC!r})")
    return SortedTable(data)
