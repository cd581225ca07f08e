"""Build Word (.docx) and HTML test fixtures: raw OOXML parts zipped by hand, and markup.

Nothing here uses Word or python-docx: each part is written as the XML Word itself
writes, so the readers are tested against the format, not against another library.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

from itudocs.corpus.labels import Style, label_style
from itudocs.corpus.model import Document, Kind, Passage

NAMESPACES = " ".join(
    f'xmlns:{prefix}="{uri}"'
    for prefix, uri in {
        "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
        "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
        "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
        "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
        "v": "urn:schemas-microsoft-com:vml",
        "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    }.items()
)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# --- WordprocessingML fragments ---------------------------------------------------


def run(text: str, *, props: str = "") -> str:
    """A run of text; ``props`` is raw ``w:rPr`` content."""
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para(*content: str, style: str | None = None, num: tuple[int, int] | None = None, ppr: str = "") -> str:
    """A paragraph; plain strings become runs, strings starting with ``<`` are raw XML.

    ``num`` is ``(numId, ilvl)``; ``ppr`` is more raw ``w:pPr`` content.
    """
    props = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num is not None:
        props += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    props += ppr
    body = "".join(part if part.startswith("<") else run(part) for part in content)
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{body}</w:p>"


TAB = "<w:r><w:tab/></w:r>"


def footnote_ref(note_id: int, *, endnote: bool = False, custom_mark: str | None = None) -> str:
    kind = "endnote" if endnote else "footnote"
    style = '<w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
    if custom_mark is None:
        return f'<w:r>{style}<w:{kind}Reference w:id="{note_id}"/></w:r>'
    return (
        f'<w:r>{style}<w:{kind}Reference w:customMarkFollows="1" w:id="{note_id}"/>'
        f"<w:t>{escape(custom_mark)}</w:t></w:r>"
    )


def field(instruction: str, result: str) -> str:
    """A complex field: code between begin and separate, result until end."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve">{escape(instruction)}</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"{run(result)}"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def inserted(text: str) -> str:
    return f'<w:ins w:id="901" w:author="Editor" w:date="2024-05-01T00:00:00Z">{run(text)}</w:ins>'


def deleted(text: str) -> str:
    """A tracked deletion: its text, a TAB and a break that Word no longer shows."""
    return (
        '<w:del w:id="902" w:author="Editor" w:date="2024-05-01T00:00:00Z">'
        f'<w:r><w:tab/><w:delText xml:space="preserve">{escape(text)}</w:delText><w:br/></w:r></w:del>'
    )


def hyperlink(text: str, rel_id: str) -> str:
    styled = run(text, props='<w:rStyle w:val="Hyperlink"/>')
    return f'<w:hyperlink r:id="{rel_id}" w:history="1">{styled}</w:hyperlink>'


def bookmark(name: str, inner: str) -> str:
    return f'<w:bookmarkStart w:id="77" w:name="{name}"/>{inner}<w:bookmarkEnd w:id="77"/>'


def commented(inner: str) -> str:
    """Text with a comment anchored on it; the comment's own text lives in comments.xml."""
    return (
        f'<w:commentRangeStart w:id="5"/>{inner}<w:commentRangeEnd w:id="5"/>'
        '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="5"/></w:r>'
    )


def text_box(*paragraphs: str) -> str:
    """A floating shape holding a text box, as Word 2010+ writes it, with its VML fallback."""
    content = "".join(para(p) for p in paragraphs)
    return (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="0" '
        'locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:docPr id="1" name="Text Box 1" descr="A diagram"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<wps:wsp><wps:txbx><w:txbxContent>{content}</w:txbxContent></wps:txbx></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{content}</w:txbxContent></v:textbox>"
        "</v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )


def table(rows: Sequence[Sequence[str]]) -> str:
    """A table; each cell is a text or raw paragraph XML (starting with ``<``)."""

    def cell(content: str) -> str:
        return f"<w:tc><w:tcPr/>{content if content.startswith('<') else para(content)}</w:tc>"

    body = "".join(f"<w:tr>{''.join(cell(c) for c in row)}</w:tr>" for row in rows)
    return f"<w:tbl><w:tblPr/><w:tblGrid/>{body}</w:tbl>"


# --- numbering.xml -------------------------------------------------------------------


def level(ilvl: int, fmt: str, text: str, *, start: int = 1, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f"<w:lvlText w:val={quoteattr(text)}/>{extra}</w:lvl>"
    )


def abstract_num(abstract_id: int, *levels: str) -> str:
    return f'<w:abstractNum w:abstractNumId="{abstract_id}">{"".join(levels)}</w:abstractNum>'


def num(
    num_id: int,
    abstract_id: int,
    *,
    start_overrides: dict[int, int] | None = None,
    level_overrides: dict[int, str] | None = None,
) -> str:
    """A list instance; ``level_overrides`` replaces whole levels (``level(...)`` XML)."""
    overrides = "".join(
        f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
        for ilvl, start in (start_overrides or {}).items()
    ) + "".join(
        f'<w:lvlOverride w:ilvl="{ilvl}">{lvl}</w:lvlOverride>' for ilvl, lvl in (level_overrides or {}).items()
    )
    return f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'


# --- styles.xml ------------------------------------------------------------------------


def style(style_id: str, name: str, ppr: str = "", *, based_on: str | None = None, kind: str = "paragraph") -> str:
    base = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    return (
        f'<w:style w:type="{kind}" w:styleId="{style_id}"><w:name w:val="{name}"/>{base}<w:pPr>{ppr}</w:pPr></w:style>'
    )


DEFAULT_STYLES = {
    "Normal": '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>',
    **{
        f"Heading{n}": style(f"Heading{n}", f"heading {n}", f'<w:outlineLvl w:val="{n - 1}"/>', based_on="Normal")
        for n in (1, 2, 3)
    },
    "Title": style("Title", "Title", based_on="Normal"),
    "TOC1": style("TOC1", "toc 1", based_on="Normal"),
    "FootnoteText": style("FootnoteText", "footnote text", based_on="Normal"),
}


# --- the package -----------------------------------------------------------------------


def _note_part(kind: str, notes: dict[int, str]) -> str:
    items = [
        f'<w:{kind} w:type="{separator}" w:id="{note_id}"><w:p><w:r><w:{separator}/></w:r></w:p></w:{kind}>'
        for note_id, separator in ((-1, "separator"), (0, "continuationSeparator"))
    ]
    for note_id, content in notes.items():
        body = content if content.startswith("<") else run(content)
        items.append(
            f'<w:{kind} w:id="{note_id}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
            f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:{kind}Ref/></w:r>'
            f"<w:r><w:tab/></w:r>{body}</w:p></w:{kind}>"
        )
    return f"{XML_HEAD}<w:{kind}s {NAMESPACES}>{''.join(items)}</w:{kind}s>"


def _rels(entries: Iterable[tuple[str, str, str]]) -> str:
    items = []
    for rel_id, kind, target in entries:
        mode = ' TargetMode="External"' if kind == "hyperlink" else ""
        items.append(f'<Relationship Id="{rel_id}" Type="{REL}/{kind}" Target={quoteattr(target)}{mode}/>')
    return (
        f'{XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{''.join(items)}</Relationships>"
    )


def _core(title: str | None, language: str | None) -> str:
    return (
        f"{XML_HEAD}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title or '')}</dc:title><dc:creator>ITU</dc:creator>"
        f"<dc:language>{escape(language or '')}</dc:language>"
        '<dcterms:created xsi:type="dcterms:W3CDTF">2024-05-01T00:00:00Z</dcterms:created>'
        "</cp:coreProperties>"
    )


CONTENT_TYPES = (
    f'{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)


def make_docx(
    body: Iterable[str],
    *,
    numbering: Iterable[str] = (),
    styles: dict[str, str] | None = None,
    footnotes: dict[int, str] | None = None,
    endnotes: dict[int, str] | None = None,
    links: dict[str, str] | None = None,
    note_links: dict[str, str] | None = None,
    title: str | None = None,
    language: str | None = None,
) -> bytes:
    """A .docx holding ``body`` (paragraph and table XML) and the parts it refers to.

    ``styles`` adds to or replaces the default styles by id; ``links`` are the body's
    hyperlink relationships (id → URL), ``note_links`` those of the footnotes.
    """
    numbering = sorted(numbering, key=lambda part: not part.startswith("<w:abstractNum"))
    all_styles = {**DEFAULT_STYLES, **(styles or {})}
    rels = [("rIdStyles", "styles", "styles.xml"), ("rIdNumbering", "numbering", "numbering.xml")]
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": _rels([("rId1", "officeDocument", "word/document.xml")]),
        "docProps/core.xml": _core(title, language),
        "word/document.xml": f"{XML_HEAD}<w:document {NAMESPACES}><w:body>{''.join(body)}"
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>',
        "word/styles.xml": f"{XML_HEAD}<w:styles {NAMESPACES}>{''.join(all_styles.values())}</w:styles>",
        "word/numbering.xml": f"{XML_HEAD}<w:numbering {NAMESPACES}>{''.join(numbering)}</w:numbering>",
    }
    for kind, notes in (("footnote", footnotes), ("endnote", endnotes)):
        if notes:
            parts[f"word/{kind}s.xml"] = _note_part(kind, notes)
            rels.append((f"rId{kind}", f"{kind}s", f"{kind}s.xml"))
    if note_links:
        parts["word/_rels/footnotes.xml.rels"] = _rels((rid, "hyperlink", url) for rid, url in note_links.items())
    rels.extend((rid, "hyperlink", url) for rid, url in (links or {}).items())
    parts["word/_rels/document.xml.rels"] = _rels(rels)
    return zip_parts(parts)


def zip_parts(parts: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content.encode("utf-8") if isinstance(content, str) else content)
    return buffer.getvalue()


def with_declared_size(data: bytes, name: str, size: int) -> bytes:
    """The zip with the uncompressed size its central directory gives ``name`` changed."""
    signature = b"PK\x01\x02"
    at = data.index(signature)
    while True:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_length] == name.encode():
            return data[: at + 24] + struct.pack("<I", size) + data[at + 28 :]
        at = data.index(signature, at + 46)


# --- a text export as a Word document ----------------------------------------------------

DECIMAL_LIST = 1  # headings 1, 2, 3 and paragraphs 2.1, 2.10.1 …: one multi-level list
LETTER_LIST = 2  # a) … e)
EXPORT_NUMBERING = (
    abstract_num(
        10,
        level(0, "decimal", "%1"),
        level(1, "decimal", "%1.%2"),
        level(2, "decimal", "%1.%2.%3"),
    ),
    abstract_num(20, level(0, "lowerLetter", "%1)")),
    num(DECIMAL_LIST, 10),
    num(LETTER_LIST, 20),
)
# As in ITU templates, numbered headings take their number from the Heading 1 style.
EXPORT_STYLES = {
    "Heading1": style(
        "Heading1",
        "heading 1",
        f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{DECIMAL_LIST}"/></w:numPr><w:outlineLvl w:val="0"/>',
        based_on="Normal",
    ),
}


def export_numbering(label: str | None, *, heading: bool) -> tuple[int, int] | None:
    """The list a text-export label comes from in the Word original (``(0, 0)``: none)."""
    if heading:
        return None if label else (0, 0)
    if label is None:
        return None
    if label_style(label) is Style.LETTER_PAREN:
        return (LETTER_LIST, 0)
    return (DECIMAL_LIST, label.count("."))


# --- HTML ----------------------------------------------------------------------------------


def html_page(body: str, *, title: str | None = None, head: str = "") -> str:
    """A page with ``head`` markup (a charset declaration, styles, scripts) and ``body``."""
    title_tag = f"<title>{escape(title)}</title>\n" if title else ""
    return f'<!DOCTYPE html>\n<html lang="zh">\n<head>\n{head}{title_tag}</head>\n<body>\n{body}</body>\n</html>\n'


def note_call(number: int) -> str:
    return f'<sup><a href="#fn{number}" id="fnref{number}" role="doc-noteref">{number}</a></sup>'


def note_list(notes: dict[int, str]) -> str:
    """Notes as pandoc writes them: an ordered list in an endnotes section, with back links."""
    items = "".join(
        f'<li id="fn{n}" value="{n}"><p>{text}<a href="#fnref{n}" role="doc-backlink">↩︎</a></p></li>\n'
        for n, text in notes.items()
    )
    return f'<section id="footnotes" class="footnotes" role="doc-endnotes">\n<hr>\n<ol>\n{items}</ol>\n</section>\n'


DELETED_TEXT = "这段文字已被删除"
FIELD_CODE = ' HYPERLINK "https://www.itu.int/hidden-field-code" '
BOOKMARK = "_Hlk133421428"
LINK_ID = "rIdBodyLink"
LINK_URL = "https://www.itu.int/council"


def dressed(text: str) -> list[str]:
    """``text`` spread over Word's machinery, none of which changes what it reads.

    A bookmark, a commented tracked insertion, a tracked deletion beside it, a field
    whose code is hidden and whose result is text, and a hyperlink.
    """
    cut = [len(text) * k // 4 for k in range(5)]
    a, b, c, d = (text[cut[k] : cut[k + 1]] for k in range(4))
    return [bookmark(BOOKMARK, run(a)), commented(inserted(b)), deleted(DELETED_TEXT), field(FIELD_CODE, c)] + (
        [hyperlink(d, LINK_ID)] if d else []
    )


def export_paragraph(passage: Passage, calls: dict[int, int] | None = None) -> str:
    """One passage of a text export as the Word paragraph it came from.

    ``calls`` maps a text offset to the footnote id called there.
    """
    heading = passage.kind is Kind.HEADING
    content: list[str] = []
    start = 0
    for offset, note_id in sorted((calls or {}).items()):
        content += [*dressed(passage.text[start:offset]), footnote_ref(note_id)]
        start = offset
    content += dressed(passage.text[start:])
    number = export_numbering(passage.citation.label, heading=heading)
    return para(*content, style="Heading1" if heading else None, num=number)


def docx_of_export(
    export: Document,
    *,
    calls: dict[int, dict[int, int]] | None = None,
    tail: Sequence[str] = (),
    **parts: object,
) -> bytes:
    """A Word original of a text export: headings in Heading 1, labels from real lists.

    ``calls`` maps a passage's seq to the footnotes it calls (offset → note id); ``tail``
    is more body XML after the export's passages; ``parts`` go to ``make_docx``.
    """
    body = [export_paragraph(p, (calls or {}).get(p.seq)) for p in export.passages if p.kind is not Kind.FOOTNOTE]
    return make_docx(
        [*body, *tail],
        numbering=EXPORT_NUMBERING,
        styles=EXPORT_STYLES,
        links={LINK_ID: LINK_URL},
        **parts,  # type: ignore[arg-type]
    )


_URL = re.compile(r"https?://[^\s；，。）]+")


def _linked(text: str) -> str:
    """Escaped text with its addresses made links, as a web page shows them."""
    out, start = [], 0
    for match in _URL.finditer(text):
        url = match.group()
        out += [escape(text[start : match.start()]), f"<a href={quoteattr(url)}>{escape(url)}</a>"]
        start = match.end()
    return "".join([*out, escape(text[start:])])


def _with_calls(passage: Passage) -> str:
    out, start = [], 0
    for call in passage.calls:
        out += [escape(passage.text[start : call.offset]), note_call(call.number)]
        start = call.offset
    return "".join([*out, escape(passage.text[start:])])


def html_of_export(export: Document, seqs: Iterable[int], *, asides: frozenset[int] = frozenset()) -> str:
    """Body markup for some passages of a text export, as a web version would have them.

    Headings are ``h1``/``h2`` by depth, with their label before a space; numbered
    paragraphs are ``<li value=…>`` of an ``ol``; other paragraphs ``<p id="p{seq}">``.
    Notes numbered in ``asides`` are ``<aside>`` elements after their caller, the others
    an endnotes list at the end.
    """
    wanted = set(seqs)
    notes = {p.citation.footnote: p for p in export.passages if p.kind is Kind.FOOTNOTE}
    lines: list[str] = []
    listed: dict[int, str] = {}
    in_list = False
    for p in export.passages:
        if p.seq not in wanted or p.kind is Kind.FOOTNOTE:
            continue
        numbered = p.kind is Kind.PARAGRAPH and p.citation.label is not None
        if in_list and not numbered:
            lines.append("</ol>")
        if numbered and not in_list:
            lines.append("<ol>")
        in_list = numbered
        label = p.citation.label
        if p.kind is Kind.HEADING:
            tag = f"h{len(p.citation.section) + 1}"
            lines.append(f"<{tag}>{escape(label + ' ') if label else ''}{_with_calls(p)}</{tag}>")
        elif numbered:
            lines.append(f'<li value="{label}">{_with_calls(p)}</li>')
        else:
            lines.append(f'<p id="p{p.seq}">{_with_calls(p)}</p>')
        for call in p.calls:
            note = _linked(notes[call.number].text)
            if call.number in asides:
                lines.append(
                    f'<aside id="fn{call.number}" role="doc-footnote"><p><sup>{call.number}</sup>{note}</p></aside>'
                )
            else:
                listed[call.number] = note
    if in_list:
        lines.append("</ol>")
    return "\n".join(lines) + "\n" + note_list(listed)
