"""The shared vocabulary: documents and the cited passages they are made of.

Every reader (plain-text export today, Word and HTML later) produces these records,
so the indexer and the search never need to know where a passage came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from itudocs.corpus.metadata import DocMeta

# The languages a document can be in.
LANGS = ("zh", "en")


class Kind(str, Enum):
    """What a passage is in its document."""

    PARAGRAPH = "paragraph"
    HEADING = "heading"
    FOOTNOTE = "footnote"
    FIGURE = "figure"


@dataclass(frozen=True, slots=True, kw_only=True)
class FootnoteCall:
    """A place in a passage's text where a footnote is called.

    ``offset`` is the character offset in the passage text at which the call mark
    stood before it was removed, so a reader can put the mark back for display.
    """

    number: int
    offset: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Citation:
    """Where a passage stands, in the terms its document uses.

    section: the headings above the passage, outermost first, each with its label.
    label:   the paragraph number or list label the document gives it (``2.10.1``,
             ``a)``, ``67``), or None.
    footnote: the footnote number, for footnote passages.
    line:    1-based line of the source file where the passage starts (for Word
             files, the paragraph's number in the document body).
    anchor:  an id a user can jump to in the source, where it has one (HTML).
    page:    the page a PDF passage starts on, numbered as printed on it (else its
             position in the file); then ``line`` is the line on that page.
    """

    doc_id: str
    title: str
    section: tuple[str, ...] = ()
    label: str | None = None
    footnote: int | None = None
    line: int = 0
    anchor: str | None = None
    page: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Passage:
    """One indexable unit: a paragraph, heading, footnote or figure text.

    ``seq`` is the passage's 1-based position in its document; footnotes are
    numbered after the body.  A passage too long for one (``corpus.limits``) is split
    into passages of its own; ``part`` numbers a split footnote's parts.  ``calls`` lists the footnotes a passage calls;
    a footnote's ``called_from`` is the ``seq`` of the passage that calls it, ``caller`` that passage's key.
    ``key`` is the id within the document, anchored on the passage's number or content (``corpus.ids``).
    """

    seq: int
    kind: Kind
    text: str
    citation: Citation
    lang: str = "zh"
    calls: tuple[FootnoteCall, ...] = ()
    called_from: int | None = None
    part: int = 0
    key: str = ""
    caller: str | None = None

    @property
    def id(self) -> str:
        """A hit id that survives edits elsewhere in the document: ``doc:67``, ``doc:fn2``,
        ``doc:p3f9a1c`` (see ``corpus.ids``); a passage made by hand, with no key, is
        called by its position."""
        return f"{self.citation.doc_id}:{self.key or self.seq}"

    @property
    def footnotes(self) -> tuple[int, ...]:
        return tuple(call.number for call in self.calls)


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """A source file read into passages.

    ``doc_id`` is the file's path below the folder it was indexed from, without
    its extension: stable across re-indexing, and what users type after ``--doc``.
    ``symbol`` is the ITU document symbol the text gives (``C26/31``), if any;
    ``encoding`` the one a plain-text file was read in; ``warnings`` what was wrong
    with the file that did not stop it being read; ``format`` the reader that read it
    (``text``, ``docx``, ``html``); ``meta`` the row of its folder's ``metadata.tsv``,
    already applied to the title, symbol and language (``corpus.metadata``).
    """

    doc_id: str
    title: str
    lang: str
    source: str
    sha256: str
    passages: tuple[Passage, ...] = field(default=())
    symbol: str | None = None
    encoding: str | None = None
    warnings: tuple[str, ...] = ()
    format: str = "text"
    meta: DocMeta | None = None

    @property
    def footnote_count(self) -> int:
        return sum(1 for p in self.passages if p.kind is Kind.FOOTNOTE)
