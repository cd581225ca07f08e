"""The one jieba segmenter of a process, loaded when first needed.

jieba takes about a second to build its prefix dictionary, so nothing loads it at
import time, and only indexing needs it: queries are segmented against the index's
own vocabulary (see ``search.query``).  A ``jieba.Tokenizer`` holds a lock and
cannot be pickled, which is why analyzers call this accessor instead of keeping one.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterable
from enum import Enum
from functools import lru_cache
from importlib import resources
from math import log
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import jieba


def domain_dictionary() -> str:
    """Path of the council-domain word list shipped with the package."""
    return str(resources.files("itudocs.indexer") / "data" / "userdict.txt")


@lru_cache(maxsize=1)
def get_segmenter() -> jieba.Tokenizer:
    with warnings.catch_warnings():
        # jieba 0.42.1 imports pkg_resources, which recent setuptools deprecate loudly.
        warnings.simplefilter("ignore")
        import jieba
    jieba.setLogLevel(logging.WARNING)
    segmenter = jieba.Tokenizer()
    with open(domain_dictionary(), "rb") as words:
        segmenter.load_userdict(words)
    return segmenter


class SearchCutter:
    """jieba's search mode (``Tokenizer.cut_for_search``, HMM on) with less Python per character.

    The same words in the same order: jieba's own algorithm (a DAG of dictionary words,
    the most probable route through it, its HMM for runs of unknown characters, then
    the dictionary's 2- and 3-grams inside long words), with each word's log
    probability computed once for the dictionary instead of at every character of
    every sentence.  A test compares it with jieba over whole corpora.
    """

    def __init__(self, segmenter: jieba.Tokenizer) -> None:
        import jieba
        from jieba import finalseg

        segmenter.check_initialized()
        self.freq = segmenter.FREQ
        logtotal = log(segmenter.total)
        # Every prefix of a word is in FREQ (with 0 if it is no word itself): None marks those.
        self.score = {word: log(count) - logtotal if count else None for word, count in self.freq.items()}
        self.unknown = log(1) - logtotal
        self.blocks = jieba.re_han_default
        self.spaces = jieba.re_skip_default
        self.hmm = finalseg.cut

    def cut(self, text: str) -> list[str]:
        """``list(segmenter.cut_for_search(text))``."""
        words: list[str] = []
        for block in self.blocks.split(text):
            if not block:
                continue
            if self.blocks.match(block):
                words.extend(self._grams(self._route(block)))
            else:  # characters jieba does not segment: a space whole, any other one word each
                for part in self.spaces.split(block):
                    words.extend((part,) if self.spaces.match(part) else part)
        return words

    def _route(self, sentence: str) -> list[str]:
        """jieba's ``__cut_DAG``: the most probable words, unknown runs cut by the HMM."""
        score, freq, size, unknown = self.score, self.freq, len(sentence), self.unknown
        get = score.get
        # best[k]: the log probability of the best route from k on; end[k]: where its first word ends.
        # Built from the end, each position's dictionary words found as jieba's DAG finds them;
        # among equally probable routes jieba's ``max`` of (probability, end) takes the longest word.
        best = [0.0] * (size + 1)
        end = list(range(size + 1))
        for k in range(size - 1, -1, -1):
            top, last = unknown + best[k + 1], k
            found = False
            i, frag = k, sentence[k]
            while i < size:
                p = get(frag, _ABSENT)
                if p is _ABSENT:
                    break
                if p is not None:
                    s = p + best[i + 1]
                    if not found or s >= top:
                        top, last, found = s, i, True
                i += 1
                frag = sentence[k : i + 1]
            best[k], end[k] = top, last
        words: list[str] = []
        buf = ""
        x = 0
        while x < size:
            y = end[x] + 1
            if y - x == 1:
                buf += sentence[x]
            else:
                if buf:
                    words.extend(self._unknown(buf, freq))
                    buf = ""
                words.append(sentence[x:y])
            x = y
        if buf:
            words.extend(self._unknown(buf, freq))
        return words

    def _unknown(self, buf: str, freq: dict[str, int]) -> Iterable[str]:
        """A run of single characters: one word, the HMM's words if it is no word, else its characters."""
        if len(buf) == 1:
            return (buf,)
        return self.hmm(buf) if not freq.get(buf) else buf

    def _grams(self, words: list[str]) -> list[str]:
        """jieba's search mode: before each long word, its 2- and 3-grams that are words."""
        freq = self.freq
        out: list[str] = []
        for w in words:
            n = len(w)
            if n > 2:
                out.extend(g for g in (w[i : i + 2] for i in range(n - 1)) if freq.get(g))
                if n > 3:
                    out.extend(g for g in (w[i : i + 3] for i in range(n - 2)) if freq.get(g))
            out.append(w)
        return out


class _Absent(Enum):
    """No entry in the dictionary (a member of its own type, so ``is`` tells it from a score)."""

    ABSENT = 0


_ABSENT: Final = _Absent.ABSENT


@lru_cache(maxsize=1)
def get_search_cutter() -> SearchCutter:
    return SearchCutter(get_segmenter())
