"""The shared rules every reader's blocks go through: typed labels and masthead lines."""

from __future__ import annotations

import pytest

from itudocs.corpus.blocks import block_label, is_masthead, typed_label


@pytest.mark.parametrize(
    ("text", "heading", "expected"),
    [
        ("1.1 The Council adopted the plan.", False, ("1.1", "The Council adopted the plan.")),
        ("2.10.1 发起了讨论。", False, ("2.10.1", "发起了讨论。")),
        ("a) hold a forum;", False, ("a)", "hold a forum;")),
        ("(a) hold a forum;", False, ("(a)", "hold a forum;")),
        ("(i) 举办论坛；", False, ("(i)", "举办论坛；")),
        ("iv) review", False, ("iv)", "review")),
        ("一、背景", True, ("一、", "背景")),
        ("（一）历史", True, ("（一）", "历史")),
        ("1) 全民互联", False, ("1)", "全民互联")),
        ("5. The Council", False, ("5.", "The Council")),
        ("67 We invite the Union", True, ("67", "We invite the Union")),
        # Not labels: quantities, dates, years, words, and bare numbers in a paragraph.
        ("67 We invite the Union", False, (None, "67 We invite the Union")),
        ("1.5 million people", False, (None, "1.5 million people")),
        ("15 June 2025", True, (None, "15 June 2025")),
        ("2025 was a year", True, (None, "2025 was a year")),
        ("5G networks", True, (None, "5G networks")),
        ("I am here", True, (None, "I am here")),
        ("WSIS Forum", True, (None, "WSIS Forum")),
        ("1.1", False, (None, "1.1")),
        ("(a) | WSIS Forum | July 2025", False, (None, "(a) | WSIS Forum | July 2025")),
    ],
)
def test_typed_labels(text: str, heading: bool, expected: tuple[str | None, str]) -> None:
    assert typed_label(text, heading=heading) == expected


def test_a_label_the_format_gives_wins_unless_it_is_a_bullet() -> None:
    assert block_label("b)", "1.1 text") == ("b)", "1.1 text", 0)
    assert block_label("•", "c) review") == ("c)", "review", 3)
    assert block_label("•", "review") == ("•", "review", 0)
    assert block_label(None, "（一）历史", heading=True) == ("（一）", "历史", 3)


@pytest.mark.parametrize(
    "line",
    [
        "Council 2025",
        "ITU Council 2026",
        "Geneva, 17-27 June 2025",
        "17 June – 27 June 2025",
        "4 June 2025",
        "Document C25/45-E",
        "C24/16(Rev.1)-E",
        "Document CWG-WSIS&SDG-40/2-E",
        "Original: English",
        "English only",
        "Agenda item: ADM 5",
        "理事会2025年会议",
        "2025年6月17-27日，日内瓦",
        "日内瓦，2025年6月17日",
        "文件 C25/45-C",
        "原文：英文",
        "议项：ADM 5",
    ],
)
def test_masthead_lines(line: str) -> None:
    assert is_masthead(line)


@pytest.mark.parametrize(
    "line",
    [
        "Report on the implementation of Resolution 140",
        "关于第140号决议落实情况的报告",
        "Purpose",
        "The Council met in Geneva on 17 June 2025.",
        "Council Resolution 1332",
        "理事会2025年会议通过了该报告。",
        "See Document C25/45-E for details.",
    ],
)
def test_lines_that_are_not_masthead(line: str) -> None:
    assert not is_masthead(line)
