"""The Word reader on a .docx rendering of seed document 001, and on small made-up files.

Every fixture is written here as raw OOXML zipped by ``tests/docgen.py``.
"""

from __future__ import annotations

import csv
import shutil
from functools import cache
from pathlib import Path

import pytest

from itudocs.corpus.errors import CorpusError
from itudocs.corpus.loader import SourceFile, discover, read_document, sample_folder
from itudocs.corpus.model import Document, FootnoteCall, Kind, Passage
from itudocs.corpus.readers.docx import read_docx
from itudocs.search.library import Library
from tests import docgen as g

CORE_TITLE = "理事会信息社会世界峰会和可持续发展目标工作组（CWG-WSIS&SDG）的报告"
NOTE_URL = "https://www.itu.int/md/S24-CL-C-0053"
NOTES = {
    7: g.run("见") + g.hyperlink("理事会网站", "rIdNote") + g.run("。"),
    9: g.run("WSIS+20路线图载于")
    + g.field(' HYPERLINK "https://www.itu.int/wsis" \\o "WSIS"', "WSIS网页")
    + g.run("。"),
}
TABLE = [["文件", "标题"], ["C24/53", "理事会信息社会世界峰会和可持续发展目标工作组的报告"], ["", ""]]
DEL_MARK = '<w:rPr><w:del w:id="903" w:author="Editor" w:date="2024-05-01T00:00:00Z"/></w:rPr>'
TAIL = [
    g.para(""),
    g.para("1\t引言\t3", style="TOC1"),
    g.para(g.deleted("一段整段删除的编号段落"), num=(g.DECIMAL_LIST, 1), ppr=DEL_MARK),
    g.para("工作组将在下次会议上继续审议。", num=(g.DECIMAL_LIST, 1)),
    g.table(TABLE),
    g.para(g.text_box("国际电联", "第140号决议", "UNESCO")),
    g.para("面积为", "<m:oMath><m:r><m:t>x+1</m:t></m:r></m:oMath>", g.run("看不见", props="<w:vanish/>"), "。"),
]
# Paragraph positions of the tail: the export's 52 passages come first, one paragraph each.
TABLE_ROW_2_LINE = 52 + 4 + 3
TEXT_BOX_LINE = 52 + 4 + 6 + 1


@cache
def export_001() -> Document:
    (path,) = sample_folder().glob("001_*.txt")
    return read_document(SourceFile(path, path.stem))


def labelled(doc: Document, label: str) -> Passage:
    (passage,) = [p for p in doc.passages if p.citation.label == label and p.kind is not Kind.FOOTNOTE]
    return passage


def footnote(doc: Document, number: int) -> Passage:
    (passage,) = [p for p in doc.passages if p.kind is Kind.FOOTNOTE and p.citation.footnote == number]
    return passage


def calls_001() -> dict[int, dict[int, int]]:
    """Footnote 7 at the end of 2.5, footnote 9 after the tenth character of 2.10.1."""
    export = export_001()
    return {
        labelled(export, "2.5").seq: {len(labelled(export, "2.5").text): 7},
        labelled(export, "2.10.1").seq: {10: 9},
    }


def docx_001(**parts: object) -> bytes:
    return g.docx_of_export(
        export_001(), calls=calls_001(), tail=TAIL, footnotes=NOTES, note_links={"rIdNote": NOTE_URL}, **parts
    )


@cache
def word_001() -> Document:
    return read(docx_001(title=CORE_TITLE))


def read(data: bytes, name: str = "t.docx") -> Document:
    return read_docx(data, doc_id=Path(name).stem, source=name, sha256="0" * 64)


def shape(passage: Passage) -> tuple[object, ...]:
    c = passage.citation
    return passage.seq, passage.kind, c.label, c.section, passage.text


def body_doc(*paragraphs: str, numbering: tuple[str, ...] = (), **parts: object) -> Document:
    return read(g.make_docx(paragraphs, numbering=numbering, **parts))


def body_passages(doc: Document) -> list[Passage]:
    return [p for p in doc.passages if p.kind is not Kind.FOOTNOTE]


def labels(doc: Document) -> list[str | None]:
    return [p.citation.label for p in doc.passages]


# --- seed 001 as Word wrote it --------------------------------------------------------


def test_body_passages_are_the_text_exports_texts_labels_and_sections() -> None:
    export = [p for p in export_001().passages if p.kind is not Kind.FOOTNOTE]
    word = word_001().passages[: len(export)]
    assert [shape(p) for p in word] == [shape(p) for p in export]
    assert labelled(word_001(), "2.10.1").citation.section == ("2 CWG-WSIS&SDG的活动",)
    assert [p.citation.label for p in word if p.citation.label and p.citation.label.endswith(")")] == [
        f"{c})" for c in "abcde"
    ]


def test_line_is_the_paragraphs_position_in_the_body() -> None:
    doc = word_001()
    assert labelled(doc, "2.10.1").citation.line == labelled(export_001(), "2.10.1").seq
    row = next(p for p in doc.passages if p.text.startswith("C24/53"))
    assert row.citation.line == TABLE_ROW_2_LINE
    (figure,) = [p for p in doc.passages if p.kind is Kind.FIGURE]
    assert figure.citation.line == TEXT_BOX_LINE


def test_footnotes_are_linked_both_ways_and_numbered_as_word_shows_them() -> None:
    doc = word_001()
    para_25, para_2101 = labelled(doc, "2.5"), labelled(doc, "2.10.1")
    assert para_25.calls == (FootnoteCall(number=1, offset=len(para_25.text)),)
    assert para_2101.calls == (FootnoteCall(number=2, offset=10),)
    first, second = footnote(doc, 1), footnote(doc, 2)
    assert (first.called_from, second.called_from) == (para_25.seq, para_2101.seq)
    assert first.citation.section == para_25.citation.section
    assert first.citation.line == para_25.citation.line
    assert second.text == "WSIS+20路线图载于WSIS网页 (https://www.itu.int/wsis)。"
    assert [p.kind for p in doc.passages[-2:]] == [Kind.FOOTNOTE, Kind.FOOTNOTE]


def test_a_footnote_hyperlink_keeps_its_text_and_address() -> None:
    assert footnote(word_001(), 1).text == f"见理事会网站 ({NOTE_URL})。"


def test_the_title_comes_from_core_properties_else_a_title_paragraph_else_the_id() -> None:
    assert word_001().title == CORE_TITLE
    assert {p.citation.title for p in word_001().passages} == {CORE_TITLE}
    assert read(docx_001()).title == "t"  # its doc id: no sentence of the body stands in
    titled = body_doc(g.para("信息社会世界峰会", style="Title"), g.para("目的", style="Heading1"), g.para("正文。"))
    assert titled.title == "信息社会世界峰会"
    assert shape(titled.passages[0]) == (1, Kind.HEADING, None, (), "信息社会世界峰会")


def test_word_machinery_never_reaches_the_text() -> None:
    everything = "\n".join(p.text for p in word_001().passages)
    for leak in (g.DELETED_TEXT, "HYPERLINK", "hidden-field-code", g.BOOKMARK, "看不见", "一段整段删除", "\t"):
        assert leak not in everything, leak
    assert [p.text for p in word_001().passages if p.text.startswith("引言")] == ["引言"]  # not its TOC line
    assert labelled(word_001(), "2.10.1").text.endswith(labelled(export_001(), "2.10.1").text[-5:])


def test_a_deleted_numbered_paragraph_is_not_counted() -> None:
    assert labelled(word_001(), "3.16").text == "工作组将在下次会议上继续审议。"


def test_table_rows_are_passages_of_their_cells() -> None:
    rows = [p.text for p in word_001().passages if " | " in p.text]
    assert rows == [" | ".join(row) for row in TABLE[:2]]


def test_a_text_box_is_one_figure_passage_read_once() -> None:
    (figure,) = [p for p in word_001().passages if p.kind is Kind.FIGURE]
    assert figure.text == "国际电联第140号决议UNESCO"
    assert figure.citation.section == ("3 工作组满意地审议和讨论了转呈本次会议的所有文稿，并提出以下建议：",)


def test_math_is_read_and_hidden_text_is_not() -> None:
    assert word_001().passages[-3].text == "面积为x+1。"


def test_empty_paragraphs_count_as_lines_but_are_not_passages() -> None:
    assert all(p.text for p in word_001().passages)
    doc = body_doc(g.para(""), g.para("   "), g.para("正文。"))
    assert [(p.text, p.citation.line) for p in doc.passages] == [("正文。", 3)]


# --- numbering ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "text", "start", "expected"),
    [
        ("lowerRoman", "%1)", 1, ["i)", "ii)", "iii)"]),
        ("upperLetter", "(%1)", 1, ["(A)", "(B)", "(C)"]),
        ("bullet", "\uf0b7", 1, ["•", "•", "•"]),
        ("chineseCounting", "%1、", 9, ["九、", "十、", "十一、"]),
        ("decimal", "%1.", 66, ["66.", "67.", "68."]),
        ("decimalEnclosedCircle", "%1", 1, ["①", "②", "③"]),
    ],
)
def test_list_labels_read_as_word_shows_them(fmt: str, text: str, start: int, expected: list[str]) -> None:
    numbering = (g.abstract_num(1, g.level(0, fmt, text, start=start)), g.num(1, 1))
    doc = body_doc(*(g.para(f"第{k}项。", num=(1, 0)) for k in range(3)), numbering=numbering)
    assert labels(doc) == expected


def test_lists_of_one_definition_share_counters_until_a_start_override() -> None:
    numbering = (
        g.abstract_num(1, g.level(0, "decimal", "%1)")),
        g.num(1, 1),
        g.num(2, 1),
        g.num(3, 1, start_overrides={0: 1}),
    )
    doc = body_doc(*(g.para(f"第{k}项。", num=(n, 0)) for k, n in enumerate([1, 1, 2, 3, 3, 1])), numbering=numbering)
    assert labels(doc) == ["1)", "2)", "3)", "1)", "2)", "3)"]


def test_deeper_levels_restart_unless_told_not_to_and_legal_numbering_is_decimal() -> None:
    numbering = (
        g.abstract_num(
            1,
            g.level(0, "upperRoman", "%1"),
            g.level(1, "decimal", "%1.%2", extra="<w:isLgl/>"),
            g.level(2, "lowerLetter", "%3)", extra='<w:lvlRestart w:val="1"/>'),
        ),
        g.num(1, 1),
    )
    order = [0, 1, 2, 1, 2, 0, 1, 2]
    doc = body_doc(*(g.para(f"第{k}项。", num=(1, lvl)) for k, lvl in enumerate(order)), numbering=numbering)
    assert labels(doc) == ["I", "1.1", "a)", "1.2", "b)", "II", "2.1", "a)"]


def test_lists_defined_by_a_numbering_style_or_linked_to_heading_styles() -> None:
    numbering = (
        g.abstract_num(
            1,
            g.level(0, "decimal", "%1", extra='<w:pStyle w:val="Heading1"/>'),
            g.level(1, "decimal", "%1.%2", extra='<w:pStyle w:val="Heading2"/>'),
        ),
        '<w:abstractNum w:abstractNumId="2"><w:numStyleLink w:val="ITUList"/></w:abstractNum>',
        g.abstract_num(3, g.level(0, "decimal", "(%1)")),
        g.num(1, 1),
        g.num(2, 2),
        g.num(3, 3),
        g.num(4, 3, level_overrides={0: g.level(0, "lowerRoman", "%1.", start=4)}),
    )
    numbered = '<w:numPr><w:numId w:val="1"/></w:numPr>'
    styles = {
        "Heading1": g.style("Heading1", "heading 1", numbered + '<w:outlineLvl w:val="0"/>'),
        "Heading2": g.style("Heading2", "heading 2", numbered + '<w:outlineLvl w:val="1"/>'),
        "ITUList": g.style("ITUList", "ITU List", '<w:numPr><w:numId w:val="3"/></w:numPr>', kind="numbering"),
        "NoList": '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/></w:style>',
    }
    doc = body_doc(
        g.para("背景", style="Heading1"),
        g.para("简史", style="Heading2"),
        g.para("第一项。", num=(2, 0)),
        g.para("第二项。", num=(2, 0)),
        g.para("第三项。", num=(3, 0)),
        g.para("另一种。", num=(4, 0)),
        g.para("职责", style="Heading2"),
        numbering=numbering,
        styles=styles,
    )
    assert [(p.citation.label, p.citation.section) for p in doc.passages] == [
        ("1", ()),
        ("1.1", ("1 背景",)),
        ("(1)", ("1 背景", "1.1 简史")),
        ("(2)", ("1 背景", "1.1 简史")),
        ("(3)", ("1 背景", "1.1 简史")),
        ("iv.", ("1 背景", "1.1 简史")),
        ("1.2", ("1 背景",)),
    ]


def test_content_controls_simple_fields_breaks_and_hyphens_keep_their_text() -> None:
    simple = '<w:fldSimple w:instr=" DOCPROPERTY Meeting "><w:r><w:t>第40次会议</w:t></w:r></w:fldSimple>'
    doc = body_doc(
        '<w:sdt><w:sdtPr><w:alias w:val="Abstract"/></w:sdtPr><w:sdtContent>'
        + g.para("CWG-WSIS&SDG", simple, "<w:r><w:br/><w:t>ITU</w:t><w:noBreakHyphen/><w:t>R</w:t></w:r>")
        + "</w:sdtContent></w:sdt>"
    )
    assert [p.text for p in doc.passages] == ["CWG-WSIS&SDG第40次会议 ITU-R"]


def test_core_language_settles_a_mixed_document() -> None:
    text = g.para("国际电联论坛 review of WSIS Forum outcomes")
    assert read(g.make_docx([text])).lang == "mixed"
    assert read(g.make_docx([text], language="en-US")).lang == "en"


def test_a_typed_label_before_a_tab_is_the_label_when_word_numbers_nothing() -> None:
    doc = body_doc(g.para("附件", style="Heading1"), g.para("67\t我们邀请国际电信联盟。"), g.para(" \t目的"))
    assert [(p.citation.label, p.text) for p in doc.passages] == [
        (None, "附件"),
        ("67", "我们邀请国际电信联盟。"),
        (None, "目的"),
    ]


def test_headings_by_style_name_style_id_or_outline_level() -> None:
    styles = {
        "a1": g.style("a1", "标题 2"),
        "Custom": g.style("Custom", "Chapter", '<w:outlineLvl w:val="0"/>'),
        "Annex": g.style("Annex", "Annex_NoTitle"),
    }
    doc = body_doc(
        g.para("背景", style="Custom"),
        g.para("简史", style="a1"),
        g.para("正文。"),
        g.para("职责", ppr='<w:outlineLvl w:val="1"/>'),
        g.para("Annex 2", style="Annex"),
        g.para("正文。", style="Heading3", ppr='<w:outlineLvl w:val="9"/>'),
        styles=styles,
    )
    assert [(p.kind, p.citation.section, p.text) for p in doc.passages] == [
        (Kind.HEADING, (), "背景"),
        (Kind.HEADING, ("背景",), "简史"),
        (Kind.PARAGRAPH, ("背景", "简史"), "正文。"),
        (Kind.HEADING, ("背景",), "职责"),
        (Kind.HEADING, (), "Annex 2"),
        (Kind.PARAGRAPH, ("Annex 2",), "正文。"),
    ]


# --- notes -------------------------------------------------------------------------------


def test_endnotes_follow_the_footnotes_and_custom_marks_are_dropped() -> None:
    doc = body_doc(
        g.para("正文", g.footnote_ref(3, custom_mark="*"), "续", g.footnote_ref(1, endnote=True), "。"),
        g.para("再", g.footnote_ref(5), "。"),
        footnotes={3: g.run("*") + g.run(" 星号注。"), 5: "第二条脚注。"},
        endnotes={1: "尾注。"},
    )
    first, second = doc.passages[:2]
    assert (first.text, first.calls) == (
        "正文续。",
        (FootnoteCall(number=1, offset=2), FootnoteCall(number=3, offset=3)),
    )
    assert second.calls == (FootnoteCall(number=2, offset=1),)
    notes = {p.citation.footnote: (p.text, p.called_from) for p in doc.passages if p.kind is Kind.FOOTNOTE}
    assert notes == {1: ("星号注。", 1), 3: ("尾注。", 1), 2: ("第二条脚注。", 2)}


def test_a_custom_mark_that_is_a_symbol_or_missing_swallows_no_text() -> None:
    symbol = '<w:r><w:footnoteReference w:customMarkFollows="1" w:id="3"/><w:sym w:font="Symbol" w:char="F02A"/></w:r>'
    unmarked = '<w:r><w:footnoteReference w:customMarkFollows="1" w:id="4"/><w:t>这是正文而非标记</w:t></w:r>'
    doc = body_doc(g.para("甲", symbol, "乙", unmarked, "。"), footnotes={3: "注三。", 4: "注四。"})
    assert [(p.text, p.calls) for p in body_passages(doc)] == [
        ("甲乙这是正文而非标记。", (FootnoteCall(number=1, offset=1), FootnoteCall(number=2, offset=2)))
    ]


def test_a_call_to_a_missing_note_is_dropped() -> None:
    doc = body_doc(g.para("正文", g.footnote_ref(8), "。"), footnotes={3: "别的脚注。"})
    assert [(p.text, p.calls) for p in doc.passages] == [("正文。", ())]


# --- bad input -------------------------------------------------------------------------


def bomb() -> bytes:
    """A document.xml that is 20 MB of blanks, which deflate to almost nothing."""
    return g.zip_parts({"word/document.xml": b" " * (20 * 1024 * 1024)})


def valid() -> bytes:
    return g.make_docx([g.para("正文。")])


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (lambda: "这不是Word文件".encode(), "not a zip file"),
        (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "password-protected or pre-2007"),
        (lambda: g.zip_parts({"content.xml": "<x/>"}), "a zip file but not a Word document"),
        (lambda: valid()[: len(valid()) // 2], "damaged zip file"),
        (lambda: g.zip_parts({"word/document.xml": "<w:document><w:body><w:p>"}), "not well-formed XML"),
        (lambda: g.make_docx([g.para("正文。")], styles={"Bad": "<w:style>&nbsp;</w:style>"}), "word/styles.xml"),
        (bomb, "likely zip bomb"),
        (lambda: g.with_declared_size(valid(), "word/document.xml", 300 * 1024 * 1024), "314,572,800 bytes"),
        (lambda: g.zip_parts({"word/document.xml": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'}), "DTD"),
        (lambda: g.make_docx([g.para("")]), "no text"),
        (lambda: g.zip_parts({"word/document.xml": "<w:document xmlns:w='urn:w'/>"}), "has no body"),
    ],
)
def test_a_bad_file_is_one_line_naming_it(tmp_path: Path, data, problem: str) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(data())
    with pytest.raises(CorpusError) as caught:
        read_document(SourceFile(path, "broken"))
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and problem in message
    assert "\n" not in message


def test_the_format_is_chosen_by_content_not_by_name(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(g.make_docx([g.para("正文。")]))
    assert [p.text for p in read_document(SourceFile(path, "report")).passages] == ["正文。"]


def test_files_differing_only_in_extension_keep_it_in_their_ids(tmp_path: Path) -> None:
    for name in ("a/report.docx", "a/report.html", "b.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [s.doc_id for s in discover(tmp_path)] == ["a/report.docx", "a/report.html", "b"]


# --- end to end --------------------------------------------------------------------------


def query_rows(qid: str) -> list[dict[str, str]]:
    """The shared query set's rows for ``qid`` that concern document 001."""
    with open(Path(__file__).parent / "data" / "queries.tsv", encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle, delimiter="\t") if row["id"] == qid and row["file"][:4] == "001_"]


@pytest.fixture(scope="module")
def mixed_library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """A folder with a text export (004), the Word original of 001 and the web page of 003."""
    from tests.test_corpus_html import page_003

    folder = tmp_path_factory.mktemp("mixed")
    (txt,) = sample_folder().glob("004_*.txt")
    shutil.copy(txt, folder / txt.name)
    (folder / "001_edffbce1161b23ec.docx").write_bytes(docx_001(title=CORE_TITLE))
    (folder / "003_039c71ca7392b1ab.html").write_bytes(page_003().encode("gb18030"))
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really")
    library = Library(tmp_path_factory.mktemp("ix"))
    report = library.index(folder)
    assert sorted(report.added) == ["001_edffbce1161b23ec", "003_039c71ca7392b1ab", "004_49a4dae65611311e"]
    assert [path for path, _ in report.failed] == [str(folder / "broken.docx")]
    return library


def test_a_mixed_folder_indexes_text_word_and_html(mixed_library: Library) -> None:
    result = mixed_library.search("第140号决议", limit=None)
    files = {Path(hit.file).suffix for hit in result.hits if hit.kind == "paragraph"}
    assert files == {".txt", ".docx", ".html"}


@pytest.mark.parametrize("qid", ["q01", "q08", "q14"])
def test_the_query_set_holds_on_the_word_version_of_001(mixed_library: Library, qid: str) -> None:
    rows = query_rows(qid)
    assert rows
    result = mixed_library.search(rows[0]["query"], limit=None)
    for row in rows:
        word = Path(row["file"]).with_suffix(".docx").name
        hits = [hit for hit in result.hits if hit.file.endswith(word) and row["snippet"] in hit.text]
        assert hits, f"{qid}: no hit holds {row['snippet']!r}"
        assert hits[0].citation.label == (row["label"] or None)


def test_a_label_typed_into_a_bulleted_list_is_the_label_not_the_bullet() -> None:
    """Word shows ``•  c) review…``; the document cites the item as ``c)``."""
    numbering = (g.abstract_num(1, g.level(0, "bullet", "\uf0b7")), g.num(1, 1))
    items = ["a) hold a forum;", "b) publish a report;", "c) review the roadmap.", "keep the bullet."]
    doc = body_doc(*(g.para(text, num=(1, 0)) for text in items), numbering=numbering)
    assert [(p.citation.label, p.text) for p in doc.passages] == [
        ("a)", "hold a forum;"),
        ("b)", "publish a report;"),
        ("c)", "review the roadmap."),
        ("•", "keep the bullet."),
    ]


def test_a_number_format_word_wraps_for_older_readers_is_read_from_its_fallback() -> None:
    wrapped = (
        '<mc:AlternateContent><mc:Choice Requires="w14"><w:numFmt w:val="custom" w:format="a, b, c, ..."/>'
        '</mc:Choice><mc:Fallback><w:numFmt w:val="lowerLetter"/></mc:Fallback></mc:AlternateContent>'
    )
    level = f'<w:lvl w:ilvl="0"><w:start w:val="1"/>{wrapped}<w:lvlText w:val="%1)"/></w:lvl>'
    numbering = (g.abstract_num(1, level), g.num(1, 1))
    doc = body_doc(*(g.para(f"item {k}.", num=(1, 0)) for k in range(3)), numbering=numbering)
    assert labels(doc) == ["a)", "b)", "c)"]


def test_a_heading_keeps_the_number_typed_before_its_text() -> None:
    doc = body_doc(g.para("4 Action required by the Council", style="Heading1"), g.para("4.1\tThe Council is invited."))
    assert [(p.kind, p.citation.label, p.text, p.citation.section) for p in doc.passages] == [
        (Kind.HEADING, "4", "Action required by the Council", ()),
        (Kind.PARAGRAPH, "4.1", "The Council is invited.", ("4 Action required by the Council",)),
    ]
