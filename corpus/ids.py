"""Passage ids that survive edits elsewhere in their document.

A passage the document numbers (``67``, ``2.10.1``) is called by its number; a
footnote by its footnote number (``fn2``, ``fn2.2`` for a second part); any other
passage by a short hash of its own text (``p3f9a1c``).  So adding a line above a
passage changes no id, and an id only changes when its passage is renumbered or
edited.  A second passage with the same anchor (the same number twice, the same
text twice) gets ``-2``, the third ``-3``, in reading order.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from itudocs.corpus.model import Kind, Passage

# The paragraph numbers an id carries as they are: 67, 2.10.1 (not list labels such as a) or •).
_NUMBER = re.compile(r"\d{1,4}(?:\.\d{1,4})*")
HASH_CHARS = 6


def content_anchor(text: str) -> str:
    """``p`` and six hex digits of the text's hash, after folding width and spacing.

    >>> content_anchor("请理事会将本报告记录在案。") == content_anchor(" 请理事会将本报告记录在案。 ")
    True
    """
    folded = " ".join(unicodedata.normalize("NFKC", text).split())
    return "p" + hashlib.sha1(folded.encode("utf-8")).hexdigest()[:HASH_CHARS]


def anchor(passage: Passage) -> str:
    if passage.kind is Kind.FOOTNOTE:
        return f"fn{passage.citation.footnote}" + (f".{passage.part + 1}" if passage.part else "")
    label = passage.citation.label
    if label and _NUMBER.fullmatch(label):
        return label
    return content_anchor(passage.text)


def with_keys(passages: Sequence[Passage]) -> tuple[Passage, ...]:
    """The passages with their ``key`` (the id after ``DOC:``) and, for footnotes, their caller's key."""
    seen: Counter[str] = Counter()
    keys: dict[int, str] = {}
    for passage in passages:
        base = anchor(passage)
        seen[base] += 1
        keys[passage.seq] = base if seen[base] == 1 else f"{base}-{seen[base]}"
    return tuple(
        replace(
            passage,
            key=keys[passage.seq],
            caller=keys.get(passage.called_from) if passage.called_from is not None else None,
        )
        for passage in passages
    )


def is_position(key: str) -> bool:
    """Whether an id's part after ``DOC:`` could be a position, as ids were before they were anchored."""
    return key.isdigit()
