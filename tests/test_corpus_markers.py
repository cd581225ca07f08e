"""Word's inline markers, paragraph labels, the heading outline and language detection."""

from __future__ import annotations

import pytest

from itudocs.corpus.labels import Style, is_annex, label_level, label_style, split_label
from itudocs.corpus.lang import detect_lang
from itudocs.corpus.markers import read_markers, strip_bookmarks
from itudocs.corpus.model import FootnoteCall
from itudocs.corpus.outline import Outline, heading_text
from itudocs.corpus.text import is_han

NOTE_000 = "国际电联《2023年全球数字监管展望》（https://www.itu.int/dms_pub/itu-d/opb/pref/D-PREF-BB.REG_OUT01-2023-PDF-E.pdf）"


def calls(line: str) -> list[tuple[int, int]]:
    return [(call.number, call.offset) for call in read_markers(line).calls]


@pytest.mark.parametrize(
    ("line", "text"),
    [
        ("[bookmark: Annex2]附件2", "附件2"),
        (" [bookmark: Annex2]附件2", " 附件2"),
        ("[bookmark: lt_pId010][bookmark: dtitle1]信息社会世界峰会", "信息社会世界峰会"),
        ("[bookmark: _Hlk164764779]2.12\t根据第1332号决议", "2.12\t根据第1332号决议"),
        ("没有书签", "没有书签"),
    ],
)
def test_bookmarks_are_dropped(line: str, text: str) -> None:
    assert strip_bookmarks(line) == text
    assert read_markers(line).text == text.rstrip()


def test_a_line_without_markers_only_loses_trailing_space() -> None:
    marked = read_markers("请理事会将本报告记录在案。  ")
    assert (marked.text, marked.calls, marked.notes) == ("请理事会将本报告记录在案。", (), ())


def test_a_call_at_the_end_and_its_note() -> None:
    line = "利益攸关多方参与的重要性。[footnoteRef:4] [4: \t南非部长所作发言内容：https://estatements.un.org/x.pdf。] "
    marked = read_markers(line)
    assert marked.text == "利益攸关多方参与的重要性。"
    assert marked.calls == (FootnoteCall(number=4, offset=13),)
    assert marked.notes == ((4, "南非部长所作发言内容：https://estatements.un.org/x.pdf。"),)


def test_a_call_in_mid_line_keeps_the_text_after_it() -> None:
    line = "共进行了120场发言。[footnoteRef:2]会员国肯定了进展。 [2: \t12月16日所作发言内容：https://journal.un.org/]"
    marked = read_markers(line)
    assert marked.text == "共进行了120场发言。会员国肯定了进展。"
    assert calls(line) == [(2, 11)]
    assert marked.text[:11] == "共进行了120场发言。"
    assert marked.notes == ((2, "12月16日所作发言内容：https://journal.un.org/"),)


def test_a_custom_mark_is_dropped_after_the_call_and_before_the_note() -> None:
    line = f"而美洲的ICT监管机构的这一比例不到一半。[footnoteRef:2]1 [2: 1\t{NOTE_000}] "
    marked = read_markers(line)
    assert marked.text == "而美洲的ICT监管机构的这一比例不到一半。"
    assert marked.calls == (FootnoteCall(number=2, offset=len(marked.text)),)
    assert marked.notes == ((2, NOTE_000),)


def test_a_mark_after_the_call_is_kept_when_the_note_has_no_custom_mark() -> None:
    marked = read_markers("第1段[footnoteRef:1]1项 [1: \t注释]")
    assert marked.text == "第1段1项"
    assert marked.notes == ((1, "注释"),)


def test_brackets_inside_a_note_do_not_end_it() -> None:
    marked = read_markers("见附件[footnoteRef:2] [2: \t见[附件2]中的表[1]]。")
    assert marked.text == "见附件 。"
    assert marked.notes == ((2, "见[附件2]中的表[1]"),)


def test_two_calls_on_one_line() -> None:
    line = "甲[footnoteRef:1]乙[footnoteRef:2]丙。 [1: \t一号注] [2: \t二号注]"
    marked = read_markers(line)
    assert marked.text == "甲乙丙。"
    assert calls(line) == [(1, 1), (2, 2)]
    assert marked.notes == ((1, "一号注"), (2, "二号注"))


def test_a_call_whose_note_is_missing_is_kept_without_a_note() -> None:
    marked = read_markers("文本[footnoteRef:5]后文")
    assert marked.text == "文本后文"
    assert marked.calls == (FootnoteCall(number=5, offset=2),)
    assert marked.notes == ()


def test_only_notes_called_on_the_line_are_taken_out() -> None:
    marked = read_markers("甲[footnoteRef:12] [12: \t十二号注] 见[1: 非脚注]")
    assert marked.text == "甲 见[1: 非脚注]"
    assert marked.notes == ((12, "十二号注"),)


def test_an_unclosed_note_is_taken_out_of_the_line() -> None:
    marked = read_markers("请理事会审议。[footnoteRef:3] [3: \t未闭合的脚注")
    assert "[3:" not in marked.text
    assert marked.text == "请理事会审议。"
    assert marked.notes == ((3, "未闭合的脚注"),)


@pytest.mark.parametrize(
    ("label", "style"),
    [
        ("2.10.1", Style.DECIMAL),
        ("67", Style.DECIMAL),
        ("127", Style.DECIMAL),
        ("1.", Style.DECIMAL),
        ("一", Style.CJK_NUMERAL),
        ("二十", Style.CJK_NUMERAL),
        ("三、", Style.CJK_NUMERAL),
        ("（一）", Style.CJK_PAREN),
        ("(二)", Style.CJK_PAREN),
        ("I", Style.ROMAN),
        ("VII", Style.ROMAN),
        ("IV.", Style.ROMAN),
        ("a)", Style.LETTER_PAREN),
        ("(b)", Style.LETTER_PAREN),
        ("i)", Style.ROMAN_PAREN),
        ("iii)", Style.ROMAN_PAREN),
        ("(iv)", Style.ROMAN_PAREN),
        ("v)", Style.ROMAN_PAREN),
        ("1)", Style.NUMBER_PAREN),
        ("（2）", Style.NUMBER_PAREN),
        ("•", Style.BULLET),
        ("–", Style.BULLET),
        ("-", Style.BULLET),
    ],
)
def test_label_style(label: str, style: Style) -> None:
    assert label_style(label) is style


@pytest.mark.parametrize("text", ["WSIS", "", "附件", "C2", "1234", "A)", "2.10.1 ", "目的", "iiii)", "••"])
def test_not_a_label(text: str) -> None:
    assert label_style(text) is None
    with pytest.raises(ValueError, match="not a label"):
        label_level(text)


@pytest.mark.parametrize(
    ("label", "level"),
    [
        ("一", 1),
        ("I", 1),
        ("1", 1),
        ("1.", 1),
        ("67", 1),
        ("2.1", 2),
        ("2.10", 2),
        ("2.10.1", 3),
        ("3.15.2.", 3),
        ("a)", 2),
        ("（一）", 2),
        ("i)", 3),
        ("iii)", 3),
        ("1)", 3),
        ("•", 4),
    ],
)
def test_label_level(label: str, level: int) -> None:
    assert label_level(label) == level


@pytest.mark.parametrize(
    ("line", "split"),
    [
        ("2.10.1\t发起了讨论", ("2.10.1", "发起了讨论")),
        ("67\t我们邀请国际电信联盟 ", ("67", "我们邀请国际电信联盟")),
        ("ii)\tC4行动方面：能力建设", ("ii)", "C4行动方面：能力建设")),
        (" 1\t引言", ("1", "引言")),
        ("–\t庆祝二十周年", ("–", "庆祝二十周年")),
        (" \t目的 ", ("", "目的")),
        ("\t自2005年以来", ("", "自2005年以来")),
        ("正文", (None, "正文")),
        ("  正文  ", (None, "正文")),
        ("1 引言", (None, "1 引言")),
        ("2.1\t甲\t乙", ("2.1", "甲\t乙")),
    ],
)
def test_split_label(line: str, split: tuple[str | None, str]) -> None:
    assert split_label(line) == split


def test_a_tab_after_something_that_is_not_a_label_gives_no_label() -> None:
    label, _ = split_label("WSIS\t论坛")
    assert label is None


@pytest.mark.parametrize(
    ("text", "annex"),
    [
        ("附件", True),
        ("附件2", True),
        ("附件 2", True),
        (" 附件2 ", True),
        ("附录", True),
        ("Annex 1", True),
        ("ANNEX", True),
        ("Appendix 3", True),
        ("附件：1件", False),
        ("附件2的表格", False),
        ("见附件2", False),
        ("国际电联作为主要推进方的WSIS行动方面", False),
    ],
)
def test_is_annex(text: str, annex: bool) -> None:
    assert is_annex(text) is annex


def test_a_new_outline_is_empty() -> None:
    assert Outline().path == ()


def test_a_sibling_replaces_the_heading_before_it() -> None:
    outline = Outline()
    outline.enter(1, "一 背景")
    outline.enter(2, "a) 简史")
    outline.enter(2, "b) 职责")
    assert outline.path == ("一 背景", "b) 职责")


def test_a_shallower_heading_closes_every_deeper_one() -> None:
    outline = Outline()
    outline.enter(1, "一 背景")
    outline.enter(2, "a) 简史")
    outline.enter(3, "i) 起源")
    outline.enter(1, "二 贡献")
    assert outline.path == ("二 贡献",)


def test_a_skipped_depth_is_closed_by_the_depth_between() -> None:
    outline = Outline()
    outline.enter(1, "附件2 行动方面")
    outline.enter(3, "i) C2")
    outline.enter(2, "a) 其他")
    assert outline.path == ("附件2 行动方面", "a) 其他")


def test_an_annex_closes_everything_and_opens_below_itself() -> None:
    outline = Outline()
    outline.enter(1, "四 机遇")
    outline.enter(2, "a) 展望")
    outline.enter(0, "附件2")
    assert outline.path == ("附件2",)
    outline.enter(1, "国际电联作为主要推进方的WSIS行动方面")
    outline.enter(3, "ii) C4行动方面：能力建设")
    assert outline.path == ("附件2", "国际电联作为主要推进方的WSIS行动方面", "ii) C4行动方面：能力建设")
    outline.enter(0, "附件3")
    assert outline.path == ("附件3",)


@pytest.mark.parametrize(
    ("label", "text", "heading"),
    [
        ("二", "国际电联的贡献", "二 国际电联的贡献"),
        ("ii)", "C4行动方面：能力建设", "ii) C4行动方面：能力建设"),
        (None, "目的", "目的"),
        ("", "目的", "目的"),
    ],
)
def test_heading_text(label: str | None, text: str, heading: str) -> None:
    assert heading_text(label, text) == heading


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("国际电联对WSIS成果落实所做贡献", "zh"),
        ("理事会信息社会世界峰会和可持续发展目标工作组（CWG-WSIS&SDG）", "zh"),
        ("The ITU Council (国际电联) met twice in 2024 and adopted the report.", "en"),
        ("http://www.itu.int/en/itu-wsis/Pages/Contribution.aspx", "en"),
        ("12月16日所作发言内容：https://journal.un.org/en/new-york/officials/2025-12-16", "mixed"),
        ("国际电联 ab cd ef", "zh"),
        ("国际电 ab cd ef", "mixed"),
        ("国际 ab cd ef", "en"),
        ("C2、C4和C5", "zh"),
    ],
)
def test_detect_lang(text: str, lang: str) -> None:
    assert detect_lang(text) == lang


@pytest.mark.parametrize("text", ["", "2025 – 12", "a b c", "• 1 •"])
def test_detect_lang_falls_back_to_the_default(text: str) -> None:
    assert detect_lang(text) == "zh"
    assert detect_lang(text, default="en") == "en"


def test_the_default_does_not_override_evidence() -> None:
    assert detect_lang("国际电联", default="en") == "zh"
    assert detect_lang("Council", default="zh") == "en"


@pytest.mark.parametrize(("ch", "han"), [("国", True), ("㐀", True), ("豈", True), ("A", False), ("，", False)])
def test_is_han(ch: str, han: bool) -> None:
    assert is_han(ch) is han
