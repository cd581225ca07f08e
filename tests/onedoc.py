"""One council document written as each format writes it: a text export, a web page, a
Word file and a PDF.

A document is a list of ``Part``s (masthead lines, the title, headings, paragraphs, list
items, table rows), each with the label its document gives it and the footnotes it calls
at its end.  Each writer lays the parts out the way that format carries them, not the
way a reader would like them: the web page types ``1.1`` into a ``<p>`` and numbers
lettered items with ``<ol type="a">``; the Word file types decimal labels before a TAB,
numbers list items and Chinese headings from ``numbering.xml`` and types English heading
numbers into the heading; the text export is what Word's plain-text export makes of it.
``expected`` gives what every reader must read from any of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from itudocs.corpus.labels import Style as LabelStyle
from itudocs.corpus.labels import label_level, label_style
from itudocs.corpus.outline import Outline, heading_text
from tests import docgen as w
from tests import pdfgen


@dataclass(frozen=True, slots=True)
class Part:
    kind: str  # masthead, title, heading, paragraph, item, row
    text: str = ""
    label: str | None = None
    notes: tuple[tuple[int, str], ...] = ()  # footnotes called at the end of the text
    cells: tuple[str, ...] = ()

    @property
    def depth(self) -> int:
        return label_level(self.label) if self.label else 1

    @property
    def shown(self) -> str:
        """The passage text every format must give."""
        return " | ".join(self.cells) if self.kind == "row" else self.text


ENGLISH = (
    Part("masthead", "Council 2025"),
    Part("masthead", "Geneva, 17-27 June 2025"),
    Part("masthead", "Document C25/45-E"),
    Part("title", "Report on the implementation of Resolution 140"),
    Part("heading", "Purpose"),
    Part("paragraph", "This report describes what ITU did under PP Resolution 140 in 2024."),
    Part("heading", "Introduction", "1"),
    Part(
        "paragraph",
        "The Council adopted the plan in 2024.",
        "1.1",
        notes=((1, "See Resolution 140 (Rev. Bucharest, 2022)."),),
    ),
    Part("paragraph", "The plan has three parts.", "1.2"),
    Part("heading", "Activities", "2"),
    Part("paragraph", "The group met twice in 2024.", "2.1"),
    Part("paragraph", "It heard reports from the three Sectors.", "2.2"),
    Part("paragraph", "The group agreed to:", "2.3"),
    Part("item", "hold a forum on the WSIS Action Lines;", "a)"),
    Part("item", "publish a report on the outcomes;", "b)", notes=((2, "Available on the CWG-WSIS&SDG website."),)),
    Part("item", "review the roadmap every year.", "c)"),
    Part("row", cells=("Item", "Event", "Date", "Venue")),
    Part("row", cells=("(a)", "WSIS Forum", "July 2025", "Geneva")),
    Part("heading", "Action required by the Council", "4"),
    Part("paragraph", "The Council is invited to note this report.", "4.1"),
)

CHINESE = (
    Part("masthead", "理事会2025年会议"),
    Part("masthead", "2025年6月17-27日，日内瓦"),
    Part("masthead", "文件 C25/45-C"),
    Part("title", "关于第140号决议落实情况的报告"),
    Part("heading", "目的"),
    Part("paragraph", "本报告介绍国际电联在2024年落实全权代表大会第140号决议的情况。"),
    Part("heading", "背景", "一、"),
    Part("heading", "历史", "（一）"),
    Part(
        "paragraph", "理事会于2024年通过了该计划。", "1", notes=((1, "见第140号决议（2022年，布加勒斯特，修订版）。"),)
    ),
    Part("paragraph", "该计划包括三个部分：", "2"),
    Part("item", "举办论坛；", "(i)"),
    Part("item", "发布报告；", "(ii)", notes=((2, "见CWG-WSIS&SDG网站。"),)),
    Part("item", "每年审查路线图。", "(iii)"),
    Part("row", cells=("序号", "活动", "日期", "地点")),
    Part("row", cells=("（一）", "WSIS论坛", "2025年7月", "日内瓦")),
    Part("heading", "理事会需采取的行动", "二、"),
    Part("paragraph", "请理事会注意本报告。", "3"),
)

DOCUMENTS = {"en": ENGLISH, "zh": CHINESE}


def title_of(parts: Sequence[Part]) -> str:
    return next(p.text for p in parts if p.kind == "title")


# --- what every reader must read ------------------------------------------------------


def expected(parts: Sequence[Part]) -> tuple[list[tuple], list[tuple]]:
    """Body passages as (kind, label, text, section, calls) in reading order, and
    footnotes as (number, text, section, seq of the passage that calls it)."""
    outline = Outline()
    body: list[tuple] = []
    notes: list[tuple] = []
    for part in parts:
        if part.kind == "heading":
            section = outline.path
            outline.enter(part.depth, heading_text(part.label, part.text))
            section = outline.path[:-1]
        else:
            section = () if part.kind in ("masthead", "title") else outline.path
        kind = "heading" if part.kind in ("heading", "title") else "paragraph"
        label = part.label if part.kind in ("heading", "paragraph", "item") else None
        calls = tuple((number, len(part.shown)) for number, _ in part.notes)
        body.append((kind, label, part.shown, section, calls))
        notes += [(number, note, section, len(body)) for number, note in part.notes]
    return body, notes


# --- a text export ----------------------------------------------------------------------


def text_export(parts: Sequence[Part]) -> str:
    """As Word's plain-text export writes it: ``LABEL<TAB>text``, notes inline, a row's
    cells between TABs, the masthead lines one under another."""
    lines: list[str] = []
    for before, part in zip((None, *parts), parts, strict=False):
        if before is not None and (before.kind == "masthead") != (part.kind == "masthead"):
            lines.append("")
        if part.kind == "row":
            lines.append("\t".join(part.cells))
            continue
        text = part.text + "".join(f"[footnoteRef:{n}] [{n}:  \t{note} ]" for n, note in part.notes)
        lines.append(f"{part.label}\t{text}" if part.label else text)
    return "\n".join(lines) + "\n"


# --- a web page ---------------------------------------------------------------------------


def _with_calls(part: Part) -> str:
    return escape(part.text) + "".join(w.note_call(n) for n, _ in part.notes)


def _li(part: Part) -> str:
    value = f' value="{part.label}"' if part.label and part.label.isdigit() else ""
    return f"<li{value}>{_with_calls(part)}</li>"


def html(parts: Sequence[Part]) -> bytes:
    """As a web version has it: ``<title>`` and an ``h1`` repeating it, numbers typed into
    ``<p>`` and ``h2``/``h3``, lettered items and bare-numbered paragraphs as ``ol`` items,
    a table, and the notes in an endnotes list."""
    out: list[str] = []
    open_list: str | None = None
    for part in parts:
        list_kind = _html_list(part)
        if open_list and list_kind != open_list:
            out.append("</ol>")
            open_list = None
        if list_kind and not open_list:
            out.append('<ol type="a">' if list_kind == "letters" else "<ol>")
            open_list = list_kind
        if list_kind:
            out.append(_li(part))
        elif part.kind == "masthead":
            out.append(f"<p>{escape(part.text)}</p>")
        elif part.kind == "title":
            out.append(f"<h1>{escape(part.text)}</h1>")
        elif part.kind == "heading":
            tag = f"h{part.depth + 1}"
            out.append(f"<{tag}>{escape(part.label + ' ' if part.label else '')}{_with_calls(part)}</{tag}>")
        elif part.kind == "row":
            out.append("<table><tr>" + "".join(f"<td>{escape(c)}</td>" for c in part.cells) + "</tr></table>")
        else:
            out.append(f"<p>{escape(part.label + ' ' if part.label else '')}{_with_calls(part)}</p>")
    if open_list:
        out.append("</ol>")
    notes = {n: escape(note) for part in parts for n, note in part.notes}
    body = "\n".join(out) + "\n" + w.note_list(notes)
    return w.html_page(body, title=title_of(parts)).encode("utf-8")


def _html_list(part: Part) -> str | None:
    if part.label is None or part.kind not in ("paragraph", "item"):
        return None
    style = label_style(part.label)
    if style is LabelStyle.LETTER_PAREN:
        return "letters"
    return "numbers" if part.label.isdigit() else None


# --- a Word file ----------------------------------------------------------------------------

# List ids of the numbering definitions below.
LETTERS, ROMAN_ITEMS, NUMBERS, CHAPTERS = 1, 2, 3, 4
NUMBERING = (
    w.abstract_num(10, w.level(0, "lowerLetter", "%1)")),
    w.abstract_num(20, w.level(0, "lowerRoman", "(%1)")),
    w.abstract_num(30, w.level(0, "decimal", "%1")),
    w.abstract_num(40, w.level(0, "chineseCounting", "%1、"), w.level(1, "chineseCounting", "（%1）")),
    w.num(LETTERS, 10),
    w.num(ROMAN_ITEMS, 20),
    w.num(NUMBERS, 30),
    w.num(CHAPTERS, 40),
)


def _numbered(part: Part) -> tuple[int, int] | None:
    """The list that numbers a part in the Word file; None where its number is typed."""
    style = label_style(part.label) if part.label else None
    if style is LabelStyle.LETTER_PAREN:
        return (LETTERS, 0)
    if style is LabelStyle.ROMAN_PAREN:
        return (ROMAN_ITEMS, 0)
    if style in (LabelStyle.CJK_NUMERAL, LabelStyle.CJK_PAREN):
        return (CHAPTERS, part.depth - 1)
    if part.label and part.label.isdigit() and part.kind == "paragraph":
        return (NUMBERS, 0)
    return None


def docx(parts: Sequence[Part]) -> bytes:
    body: list[str] = []
    footnotes: dict[int, str] = {}
    for part in parts:
        if part.kind == "row":
            body.append(w.table([part.cells]))
            continue
        number = _numbered(part)
        content: list[str] = [part.text]
        if part.label and number is None:
            # Typed: before a TAB in a paragraph, before a space in a heading (``4 Action…``).
            content = (
                [part.label, "<w:r><w:tab/></w:r>", part.text]
                if part.kind != "heading"
                else [f"{part.label} {part.text}"]
            )
        for n, note in part.notes:
            content.append(w.footnote_ref(n))
            footnotes[n] = note
        style = {"title": "Title", "heading": f"Heading{part.depth}"}.get(part.kind)
        body.append(w.para(*content, style=style, num=number))
    return w.make_docx(body, numbering=NUMBERING, footnotes=footnotes, title=title_of(parts))


# --- a PDF ----------------------------------------------------------------------------------


def pdf(parts: Sequence[Part], *, lang: str) -> bytes:
    blocks = []
    for part in parts:
        if part.kind == "row":
            blocks.append(pdfgen.Block("", rows=[part.cells]))
            continue
        calls = {len(part.text): n for n, _ in part.notes}
        heading = part.kind in ("title", "heading")
        blocks.append(pdfgen.Block(part.text, part.label, heading=heading, title=part.kind == "title", calls=calls))
    notes = {n: note for part in parts for n, note in part.notes}
    style = pdfgen.ENGLISH if lang == "en" else pdfgen.CHINESE
    return pdfgen.pdf_of_blocks(blocks, notes, symbol="", meeting="", style=style)
