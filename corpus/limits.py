"""How large a file and a passage may be, and what happens beyond.

A file over the size limit is passed over with a warning; a passage over the length
limit is split at sentence ends into parts that keep its citation, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from itudocs.corpus.ids import with_keys
from itudocs.corpus.model import Document, FootnoteCall, Kind, Passage
from itudocs.corpus.text import SENTENCE_END

# Past a sentence end; a long run with none is cut at the limit.
_SENTENCE_END = re.compile(rf"(?<=[{SENTENCE_END}])|(?<=\.)\s")


MAX_PDF_PAGES = 2000


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """``max_file_bytes``: larger files are skipped; ``max_passage_chars``: longer passages are split;
    ``max_pdf_pages``: longer PDFs are skipped."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_passage_chars: int = 5000
    max_pdf_pages: int = MAX_PDF_PAGES


def _cut_points(text: str, limit: int) -> list[int]:
    """Offsets at which to cut ``text`` into parts of at most ``limit`` characters."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    cuts: list[int] = []
    start = 0
    while len(text) - start > limit:
        fitting = [end for end in ends if start < end <= start + limit]
        cut = fitting[-1] if fitting else start + limit
        cuts.append(cut)
        start = cut
    return cuts


def split_passage(passage: Passage, limit: int) -> list[Passage]:
    """``passage`` in parts of at most ``limit`` characters, each with its footnote calls.

    >>> from itudocs.corpus.model import Citation
    >>> p = Passage(seq=1, kind=Kind.PARAGRAPH, text="甲乙。丙丁。戊", citation=Citation(doc_id="d", title="t"))
    >>> [part.text for part in split_passage(p, 4)]
    ['甲乙。', '丙丁。戊']
    """
    cuts = _cut_points(passage.text, limit)
    if not cuts:
        return [passage]
    bounds = list(zip([0, *cuts], [*cuts, len(passage.text)], strict=True))
    return [
        replace(
            passage,
            text=passage.text[start:end],
            calls=tuple(
                FootnoteCall(number=c.number, offset=c.offset - start)
                for c in passage.calls
                if start <= c.offset < end or (end == len(passage.text) and c.offset == end)
            ),
        )
        for start, end in bounds
    ]


def split_long_passages(doc: Document, limit: int) -> Document:
    """The document with over-long passages split and renumbered.

    Footnotes stay linked to the part of the passage that calls them; a footnote
    split in parts keeps its number, its parts told apart by ``Passage.part``.
    """
    if all(len(p.text) <= limit for p in doc.passages):
        return doc
    body: list[Passage] = []
    notes: list[Passage] = []
    first_part: dict[int, int] = {}
    calling_part: dict[int, int] = {}
    for passage in doc.passages:
        if passage.kind is Kind.FOOTNOTE:
            continue
        first_part[passage.seq] = len(body) + 1
        for part in split_passage(passage, limit):
            body.append(replace(part, seq=len(body) + 1))
            calling_part.update((call.number, len(body)) for call in part.calls)
    for passage in doc.passages:
        if passage.kind is not Kind.FOOTNOTE:
            continue
        caller = calling_part.get(passage.citation.footnote or 0, first_part.get(passage.called_from or 0))
        for n, part in enumerate(split_passage(passage, limit)):
            notes.append(replace(part, seq=len(body) + len(notes) + 1, called_from=caller, part=n))
    return replace(doc, passages=with_keys(body + notes))
