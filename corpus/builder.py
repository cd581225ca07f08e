"""Assemble a Document from what a reader finds, in reading order.

Every reader (plain-text export, Word, HTML, PDF) walks its source and reports title
lines, headings with their depth, paragraphs, figure text and footnotes, with what its
format says about them; the builder applies the shared rules of ``corpus.blocks`` (labels
typed in the text, masthead lines, a heading that repeats the title), numbers the
passages, keeps the section path, links footnotes both ways and chooses the title, so
all formats give the same records.
"""

from __future__ import annotations

from dataclasses import dataclass

from itudocs.corpus.blocks import block_label, is_masthead
from itudocs.corpus.ids import with_keys
from itudocs.corpus.lang import detect_lang
from itudocs.corpus.model import Citation, Document, FootnoteCall, Kind, Passage
from itudocs.corpus.outline import Outline, heading_text
from itudocs.corpus.parallel import SYMBOL_LINES, document_symbol
from itudocs.corpus.text import is_han


@dataclass(slots=True)
class _Entry:
    kind: Kind
    text: str
    label: str | None
    section: tuple[str, ...]
    line: int
    calls: tuple[FootnoteCall, ...] = ()
    anchor: str | None = None
    called_from: int | None = None
    footnote: int | None = None
    page: int | None = None


class DocumentBuilder:
    """Collects one document's passages in reading order."""

    def __init__(self, *, doc_id: str, source: str, sha256: str, title: str | None = None) -> None:
        """``title`` is the title the format states outside the text (``<title>``, Word's
        core properties), so a heading that repeats it reads as the title line."""
        self.doc_id = doc_id
        self.source = source
        self.sha256 = sha256
        self.title = " ".join(title.split()) if title else None
        self.outline = Outline()
        self._body: list[_Entry] = []
        self._notes: list[_Entry] = []
        self._titles: list[str] = []
        # Still in the masthead and title, before the document's first section or paragraph.
        self._front = True

    def _add(self, entry: _Entry) -> int:
        self._body.append(entry)
        return len(self._body)

    def title_part(self, text: str, *, line: int, page: int | None = None) -> int:
        """A line of the document's own title, before its first section; a masthead line
        (``Council 2025``, ``Document C25/45-E``) is a passage of its own instead."""
        if is_masthead(text):
            return self._add(_Entry(Kind.PARAGRAPH, text, None, (), line, page=page))
        self._titles.append(text)
        return self._add(_Entry(Kind.HEADING, text, None, (), line, page=page))

    def _repeats_title(self, text: str) -> bool:
        return self._front and self.title is not None and " ".join(text.split()) == self.title

    def heading(
        self,
        text: str,
        *,
        depth: int,
        line: int,
        label: str | None = None,
        calls: tuple[FootnoteCall, ...] = (),
        anchor: str | None = None,
        page: int | None = None,
    ) -> int:
        """A heading at ``depth`` (0 for an annex, 1 for a chapter, deeper below).

        Its label is the one given, else one typed at its start (``4 Action…``); a
        heading that repeats the title before anything else is the title line.
        """
        if label is None and calls == () and self._repeats_title(text):
            return self.title_part(text, line=line, page=page)
        label, text, cut = block_label(label, text, heading=True)
        calls = _moved(calls, cut)
        self._front = False
        self.outline.enter(depth, heading_text(label, text))
        return self._add(_Entry(Kind.HEADING, text, label, self.outline.path[:-1], line, calls, anchor, page=page))

    def paragraph(
        self,
        text: str,
        *,
        line: int,
        label: str | None = None,
        calls: tuple[FootnoteCall, ...] = (),
        anchor: str | None = None,
        kind: Kind = Kind.PARAGRAPH,
        page: int | None = None,
    ) -> int:
        """A paragraph (or figure text) under the current headings; its label is the one
        given, else one typed at its start (``1.1 The Council…``), and a typed one beats a bullet."""
        if kind is Kind.PARAGRAPH:
            label, text, cut = block_label(label, text)
            calls = _moved(calls, cut)
            self._front = self._front and label is None and is_masthead(text)
        return self._add(_Entry(kind, text, label, self.outline.path, line, calls, anchor, page=page))

    def row(
        self,
        text: str,
        *,
        line: int,
        calls: tuple[FootnoteCall, ...] = (),
        anchor: str | None = None,
        page: int | None = None,
    ) -> int:
        """A table row, its cells joined: a number in its first cell is content, not a label."""
        self._front = False
        return self._add(_Entry(Kind.PARAGRAPH, text, None, self.outline.path, line, calls, anchor, page=page))

    def footnote(
        self, number: int, text: str, *, called_from: int, line: int, anchor: str | None = None, page: int | None = None
    ) -> None:
        """Footnote ``number``, called from the passage numbered ``called_from``."""
        caller = self._body[called_from - 1]
        section = caller.section
        if caller.kind is Kind.HEADING:
            section = (*caller.section, heading_text(caller.label, caller.text))
        self._notes.append(
            _Entry(
                Kind.FOOTNOTE,
                text,
                None,
                section,
                line,
                anchor=anchor,
                called_from=called_from,
                footnote=number,
                page=page,
            )
        )

    def build(self, *, title: str | None = None) -> Document:
        """The Document; ``title`` overrides the one read from the text.

        A document with no title of its own is titled by its symbol, else its id (the
        file's name): never by a sentence of its body, which reads as a title only
        when cut short.  A ``metadata.tsv`` row gives a real one (``corpus.metadata``).
        """
        everything = "\n".join(entry.text for entry in self._body + self._notes)
        lang = detect_lang(everything)
        symbol = document_symbol(entry.text for entry in self._body[:SYMBOL_LINES])
        if not title and self._titles:
            title = ("：" if is_han(self._titles[0][-1]) else ": ").join(self._titles)
        title = title or self.title or symbol or self.doc_id
        passages = [
            Passage(
                seq=seq,
                kind=entry.kind,
                text=entry.text,
                lang=detect_lang(entry.text, default=lang),
                calls=entry.calls,
                called_from=entry.called_from,
                citation=Citation(
                    doc_id=self.doc_id,
                    title=title,
                    section=entry.section,
                    label=entry.label,
                    footnote=entry.footnote,
                    line=entry.line,
                    anchor=entry.anchor,
                    page=entry.page,
                ),
            )
            for seq, entry in enumerate(self._body + self._notes, start=1)
        ]
        return Document(
            doc_id=self.doc_id,
            title=title,
            lang=lang,
            source=self.source,
            sha256=self.sha256,
            passages=with_keys(passages),
            symbol=symbol,
        )


def _moved(calls: tuple[FootnoteCall, ...], cut: int) -> tuple[FootnoteCall, ...]:
    """Footnote calls of a text whose first ``cut`` characters (its label) were taken off."""
    if not cut:
        return calls
    return tuple(FootnoteCall(number=c.number, offset=max(0, c.offset - cut)) for c in calls)
