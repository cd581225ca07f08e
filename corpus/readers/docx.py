"""Read a Word (.docx) file into cited passages from its XML parts; Word is not needed.

A .docx is a zip of XML parts, read here with BeautifulSoup over lxml's XML parser.
What is kept, and how:

- ``word/document.xml``: the body's paragraphs in reading order, those inside content
  controls and table cells included.  A paragraph is a heading of depth N when its style
  is ``Heading N`` / ``标题 N`` (by style id or by name from ``word/styles.xml``, following
  ``basedOn``) or when it, or its style, has an outline level (``w:outlineLvl`` N-1).  A
  paragraph reading only ``附件`` / ``Annex 2`` opens a top-level part (depth 0) whatever
  its style, as in the text exports.  ``Title``-style paragraphs make the title; table of
  contents paragraphs (``toc N``) repeat the headings and are dropped.
- Labels: automatic numbering from ``word/numbering.xml`` rendered as Word shows it
  (``2.10.1``, ``a)``, ``iii)``, ``一、``, ``•``): level texts such as ``%1.%2.%3``, number
  formats, start values, ``startOverride``, legal numbering, counters shared by every list
  of one abstract definition, deeper levels restarting after a higher one; a format Word
  wraps in ``mc:AlternateContent`` is read from its Fallback.  A paragraph without
  numbering that starts ``LABEL<TAB>`` (as typed, like the text exports) takes that label;
  one typed before a space (``1.1 The…``, a heading's ``4 Action…``), or typed into a
  bulleted list (``• c) …``), is its label too (``corpus.blocks``, as for every format).
- Footnotes and endnotes (``word/footnotes.xml``, ``word/endnotes.xml``): one passage
  each, linked both ways to the passage that calls it.  Footnotes are numbered 1, 2, … in
  the order of their first call, as Word numbers them; endnotes continue after the last
  footnote.  A custom mark (``*``) is dropped from the text like an automatic one.
  Hyperlinks keep their text everywhere, and in notes also their address, `` (URL)``,
  unless the text already shows it.
- Tables: one passage per row, its non-empty cells joined with `` | `` (a cell's own
  paragraphs with a space, none next to Chinese).
- Text boxes and drawing shapes with text (``w:txbxContent``): one ``figure`` passage per
  drawing, after the paragraph that anchors it.  Pictures, charts and SmartArt are not read.
- Tracked changes read as the final text: insertions and moves kept, deletions dropped;
  a numbered paragraph deleted whole no longer counts.  Hidden text (``w:vanish``) is dropped.
- Never text: field codes (only field results are), bookmarks, comments, proofing marks,
  empty paragraphs, page headers and footers.
- ``docProps/core.xml``: ``dc:title`` is the title when non-empty (else a Title paragraph,
  else the builder's fallback); ``dc:language`` settles a document whose text is mixed.
  Dates have no place in the model and are not read.

Citations: ``line`` is the paragraph's 1-based position among the body's ``w:p`` elements
in document order, table-cell paragraphs counted, text-box paragraphs not (they belong to
their anchor paragraph); a table row cites its first paragraph, a note the paragraph that
calls it.  ``anchor`` is not set.

Bad input — not a zip, a zip without ``word/document.xml``, a truncated archive, a part
that is not well-formed XML, a part that would unpack to an absurd size — raises
``CorpusError`` with one line naming the problem.
"""

from __future__ import annotations

import dataclasses
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Tag
from lxml import etree

from itudocs.corpus.builder import DocumentBuilder
from itudocs.corpus.errors import CorpusError
from itudocs.corpus.labels import format_number, is_annex, split_label
from itudocs.corpus.model import Document, FootnoteCall, Kind
from itudocs.corpus.rawtext import CELL_SEPARATOR, clean_source_text, finish_text, join_fragments, mark_call

MAIN_PART = "word/document.xml"
MAX_PART_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
# Small parts may compress very well legitimately; only big ones are held to the ratio.
RATIO_FROM_BYTES = 10 * 1024 * 1024
CUSTOM_MARK_MAX = 4

_HEADING_STYLE = re.compile(r"(?:heading|标题)\s*([1-9])", re.IGNORECASE)
_TITLE_STYLES = frozenset({"title", "标题"})
_TOC_STYLE = re.compile(r"(?:toc|目录)\s*[1-9]", re.IGNORECASE)
_HYPERLINK_FIELD = re.compile(r'^\s*HYPERLINK\s+"([^"]+)"(?![^\\]*\\l)', re.IGNORECASE)
_REL_TYPES = ("styles", "numbering", "footnotes", "endnotes")
_NOTE_KINDS = ("footnote", "endnote")
_SKIPPED_NOTE_TYPES = frozenset({"separator", "continuationSeparator", "continuationNotice"})
_INLINE_CONTAINERS = frozenset({"ins", "moveTo", "smartTag", "customXml", "sdt", "sdtContent", "dir", "bdo"})
_BLOCK_CONTAINERS = frozenset({"sdt", "sdtContent", "customXml", "ins", "moveTo"})
_OLE2 = b"\xd0\xcf\x11\xe0"
# What zipfile raises for a damaged, truncated, encrypted or exotic archive.
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError, RuntimeError)


def _attr(tag: Tag | None, name: str) -> str | None:
    """An attribute by local name, whatever its namespace prefix (``w:val``, ``r:id``)."""
    if tag is None:
        return None
    for key, value in tag.attrs.items():
        if key == name or key.endswith(":" + name):
            # bs4 splits only HTML's multi-valued attributes (class, rel): none in Word's XML.
            return value if isinstance(value, str) else " ".join(value)
    return None


def _child(tag: Tag | None, name: str) -> Tag | None:
    # A plain scan: bs4's find() builds a matcher per call, which dominates on big files.
    return None if tag is None else next((c for c in _tags(tag) if c.name == name), None)


def _child_val(tag: Tag | None, name: str) -> str | None:
    return _attr(_child(tag, name), "val")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _flag(value: str | None) -> bool:
    return value is not None and value.lower() not in ("0", "false", "off")


def _on(tag: Tag | None) -> bool:
    """A WordprocessingML toggle element: present and not switched off."""
    return tag is not None and _flag(_attr(tag, "val") or "true")


def _tags(tag: Tag) -> Iterator[Tag]:
    return (child for child in tag.children if isinstance(child, Tag))


def _choice(alternate: Tag) -> Tag | None:
    """The first branch of ``mc:AlternateContent``; its Fallback repeats the same content."""
    return _child(alternate, "Choice") or _child(alternate, "Fallback")


# --- the package -------------------------------------------------------------------


class _Package:
    """The zip's parts, each size-checked before it is unpacked and strictly parsed."""

    _strict = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)

    def __init__(self, data: bytes, source: str) -> None:
        self.source = source
        if not data.startswith(b"PK"):
            hint = " (a password-protected or pre-2007 Word file)" if data.startswith(_OLE2) else ""
            raise CorpusError(source, f"not a zip file, so not a Word document{hint}")
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except _ZIP_ERRORS as error:
            raise CorpusError(source, f"damaged zip file ({error})") from None
        if MAIN_PART not in self.zip.namelist():
            raise CorpusError(source, "a zip file but not a Word document (no word/document.xml)")

    def read(self, name: str) -> bytes | None:
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            return None
        size = info.file_size
        if size > MAX_PART_BYTES or (size > RATIO_FROM_BYTES and size > MAX_RATIO * max(info.compress_size, 1)):
            raise CorpusError(self.source, f"{name} would unpack to {size:,} bytes; refused as a likely zip bomb")
        try:
            return self.zip.read(info)
        except _ZIP_ERRORS as error:
            raise CorpusError(self.source, f"damaged zip file: cannot unpack {name} ({error})") from None

    def xml(self, name: str) -> BeautifulSoup | None:
        data = self.read(name)
        if data is None:
            return None
        # bs4's lxml builder recovers from broken XML silently; a strict pass says what is wrong.
        try:
            tree = etree.fromstring(data, self._strict)
        except etree.XMLSyntaxError as error:
            raise CorpusError(self.source, f"{name} is not well-formed XML ({error})") from None
        if tree.getroottree().docinfo.doctype:
            raise CorpusError(self.source, f"{name} declares a DTD, which Word never writes")
        return BeautifulSoup(data, "xml")

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (type's last word, target resolved against the part's folder)."""
        folder, name = posixpath.split(part)
        soup = self.xml(posixpath.join(folder, "_rels", name + ".rels"))
        rels: dict[str, tuple[str, str]] = {}
        for rel in soup.find_all("Relationship") if soup else ():
            target = _attr(rel, "Target") or ""
            if _attr(rel, "TargetMode") != "External":
                target = posixpath.normpath(posixpath.join(folder, target)).lstrip("/")
            rels[_attr(rel, "Id") or ""] = ((_attr(rel, "Type") or "").rsplit("/", 1)[-1], target)
        return rels


# --- styles ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Style:
    name: str
    based_on: str | None
    num_id: str | None
    ilvl: int | None
    outline: int | None


class _Styles:
    """Paragraph styles by id, with what a paragraph inherits through ``basedOn``.

    Numbering styles are kept too: a list defined by one (``numStyleLink``) is found
    through it.
    """

    def __init__(self, soup: BeautifulSoup | None) -> None:
        self.styles: dict[str, _Style] = {}
        self.default: str | None = None
        for style in soup.find_all("style") if soup else ():
            kind = _attr(style, "type") or "paragraph"
            if kind not in ("paragraph", "numbering"):
                continue
            style_id = _attr(style, "styleId") or ""
            ppr = _child(style, "pPr")
            numpr = _child(ppr, "numPr")
            self.styles[style_id] = _Style(
                name=(_child_val(style, "name") or style_id).strip(),
                based_on=_child_val(style, "basedOn"),
                num_id=_child_val(numpr, "numId"),
                ilvl=_int(_child_val(numpr, "ilvl")),
                outline=_int(_child_val(ppr, "outlineLvl")),
            )
            if kind == "paragraph" and _flag(_attr(style, "default")):
                self.default = style_id

    def chain(self, style_id: str | None) -> Iterator[tuple[str, _Style]]:
        seen: set[str] = set()
        style_id = style_id if style_id in self.styles else self.default
        while style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            yield style_id, self.styles[style_id]
            style_id = self.styles[style_id].based_on

    def _names(self, style_id: str | None) -> Iterator[str]:
        for sid, style in self.chain(style_id):
            yield sid
            yield style.name

    def heading_depth(self, style_id: str | None) -> int | None:
        for name in self._names(style_id):
            match = _HEADING_STYLE.fullmatch(name)
            if match:
                return int(match.group(1))
        for _, style in self.chain(style_id):
            if style.outline is not None:
                return style.outline + 1 if style.outline < 9 else None
        return None

    def is_title(self, style_id: str | None) -> bool:
        return any(name.lower() in _TITLE_STYLES for name in self._names(style_id))

    def is_toc(self, style_id: str | None) -> bool:
        return any(_TOC_STYLE.fullmatch(name) for name in self._names(style_id))

    def numbering(self, style_id: str | None) -> tuple[str | None, int | None]:
        for _, style in self.chain(style_id):
            if style.num_id is not None:
                return style.num_id, style.ilvl
        return None, None


def _bullet(text: str) -> str:
    """Symbol-font bullets are private-use characters; show the bullet they draw.

    >>> _bullet("\\uf0b7"), _bullet("\\uf0a7"), _bullet("o"), _bullet("–"), _bullet("")
    ('•', '▪', '◦', '–', '•')
    """
    if not text or "\uf000" <= text[0] <= "\uf0ff":
        return "\u25aa" if text == "\uf0a7" else "•"
    return "◦" if text == "o" else text


@dataclass(frozen=True, slots=True)
class _Level:
    fmt: str
    text: str
    start: int
    restart_after: int | None  # w:lvlRestart: 0 never, N after level N (1-based); None after any
    legal: bool
    style: str | None


def _number_format(lvl: Tag) -> str:
    """A level's ``w:numFmt``; Word 2010 and later wrap a custom one (``001, 002, …``) in
    ``mc:AlternateContent`` whose Fallback names the standard format it reads as."""
    fmt = _child_val(lvl, "numFmt")
    alternate = _child(lvl, "AlternateContent")
    if fmt is None and alternate is not None:
        fmt = _child_val(_child(alternate, "Fallback"), "numFmt") or _child_val(_child(alternate, "Choice"), "numFmt")
    return fmt or "decimal"


def _level(lvl: Tag) -> _Level:
    start = _int(_child_val(lvl, "start"))
    return _Level(
        fmt=_number_format(lvl),
        text=_child_val(lvl, "lvlText") or "",
        start=1 if start is None else start,
        restart_after=_int(_child_val(lvl, "lvlRestart")),
        legal=_on(_child(lvl, "isLgl")),
        style=_child_val(lvl, "pStyle"),
    )


@dataclass(slots=True)
class _List:
    abstract: str
    levels: dict[int, _Level]
    start_overrides: dict[int, int]


def _abstract_definitions(abstracts: list[Tag]) -> tuple[dict[str, dict[int, _Level]], dict[str, str]]:
    """Each ``w:abstractNum``'s levels by id, and the numbering style those defined through one link to."""
    definitions: dict[str, dict[int, _Level]] = {}
    links: dict[str, str] = {}
    for abstract in abstracts:
        aid = _attr(abstract, "abstractNumId") or ""
        definitions[aid] = {_int(_attr(lvl, "ilvl")) or 0: _level(lvl) for lvl in abstract.find_all("lvl")}
        link = _child_val(abstract, "numStyleLink")
        if link:
            links[aid] = link
    return definitions, links


def _follow_style_links(
    definitions: dict[str, dict[int, _Level]], links: dict[str, str], abstract_of: dict[str, str], styles: _Styles
) -> dict[str, str]:
    """A list defined through a numbering style is that style's own list, counters included:
    its definition becomes the style's, and the map returned sends its id to the style's."""
    same: dict[str, str] = {}
    for aid, style_id in links.items():
        target = abstract_of.get(styles.numbering(style_id)[0] or "")
        if target in definitions and target != aid:
            definitions[aid] = definitions[target]
            same[aid] = target
    return same


def _list(num: Tag, abstract: str, levels: dict[int, _Level]) -> _List:
    """A ``w:num``: its definition's levels, with the levels and start values it overrides."""
    levels = dict(levels)
    overrides: dict[int, int] = {}
    for override in num.find_all("lvlOverride"):
        ilvl = _int(_attr(override, "ilvl")) or 0
        start = _int(_child_val(override, "startOverride"))
        if start is not None:
            overrides[ilvl] = start
        lvl = _child(override, "lvl")
        if lvl is not None:
            levels[ilvl] = _level(lvl)
    return _List(abstract, levels, overrides)


class _Numbering:
    """Word's list counters, advanced paragraph by paragraph in document order."""

    def __init__(self, soup: BeautifulSoup | None, styles: _Styles) -> None:
        abstracts = soup.find_all("abstractNum") if soup else []
        nums = soup.find_all("num") if soup else []
        definitions, links = _abstract_definitions(abstracts)
        abstract_of = {_attr(num, "numId") or "": _child_val(num, "abstractNumId") or "" for num in nums}
        same = _follow_style_links(definitions, links, abstract_of, styles)
        self.lists: dict[str, _List] = {}
        for num in nums:
            aid = _child_val(num, "abstractNumId") or ""
            if aid in definitions:
                self.lists[_attr(num, "numId") or ""] = _list(num, same.get(aid, aid), definitions[aid])
        # Counters belong to the abstract definition: every list made from it continues it.
        self.counters: dict[str, dict[int, int]] = {}
        self.seen: set[tuple[str, int]] = set()

    def level_of_style(self, num_id: str, style_id: str | None) -> int:
        levels = self.lists[num_id].levels if num_id in self.lists else {}
        return next((ilvl for ilvl, level in levels.items() if style_id and level.style == style_id), 0)

    def advance(self, num_id: str, ilvl: int) -> str | None:
        """The label of the next paragraph in list ``num_id`` at level ``ilvl``."""
        lst = self.lists.get(num_id)
        if lst is None or ilvl not in lst.levels:
            return None
        counters = self.counters.setdefault(lst.abstract, {})
        level = lst.levels[ilvl]
        if (num_id, ilvl) not in self.seen and ilvl in lst.start_overrides:
            counters[ilvl] = lst.start_overrides[ilvl]
        elif ilvl in counters:
            counters[ilvl] += 1
        else:
            counters[ilvl] = level.start
        self.seen.add((num_id, ilvl))
        for deeper in [d for d in counters if d > ilvl]:
            after = lst.levels[deeper].restart_after if deeper in lst.levels else None
            if after is None or (after != 0 and ilvl < after):
                del counters[deeper]
        return self._render(lst, ilvl, counters)

    @staticmethod
    def _render(lst: _List, ilvl: int, counters: dict[int, int]) -> str | None:
        level = lst.levels[ilvl]
        if level.fmt == "bullet":
            return _bullet(level.text)

        def value(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            shown = lst.levels.get(k)
            if shown is None:
                return ""
            fmt = "decimal" if level.legal and shown.fmt != "none" else shown.fmt
            return format_number(counters.get(k, shown.start), fmt)

        label = re.sub(r"%([1-9])", value, level.text).strip()
        return label or None


# --- reading -----------------------------------------------------------------------


@dataclass(slots=True)
class _Field:
    instruction: str = ""
    result: list[str] | None = None  # the pieces list the field's shown result goes into
    result_from: int = 0


@dataclass(slots=True)
class _Story:
    """One flow of text (the body, or one note): fields may span its paragraphs."""

    links: dict[str, str]
    in_note: bool
    fields: list[_Field] = field(default_factory=list)
    pending_mark: int | None = None  # a custom footnote mark follows; its note's number

    def showing(self) -> bool:
        return all(f.result is not None for f in self.fields)


@dataclass(slots=True)
class _Pieces:
    """Raw text of a paragraph, and the text of drawings anchored in it."""

    text: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)

    def raw(self) -> str:
        return "".join(self.text)


class _Reader:
    def __init__(self, package: _Package, *, doc_id: str, source: str, sha256: str, title: str | None) -> None:
        rels = package.relationships(MAIN_PART)
        parts = {kind: target for kind, target in rels.values() if kind in _REL_TYPES}
        styles = package.xml(parts.get("styles", "word/styles.xml"))
        self.styles = _Styles(styles)
        self.numbering = _Numbering(package.xml(parts.get("numbering", "word/numbering.xml")), self.styles)
        self.notes: dict[str, dict[str, Tag]] = {}
        self.note_links: dict[str, dict[str, str]] = {}
        for kind in _NOTE_KINDS:
            part = parts.get(kind + "s", f"word/{kind}s.xml")
            soup = package.xml(part)
            self.notes[kind] = {
                _attr(note, "id") or "": note
                for note in (soup.find_all(kind) if soup else ())
                if _attr(note, "type") not in _SKIPPED_NOTE_TYPES
            }
            self.note_links[kind] = _external(package.relationships(part)) if soup else {}
        self.body_story = _Story(_external(rels), in_note=False)
        self.doc = DocumentBuilder(doc_id=doc_id, source=source, sha256=sha256, title=title)
        self.line = 0
        self.numbers: dict[tuple[str, str], int] = {}
        self.next_number = {"footnote": 1, "endnote": len(self.notes["footnote"]) + 1}
        self.pending: dict[int, tuple[str, Tag]] = {}
        self.custom_marks: dict[int, str] = {}

    # body structure

    def blocks(self, container: Tag) -> None:
        for child in _tags(container):
            if child.name == "p":
                self.paragraph(child)
            elif child.name == "tbl":
                self.table(child)
            elif child.name in _BLOCK_CONTAINERS:
                self.blocks(child)
            elif child.name == "AlternateContent" and (choice := _choice(child)) is not None:
                self.blocks(choice)

    def _label(self, ppr: Tag | None, style_id: str | None, *, empty: bool) -> str | None:
        """Advance the paragraph's list, if it has one, and return its label."""
        numpr = _child(ppr, "numPr")
        style_num, style_ilvl = self.styles.numbering(style_id)
        num_id = _child_val(numpr, "numId") or style_num
        if num_id is None or num_id == "0":
            return None
        if empty and _child(_child(ppr, "rPr"), "del") is not None:
            return None  # a deleted paragraph: Word no longer shows or counts it
        ilvl = _int(_child_val(numpr, "ilvl"))
        if ilvl is None:
            ilvl = style_ilvl if style_ilvl is not None else self.numbering.level_of_style(num_id, style_id)
        return self.numbering.advance(num_id, ilvl)

    def paragraph(self, p: Tag) -> None:
        self.line += 1
        line = self.line
        ppr = _child(p, "pPr")
        style_id = _child_val(ppr, "pStyle")
        # Read even a table-of-contents line, for the TOC field that starts or ends in it.
        pieces = self.read_inline(p, self.body_story)
        if self.styles.is_toc(style_id):
            return
        raw = pieces.raw()
        label = self._label(ppr, style_id, empty=not raw.strip())
        if label is None:
            typed, raw = split_label(raw)
            label = typed or None
        text, calls = finish_text(raw)
        if text:
            depth = self._depth(ppr, style_id)
            if self.styles.is_title(style_id) and depth is None:
                seq = self.doc.title_part(text, line=line)
            elif label is None and is_annex(text):
                seq = self.doc.heading(text, depth=0, line=line, calls=calls)
            elif depth is not None:
                seq = self.doc.heading(text, depth=depth, label=label, line=line, calls=calls)
            else:
                seq = self.doc.paragraph(text, label=label, line=line, calls=calls)
            self.emit_notes(seq, calls, line)
        self.figures(pieces.figures, line)

    def _depth(self, ppr: Tag | None, style_id: str | None) -> int | None:
        """Heading depth: the paragraph's own outline level, else its style's; level 9 is body text."""
        outline = _int(_child_val(ppr, "outlineLvl"))
        if outline is None:
            return self.styles.heading_depth(style_id)
        return outline + 1 if outline < 9 else None

    def figures(self, figures: list[str], line: int) -> None:
        for raw in figures:
            text, calls = finish_text(raw)
            if text:
                self.emit_notes(self.doc.paragraph(text, line=line, calls=calls, kind=Kind.FIGURE), calls, line)

    def table(self, table: Tag) -> None:
        for row in _rows(table):
            line = self.line + 1
            cells: list[str] = []
            figures: list[str] = []
            for cell in _cells(row):
                texts = []
                for p in _paragraphs(cell):
                    self.line += 1
                    ppr = _child(p, "pPr")
                    pieces = self.read_inline(p, self.body_story)
                    label = self._label(ppr, _child_val(ppr, "pStyle"), empty=not pieces.raw().strip())
                    texts.append(f"{label} {pieces.raw()}" if label else pieces.raw())
                    figures.extend(pieces.figures)
                cells.append(join_fragments(texts))
            text, calls = finish_text(CELL_SEPARATOR.join(c for c in cells if finish_text(c)[0]))
            if text:
                self.emit_notes(self.doc.row(text, line=line, calls=calls), calls, line)
            self.figures(figures, line)

    # inline content

    def read_inline(self, container: Tag, story: _Story) -> _Pieces:
        pieces = _Pieces()
        self._inline(container, pieces, story)
        return pieces

    def _inline(self, container: Tag, pieces: _Pieces, story: _Story) -> None:
        for child in _tags(container):
            name = child.name
            if name == "r":
                self._run(child, pieces, story, hidden=_on(_child(_child(child, "rPr"), "vanish")))
                story.pending_mark = None  # Word writes a custom mark in the call's own run
            elif name in _INLINE_CONTAINERS:
                self._inline(child, pieces, story)
            elif name == "hyperlink":
                start = len(pieces.text)
                self._inline(child, pieces, story)
                self._address(story, pieces.text, start, story.links.get(_attr(child, "id") or ""))
            elif name == "fldSimple":
                start = len(pieces.text)
                self._inline(child, pieces, story)
                self._address(story, pieces.text, start, _field_address(_attr(child, "instr") or ""))
            elif name in ("oMath", "oMathPara") and story.showing():
                pieces.text.append("".join(t.get_text() for t in child.find_all("t")))
            elif name == "AlternateContent" and (choice := _choice(child)) is not None:
                self._inline(choice, pieces, story)

    def _run(self, run: Tag, pieces: _Pieces, story: _Story, *, hidden: bool) -> None:
        for child in _tags(run):
            name = child.name
            if name == "fldChar":
                self._field_char(_attr(child, "fldCharType"), pieces, story)
            elif name == "instrText":
                if story.fields:
                    story.fields[-1].instruction += child.get_text()
            elif hidden or not story.showing():
                continue
            elif name == "t":
                self._text(child.get_text(), pieces, story)
            elif name in ("tab", "ptab"):
                pieces.text.append("\t")
            elif name in ("br", "cr"):
                pieces.text.append("\n")
            elif name == "noBreakHyphen":
                pieces.text.append("-")
            elif name in ("footnoteReference", "endnoteReference"):
                self._call(child, pieces, story)
            elif name in ("drawing", "pict", "object"):
                pieces.figures.extend(self._drawing(child))
            elif name == "AlternateContent" and (choice := _choice(child)) is not None:
                self._run(choice, pieces, story, hidden=hidden)

    def _text(self, text: str, pieces: _Pieces, story: _Story) -> None:
        mark = story.pending_mark
        story.pending_mark = None
        if mark is not None and 0 < len(text.strip()) <= CUSTOM_MARK_MAX:
            # The text after a custom-mark call is the mark itself (``*``), not content.
            self.custom_marks[mark] = text.strip()
            return
        pieces.text.append(clean_source_text(text))

    def _field_char(self, kind: str | None, pieces: _Pieces, story: _Story) -> None:
        if kind == "begin":
            story.fields.append(_Field())
        elif kind == "separate" and story.fields:
            story.fields[-1].result = pieces.text
            story.fields[-1].result_from = len(pieces.text)
        elif kind == "end" and story.fields:
            done = story.fields.pop()
            if done.result is pieces.text:
                self._address(story, pieces.text, done.result_from, _field_address(done.instruction))

    @staticmethod
    def _address(story: _Story, text: list[str], start: int, address: str | None) -> None:
        if story.in_note and address and address not in "".join(text[start:]):
            text.append(f" ({address})")

    def _call(self, ref: Tag, pieces: _Pieces, story: _Story) -> None:
        kind = "footnote" if ref.name == "footnoteReference" else "endnote"
        note_id = _attr(ref, "id") or ""
        number = self.numbers.get((kind, note_id))
        if number is None:
            note = self.notes[kind].get(note_id)
            if note is None:
                return
            number = self.next_number[kind]
            self.next_number[kind] += 1
            self.numbers[(kind, note_id)] = number
            self.pending[number] = (kind, note)
        pieces.text.append(mark_call(number))
        if _flag(_attr(ref, "customMarkFollows")):
            story.pending_mark = number

    def _drawing(self, drawing: Tag) -> list[str]:
        """The text of a drawing's text boxes, as one figure; none for a plain picture."""
        fragments = []
        for box in _text_boxes(drawing):
            for p in _paragraphs(box):
                pieces = self.read_inline(p, _Story(self.body_story.links, in_note=False))
                fragments.append(pieces.raw())
                fragments.extend(pieces.figures)
        text = join_fragments(fragments)
        return [text] if text else []

    # notes

    def emit_notes(self, seq: int, calls: tuple[FootnoteCall, ...], line: int) -> None:
        for call in calls:
            if call.number not in self.pending:
                continue
            kind, note = self.pending.pop(call.number)
            text = self._note_text(kind, note, call.number)
            if text:
                self.doc.footnote(call.number, text, called_from=seq, line=line)

    def _note_text(self, kind: str, note: Tag, number: int) -> str:
        story = _Story(self.note_links[kind], in_note=True)
        parts = [self.read_inline(p, story).raw() for p in _paragraphs(note)]
        text, _ = finish_text(join_fragments(parts))
        mark = self.custom_marks.get(number)
        if mark and text.startswith(mark):
            text = text[len(mark) :].lstrip()
        return text


def _field_address(instruction: str) -> str | None:
    match = _HYPERLINK_FIELD.match(instruction)
    return match.group(1) if match else None


def _external(rels: dict[str, tuple[str, str]]) -> dict[str, str]:
    return {rid: target for rid, (kind, target) in rels.items() if kind == "hyperlink"}


def _nested(container: Tag, name: str) -> Iterator[Tag]:
    """Children called ``name`` (``tr``, ``tc``), looking through content controls."""
    for child in _tags(container):
        if child.name == name:
            yield child
        elif child.name in _BLOCK_CONTAINERS:
            yield from _nested(child, name)


def _rows(table: Tag) -> Iterator[Tag]:
    return _nested(table, "tr")


def _cells(row: Tag) -> Iterator[Tag]:
    return _nested(row, "tc")


def _paragraphs(container: Tag) -> Iterator[Tag]:
    """Paragraphs in reading order, through tables and content controls."""
    for child in _tags(container):
        if child.name == "p":
            yield child
        elif child.name == "tbl":
            for row in _rows(child):
                for cell in _cells(row):
                    yield from _paragraphs(cell)
        elif child.name in _BLOCK_CONTAINERS:
            yield from _paragraphs(child)


def _text_boxes(drawing: Tag) -> Iterator[Tag]:
    """Outermost text boxes of a drawing (one inside another is read with its paragraph)."""
    for child in _tags(drawing):
        if child.name == "txbxContent":
            yield child
        else:
            yield from _text_boxes(child)


def _core(package: _Package) -> tuple[str | None, str | None]:
    """``dc:title`` and ``dc:language`` from the core properties, when set."""
    soup = package.xml("docProps/core.xml")
    if soup is None:
        return None, None
    values = []
    for name in ("title", "language"):
        tag = soup.find(name)
        text = " ".join(tag.get_text().split()) if tag else ""
        values.append(text or None)
    return values[0], values[1]


def read_docx(data: bytes, *, doc_id: str, source: str, sha256: str) -> Document:
    """Read one .docx file's bytes into a Document of cited passages."""
    package = _Package(data, source)
    title, language = _core(package)
    reader = _Reader(package, doc_id=doc_id, source=source, sha256=sha256, title=title)
    main = package.xml(MAIN_PART)
    body = main.find("body") if main else None
    if body is None:
        raise CorpusError(source, "word/document.xml has no body")
    reader.blocks(body)
    doc = reader.doc.build(title=title)
    if not doc.passages:
        raise CorpusError(source, "no text in the document")
    if doc.lang == "mixed" and language and language[:2].lower() in ("zh", "en"):
        doc = dataclasses.replace(doc, lang=language[:2].lower())
    return doc
