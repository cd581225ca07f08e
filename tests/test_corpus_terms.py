"""Acronym definitions mined from the sample documents and from texts written here."""

from __future__ import annotations

import pytest

from itudocs.corpus.loader import discover, read_document, sample_folder
from itudocs.corpus.model import Document, Kind
from itudocs.corpus.terms import MinedTerm, mine_document, mine_terms

DOCS: dict[str, Document] = {source.doc_id[:3]: read_document(source) for source in discover(sample_folder())}

CWG_FULL = "理事会信息社会世界峰会和可持续发展目标工作组"

# Every (acronym, name) pair each sample document defines outside its diagram.
EXPECTED = {
    "000": {
        ("SDG", "可持续发展目标"),
        ("CWG-WSIS&SDG", "理事会WSIS和SDG工作组"),
        ("WSIS", "信息社会世界高峰会议"),
        ("AI", "人工智能"),
        ("ICT", "信息通信技术"),
        ("PP", "全权代表大会"),
        ("UNGA", "联合国大会"),
        ("HLSOC", "峰会高级组委会"),
        ("UNESCO", "联合国教科文组织"),
        ("UNDP", "联合国开发计划署"),
        ("UNCTAD", "联合国贸发大会"),
        ("GDC", "全球数字契约"),
        ("ECOSOC", "经社理事会"),
        ("UNGIS", "联合国信息社会小组"),
    },
    "001": {
        ("CWG-WSIS&SDG", CWG_FULL),
        ("GDC", "全球数字契约"),
        ("UN", "联合国"),
        ("UNGA", "联合国大会"),
        ("ECOSOC", "经济与社会理事会"),
        ("HLPF", "高级别政治论坛"),
        ("UNCTAD", "联合国贸发会议"),
        ("UNCSTD", "联合国科学技术发展委员会"),
        ("UNESCO", "联合国教科文组织"),
        ("SDG", "可持续发展目标"),
        ("UNGIS", "联合国信息社会小组"),
        ("WSIS", "信息社会世界峰会"),
        ("ICT", "信息通信技术"),
        ("LDC", "最不发达国家"),
        ("CICG", "日内瓦国际会议中心"),
        ("CSTD", "科学和技术促进发展委员会"),
    },
    "002": {
        ("GDC", "全球数字契约"),
        ("WSIS", "信息社会世界峰会"),
        ("ICT", "信息通信技术"),
        ("SDG", "可持续发展目标"),
        ("ECOSOC", "经济与社会理事会"),
        ("CSTD", "科学和技术促进发展委员会"),
    },
    "003": {
        ("CWG-WSIS&SDG", CWG_FULL),
        ("ECOSOC", "经济及社会理事会"),
        ("ECOSOC", "经社理事会"),
        ("WTDC", "世界电信发展大会"),
        ("WTSA", "世界电信标准化全会"),
        ("WSIS", "信息社会世界峰会"),
        ("UNGIS", "联合国信息社会小组"),
        ("HLPF", "高级别政治论坛"),
        ("CSTD", "科技促进发展委员会"),
        ("IGF", "互联网治理论坛"),
        ("UNCTAD", "联合国贸发会议"),
        ("UN DESA", "联合国经济和社会事务部"),
        ("IAWG-AI", "人工智能问题机构间工作组"),
    },
    "004": {
        ("PP", "全权代表大会"),
        ("SDG", "可持续发展目标"),
        ("UNESCO", "联合国教科文组织"),
        ("UNDP", "联合国开发计划署"),
        ("UNGIS", "联合国信息社会小组"),
        ("CWG-WSIS", "理事会WSIS工作组"),
        ("CEB", "行政首长协调理事会"),
        ("HLPF", "高级别政治论坛"),
        ("ECOSOC", "经社理事会"),
        ("UNIDO", "联合国工业发展组织"),
    },
}

# The pairs the sample must yield somewhere, whatever else it yields.
REQUIRED = {
    ("UNGIS", "联合国信息社会小组"),
    ("HLPF", "高级别政治论坛"),
    ("ECOSOC", "经济与社会理事会"),
    ("GDC", "全球数字契约"),
    ("CSTD", "科学和技术促进发展委员会"),
    ("UNESCO", "联合国教科文组织"),
    ("UNDP", "联合国开发计划署"),
    ("WSIS", "信息社会世界高峰会议"),
    ("WSIS", "信息社会世界峰会"),
    ("PP", "全权代表大会"),
    ("IGF", "互联网治理论坛"),
}


def pairs(doc: Document) -> set[tuple[str, str]]:
    return {
        (mined.acronym, mined.name)
        for passage in doc.passages
        if passage.kind is not Kind.FIGURE
        for mined in mine_terms(passage.text)
    }


@pytest.mark.parametrize("doc", sorted(EXPECTED))
def test_sample_document_yields_exactly_its_definitions(doc: str):
    assert pairs(DOCS[doc]) == EXPECTED[doc]


def test_sample_yields_the_required_pairs():
    found = set().union(*(pairs(doc) for doc in DOCS.values()))
    assert found >= REQUIRED


@pytest.mark.parametrize(
    ("text", "acronym", "name"),
    [
        # The name starts after the words that stand for no letter of the acronym.
        ("国际电联一直在参与由经济与社会理事会（ECOSOC）主持举办的", "ECOSOC", "经济与社会理事会"),
        ("作为联合国信息通信技术（ICT）专门机构", "ICT", "信息通信技术"),
        ("自2015年通过可持续发展目标（SDG）以来", "SDG", "可持续发展目标"),
        ("会议讨论了国际电联和联合国（UN）相关决议", "UN", "联合国"),
        ("和联合国科学技术发展委员会（UNCSTD）的代表", "UNCSTD", "联合国科学技术发展委员会"),
        # A particle stops the name even when the words before it would fit.
        ("由国际组织参加的经社理事会（ECOSOC）", "ECOSOC", "经社理事会"),
        # The acronym's own Latin parts may stand inside the Chinese name.
        ("国际电联秘书长将通过理事会WSIS和SDG工作组（CWG-WSIS&SDG）向", "CWG-WSIS&SDG", "理事会WSIS和SDG工作组"),
        ("联合国人工智能问题机构间工作组（IAWG-AI）经与", "IAWG-AI", "人工智能问题机构间工作组"),
        ("突尼斯于1998年召开的国际电联全权代表大会（PP）期间", "PP", "全权代表大会"),
        ("人工智能（AI）", "AI", "人工智能"),
        ("年度互联网治理论坛(IGF)", "IGF", "互联网治理论坛"),
        ("联合国经济和社会事务部（UN DESA）协调", "UN DESA", "联合国经济和社会事务部"),
        # A descriptive prefix the acronym leaves out is left out of the name too.
        ("2016年可持续发展高级别政治论坛（HLPF）及其他", "HLPF", "高级别政治论坛"),
    ],
)
def test_chinese_name_before_acronym(text: str, acronym: str, name: str):
    [mined] = mine_terms(text)
    assert (mined.acronym, mined.name, mined.lang) == (acronym, name, "zh")
    assert text[mined.start : mined.end] in (f"{name}（{acronym}）", f"{name}({acronym})")


@pytest.mark.parametrize(
    ("text", "acronym", "name"),
    [
        ("ITU（国际电信联盟）是联合国专门机构", "ITU", "国际电信联盟"),
        ("由ECOSOC（经济及社会理事会）主持", "ECOSOC", "经济及社会理事会"),
        ("HLPF (高级别政治论坛)", "HLPF", "高级别政治论坛"),
    ],
)
def test_chinese_name_after_acronym(text: str, acronym: str, name: str):
    [mined] = mine_terms(text)
    assert (mined.acronym, mined.name, mined.lang) == (acronym, name, "zh")
    assert text[mined.start : mined.end].startswith(acronym)
    assert text[mined.start : mined.end].endswith(f"{name}）") or text[mined.start : mined.end].endswith(f"{name})")


@pytest.mark.parametrize(
    ("text", "acronym", "name"),
    [
        (
            "the outcomes of the World Summit on the Information Society (WSIS).",
            "WSIS",
            "World Summit on the Information Society",
        ),
        ("the Economic and Social Council (ECOSOC)", "ECOSOC", "Economic and Social Council"),
        (
            "the United Nations Educational, Scientific and Cultural Organization (UNESCO)",
            "UNESCO",
            "United Nations Educational, Scientific and Cultural Organization",
        ),
        (
            "the High-level Political Forum on Sustainable Development (HLPF)",
            "HLPF",
            "High-level Political Forum on Sustainable Development",
        ),
        (
            "the United Nations Conference on Trade and Development (UNCTAD)",
            "UNCTAD",
            "United Nations Conference on Trade and Development",
        ),
        ("由 Internet Governance Forum（IGF）举办", "IGF", "Internet Governance Forum"),
    ],
)
def test_english_name_before_acronym(text: str, acronym: str, name: str):
    [mined] = mine_terms(text)
    assert (mined.acronym, mined.name, mined.lang) == (acronym, name, "en")
    assert text[mined.start : mined.end].startswith(name)


@pytest.mark.parametrize(
    "text",
    [
        # Years, places, labels and numbers in parentheses.
        "全权代表大会第140号决议（2022年，布加勒斯特，修订版）",
        "完整参考清单（见附件1）",
        "a)\t（a）国际电联的作用",
        "已在八十六（86）个国家",
        # Document symbols and meeting instances, not bodies.
        "两个进程的共同推进方进行了简要介绍（支持文件：CWG-WSIS&SDG-40/INF/4）。",
        "“我们的共同议程”（CWG-WSIS&SDG-39/2）",
        "可持续发展目标峰会成果（CWG-WSIS&SDG-39/4）",
        "包括全权代表大会（PP-22）决议",
        "在第五次联合国最不发达国家大会（LDC5）期间",
        "世界电信和信息社会日（WTISD-24）",
        "信息社会世界峰会（WSIS+20）成果",
        # Lower-case letters: not an acronym.
        "在社会发展委员会第61届会议（CSocD61）期间",
        "WSIS任务组在协调委员会（CoCo）的指导下",
        "科菲·安南（Kofi Annan）",
        # A remark in parentheses, with or without an acronym before it.
        "2023年底的67%（国际电联统计数据）",
        "ITU（国际电联统计数据）",
        "国际电联（与GIZ合作开展的）",
        # Too few of the acronym's letters accounted for by any name before it.
        "领导的执行秘书处（WSIS-ES）",
        "他们还讨论了（ECOSOC）",
        # English words that do not spell the acronym.
        "was adopted by the General Assembly (WSIS)",
    ],
)
def test_not_a_definition(text: str):
    assert mine_terms(text) == []


def test_definitions_come_in_text_order_with_their_spans():
    text = "ITU（国际电信联盟）与联合国教科文组织（UNESCO）"
    assert mine_terms(text) == [
        MinedTerm(acronym="ITU", name="国际电信联盟", lang="zh", start=0, end=11),
        MinedTerm(acronym="UNESCO", name="联合国教科文组织", lang="zh", start=12, end=28),
    ]


def test_mine_document_gives_one_term_per_acronym_with_all_its_names():
    terms = mine_document(DOCS["003"])
    assert [term.id for term in terms] == [f"mined:{acronym}" for acronym, _ in _first_seen(DOCS["003"])]
    ecosoc = next(term for term in terms if term.id == "mined:ECOSOC")
    assert ecosoc.zh == ("经济及社会理事会", "经社理事会")
    assert ecosoc.acronyms == ("ECOSOC",)
    assert ecosoc.en == ""
    assert ecosoc.kind == "unknown"
    assert ecosoc.source == f"mined:{DOCS['003'].doc_id}:11"


def test_mine_document_skips_the_diagram():
    # 000's diagram alone names IGF (互联网治理论坛(IGF)); its fragments carry no clause breaks.
    figure = next(p for p in DOCS["000"].passages if p.kind is Kind.FIGURE)
    assert "互联网治理论坛(IGF)" in figure.text
    assert "mined:IGF" not in {term.id for term in mine_document(DOCS["000"])}


def test_mine_document_sources_name_the_line_of_first_definition():
    terms = {term.id: term for term in mine_document(DOCS["004"])}
    assert terms["mined:PP"].source == f"mined:{DOCS['004'].doc_id}:16"
    assert terms["mined:UNIDO"].source == f"mined:{DOCS['004'].doc_id}:54"


def _first_seen(doc: Document) -> list[tuple[str, str]]:
    """Acronyms in order of their first definition in the document."""
    seen: dict[str, str] = {}
    for passage in doc.passages:
        if passage.kind is not Kind.FIGURE:
            for mined in mine_terms(passage.text):
                seen.setdefault(mined.acronym, mined.name)
    return list(seen.items())
