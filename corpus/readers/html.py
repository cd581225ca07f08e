"""Read an HTML page (a council document published on the web, or saved from Word) into cited passages.

The page is parsed with BeautifulSoup's ``html.parser``, which records each element's
source line (lxml's HTML builder does not).  What is kept, and how:

- ``<title>`` is the document title (without one, the builder's fallback).
- ``h1``–``h6`` are headings at depth 1–6; one reading only ``附件`` / ``Annex 2`` opens a
  top-level part (depth 0), as in the text exports.  A heading's leading label and a
  space (``II 全体会议声明概述``) become its label, as the text exports' ``II<TAB>…``, and an
  ``h1`` repeating ``<title>`` is the title line (both by ``corpus.blocks``, as for every format).
- ``p``, ``li``, ``dt``, ``dd``, ``blockquote``, captions and text loose in a ``div`` or
  ``section`` are paragraphs; a table row is one paragraph, its non-empty cells joined
  with `` | `` (a table whose cells hold headings or tables is layout: its cells are
  read as content instead).
- Labels: ``ol`` items are numbered as a browser numbers them (``start``, ``type``,
  ``reversed``, ``li value``) and labelled ``9`` for decimal lists, ``a)`` / ``iii)`` /
  ``A)`` / ``III)`` for letters and roman numerals, as council documents write them;
  ``ul`` items are labelled ``•``.  A paragraph whose text starts with a label and a TAB
  (``67<TAB>…``, or Word's ``mso-tab-count`` span) takes that label, and so does one typed
  before a space (``<p>1.1 The Council…``, ``<li>c) review…`` in a ``ul``; ``corpus.blocks``).
- Footnotes: a call is a link to an element later in the page, shaped like a note mark
  (``<sup><a href="#fn2">2</a></sup>``, ``<a href="#_ftn1">[1]</a>`` as Word saves
  pages, ``role="doc-noteref"``); or an unlinked ``<sup>2</sup>`` when the page has a
  footnotes list (``class="footnotes"``, ``role="doc-endnotes"``) with a note 2 and the
  unlinked calls before it called the list's notes in order.  The note is the target's
  list item, paragraph, ``aside`` or ``div``, numbered by the call's mark; it becomes
  one passage linked both ways to the passage that calls it.  Back links (``↩``) and
  the note's own leading mark are dropped, and a link in a note keeps its address,
  `` (URL)``, when its text does not show it.  A list or section holding only notes
  is not read again as body text.
- Dropped: ``script``, ``style``, ``noscript``, ``template``, ``nav``, forms and embedded
  objects, elements marked ``hidden``, comments, and the page's own header and footer
  (``header``/``footer`` outside an article or section, and the banner, navigation,
  search and contentinfo roles).
- Encoding: a BOM, else ``<meta charset>`` or the ``http-equiv`` Content-Type in the first
  4 KB, else UTF-8, else GB18030 (which also reads what fails as a declared GB2312 or GBK).

Citations: ``line`` is the source line a passage's text starts on, counted back from the
next tag (html.parser records each tag's line; text nodes have none), else the line of
its element's start tag; ``anchor`` is the element's ``id``, or that of the nearest
enclosing element that has one; a note's anchor is its target's ``id`` (or Word's
``<a name>``).
"""

from __future__ import annotations

import codecs
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, NavigableString, Tag, XMLParsedAsHTMLWarning
from bs4.builder import ParserRejectedMarkup
from bs4.element import Comment, Declaration, Doctype, PageElement, PreformattedString, ProcessingInstruction

from itudocs.corpus.builder import DocumentBuilder
from itudocs.corpus.errors import CorpusError
from itudocs.corpus.labels import format_number, is_annex, split_label
from itudocs.corpus.model import Document, FootnoteCall
from itudocs.corpus.rawtext import CELL_SEPARATOR, clean_source_text, finish_text, mark_call
from itudocs.corpus.text import looks_binary

SNIFF_BYTES = 4096
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)

_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_NOISE = frozenset(
    {"script", "style", "noscript", "template", "nav", "head", "title", "iframe", "object", "embed", "form"}
    | {"button", "select", "textarea", "input", "svg", "canvas", "audio", "video", "map"}
)
_NOISE_ROLES = frozenset({"navigation", "banner", "contentinfo", "search"})
_SECTIONING = ["article", "section", "aside", "main", "nav"]
_BLOCKS = frozenset(
    {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "dir"}
    | {"div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "header", "hgroup", "hr", "html", "li"}
    | {"main", "menu", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead"}
    | {"tr", "ul", "nav", "form", *_HEADINGS}
)
_NOTE_BLOCKS = ("li", "p", "aside", "div", "dd", "section", "td")
_NOTE_MARK = re.compile(r"[\[(]?(\d{1,3}|[*†‡§]{1,3})[\])]?")
_NOTE_HINT = re.compile(r"fn|ftn|foot|note", re.IGNORECASE)
_NOTES_CLASS = re.compile(r"(?:foot|end)notes?", re.IGNORECASE)
_BACK_MARKS = frozenset({"↩", "↩︎", "↑", "^"})
_LIST_FORMATS = {"1": "decimal", "a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}
_SKIPPED_STRINGS = (Comment, Declaration, Doctype, ProcessingInstruction)


def decode_html(data: bytes, source: str) -> str:
    """The page's text, in the encoding its BOM, its ``<meta>`` or UTF-8/GB18030 say."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    declared = _declared_encoding(data[:SNIFF_BYTES])
    for codec in dict.fromkeys(c for c in (declared, "utf-8", "gb18030") if c):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    raise CorpusError(source, "not UTF-8 or GB18030 and declares no encoding that fits")


def _declared_encoding(head: bytes) -> str | None:
    match = _CHARSET.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    if name.startswith("utf-16"):
        return "utf-8"  # a page that reached us as bytes with no BOM is not UTF-16
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _tags(nodes: Iterable[object]) -> Iterator[Tag]:
    return (node for node in nodes if isinstance(node, Tag))


def _is_noise(tag: Tag) -> bool:
    if tag.name in _NOISE or tag.has_attr("hidden") or tag.get("role") in _NOISE_ROLES:
        return True
    return tag.name in ("header", "footer") and tag.find_parent(_SECTIONING) is None


def _anchor(tag: Tag) -> str | None:
    for element in (tag, *tag.parents):
        if isinstance(element, Tag) and element.get("id"):
            return str(element["id"])
    return None


def _is_tab_span(tag: Tag) -> bool:
    """Word saves a TAB as ``<span style='mso-tab-count:1'>`` filled with spaces."""
    return tag.name == "span" and "mso-tab-count" in str(tag.get("style", ""))


def _list_label(item: Tag) -> str | None:
    """The marker a browser shows for an ``li``, written as council documents write it."""
    parent = item.parent
    if parent is None or parent.name not in ("ol", "ul", "menu", "dir"):
        return None
    if parent.name != "ol":
        return "•"
    siblings = [li for li in _tags(parent.children) if li.name == "li"]
    reverse = parent.has_attr("reversed")
    start = _number(parent.get("start"))
    value = start if start is not None else (len(siblings) if reverse else 1)
    for li in siblings:
        own = _number(li.get("value"))
        value = own if own is not None else value
        if li is item:
            break
        value += -1 if reverse else 1
    kind = str(item.get("type") or parent.get("type") or "1")
    fmt = _LIST_FORMATS.get(kind, "decimal")
    shown = format_number(value, fmt)
    return shown if fmt == "decimal" else f"{shown})"


def _number(value: object) -> int | None:
    try:
        return int(str(value).strip()) if value is not None else None
    except ValueError:
        return None


@dataclass(slots=True)
class _Note:
    number: int
    body: Tag
    anchor: str | None


class _Notes:
    """Footnote calls and the notes they point at, found before the page is walked."""

    def __init__(self, soup: BeautifulSoup) -> None:
        self.order: dict[int, int] = {}  # id(tag) → position in document order
        self.targets: dict[str, Tag] = {}
        for position, tag in enumerate(soup.find_all(True)):
            self.order[id(tag)] = position
            if tag.get("id"):
                self.targets.setdefault(str(tag["id"]), tag)
            if tag.name == "a" and tag.get("name"):
                self.targets.setdefault(str(tag["name"]), tag)
        self.calls: dict[int, int] = {}  # id(call element) → note number
        self.notes: dict[int, _Note] = {}
        self._by_body: dict[int, int] = {}
        self._linked_calls(soup)
        self._sup_calls(soup)
        self.skipped = {id(note.body) for note in self.notes.values()}
        for note in self.notes.values():
            self._skip_containers(note.body)

    def _add(self, call: Tag, body: Tag, mark: str, anchor: str | None) -> None:
        number = self._by_body.get(id(body))
        if number is None:
            number = int(mark) if mark.isdigit() and int(mark) not in self.notes else max(self.notes, default=0) + 1
            self.notes[number] = _Note(number, body, anchor)
            self._by_body[id(body)] = number
        self.calls[id(call)] = number

    def _linked_calls(self, soup: BeautifulSoup) -> None:
        for link in soup.find_all("a", href=True):
            href = str(link["href"])
            target = self.targets.get(href[1:]) if href.startswith("#") else None
            mark = _NOTE_MARK.fullmatch(link.get_text().strip())
            if target is None or mark is None or not self._after(target, link) or not self._call_shaped(link, href):
                continue
            body = _note_body(target)
            if body is None or any(parent is body for parent in link.parents):
                continue
            self._add(link, body, mark.group(1), str(target.get("id") or target.get("name") or "") or None)

    @staticmethod
    def _call_shaped(link: Tag, href: str) -> bool:
        return (
            link.find_parent("sup") is not None
            or link.find("sup") is not None
            or link.get("role") == "doc-noteref"
            or bool(_NOTE_HINT.search(href))
            or any(_NOTE_HINT.search(c) for c in link.get("class") or ())
        )

    def _sup_calls(self, soup: BeautifulSoup) -> None:
        """Unlinked ``<sup>2</sup>`` calls of a page whose notes are a plain numbered list.

        Calls come in the order of the notes, so a superscript is a call only when it
        bears the next note's number: ``m<sup>2</sup>`` before note 1 is a square.
        """
        listed: dict[int, Tag] = {}
        for container in soup.find_all(_is_notes_container):
            for item in container.find_all("li"):
                label = _list_label(item)
                if label and label.isdigit():
                    listed.setdefault(int(label), item)
        expected = min(listed, default=0)
        for sup in soup.find_all("sup"):
            mark = sup.get_text().strip()
            if mark != str(expected) or sup.find("a") or sup.find_parent("a") or sup.find_parent(_is_notes_container):
                continue
            self._add(sup, listed[expected], mark, str(listed[expected].get("id") or "") or None)
            expected += 1
            if expected not in listed:
                return

    def _after(self, target: Tag, link: Tag) -> bool:
        return self.order.get(id(target), -1) > self.order.get(id(link), -1)

    def _skip_containers(self, body: Tag) -> None:
        """Skip the lists and sections around notes that hold nothing but notes."""
        container = body.parent
        while isinstance(container, Tag) and container.name not in ("body", "html", "[document]"):
            if not self._only_notes(container):
                break
            self.skipped.add(id(container))
            container = container.parent

    def _only_notes(self, container: Tag) -> bool:
        for text in container.find_all(string=True):
            if isinstance(text, _SKIPPED_STRINGS) or not text.strip():
                continue
            owners = [p for p in text.parents if isinstance(p, Tag)]
            if not any(id(p) in self.skipped or p.name in _HEADINGS for p in owners):
                return False
        return True

    def is_backlink(self, link: Tag) -> bool:
        """A link in a note back to its call: by role, by arrow, or a mark pointing back."""
        href = str(link.get("href", ""))
        shown = link.get_text().strip()
        if link.get("role") == "doc-backlink" or shown in _BACK_MARKS:
            return True
        target = self.targets.get(href[1:]) if href.startswith("#") else None
        return target is not None and not self._after(target, link) and _NOTE_MARK.fullmatch(shown) is not None


def _is_notes_container(tag: Tag) -> bool:
    role = str(tag.get("role") or "")
    return role in ("doc-endnotes", "doc-footnotes") or any(_NOTES_CLASS.fullmatch(c) for c in tag.get("class") or ())


def _note_body(target: Tag) -> Tag | None:
    """The block that holds a note, from the element a call points at."""
    if target.name in _NOTE_BLOCKS:
        return target
    block = target.find_parent(_NOTE_BLOCKS)
    return block if isinstance(block, Tag) else None


class _Reader:
    def __init__(self, notes: _Notes, doc: DocumentBuilder) -> None:
        self.notes = notes
        self.doc = doc
        self.label: str | None = None  # an li's label, waiting for the li's first paragraph
        self.emitted: set[int] = set()

    # text

    def text_of(self, nodes: Iterable[object], *, in_note: bool = False) -> str:
        out: list[str] = []
        self._collect(nodes, out, in_note)
        return "".join(out)

    def _collect(self, nodes: Iterable[object], out: list[str], in_note: bool) -> None:
        for node in nodes:
            if isinstance(node, _SKIPPED_STRINGS):
                continue
            if isinstance(node, NavigableString):
                out.append(clean_source_text(str(node)))
                continue
            if not isinstance(node, Tag) or _is_noise(node):
                continue
            if id(node) in self.notes.calls:
                out.append(mark_call(self.notes.calls[id(node)]))
            elif node.name == "br":
                out.append("\n")
            elif _is_tab_span(node):
                out.append("\t")
            elif in_note and node.name == "a" and self.notes.is_backlink(node):
                continue
            else:
                block = node.name in _BLOCKS
                out.append("\n" if block else "")
                start = len(out)
                self._collect(node.children, out, in_note)
                href = str(node.get("href", ""))
                if in_note and node.name == "a" and "://" in href and href not in "".join(out[start:]):
                    out.append(f" ({href})")
                out.append("\n" if block else "")

    # structure

    def container(self, element: Tag) -> None:
        run: list[PageElement] = []
        for child in element.children:
            if isinstance(child, Tag) and child.name in _BLOCKS:
                self.flush(run, element)
                run = []
                self.block(child)
            else:
                run.append(child)
        self.flush(run, element)

    def block(self, element: Tag) -> None:
        if _is_noise(element) or id(element) in self.notes.skipped:
            return
        name = element.name
        if name in _HEADINGS:
            self.heading(element)
        elif name == "table":
            self.table(element)
        elif name == "li":
            self.label = _list_label(element)
            self.container(element)
            self.label = None
        elif name != "hr":
            self.container(element)

    def flush(self, run: list[PageElement], owner: Tag) -> None:
        raw = self.text_of(run)
        if not raw.strip():
            return
        label, self.label = self.label, None
        if label is None:
            typed, raw = split_label(raw.lstrip(" \r\n"))
            label = typed or None
        self.paragraph(raw, label=label, line=_run_line(run, owner), anchor=_anchor(owner))

    def paragraph(self, raw: str, *, label: str | None, line: int, anchor: str | None) -> None:
        text, calls = finish_text(raw)
        if text:
            seq = self.doc.paragraph(text, label=label, line=line, calls=calls, anchor=anchor)
            self.emit_notes(seq, calls)

    def row(self, raw: str, *, line: int, anchor: str | None) -> None:
        text, calls = finish_text(raw)
        if text:
            self.emit_notes(self.doc.row(text, line=line, calls=calls, anchor=anchor), calls)

    def heading(self, element: Tag) -> None:
        # A label before a TAB is split off here; one before a space (``II 全体会议``) by the builder.
        label, raw = split_label(self.text_of(element.children).strip())
        label = label or None
        text, calls = finish_text(raw)
        if not text:
            return
        depth = 0 if label is None and is_annex(text) else _HEADINGS[element.name]
        line = element.sourceline or 0
        seq = self.doc.heading(text, depth=depth, label=label, line=line, calls=calls, anchor=_anchor(element))
        self.emit_notes(seq, calls)

    def table(self, table: Tag) -> None:
        rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
        layout = any(cell.find(["table", *_HEADINGS]) for tr in rows for cell in _tags(tr.children))
        for caption in table.find_all("caption", recursive=False):
            self.container(caption)
        for tr in rows:
            cells = [cell for cell in _tags(tr.children) if cell.name in ("td", "th")]
            if layout:
                for cell in cells:
                    self.container(cell)
                continue
            raws = [self.text_of(cell.children) for cell in cells]
            raw = CELL_SEPARATOR.join(r for r in raws if finish_text(r)[0])
            self.row(raw, line=tr.sourceline or 0, anchor=_anchor(tr))

    # notes

    def emit_notes(self, seq: int, calls: tuple[FootnoteCall, ...]) -> None:
        for call in calls:
            note = self.notes.notes.get(call.number)
            if note is None or call.number in self.emitted:
                continue
            self.emitted.add(call.number)
            text, _ = finish_text(self.text_of(note.body.children, in_note=True))
            if note.body.name != "li":
                text = _without_mark(note.body, text, note.number)
            if text:
                anchor = note.anchor or _anchor(note.body)
                self.doc.footnote(note.number, text, called_from=seq, line=note.body.sourceline or 0, anchor=anchor)


def _run_line(run: list[PageElement], owner: Tag) -> int:
    """The line a run of inline content starts on.

    Text nodes carry no line, so it is counted back from the first tag in or after the
    run; with none after it, forward from the last tag before it (html.parser keeps
    text as written, so a tag's own lines are the line breaks of its markup); with no
    tag at all, it is the line of the element's start tag.
    """
    before: list[str] = []
    node: PageElement | None = run[0]
    while node is not None and not isinstance(node, Tag):
        before.append(str(node) if isinstance(node, NavigableString) else "")
        node = node.next_sibling
    if node is not None and node.sourceline is not None:
        return node.sourceline - "".join(before).lstrip().count("\n")
    node = run[0].previous_sibling
    while node is not None and not isinstance(node, Tag):
        node = node.previous_sibling
    if node is None or node.sourceline is None:
        return owner.sourceline or 0
    line = node.sourceline + str(node).count("\n")
    for following in node.next_siblings:
        text = str(following)
        if isinstance(following, NavigableString) and not isinstance(following, PreformattedString) and text.strip():
            return line + text[: len(text) - len(text.lstrip())].count("\n")
        line += text.count("\n")
    return line


def _without_mark(body: Tag, text: str, number: int) -> str:
    """A note's text without its own leading mark: ``<sup>1</sup>``, ``[1] ``, ``1. ``."""
    first = next((s for s in body.find_all(string=True) if s.strip()), None)
    if first is not None and first.parent is not None and first.parent.name == "sup":
        mark = first.strip()
        return text[len(mark) :].lstrip() if _NOTE_MARK.fullmatch(mark) and text.startswith(mark) else text
    match = re.match(rf"(?:\[{number}\]|\({number}\)|{number}[.:、)]?)\s+", text)
    return text[match.end() :] if match else text


def _parse(text: str, source: str) -> BeautifulSoup:
    try:
        with warnings.catch_warnings():
            # A short page can look like a file name to bs4, an XHTML one like XML: both are pages.
            warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
            warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
            return BeautifulSoup(text, "html.parser")
    except ParserRejectedMarkup as error:
        raise CorpusError(source, f"not readable as HTML ({error})") from None


def read_html(data: bytes, *, doc_id: str, source: str, sha256: str) -> Document:
    """Read one HTML page's bytes into a Document of cited passages."""
    text = decode_html(data, source)
    head = text[:SNIFF_BYTES]
    if "\x00" in head or looks_binary(head):
        raise CorpusError(source, "binary data, not an HTML page")
    soup = _parse(text, source)
    title_tag = soup.find("title")
    title = " ".join(title_tag.get_text().split()) if title_tag else ""
    doc = DocumentBuilder(doc_id=doc_id, source=source, sha256=sha256, title=title or None)
    try:
        _Reader(_Notes(soup), doc).container(soup.body or soup)
    except RecursionError:
        # The walk follows the markup's nesting; no real page nests this deep.
        raise CorpusError(source, "markup nested too deeply to read (hundreds of levels)") from None
    document = doc.build()
    if not document.passages:
        raise CorpusError(source, "no text in the page")
    return document
