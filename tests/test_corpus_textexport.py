"""The plain-text reader on the five real sample documents, and on small made-up inputs."""

from __future__ import annotations

import re
from functools import cache

import pytest

from itudocs.corpus.errors import CorpusError
from itudocs.corpus.ids import content_anchor
from itudocs.corpus.loader import SourceFile, read_document, sample_folder
from itudocs.corpus.model import Document, Kind, Passage
from itudocs.corpus.rawtext import join_fragments
from itudocs.corpus.readers.textexport import read_text_export

ANNEX_003 = ("附件", "WSIS+20成果文件中提及国际电联参与和落实WSIS进程活动的段落")
ANNEX_000 = ("附件2", "国际电联作为主要推进方的WSIS行动方面")
FOOTNOTE_MARKER = re.compile(r"\[\d+:")


@cache
def sample(prefix: str) -> Document:
    (path,) = sample_folder().glob(f"{prefix}_*.txt")
    return read_document(SourceFile(path, path.stem))


@cache
def source_lines(prefix: str) -> list[str]:
    (path,) = sample_folder().glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8-sig").splitlines()


def every_sample() -> list[str]:
    return sorted(path.name[:3] for path in sample_folder().glob("*.txt"))


def labelled(doc: Document, label: str) -> Passage:
    (passage,) = [p for p in doc.passages if p.citation.label == label]
    return passage


def footnote(doc: Document, number: int) -> Passage:
    (passage,) = [p for p in doc.passages if p.kind is Kind.FOOTNOTE and p.citation.footnote == number]
    return passage


def by_seq(doc: Document, seq: int) -> Passage:
    (passage,) = [p for p in doc.passages if p.seq == seq]
    return passage


def caller_of(doc: Document, number: int) -> Passage:
    (passage,) = [p for p in doc.passages if number in p.footnotes]
    return passage


def read(text: str, doc_id: str = "t") -> Document:
    return read_text_export(text, doc_id=doc_id, source=f"{doc_id}.txt", sha256="0" * 64)


def test_the_sample_holds_five_documents() -> None:
    assert every_sample() == ["000", "001", "002", "003", "004"]


@pytest.mark.parametrize("prefix", every_sample())
def test_no_marker_tab_or_newline_reaches_a_passage(prefix: str) -> None:
    for passage in sample(prefix).passages:
        assert "[bookmark" not in passage.text, passage.id
        assert "footnoteRef" not in passage.text, passage.id
        assert not FOOTNOTE_MARKER.search(passage.text), passage.id
        assert "\t" not in passage.text, passage.id
        assert "\n" not in passage.text, passage.id
        assert passage.text == passage.text.strip(), passage.id
        assert passage.text, passage.id


@pytest.mark.parametrize("prefix", every_sample())
def test_documents_are_chinese_and_every_passage_carries_the_title(prefix: str) -> None:
    doc = sample(prefix)
    assert doc.lang == "zh"
    assert doc.doc_id == next(sample_folder().glob(f"{prefix}_*.txt")).stem
    assert {p.citation.doc_id for p in doc.passages} == {doc.doc_id}
    assert {p.citation.title for p in doc.passages} == {doc.title}


@pytest.mark.parametrize("prefix", every_sample())
def test_passages_are_numbered_in_order_with_stable_ids(prefix: str) -> None:
    doc = sample(prefix)
    assert [p.seq for p in doc.passages] == list(range(1, len(doc.passages) + 1))
    for passage in doc.passages:
        if passage.kind is Kind.FOOTNOTE:
            assert passage.id == f"{doc.doc_id}:fn{passage.citation.footnote}"
        elif passage.citation.label and passage.citation.label.replace(".", "").isdigit():
            assert passage.id.startswith(f"{doc.doc_id}:{passage.citation.label}")
        else:
            assert re.fullmatch(rf"{doc.doc_id}:p[0-9a-f]{{6}}(-\d+)?", passage.id)
    assert len({p.id for p in doc.passages}) == len(doc.passages)


@pytest.mark.parametrize("prefix", every_sample())
def test_each_passage_starts_on_the_source_line_it_cites(prefix: str) -> None:
    lines = source_lines(prefix)
    for passage in sample(prefix).passages:
        assert 1 <= passage.citation.line <= len(lines), passage.id
        head = passage.text[:5] if passage.kind is Kind.FIGURE else passage.text[:8]
        assert head in lines[passage.citation.line - 1], passage.id


@pytest.mark.parametrize("prefix", every_sample())
def test_footnotes_are_linked_both_ways(prefix: str) -> None:
    doc = sample(prefix)
    notes = [p for p in doc.passages if p.kind is Kind.FOOTNOTE]
    called = sorted(n for p in doc.passages for n in p.footnotes)
    assert sorted(p.citation.footnote for p in notes) == called
    for note in notes:
        caller = by_seq(doc, note.called_from)
        assert caller.kind is not Kind.FOOTNOTE
        assert note.citation.footnote in caller.footnotes
        assert note.citation.line == caller.citation.line
    assert all(p.called_from is None for p in doc.passages if p.kind is not Kind.FOOTNOTE)


@pytest.mark.parametrize(
    ("prefix", "count"),
    [("000", 2), ("001", 0), ("002", 0), ("003", 4), ("004", 0)],
)
def test_footnote_counts(prefix: str, count: int) -> None:
    doc = sample(prefix)
    assert doc.footnote_count == count
    assert [p.citation.footnote for p in doc.passages if p.kind is Kind.FOOTNOTE] == list(range(1, count + 1))


@pytest.mark.parametrize(
    ("prefix", "title"),
    [
        ("002", "信息社会世界峰会及联合国全球数字契约"),
        ("004", "国际电联秘书长的报告：详细介绍国际电联在WSIS成果落实和2030年可持续发展议程背景下"),
    ],
)
def test_titles(prefix: str, title: str) -> None:
    assert sample(prefix).title.startswith(title)


def test_a_title_read_from_the_first_line_is_exactly_that_line() -> None:
    doc = sample("002")
    assert doc.title == "信息社会世界峰会及联合国全球数字契约"
    first = doc.passages[0]
    assert (first.kind, first.text, first.citation.line, first.citation.section) == (Kind.HEADING, doc.title, 1, ())


def test_a_title_over_two_lines_is_joined_and_cited_at_its_first() -> None:
    doc = sample("004")
    assert doc.title.endswith("开展的活动、行动和项目的综合报告")
    parts = [p for p in doc.passages if p.text in doc.title.split("：")]
    assert [(p.kind, p.citation.line) for p in parts] == [(Kind.HEADING, 1), (Kind.HEADING, 3)]


@pytest.mark.parametrize("prefix", ["000", "001", "003"])
def test_a_document_with_no_title_line_is_titled_by_its_id_never_by_a_body_sentence(prefix: str) -> None:
    doc = sample(prefix)
    assert doc.title == doc.doc_id
    assert "…" not in doc.title


def test_decimal_paragraph_keeps_its_label_line_and_section() -> None:
    passage = labelled(sample("001"), "2.10.1")
    assert passage.kind is Kind.PARAGRAPH
    assert passage.text.startswith("发起了有关国际电联在WSIS+20审查进程")
    assert passage.citation.line == 29
    assert passage.citation.section == ("2 CWG-WSIS&SDG的活动",)
    assert passage.id == f"{sample('001').doc_id}:2.10.1"


def test_a_numbered_heading_ending_in_a_colon_heads_the_paragraphs_below_it() -> None:
    doc = sample("001")
    heading = labelled(doc, "3")
    assert heading.kind is Kind.HEADING
    assert heading.text == "工作组满意地审议和讨论了转呈本次会议的所有文稿，并提出以下建议："
    for label in ["3.1", "3.9", "3.15", "3.15.2"]:
        passage = labelled(doc, label)
        assert passage.kind is Kind.PARAGRAPH
        assert passage.citation.section == ("3 工作组满意地审议和讨论了转呈本次会议的所有文稿，并提出以下建议：",)


def test_every_label_of_001_in_order() -> None:
    decimals = [f"2.{n}" for n in range(1, 10)] + ["2.10", "2.10.1", "2.10.2", "2.10.3", "2.11", "2.12", "2.13", "2.14"]
    expected = ["1", "a)", "b)", "c)", "d)", "e)", "2", *decimals, "3"]
    expected += [f"3.{n}" for n in range(1, 16)] + ["3.15.1", "3.15.2"]
    assert [p.citation.label for p in sample("001").passages if p.citation.label] == expected


def test_a_run_of_letter_items_is_a_list_of_paragraphs() -> None:
    items = [p for p in sample("001").passages if p.citation.label in {"a)", "b)", "c)", "d)", "e)"}]
    assert [p.citation.label for p in items] == ["a)", "b)", "c)", "d)", "e)"]
    assert {p.kind for p in items} == {Kind.PARAGRAPH}
    assert {p.citation.section for p in items} == {("1 引言",)}
    assert items[0].text == "国际电联为落实WSIS成果和2030年可持续发展议程开展的活动"


def test_letter_items_with_text_between_them_are_headings() -> None:
    doc = sample("000")
    items = [p for p in doc.passages if p.citation.label in {"a)", "b)", "c)", "d)", "e)"}]
    assert [p.citation.label for p in items] == ["a)", "b)", "a)", "b)", "c)", "d)", "e)"]
    assert {p.kind for p in items} == {Kind.HEADING}
    assert items[6].text == "联合国信息社会小组（UNGIS）"
    assert items[6].citation.section == ("二 国际电联在过去二十年间为取得WSIS成果所做的贡献",)
    below = by_seq(doc, items[6].seq + 1)
    assert below.citation.section == (
        "二 国际电联在过去二十年间为取得WSIS成果所做的贡献",
        "e) 联合国信息社会小组（UNGIS）",
    )


def test_roman_item_heading_and_the_paragraph_under_it() -> None:
    doc = sample("000")
    heading = labelled(doc, "ii)")
    assert heading.kind is Kind.HEADING
    assert heading.text == "C4行动方面：能力建设"
    assert heading.citation.section == ANNEX_000
    assert heading.citation.line == 42
    below = by_seq(doc, heading.seq + 1)
    assert below.kind is Kind.PARAGRAPH
    assert below.citation.label is None
    assert below.citation.section == (*ANNEX_000, "ii) C4行动方面：能力建设")
    assert below.text.startswith("作为C4行动方面的主要推进方")
    assert below.citation.line == 43


def test_an_annex_heading_closes_the_chapters_before_it() -> None:
    doc = sample("000")
    (annex,) = [p for p in doc.passages if p.text == "附件2"]
    assert annex.kind is Kind.HEADING
    assert annex.citation.section == ()
    assert annex.citation.line == 38
    assert by_seq(doc, annex.seq + 1).citation.section == ("附件2",)


def test_chapter_headings_of_003_are_roman() -> None:
    headings = [p for p in sample("003").passages if p.kind is Kind.HEADING and p.citation.label]
    assert [p.citation.label for p in headings] == ["I", "II", "III", "IV", "V", "VI", "VII"]
    assert {p.citation.section for p in headings} == {()}
    assert headings[1].text == "全体会议声明概述"


def test_annex_paragraphs_keep_their_outcome_document_numbers() -> None:
    annex = [p for p in sample("003").passages if p.citation.section == ANNEX_003 and p.kind is Kind.PARAGRAPH]
    assert [p.citation.label for p in annex if p.citation.label] == [
        "9",
        "18",
        "20",
        "21",
        "22",
        "53",
        "67",
        "86",
        "100",
        "107",
        "108",
        "109",
        "110",
        "113",
        "114",
        "115",
        "117",
        "121",
        "122",
        "127",
    ]
    assert [p.citation.label for p in annex].count(None) == 1
    assert annex[-1].citation.line == 77


def test_annex_paragraph_67_of_003() -> None:
    passage = labelled(sample("003"), "67")
    assert passage.kind is Kind.PARAGRAPH
    assert passage.citation.section == ANNEX_003
    assert passage.citation.line == 64
    assert passage.text.startswith("我们邀请国际电信联盟作为联合国信息社会小组的秘书处")


def test_bullets_of_004_are_paragraphs_under_their_chapter() -> None:
    bullets = [p for p in sample("004").passages if p.citation.label == "•"]
    assert len(bullets) == 9
    assert {p.kind for p in bullets} == {Kind.PARAGRAPH}
    assert {p.citation.section for p in bullets} == {("2 国际电联在落实WSIS成果方面的活动",)}
    assert [p.citation.line for p in bullets] == list(range(26, 35))


def test_numbered_proposals_of_002() -> None:
    doc = sample("002")
    proposals = [p for p in doc.passages if p.citation.section == ("提案",) and p.citation.label]
    assert [p.citation.label for p in proposals] == ["1)", "2)", "•", "•", "•", "•", "•", "3)"]
    assert {p.kind for p in proposals} == {Kind.PARAGRAPH}
    assert proposals[-1].text.startswith("责成国际电联秘书处将2)中提到的研究报告")


def test_footnote_2_of_003_and_its_caller() -> None:
    doc = sample("003")
    note = footnote(doc, 2)
    caller = caller_of(doc, 2)
    assert "https://journal.un.org/en/new-york/officials/2025-12-16" in note.text
    assert note.text.startswith("12月16日所作发言内容：")
    assert caller.text.startswith("大会随后邀请会员国")
    assert caller.kind is Kind.PARAGRAPH
    assert note.called_from == caller.seq
    assert note.id == f"{doc.doc_id}:fn2"
    assert note.citation.line == 22
    assert note.citation.section == caller.citation.section == ("II 全体会议声明概述",)
    (call,) = caller.calls
    assert caller.text[: call.offset].endswith("共进行了120场发言。")
    assert caller.text[call.offset :].startswith("会员国和利益攸关方在发言中")


def test_a_call_in_mid_sentence_points_right_after_the_words_it_follows() -> None:
    caller = caller_of(sample("003"), 3)
    (call,) = caller.calls
    assert call.number == 3
    assert caller.text[: call.offset].endswith("作了发言")
    assert caller.text[call.offset :].startswith("，强调国际电联")


@pytest.mark.parametrize(("number", "line"), [(1, 17), (2, 22), (3, 25), (4, 27)])
def test_footnotes_of_003_carry_their_source_line(number: int, line: int) -> None:
    note = footnote(sample("003"), number)
    assert note.citation.line == line
    assert "https://" in note.text
    assert note.text.endswith("。")


@pytest.mark.parametrize("number", [1, 4])
def test_a_call_at_the_end_of_a_paragraph_sits_at_its_end(number: int) -> None:
    caller = caller_of(sample("003"), number)
    (call,) = caller.calls
    assert call.offset == len(caller.text)


def test_a_custom_footnote_mark_is_dropped_from_note_and_caller() -> None:
    doc = sample("000")
    note = footnote(doc, 2)
    caller = caller_of(doc, 2)
    assert note.text.startswith("国际电联《2023年全球数字监管展望》")
    assert note.text.endswith("REG_OUT01-2023-PDF-E.pdf）")
    assert note.citation.line == 47
    assert caller.text.endswith("不到一半。")
    assert caller.citation.section == (*ANNEX_000, "iv) C6行动方面：环境建设")
    (call,) = caller.calls
    assert (call.number, call.offset) == (2, len(caller.text))
    assert note.called_from == caller.seq


def test_a_heading_can_call_a_footnote() -> None:
    doc = sample("000")
    note = footnote(doc, 1)
    caller = caller_of(doc, 1)
    assert caller.kind is Kind.HEADING
    assert caller.citation.label == "二"
    assert caller.text == "国际电联在过去二十年间为取得WSIS成果所做的贡献"
    assert [(c.number, c.offset) for c in caller.calls] == [(1, len(caller.text))]
    assert note.text == (
        "国际电联对WSIS成果落实所做贡献的年度报告见以下网址： https://www.itu.int/en/itu-wsis/Pages/Contribution.aspx"
    )
    assert note.citation.line == 22


def test_the_diagram_of_000_is_one_figure_passage() -> None:
    doc = sample("000")
    (figure,) = [p for p in doc.passages if p.kind is Kind.FIGURE]
    assert figure.citation.line == 52
    assert figure.text.startswith("联合国大会信息社会世界峰会分为两个阶段（A/RES/56/183号决议")
    for cited in ["第140号决议", "A/RES/73/218", "理事会第1332和1334号决议", "A/RES/70/125"]:
        assert cited in figure.text
    assert figure.text.endswith("UNCTAD委员会")
    assert "ITU UNESCO FAO WMO" in figure.text
    assert figure.citation.section == (*ANNEX_000, "v) WSIS行动方面（国际电联作为共同推进方）")
    after = [p for p in doc.passages if p.citation.line >= 52]
    assert [p.kind for p in after] == [Kind.FIGURE]
    later = [p for p in doc.passages if p.seq > figure.seq]
    assert {p.kind for p in later} == {Kind.FOOTNOTE}


@pytest.mark.parametrize("prefix", ["001", "002", "003", "004"])
def test_prose_documents_have_no_figure(prefix: str) -> None:
    assert [p for p in sample(prefix).passages if p.kind is Kind.FIGURE] == []


def test_passages_in_english_are_marked_so() -> None:
    doc = sample("004")
    (url,) = [p for p in doc.passages if p.citation.line == 38]
    assert url.text == "http://www.itu.int/en/itu-wsis/Pages/Contribution.aspx"
    assert url.lang == "en"
    assert footnote(sample("003"), 2).lang == "mixed"
    assert labelled(sample("001"), "2.10.1").lang == "zh"


def test_cover_sections_are_headings_with_their_paragraph_under_them() -> None:
    doc = sample("003")
    assert [(p.kind, p.text) for p in doc.passages[:4]] == [
        (Kind.HEADING, "目的"),
        (Kind.PARAGRAPH, doc.passages[1].text),
        (Kind.HEADING, "理事会需采取的行动"),
        (Kind.PARAGRAPH, "请理事会将本文件记录在案。"),
    ]
    assert doc.passages[3].citation.section == ("理事会需采取的行动",)


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("gb18030", b"")],
)
def test_the_same_passages_from_any_supported_encoding(encoding: str, bom: bytes) -> None:
    (path,) = sample_folder().glob("003_*.txt")
    data = bom + path.read_text(encoding="utf-8").encode(encoding)
    doc = read_document(SourceFile(path, path.stem), data)
    assert doc.passages == sample("003").passages
    assert doc.title == sample("003").title


def test_a_file_of_blank_lines_is_an_empty_document() -> None:
    doc = read("\n\n  \n\t\n", doc_id="blank")
    assert doc.passages == ()
    assert doc.title == "blank"
    assert doc.lang == "zh"


def test_a_file_of_blank_lines_cannot_be_read_as_a_document(tmp_path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text("\n\n \n", encoding="utf-8")
    with pytest.raises(CorpusError, match="empty file"):
        read_document(SourceFile(path, "blank"))


def test_a_one_line_file_of_a_short_heading_is_its_own_title() -> None:
    doc = read("国际电联第140号决议", doc_id="one")
    assert doc.title == "国际电联第140号决议"
    (passage,) = doc.passages
    assert (passage.kind, passage.text, passage.citation.line, passage.id) == (
        Kind.HEADING,
        "国际电联第140号决议",
        1,
        f"one:{content_anchor('国际电联第140号决议')}",
    )


def test_a_one_line_file_of_a_sentence_is_one_paragraph_titled_by_its_id() -> None:
    doc = read("请理事会将本报告记录在案。\n", doc_id="one")
    assert doc.title == "one"
    (passage,) = doc.passages
    assert (passage.kind, passage.text, passage.citation.section, passage.citation.line) == (
        Kind.PARAGRAPH,
        "请理事会将本报告记录在案。",
        (),
        1,
    )


def test_a_call_without_its_note_is_kept_and_no_footnote_is_invented() -> None:
    doc = read("目的\n请理事会将本报告记录在案。[footnoteRef:5]\n")
    assert doc.footnote_count == 0
    paragraph = doc.passages[-1]
    assert paragraph.text == "请理事会将本报告记录在案。"
    assert [(c.number, c.offset) for c in paragraph.calls] == [(5, len(paragraph.text))]


def test_a_labelled_line_with_a_footnote_gets_offsets_into_its_own_text() -> None:
    doc = read("目的\n2.1\t甲乙丙丁[footnoteRef:1]戊。 [1: \t注释正文]\n")
    paragraph = labelled(doc, "2.1")
    assert paragraph.text == "甲乙丙丁戊。"
    assert [(c.number, c.offset) for c in paragraph.calls] == [(1, 4)]
    note = footnote(doc, 1)
    assert (note.text, note.called_from, note.citation.line, note.id) == ("注释正文", paragraph.seq, 2, "t:fn1")


def test_two_footnotes_on_one_line_are_numbered_after_the_body() -> None:
    doc = read("目的\n甲[footnoteRef:1]乙[footnoteRef:2]。 [1: \t一] [2: \t二]\n三\t下一章\n")
    paragraph = by_seq(doc, 2)
    assert paragraph.text == "甲乙。"
    assert [(c.number, c.offset) for c in paragraph.calls] == [(1, 1), (2, 2)]
    assert [(p.id, p.text, p.called_from) for p in doc.passages if p.kind is Kind.FOOTNOTE] == [
        ("t:fn1", "一", 2),
        ("t:fn2", "二", 2),
    ]
    assert [p.seq for p in doc.passages if p.kind is Kind.FOOTNOTE] == [4, 5]


def test_an_unclosed_note_leaves_no_marker_in_the_text() -> None:
    doc = read("目的\n请理事会审议本报告。[footnoteRef:3] [3: \t未闭合的脚注\n")
    paragraph = by_seq(doc, 2)
    assert not FOOTNOTE_MARKER.search(paragraph.text)
    assert paragraph.text == "请理事会审议本报告。"
    assert paragraph.kind is Kind.PARAGRAPH


def test_a_tab_after_a_non_label_never_reaches_the_text() -> None:
    doc = read("目的\n本文件说明。\n附件1\t国际电联的职责范围\n")
    assert all("\t" not in p.text for p in doc.passages)


@pytest.mark.parametrize(
    ("fragments", "joined"),
    [
        (["国际电联全权代表大会：第", "140", "号决议", "ITU", "UNESCO"], "国际电联全权代表大会：第140号决议ITU UNESCO"),
        (["•", "2003", "年", ": ", "《日内瓦原则宣言》"], "• 2003年:《日内瓦原则宣言》"),
        (["ILO UNEP UNDP", "", "  ", "UN-HABITAT"], "ILO UNEP UNDP UN-HABITAT"),
        (["（", "A/RES/56/183", "号决议）"], "（A/RES/56/183号决议）"),
        ([], ""),
    ],
)
def test_join_fragments(fragments: list[str], joined: str) -> None:
    assert join_fragments(fragments) == joined


def test_a_run_of_short_fragments_becomes_a_figure_and_prose_around_it_stays() -> None:
    fragments = "\n\n".join(["联合国大会", "WSIS", "ITU", "UNESCO", "FAO", "WMO", "第140号决议", "2025", "年"])
    doc = read(f"目的\n本文件说明。\n\n\n{fragments}\n")
    assert [p.kind for p in doc.passages] == [Kind.HEADING, Kind.PARAGRAPH, Kind.FIGURE]
    figure = doc.passages[-1]
    assert figure.text == "联合国大会WSIS ITU UNESCO FAO WMO第140号决议2025年"
    assert figure.citation.line == 5
    assert figure.citation.section == ("目的",)


def test_seven_short_fragments_are_not_yet_a_figure() -> None:
    fragments = "\n\n".join(["联合国大会", "WSIS", "ITU", "UNESCO", "FAO", "WMO", "年度论坛"])
    doc = read(f"目的\n本文件说明。\n\n\n{fragments}\n")
    assert [p.kind for p in doc.passages][:2] == [Kind.HEADING, Kind.PARAGRAPH]
    assert Kind.FIGURE not in {p.kind for p in doc.passages}


def test_a_diagram_one_blank_line_below_the_prose_leaves_the_prose_alone() -> None:
    fragments = "\n\n".join(["联合国大会", "WSIS", "ITU", "UNESCO", "FAO", "WMO", "第140号决议", "2025", "年"])
    prose = "国际电联在推进2030年可持续发展议程方面发挥了至关重要的作用，并将继续发挥作用。"
    doc = read(f"目的\n请理事会注意。\n结论\n{prose}\n\n{fragments}\n")
    assert [p.kind for p in doc.passages] == [Kind.HEADING, Kind.PARAGRAPH, Kind.HEADING, Kind.PARAGRAPH, Kind.FIGURE]
    assert doc.passages[3].text == prose
    assert doc.passages[-1].citation.line == 6


def test_the_masthead_lines_are_passages_of_their_own_and_not_the_title() -> None:
    masthead = "Council 2025\nGeneva, 17-27 June 2025\nDocument C25/45-E\n"
    doc = read(masthead + "\nReport on Resolution 140\n\nPurpose\nText.\n")
    assert doc.title == "Report on Resolution 140"
    assert doc.symbol == "C25/45"
    assert [(p.kind, p.text) for p in doc.passages[:4]] == [
        (Kind.PARAGRAPH, "Council 2025"),
        (Kind.PARAGRAPH, "Geneva, 17-27 June 2025"),
        (Kind.PARAGRAPH, "Document C25/45-E"),
        (Kind.HEADING, "Report on Resolution 140"),
    ]


def test_a_table_row_is_one_passage_its_cells_joined_as_the_other_readers_join_them() -> None:
    doc = read("Purpose\nText.\nEvent\tDate\t\tVenue\nWSIS Forum[footnoteRef:1] [1: \tIn Geneva.]\tJuly 2025\tGeneva\n")
    rows = [p for p in doc.passages if "|" in p.text]
    assert [(p.kind, p.citation.label, p.text) for p in rows] == [
        (Kind.PARAGRAPH, None, "Event | Date | Venue"),
        (Kind.PARAGRAPH, None, "WSIS Forum | July 2025 | Geneva"),
    ]
    assert [(c.number, c.offset) for c in rows[1].calls] == [(1, len("WSIS Forum"))]
    assert footnote(doc, 1).called_from == rows[1].seq


def test_a_number_typed_with_a_space_is_a_label_but_a_quantity_is_not() -> None:
    doc = read("Purpose\n1.1 The Council adopted the plan.\n1.5 million people use it.\n67 countries signed.\n")
    assert [(p.citation.label, p.text) for p in doc.passages[1:]] == [
        ("1.1", "The Council adopted the plan."),
        (None, "1.5 million people use it."),
        (None, "67 countries signed."),
    ]
