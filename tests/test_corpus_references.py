"""References found in passages and read from queries: forms copied from the five sample texts,
English spellings, what must not count as a reference, and the real sample documents."""

from __future__ import annotations

from functools import cache

import pytest

from itudocs.corpus.loader import SourceFile, read_document, sample_folder
from itudocs.corpus.model import Document, Kind, Passage
from itudocs.corpus.references import Reference, find_references, matches, read_reference_query


def ids(text: str) -> list[str]:
    return [ref.id for ref in find_references(text)]


def query_ids(text: str) -> list[tuple[str, str | None]] | None:
    refs = read_reference_query(text)
    return None if refs is None else [(ref.id, ref.body) for ref in refs]


def only(text: str) -> Reference:
    (ref,) = find_references(text)
    return ref


@cache
def sample(prefix: str) -> Document:
    (path,) = sample_folder().glob(f"{prefix}_*.txt")
    return read_document(SourceFile(path, path.stem))


def every_passage() -> list[Passage]:
    return [p for prefix in ("000", "001", "002", "003", "004") for p in sample(prefix).passages]


def pid(prefix: str, seq: int) -> str:
    """The id of the passage at position ``seq`` of a sample document."""
    return next(p.id for p in sample(prefix).passages if p.seq == seq)


def citing(ref_id: str) -> set[str]:
    return {p.id for p in every_passage() if ref_id in {ref.id for ref in find_references(p.text)}}


# --- ITU resolutions with their body -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("根据全权代表大会第140号决议以及", ["PP-RES-140"]),
        ("全权代表大会（PP）第140号决议（2014年，釜山）", ["PP-RES-140"]),
        ("国际电联全权代表大会：第140号决议", ["PP-RES-140"]),
        ("理事会第1332号决议（2023年修订版）", ["Council-RES-1332"]),
        ("WTDC第30号决议（2022年，基加利，修订版）", ["WTDC-RES-30"]),
        ("世界电信发展大会（WTDC）第30号决议（2025年，巴库，修订版）", ["WTDC-RES-30"]),
        ("WTSA-16第75号决议", ["WTSA-RES-75"]),
        ("世界电信标准化全会（WTSA）第75号决议（2022年，日内瓦，修订版）", ["WTSA-RES-75"]),
        ("ITU-R第61-2号决议（2019年修订版）", ["RA-RES-61-2"]),
        ("ITU-R第61-3号决议（2023年，迪拜，修订版）", ["RA-RES-61-3"]),
    ],
)
def test_a_body_named_before_the_mention_is_its_body(text: str, expected: list[str]) -> None:
    assert ids(text) == expected


def test_the_number_keeps_its_revision_suffix() -> None:
    ref = only("ITU-R第61-2号决议（2019年修订版）")
    assert (ref.body, ref.number, ref.kind) == ("RA", "61-2", "resolution")


def test_pp98_names_the_body_of_resolution_73_in_its_sentence() -> None:
    text = (
        "突尼斯于1998年在美国明尼阿波利斯召开的国际电联全权代表大会（PP）期间首次提出了WSIS的概念。"
        "PP-98通过了一项呼吁召开信息社会世界峰会的决议（第73号决议，1998年，明尼阿波利斯）。"
    )
    ref = only(text)
    assert (ref.id, ref.body, ref.number, ref.edition) == ("PP-RES-73", "PP", "73", "Minneapolis 1998")
    assert ref.text == "第73号决议，1998年，明尼阿波利斯"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PP-98通过了第73号决议。", ["PP-RES-73"]),
        ("PP-98在明尼阿波利斯召开。第73号决议", ["RES-73"]),
        ("全权代表大会审议了第1332号决议", ["Council-RES-1332"]),
        ("ITU-R和ITU-T参与落实第140号决议", ["RES-140"]),
        ("请理事会注意第140号决议", ["RES-140"]),
    ],
)
def test_a_conference_named_earlier_in_the_sentence_lends_its_body(text: str, expected: list[str]) -> None:
    assert ids(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("根据第140号决议", ["RES-140"]),
        ("根据第1332号决议，介绍了", ["Council-RES-1332"]),
        ("第1400号决议", ["Council-RES-1400"]),
        ("第140号决议（2022年，布加勒斯特，修订版）", ["PP-RES-140"]),
        ("第75号决议（2022年，日内瓦，修订版）", ["WTSA-RES-75"]),
        ("第30号决议（2022年，基加利，修订版）", ["WTDC-RES-30"]),
    ],
)
def test_without_a_named_body_numbers_and_editions_decide(text: str, expected: list[str]) -> None:
    assert ids(text) == expected


def test_1400_is_not_140() -> None:
    ref = only("第1400号决议")
    assert ref.number == "1400"
    assert ref.text == "第1400号决议"


# --- lists carry the body forward -------------------------------------------------------------------


def test_a_pp_list_gives_three_pp_resolutions_with_their_editions() -> None:
    text = (
        "全权代表大会第140号决议（2022年，布加勒斯特，修订版）、"
        "第172号决议（2010年，瓜达拉哈拉，修订版）和第71号决议（2022年，布加勒斯特，修订版）；"
    )
    refs = find_references(text)
    assert [(r.id, r.edition) for r in refs] == [
        ("PP-RES-140", "Rev. Bucharest 2022"),
        ("PP-RES-172", "Rev. Guadalajara 2010"),
        ("PP-RES-71", "Rev. Bucharest 2022"),
    ]
    assert [r.text for r in refs] == [
        "全权代表大会第140号决议（2022年，布加勒斯特，修订版）",
        "第172号决议（2010年，瓜达拉哈拉，修订版）",
        "第71号决议（2022年，布加勒斯特，修订版）",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("理事会第1332号决议（2023年修订版）、第1334号决议（2023年修订版）", ["Council-RES-1332", "Council-RES-1334"]),
        (
            "全权代表大会（PP）第140号决议（2014年，釜山）和第172号决议（2010年，瓜达拉哈拉）",
            ["PP-RES-140", "PP-RES-172"],
        ),
        ("全权代表大会第140号决议以及第172号决议及第71号决议", ["PP-RES-140", "PP-RES-172", "PP-RES-71"]),
        ("WTDC第30号决议、第37号决议", ["WTDC-RES-30", "WTDC-RES-37"]),
        ("全权代表大会第140号决议；第172号决议", ["PP-RES-140", "RES-172"]),
        ("全权代表大会第140号决议。第172号决议", ["PP-RES-140", "RES-172"]),
        ("全权代表大会第140号决议、WTDC第30号决议和第37号决议", ["PP-RES-140", "WTDC-RES-30", "WTDC-RES-37"]),
        ("第1332号决议（2016年，修订版）和第140号决议", ["Council-RES-1332", "RES-140"]),
        ("理事会第540号决议和第541号决议", ["Council-RES-540", "Council-RES-541"]),
        ("亚太经社会第72/10号决议和第73/1号决议", ["ESCAP/RES/72/10", "ESCAP/RES/73/1"]),
        ("Council Resolution 540 and Resolution 541", ["Council-RES-540", "Council-RES-541"]),
    ],
)
def test_the_body_carries_along_a_list_until_a_stop_or_a_new_body(text: str, expected: list[str]) -> None:
    assert ids(text) == expected


# --- joint forms and meetings --------------------------------------------------------------------


def test_a_joint_mention_cites_each_number() -> None:
    refs = find_references("理事会第1332和1336号决议；")
    assert [r.id for r in refs] == ["Council-RES-1332", "Council-RES-1336"]
    assert [r.text for r in refs] == ["理事会第1332", "1336号决议"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("第1332和1334号决议", ["Council-RES-1332", "Council-RES-1334"]),
        ("国际电联理事会第1332和1334号决议", ["Council-RES-1332", "Council-RES-1334"]),
        ("第140号、第172号决议", ["RES-140", "RES-172"]),
    ],
)
def test_joint_forms(text: str, expected: list[str]) -> None:
    assert ids(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "CWG-WSIS&SDG第39和40次会议的主要成果",
        "CWG-WSIS第18、19、20、21、22、23、24、25、26、27、28、29和30次会议的报告",
        "第39次会议摘要；第40次会议摘要",
        "140",
        "《突尼斯议程》第140段",
        "在2022年和2023年WSIS论坛期间",
        "全权代表大会（PP-22）决议",
        "PP-18以来CWG-WSIS&SDG会议的成果报告",
        "WTISD-24有关数字创新",
    ],
)
def test_meetings_paragraphs_years_and_conferences_are_not_references(text: str) -> None:
    assert find_references(text) == []


# --- UN resolutions -----------------------------------------------------------------------------


def test_a_unga_list_of_symbols_gives_each_as_a_resolution() -> None:
    text = "联大第A/RES/70/125、A/RES/70/1、A/RES/77/150、A/71/212、A/70/299、A/70/684、A/RES/73/218号决议；"
    refs = find_references(text)
    assert [r.id for r in refs] == [
        "A/RES/70/125",
        "A/RES/70/1",
        "A/RES/77/150",
        "A/RES/71/212",
        "A/RES/70/299",
        "A/RES/70/684",
        "A/RES/73/218",
    ]
    assert {(r.kind, r.body) for r in refs} == {("un_symbol", "UNGA")}
    assert [r.text for r in refs][3] == "A/71/212"
    assert refs[-1].number == "73/218"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "联大第70/125、A/70/1、A/71/212、A/70/299和A/70/684号决议；",
            [
                "A/RES/70/125",
                "A/RES/70/1",
                "A/RES/71/212",
                "A/RES/70/299",
                "A/RES/70/684",
            ],
        ),
        ("全面审查（第A/70/125号决议）赞同", ["A/RES/70/125"]),
        ("联合国大会通过了第70/125号决议，概述了", ["A/RES/70/125"]),
        ("联大第70/125号决议", ["A/RES/70/125"]),
        ("成果文件（A/RES/70/125）的决议", ["A/RES/70/125"]),
        ("联合国大会（UNGA）第56/183号决议（2001年）赞同", ["A/RES/56/183"]),
        ("成果文件（A/RES/80/173）。", ["A/RES/80/173"]),
        ("联合国经社理事会第E/RES/2023/3号决议；", ["E/RES/2023/3"]),
        ("E/RES/2023/3", ["E/RES/2023/3"]),
        (
            "联合国经社理事会（ECOSOC）关于“评估信息社会世界峰会成果的落实和后续行动的进展”的第2023/3号决议重申",
            ["E/RES/2023/3"],
        ),
        ("经社理事会第2006/46 号决议", ["E/RES/2006/46"]),
        ("科学和技术促进发展委员会的E/RES/2023/3 号决议", ["E/RES/2023/3"]),
        ("亚太经社会第72/10号决议", ["ESCAP/RES/72/10"]),
        ("E/ESCAP/RES/72/10", ["ESCAP/RES/72/10"]),
        ("年度决议：A/RES/70/1、A/RES/73/218；A/RES/78/160;", ["A/RES/70/1", "A/RES/73/218", "A/RES/78/160"]),
    ],
)
def test_un_resolutions_become_their_symbols(text: str, expected: list[str]) -> None:
    assert ids(text) == expected


def test_an_ecosoc_session_number_is_a_year() -> None:
    ref = only("经社理事会第2006/46 号决议")
    assert (ref.kind, ref.body, ref.number) == ("un_symbol", "ECOSOC", "2006/46")
    escap = only("亚太经社会第72/10号决议")
    assert (escap.body, escap.number) == ("ESCAP", "72/10")


@pytest.mark.parametrize("text", ["见A/70/684号文件", "第150/3号决议"])
def test_a_un_document_or_an_impossible_session_is_no_resolution(text: str) -> None:
    assert find_references(text) == []


# --- ITU documents and circular letters -------------------------------------------------------------


def test_itu_document_symbols() -> None:
    text = (
        "“我们的共同议程”（CWG-WSIS&SDG-39/2）、2023年可持续发展目标峰会成果（CWG-WSIS&SDG-39/4）"
        "和（CWG-WSIS&SDG-39/3、CWG-WSIS&SDG-39/14）"
    )
    refs = find_references(text)
    assert [r.id for r in refs] == [
        "CWG-WSIS&SDG-39/2",
        "CWG-WSIS&SDG-39/4",
        "CWG-WSIS&SDG-39/3",
        "CWG-WSIS&SDG-39/14",
    ]
    assert (refs[0].kind, refs[0].body, refs[0].number) == ("itu_document", "CWG-WSIS&SDG", "39/2")


def test_information_documents() -> None:
    text = "（支持文件：CWG-WSIS&SDG-40/INF/4、CWG-WSIS&SDG-40/INF/5和CWG-WSIS&SDG-40/INF/6）"
    assert ids(text) == ["CWG-WSIS&SDG-40/INF/4", "CWG-WSIS&SDG-40/INF/5", "CWG-WSIS&SDG-40/INF/6"]


@pytest.mark.parametrize(
    ("text", "symbol"), [("的通函（CL-15/46）。", "CL-15/46"), ("已通过通函（CL-16/62）向", "CL-16/62")]
)
def test_circular_letters(text: str, symbol: str) -> None:
    ref = only(text)
    assert (ref.id, ref.kind, ref.body, ref.text) == (symbol, "circular", None, symbol)


def test_council_documents() -> None:
    ref = only("见C24/12号文件")
    assert (ref.id, ref.kind, ref.body, ref.number) == ("C24/12", "itu_document", "Council", "24/12")


@pytest.mark.parametrize(
    "text",
    [
        "during the covid-19/20 period",
        "（https://www.itu.int/dms_pub/itu-d/opb/pref/D-PREF-BB.REG_OUT01-2023-PDF-E.pdf）",
        "https://journal.un.org/en/new-york/officials/2025-12-16",
        "WSIS C2、C4、C5和C6行动方面",
    ],
)
def test_urls_and_lower_case_words_are_not_symbols(text: str) -> None:
    assert find_references(text) == []


# --- editions --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "edition"),
    [
        ("全权代表大会第140号决议（2022年，布加勒斯特，修订版）", "Rev. Bucharest 2022"),
        ("全权代表大会（PP）第140号决议（2014年，釜山）", "Busan 2014"),
        ("理事会第1332号决议（2023年修订版）", "Rev. 2023"),
        ("理事会第1332号决议（2023年，修订版）", "Rev. 2023"),
        ("第172号决议（2010年，瓜达拉哈拉，修订版）", "Rev. Guadalajara 2010"),
        ("根据第1332号决议（理事会2011年会议，理事会2019年会议最新修订版）", "Rev. 2019"),
        ("PP Resolution 140 (Rev. Bucharest, 2022)", "Rev. Bucharest 2022"),
        ("Resolution 73 (Minneapolis, 1998)", "Minneapolis 1998"),
        ("第140号决议", None),
    ],
)
def test_editions(text: str, edition: str | None) -> None:
    assert only(text).edition == edition


def test_a_bracket_that_is_no_edition_stays_out_of_the_mention() -> None:
    ref = only("第1332号决议（支持文件）")
    assert (ref.edition, ref.text) == (None, "第1332号决议")


# --- English spellings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Resolution 140", ["RES-140"]),
        ("Res. 140", ["RES-140"]),
        ("RES 140", ["RES-140"]),
        ("PP Resolution 140 (Rev. Bucharest, 2022)", ["PP-RES-140"]),
        ("Resolution 140 (Rev. Bucharest, 2022) of the Plenipotentiary Conference", ["PP-RES-140"]),
        ("Council Resolution 1332", ["Council-RES-1332"]),
        ("Resolutions 1332 and 1334", ["Council-RES-1332", "Council-RES-1334"]),
        ("Council Resolutions 1332, 1334 and 1336", ["Council-RES-1332", "Council-RES-1334", "Council-RES-1336"]),
        ("UNGA resolution 70/125", ["A/RES/70/125"]),
        ("General Assembly resolution 70/125", ["A/RES/70/125"]),
        ("ECOSOC resolution 2023/3", ["E/RES/2023/3"]),
        ("the Economic and Social Council resolution 2023/3", ["E/RES/2023/3"]),
        ("WTSA Resolution 75", ["WTSA-RES-75"]),
        ("ITU-R Resolution 61-2", ["RA-RES-61-2"]),
        ("Resolution ITU-R 61-2 (2019)", ["RA-RES-61-2"]),
        ("PP-22 adopted Resolution 71 and the Council noted it.", ["PP-RES-71"]),
        ("the PP-22 decisions. Resolution 71", ["RES-71"]),
        ("see pp. 12 on Resolution 71", ["RES-71"]),
        ("Resolution 140, Resolution 172 of the WTDC", ["RES-140", "WTDC-RES-172"]),
    ],
)
def test_english_spellings(text: str, expected: list[str]) -> None:
    assert ids(text) == expected


def test_an_english_mention_spans_its_body_and_edition() -> None:
    text = "under Resolution 140 (Rev. Bucharest, 2022) of the Plenipotentiary Conference, ITU"
    ref = only(text)
    assert ref.text == "Resolution 140 (Rev. Bucharest, 2022) of the Plenipotentiary Conference"
    assert (ref.body, ref.edition) == ("PP", "Rev. Bucharest 2022")


# --- spans --------------------------------------------------------------------------------------------


def test_spans_point_into_full_width_text() -> None:
    text = "根据第１４０号决议（２０２２年，布加勒斯特，修订版）。"
    ref = only(text)
    assert (ref.id, ref.number, ref.edition) == ("PP-RES-140", "140", "Rev. Bucharest 2022")
    assert ref.text == text[ref.start : ref.end] == "第１４０号决议（２０２２年，布加勒斯特，修订版）"


def test_every_reference_in_the_sample_is_the_text_it_spans_in_order() -> None:
    for passage in every_passage():
        refs = find_references(passage.text)
        assert [r.start for r in refs] == sorted(r.start for r in refs), passage.id
        for ref in refs:
            assert ref.text == passage.text[ref.start : ref.end], passage.id
            assert ref.start < ref.end, passage.id


# --- queries ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("第140号决议", [("RES-140", None)]),
        ("Resolution 140", [("RES-140", None)]),
        ("Res. 140", [("RES-140", None)]),
        ("RES 140", [("RES-140", None)]),
        ("res 140", [("RES-140", None)]),
        ("pp resolution 140", [("PP-RES-140", "PP")]),
        ("PP-061-2", [("PP-RES-61-2", "PP")]),
        ("PP-140", [("PP-RES-140", "PP")]),
        ("PP Resolution 140 (Rev. Bucharest, 2022)", [("PP-RES-140", "PP")]),
        ("理事会第1332号决议", [("Council-RES-1332", "Council")]),
        ("Council Resolution 1332", [("Council-RES-1332", "Council")]),
        ("第1332号决议", [("RES-1332", None)]),
        ("第140号决议（2022年，布加勒斯特，修订版）", [("RES-140", None)]),
        ("WTSA第75号决议", [("WTSA-RES-75", "WTSA")]),
        ("WTSA Resolution 75", [("WTSA-RES-75", "WTSA")]),
        ("A/RES/70/125", [("A/RES/70/125", "UNGA")]),
        ("a/res/70/125", [("A/RES/70/125", "UNGA")]),
        ("第70/125号决议", [("A/RES/70/125", "UNGA")]),
        ("UNGA resolution 70/125", [("A/RES/70/125", "UNGA")]),
        ("E/RES/2023/3", [("E/RES/2023/3", "ECOSOC")]),
        ("CWG-WSIS&SDG-40/INF/5", [("CWG-WSIS&SDG-40/INF/5", "CWG-WSIS&SDG")]),
        ("cwg-wsis&sdg-40/inf/5", [("CWG-WSIS&SDG-40/INF/5", "CWG-WSIS&SDG")]),
        ("CL-15/46", [("CL-15/46", None)]),
        ("Resolutions 1332 and 1334", [("RES-1332", None), ("RES-1334", None)]),
        ("理事会第1332和1334号决议", [("Council-RES-1332", "Council"), ("Council-RES-1334", "Council")]),
        ("全权代表大会第140号决议和第172号决议", [("PP-RES-140", "PP"), ("PP-RES-172", "PP")]),
        ("A/RES/70/125 and A/RES/70/1", [("A/RES/70/125", "UNGA"), ("A/RES/70/1", "UNGA")]),
        ("PP-RES-140", [("PP-RES-140", "PP")]),
        ("Council-RES-1332", [("Council-RES-1332", "Council")]),
        ("RES-140", [("RES-140", None)]),
        ("RA-RES-61-2", [("RA-RES-61-2", "RA")]),
        ("  第１４０号决议 ", [("RES-140", None)]),
        ("第1400号决议", [("RES-1400", None)]),
    ],
)
def test_a_query_that_is_a_reference(query: str, expected: list[tuple[str, str | None]]) -> None:
    assert query_ids(query) == expected


@pytest.mark.parametrize(
    "query",
    [
        "140",
        "PP-22",
        "PP-18",
        "PP-98",
        "WTDC-22",
        "第140段",
        "第39次会议",
        "2022年",
        "第140号决议 网络安全",
        "数字鸿沟",
        "",
        "第140号决议 第172号决议",
    ],
)
def test_a_query_that_is_not_just_references(query: str) -> None:
    assert read_reference_query(query) is None


def test_query_spans_point_into_the_query() -> None:
    query = "  第１４０号决议 "
    (ref,) = read_reference_query(query)
    assert ref.text == query[ref.start : ref.end] == "第１４０号决议"
    assert ref.number == "140"


# --- matching -------------------------------------------------------------------------------------


def query(text: str) -> Reference:
    (ref,) = read_reference_query(text)
    return ref


def test_a_query_body_narrows() -> None:
    council, pp = find_references("理事会第1332号决议；全权代表大会第1332号决议")
    assert matches(query("Council Resolution 1332"), council)
    assert not matches(query("Council Resolution 1332"), pp)
    assert matches(query("第1332号决议"), council)
    assert matches(query("第1332号决议"), pp)


def test_editions_do_not_matter_and_numbers_must_be_equal() -> None:
    (busan,) = find_references("全权代表大会（PP）第140号决议（2014年，釜山）")
    assert matches(query("PP Resolution 140 (Rev. Bucharest, 2022)"), busan)
    assert not matches(query("第1400号决议"), busan)
    assert not matches(query("第14号决议"), busan)


def test_kinds_must_be_equal() -> None:
    (circular,) = find_references("CL-15/46")
    document = Reference(
        id="X-15/46", kind="itu_document", body=None, number="15/46", edition=None, start=0, end=7, text="X-15/46"
    )
    assert matches(query("CL-15/46"), circular)
    assert not matches(query("CL-15/46"), document)


def test_un_queries_match_every_spelling_of_the_symbol() -> None:
    spellings = find_references("第A/70/125号决议；联大第70/125号决议；A/RES/70/125；UNGA resolution 70/125")
    assert len(spellings) == 4
    for text in ("A/RES/70/125", "第70/125号决议", "General Assembly resolution 70/125"):
        assert all(matches(query(text), ref) for ref in spellings), text
    assert not any(matches(query("E/RES/2023/3"), ref) for ref in spellings)


# --- the sample corpus ----------------------------------------------------------------------------


def test_pp_resolution_140_is_cited_by_eight_paragraphs_and_the_figure_of_000() -> None:
    expected = {
        pid("000", 10),
        pid("000", 16),
        pid("000", 39),
        pid("000", 45),
        pid("001", 2),
        pid("003", 2),
        pid("003", 10),
        pid("003", 34),
        pid("004", 9),
    }
    assert citing("PP-RES-140") == expected
    passages = [p for p in every_passage() if p.id in expected]
    assert sorted(p.kind for p in passages) == [Kind.FIGURE] + [Kind.PARAGRAPH] * 8
    assert all("第140号决议" in p.text for p in passages)
    assert {p.id for p in every_passage() if "第140号决议" in p.text} == expected


def test_council_resolution_1336_is_cited_once() -> None:
    assert citing("Council-RES-1336") == {pid("004", 10)}
    (passage,) = [p for p in every_passage() if p.id == pid("004", 10)]
    assert "理事会第1332和1336号决议" in passage.text


def test_a_res_73_218_is_cited_by_four_passages() -> None:
    assert citing("A/RES/73/218") == {pid("000", 10), pid("000", 45), pid("001", 18), pid("003", 10)}


def test_no_reference_comes_from_the_meetings() -> None:
    for passage in every_passage():
        for phrase in ("第39和40次会议", "第39次会议", "第40次会议", "次会议的报告"):
            at = passage.text.find(phrase)
            if at < 0:
                continue
            cut = passage.text.rfind("第", 0, at + 1)
            for ref in find_references(passage.text):
                assert not (ref.start < at + len(phrase) and cut < ref.end), (passage.id, ref.id)


def test_the_meetings_passage_of_001_cites_only_its_resolutions() -> None:
    (passage,) = [p for p in sample("001").passages if "第39和40次会议" in p.text]
    assert ids(passage.text) == ["PP-RES-140", "Council-RES-1332", "Council-RES-1334"]


def test_the_reference_list_of_000() -> None:
    (passage,) = [p for p in sample("000").passages if p.text.startswith("联大第A/RES/70/125")]
    assert ids(passage.text) == [
        "A/RES/70/125",
        "A/RES/70/1",
        "A/RES/77/150",
        "A/RES/71/212",
        "A/RES/70/299",
        "A/RES/70/684",
        "A/RES/73/218",
        "E/RES/2023/3",
        "PP-RES-140",
        "PP-RES-172",
        "PP-RES-71",
        "Council-RES-1332",
        "Council-RES-1334",
        "WTDC-RES-30",
        "WTSA-RES-75",
        "RA-RES-61-2",
    ]


def test_the_figure_of_000() -> None:
    (figure,) = [p for p in sample("000").passages if p.kind is Kind.FIGURE]
    assert ids(figure.text) == [
        "A/RES/56/183",
        "A/RES/70/1",
        "A/RES/73/218",
        "A/RES/78/160",
        "A/RES/70/125",
        "E/RES/2023/3",
        "E/RES/2023/4",
        "E/RES/2006/46",
        "PP-RES-140",
        "Council-RES-1332",
        "Council-RES-1334",
        "ESCAP/RES/72/10",
    ]


def test_the_contexts_of_000_paragraph_b() -> None:
    (passage,) = [p for p in sample("000").passages if p.text.startswith("《原则宣言》")]
    assert [(r.id, r.edition) for r in find_references(passage.text)] == [
        ("A/RES/70/125", None),
        ("PP-RES-140", "Rev. Bucharest 2022"),
        ("Council-RES-1332", "Rev. 2023"),
        ("Council-RES-1334", "Rev. 2023"),
    ]


def test_the_reference_lists_of_003_and_004() -> None:
    (list_003,) = [p for p in sample("003").passages if p.text.startswith("CWG-WSIS&SDG网站；")]
    assert ids(list_003.text) == [
        "A/RES/70/125",
        "A/RES/70/1",
        "A/RES/77/150",
        "A/RES/71/212",
        "A/RES/70/299",
        "A/RES/70/684",
        "A/RES/73/218",
        "A/RES/79/277",
        "A/RES/80/173",
        "E/RES/2025/18",
        "PP-RES-140",
        "PP-RES-172",
        "PP-RES-71",
        "Council-RES-1332",
        "Council-RES-1334",
        "WTDC-RES-30",
        "WTSA-RES-75",
        "RA-RES-61-3",
    ]
    lists_004 = [
        ids(p.text) for p in sample("004").passages if p.text.startswith(("联大第", "联合国经社", "理事会第1332和"))
    ]
    assert lists_004 == [
        ["A/RES/70/125", "A/RES/70/1", "A/RES/71/212", "A/RES/70/299", "A/RES/70/684"],
        ["E/RES/2016/22", "PP-RES-140", "PP-RES-172"],
        ["Council-RES-1332", "Council-RES-1336", "WTSA-RES-75"],
    ]


def test_circulars_and_documents_in_the_sample() -> None:
    found = {ref.id for p in every_passage() for ref in find_references(p.text) if ref.kind != "resolution"}
    assert {"CL-15/46", "CL-16/62", "CWG-WSIS&SDG-39/2", "CWG-WSIS&SDG-40/INF/4"} <= found
    kinds = {ref.id: ref.kind for p in every_passage() for ref in find_references(p.text)}
    assert kinds["CL-15/46"] == kinds["CL-16/62"] == "circular"
    assert kinds["CWG-WSIS&SDG-40/INF/4"] == "itu_document"


# --- one grammar for passages and queries ------------------------------------------------

# Every way a query may name a resolution, as a user would type it.
QUERY_FORMS = [
    "第140号决议",
    "第140號決議",
    "全權代表大會第140號決議",
    "ＰＰ－１４０",
    "PP-140",
    "PP-RES-140",
    "RES-140",
    "Res. 140",
    "Resolution 140",
    "PP Resolution 140",
    "Resolution 140 (Rev. Bucharest, 2022)",
    "Council-1332",
    "WTDC-RES-30",
    "Resolutions 1332 and 1334",
    "A/RES/70/125",
]


@pytest.mark.parametrize("form", QUERY_FORMS)
@pytest.mark.parametrize("sentence", ["See {} for details.", "见{}。"])
def test_a_passage_reads_every_reference_a_query_reads(form: str, sentence: str) -> None:
    """What the query side reads in a form, the document side reads in a passage that holds it."""
    queried = read_reference_query(form)
    assert queried
    found = find_references(sentence.format(form))
    for query in queried:
        assert any(matches(query, ref) for ref in found), (query.id, [ref.id for ref in found])


def test_traditional_and_full_width_references_are_read_as_their_simplified_ascii_forms() -> None:
    ref = only("見全權代表大會第１４０號決議（2022年，布加勒斯特，修訂版）。")
    assert (ref.id, ref.edition, ref.text) == (
        "PP-RES-140",
        "Rev. Bucharest 2022",
        "全權代表大會第１４０號決議（2022年，布加勒斯特，修訂版）",
    )
    assert query_ids("第140號決議") == [("RES-140", None)]
    assert query_ids("理事會第1332號決議") == [("Council-RES-1332", "Council")]


def test_short_forms_in_a_passage_are_references_but_conferences_are_not() -> None:
    assert ids("As PP-140 and WTDC-RES-30 ask. RES-172 says so.") == ["PP-RES-140", "WTDC-RES-30", "RES-172"]
    assert ids("PP-22 and WTDC-2022 met; pp-140 is not how a document writes it.") == []
    assert ids("Council-1332 (Rev. 2023)") == ["Council-RES-1332"]
    assert query_ids("PP-140 and PP-172") == [("PP-RES-140", "PP"), ("PP-RES-172", "PP")]
