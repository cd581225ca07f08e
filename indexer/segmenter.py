"""The one jieba segmenter of a process, loaded when first needed.

jieba takes about a second to build its prefix dictionary, so nothing loads it at
import time, and only indexing needs it: queries are segmented against the index's
own vocabulary (see ``search.query``).  A ``jieba.Tokenizer`` holds a lock and
cannot be pickled, which is why analyzers call this accessor instead of keeping one.
"""

from __future__ import annotations

import logging
import warnings
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

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
