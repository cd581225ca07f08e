"""The HTML reader on a web version of seed document 003, and on small made-up pages."""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

import pytest

from itudocs.corpus.errors import CorpusError
from itudocs.corpus.loader import SourceFile, read_document, sample_folder
from itudocs.corpus.model import Document, FootnoteCall, Kind, Passage
from itudocs.corpus.readers.html import read_html
from itudocs.search.library import Library
from tests import docgen as g

TITLE_003 = "关于2025年信息社会世界峰会成果执行情况全面审查的联合国大会高级别会议成果的报告"
HEAD = (
    '<meta charset="gb18030">\n'
    "<style>p { margin: 0 } /* 第140号决议 样式 */</style>\n"
    '<script>var note = "脚本里的第140号决议";</script>\n'
)
TOP = (
    '<header class="site"><p>国际电联理事会 页眉</p></header>\n'
    '<nav><ul><li><a href="/">首页</a></li><li><a href="/council">理事会</a></li></ul></nav>\n'
    '<main id="document">\n'
)
BOTTOM = '</main>\n<footer><p>© 国际电联 页脚</p></footer>\n<script>track("页脚脚本");</script>\n'
NOISE = ("页眉", "首页", "页脚", "脚本", "样式", "↩")


@cache
def export_003() -> Document:
    (path,) = sample_folder().glob("003_*.txt")
    return read_document(SourceFile(path, path.stem))


def seqs_003() -> list[int]:
    """The purpose, section II and the annex of 003, by the export's passage numbers."""
    body = [p for p in export_003().passages if p.kind is not Kind.FOOTNOTE]
    heading = {p.citation.label or p.text: p.seq for p in body if p.kind is Kind.HEADING}
    return [
        *range(heading["目的"], heading["目的"] + 2),
        *range(heading["II"], heading["III"]),
        *range(heading["附件"], body[-1].seq + 1),
    ]


def page_003() -> str:
    """003's purpose, section II and annex as a web page; note 4 is an ``aside``, 2 and 3 a list."""
    body = g.html_of_export(export_003(), seqs_003(), asides=frozenset({4}))
    return g.html_page(TOP + body + BOTTOM, title=TITLE_003, head=HEAD)


def read(data: bytes | str, name: str = "t.html") -> Document:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return read_html(raw, doc_id=Path(name).stem, source=name, sha256="0" * 64)


@cache
def web_003() -> Document:
    return read(page_003().encode("gb18030"), "003.html")


def shape(passage: Passage) -> tuple[object, ...]:
    c = passage.citation
    return passage.kind, c.label, c.section, passage.text, passage.calls


def body(page: Document) -> list[Passage]:
    return [p for p in page.passages if p.kind is not Kind.FOOTNOTE]


def footnote(doc: Document, number: int) -> Passage:
    (passage,) = [p for p in doc.passages if p.kind is Kind.FOOTNOTE and p.citation.footnote == number]
    return passage


def page(markup: str, title: str | None = None) -> Document:
    return read(g.html_page(markup, title=title, head='<meta charset="utf-8">\n'))


# --- seed 003 as a web page --------------------------------------------------------------


def test_the_page_gives_the_exports_passages_labels_sections_and_calls() -> None:
    wanted = set(seqs_003())
    expected = [shape(p) for p in export_003().passages if p.seq in wanted]
    assert [shape(p) for p in body(web_003())] == expected
    labels = [p.citation.label for p in body(web_003()) if p.citation.section[:1] == ("附件",)]
    assert labels[:4] == [None, None, "9", "18"] and labels[-1] == "127"


def test_footnotes_are_linked_both_ways_from_a_list_and_an_aside() -> None:
    doc = web_003()
    for number in (2, 3, 4):
        note = footnote(doc, number)
        expected = footnote(export_003(), number)
        assert note.text == expected.text
        caller = next(p for p in doc.passages if p.seq == note.called_from)
        assert number in caller.footnotes
        assert caller.text == next(p for p in export_003().passages if p.seq == expected.called_from).text
        assert note.citation.section == ("II 全体会议声明概述",)
        assert note.citation.anchor == f"fn{number}"
    assert [p.citation.footnote for p in doc.passages if p.kind is Kind.FOOTNOTE] == [2, 3, 4]


def test_title_encoding_and_noise() -> None:
    doc = web_003()
    assert doc.title == TITLE_003
    everything = "\n".join(p.text for p in doc.passages)
    for noise in NOISE:
        assert noise not in everything, noise
    assert doc.lang == "zh"


def test_line_is_the_elements_source_line_and_anchor_its_id() -> None:
    source = page_003().splitlines()
    doc = web_003()
    caller = next(p for p in doc.passages if 2 in p.footnotes)
    (marker,) = [n for n, line in enumerate(source, start=1) if f'id="p{caller_seq_in_export(2)}"' in line]
    assert (caller.citation.line, caller.citation.anchor) == (marker, f"p{caller_seq_in_export(2)}")
    item = next(p for p in doc.passages if p.citation.label == "67")
    (marker,) = [n for n, line in enumerate(source, start=1) if line.startswith('<li value="67">')]
    assert (item.citation.line, item.citation.anchor) == (marker, "document")
    (heading,) = [p for p in doc.passages if p.text == "附件"]
    assert heading.citation.line == source.index("<h1>附件</h1>") + 1


def test_a_paragraph_cites_its_start_tag_and_loose_text_its_own_line() -> None:
    doc = page('<div id="d">\n<p id="p">第一行\n<b>第二行</b></p>\n松散的\n<b>文字</b>\n<p>尾</p>\n末行\n</div>\n')
    assert [(p.text, p.citation.line, p.citation.anchor) for p in doc.passages] == [
        ("第一行第二行", 8, "p"),
        ("松散的文字", 10, "d"),
        ("尾", 12, "d"),
        ("末行", 13, "d"),
    ]


def test_loose_text_after_a_multi_line_element_cites_its_own_line() -> None:
    doc = page('<div id="d">\n<p>甲\n乙</p>\n<!-- 注 -->\n\n  尾随的文字\n</div>\n')
    assert [(p.text, p.citation.line) for p in doc.passages] == [("甲乙", 8), ("尾随的文字", 12)]


def caller_seq_in_export(number: int) -> int:
    called_from = footnote(export_003(), number).called_from
    assert called_from is not None
    return called_from


# --- encodings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "encoding"),
    [
        ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "gb18030"),
        ("<meta charset=GBK>", "gb18030"),
        ("", "gb18030"),
        ("", "utf-8"),
        ('<meta charset="utf-8">', "utf-16"),
        ('<meta charset="utf-16">', "utf-8"),
        ('<meta charset="x-unheard-of">', "utf-8"),
    ],
)
def test_the_encoding_comes_from_the_bom_or_the_page(head: str, encoding: str) -> None:
    data = g.html_page("<p>国际电联对WSIS的贡献。</p>\n", head=head + "\n").encode(encoding)
    assert [p.text for p in read(data).passages] == ["国际电联对WSIS的贡献。"]


# --- markup --------------------------------------------------------------------------------


def test_word_saved_html_footnotes_and_tab_labels() -> None:
    doc = page(
        "<div class=WordSection1>\n"
        "<p class=MsoNormal>67<span style='mso-tab-count:1'>&nbsp;&nbsp; </span>我们邀请国际电信联盟"
        '<a style=\'mso-footnote-id:ftn1\' href="#_ftn1" name="_ftnref1"><span class=MsoFootnoteReference>[1]'
        "</span></a>开展工作。</p>\n</div>\n"
        "<div style='mso-element:footnote-list'><br clear=all><hr align=left size=1 width=\"33%\">\n"
        "<div style='mso-element:footnote' id=ftn1>\n"
        '<p class=MsoFootnoteText><a href="#_ftnref1" name="_ftn1">[1]</a> 见https://www.itu.int/。</p>\n'
        "</div>\n</div>\n"
    )
    para, note = doc.passages
    assert (para.citation.label, para.text, para.calls) == (
        "67",
        "我们邀请国际电信联盟开展工作。",
        (FootnoteCall(number=1, offset=10),),
    )
    assert (note.text, note.called_from, note.citation.anchor) == ("见https://www.itu.int/。", para.seq, "_ftn1")


def test_a_note_called_twice_is_one_passage_and_odd_links_are_not_calls() -> None:
    doc = page(
        '<p id="a">首次<sup><a href="#n1">1</a></sup>，再次<a href="#n1" role="doc-noteref">1</a>，'
        '链接<a href="#n1">1</a>。</p>\n'
        '<p>未脚注<sup>见<a href="#n1">1</a></sup>，无目标<sup><a href="#nowhere">2</a></sup>。</p>\n'
        '<p>回指<sup><a href="#a">3</a></sup>。<h2></h2></p>\n'
        '<div class="notes"><span id="n1">注释一。</span></div>\n'
    )
    first, second, third = body(doc)
    assert first.text == "首次，再次，链接1。"
    assert first.calls == (FootnoteCall(number=1, offset=2), FootnoteCall(number=1, offset=5))
    assert (second.text, second.calls) == ("未脚注见，无目标2。", (FootnoteCall(number=1, offset=4),))
    assert (third.text, third.calls) == ("回指3。", ())
    assert [(p.text, p.called_from, p.citation.anchor) for p in doc.passages if p.kind is Kind.FOOTNOTE] == [
        ("注释一。", first.seq, "n1")
    ]


def test_unlinked_sup_calls_find_a_footnotes_list_and_a_square_stays_text() -> None:
    doc = page(
        "<p>面积为10 m<sup>2</sup>。</p>\n<p>会议<sup>1</sup>召开，另见<sup>2</sup>。</p>\n"
        '<ol class="footnotes"><li>第一条注。</li><li>第二条注，见<a href="https://www.un.org/">联合国</a>。</li></ol>\n'
    )
    square, meeting = body(doc)
    assert (square.text, square.calls) == ("面积为10 m2。", ())
    assert meeting.calls == (FootnoteCall(number=1, offset=2), FootnoteCall(number=2, offset=7))
    assert footnote(doc, 2).text == "第二条注，见联合国 (https://www.un.org/)。"


def test_list_items_are_labelled_as_the_browser_numbers_them() -> None:
    doc = page(
        '<ol type="a"><li>甲</li><li>乙</li></ol>\n'
        '<ol type="i" start="3"><li>丙</li><li value="7">丁</li><li>戊</li></ol>\n'
        "<ol reversed><li>三</li><li>二</li></ol>\n<ul><li><p>要点</p><ul><li>子项</li></ul></li></ul>\n"
        "<div><li>孤项</li></div>\n"
    )
    assert [(p.citation.label, p.text) for p in doc.passages] == [
        ("a)", "甲"),
        ("b)", "乙"),
        ("iii)", "丙"),
        ("vii)", "丁"),
        ("viii)", "戊"),
        ("2", "三"),
        ("1", "二"),
        ("•", "要点"),
        ("•", "子项"),
        (None, "孤项"),
    ]


def test_table_rows_are_passages_and_layout_tables_are_content() -> None:
    doc = page(
        "<table id=t><caption>会议文件</caption><tr><th>文件</th><th>标题</th></tr>\n"
        "<tr><td>C24/53</td><td><p>工作组</p><p>报告</p></td><td></td></tr></table>\n"
        "<table><tr><td><h2>背景</h2><p>正文。</p></td></tr></table>\n"
    )
    assert [(p.kind, p.text, p.citation.anchor) for p in doc.passages] == [
        (Kind.PARAGRAPH, "会议文件", "t"),
        (Kind.PARAGRAPH, "文件 | 标题", "t"),
        (Kind.PARAGRAPH, "C24/53 | 工作组报告", "t"),
        (Kind.HEADING, "背景", None),
        (Kind.PARAGRAPH, "正文。", None),
    ]


def test_headings_give_depths_labels_and_annexes() -> None:
    doc = page(
        "<h2>1 引言</h2><p>正文。</p><h3>1.1\t范围</h3><p>细节。</p>\n"
        "<h3>Annex 2</h3><h4>说明</h4><div>散落的文字<br>第二行</div>\n",
        title="  报告  ",
    )
    assert doc.title == "报告"
    assert [(p.kind, p.citation.label, p.citation.section, p.text) for p in doc.passages] == [
        (Kind.HEADING, "1", (), "引言"),
        (Kind.PARAGRAPH, None, ("1 引言",), "正文。"),
        (Kind.HEADING, "1.1", ("1 引言",), "范围"),
        (Kind.PARAGRAPH, None, ("1 引言", "1.1 范围"), "细节。"),
        (Kind.HEADING, None, (), "Annex 2"),
        (Kind.HEADING, None, ("Annex 2",), "说明"),
        (Kind.PARAGRAPH, None, ("Annex 2", "说明"), "散落的文字第二行"),
    ]


def test_hidden_and_interactive_elements_are_dropped() -> None:
    doc = page(
        "<article><header><h1>文章标题</h1></header><p hidden>隐藏</p><p>正文<button>点击</button>。</p>"
        '<div role="navigation">导航</div><form><p>表单</p></form><footer><p>文章脚注</p></footer></article>\n'
    )
    assert [p.text for p in doc.passages] == ["文章标题", "正文。", "文章脚注"]


# --- bad input ---------------------------------------------------------------------------


def test_binary_garbage_named_html_is_one_line_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(random.Random(3).randbytes(5000))
    with pytest.raises(CorpusError) as caught:
        read_document(SourceFile(path, "page"))
    assert str(caught.value).startswith(f"{path}: ")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"\x00\x01\x02<html>" * 100, "binary data"),
        (b"<html><body><script>x()</script></body></html>", "no text"),
        (b"<html><p>\x01\x02\x03\x04</p></html>", "binary data"),
    ],
)
def test_a_page_without_readable_text_is_refused(data: bytes, problem: str) -> None:
    with pytest.raises(CorpusError, match=problem):
        read(data)


@pytest.mark.parametrize(
    "data",
    [
        "\ufeff\n<!-- saved from url=(0014)about:internet -->\n<html><p>正文</p>".encode(),
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN">\n<p>正文'.encode(),
        "<div>正文</div>".encode("utf-16"),
    ],
)
def test_html_is_recognised_by_content_under_any_name(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "saved.txt"
    path.write_bytes(data)
    assert [p.text for p in read_document(SourceFile(path, "saved")).passages] == ["正文"]


def test_an_indexed_page_keeps_its_anchors_in_hits(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "003.html").write_bytes(page_003().encode("gb18030"))
    library = Library(tmp_path / "ix")
    library.index(folder)
    [hit] = library.search("journal.un.org").hits
    assert hit.kind == "footnote"
    caller = library.show(hit.id).caller
    assert caller is not None and caller.citation.anchor == f"p{caller_seq_in_export(2)}"
    assert caller.to_dict()["anchor"] == caller.citation.anchor


def test_a_number_typed_into_a_paragraph_is_its_label_and_its_key() -> None:
    doc = read(g.html_page("<p>1.1 The Council adopted the plan.</p>\n<p>1.5 million people use it.</p>\n"))
    first, second = doc.passages
    assert (first.citation.label, first.text, first.key) == ("1.1", "The Council adopted the plan.", "1.1")
    assert (second.citation.label, second.text) == (None, "1.5 million people use it.")


def test_a_label_typed_into_a_bulleted_list_item_beats_the_bullet() -> None:
    doc = read(g.html_page("<ul><li>c) review the roadmap.</li><li>keep the bullet.</li></ul>\n"))
    assert [(p.citation.label, p.text) for p in doc.passages] == [
        ("c)", "review the roadmap."),
        ("•", "keep the bullet."),
    ]


def test_an_h1_repeating_the_title_is_the_title_line_not_a_section() -> None:
    body = "<p>Council 2025</p>\n<h1>Report on Resolution 140</h1>\n<h2>1 Introduction</h2>\n<p>Text.</p>\n"
    doc = read(g.html_page(body, title="Report on Resolution 140"))
    assert [(p.kind, p.citation.label, p.text, p.citation.section) for p in doc.passages] == [
        (Kind.PARAGRAPH, None, "Council 2025", ()),
        (Kind.HEADING, None, "Report on Resolution 140", ()),
        (Kind.HEADING, "1", "Introduction", ()),
        (Kind.PARAGRAPH, None, "Text.", ("1 Introduction",)),
    ]
