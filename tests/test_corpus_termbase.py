"""The shipped termbase: every row well formed, every name findable, errors located."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from itudocs.corpus.errors import CorpusError
from itudocs.corpus.loader import sample_folder
from itudocs.corpus.termbase import KINDS, Term, load_termbase, shipped_termbase
from itudocs.indexer.analysis import name_key

TERMS = load_termbase()
BY_ID = {term.id: term for term in TERMS}

# Names two entries share on purpose (see the comment at the top of termbase.tsv).
SHARED = {
    "能力建设": {"capacity-building", "action-line-c4"},
    "树立使用ict的信心并提高安全性": {"cybersecurity", "action-line-c5"},
    "网络安全": {"cybersecurity", "action-line-c5"},
}

# Standard UN and ITU Chinese names that the five sample documents happen not to use.
# Every other Chinese variant must occur in the sample, so a new one is either attested
# there or added here on purpose.
NOT_IN_SAMPLE = {
    "电信标准化部门",
    "国际电联电信标准化部门",
    "国际电联无线电通信部门",
    "电信发展部门",
    "国际电联电信发展部门",
    "无线电通信全会",
    "世界无线电通信大会",
    "信息社会世界首脑会议",
    "行政首长协调会",
    "联合国统计委员会",
    "经社部",
    "工发组织",
    "儿基会",
    "联合国粮食及农业组织",
    "粮农组织",
    "世界气象组织",
    "气象组织",
    "世界卫生组织",
    "世卫组织",
    "万国邮政联盟",
    "万国邮联",
    "国际贸易中心",
    "联合国环境规划署",
    "环境署",
    "联合国人类住区规划署",
    "人居署",
    "人权高专办",
    "裁军事务厅",
    "联合国裁军事务厅",
    "亚洲及太平洋经济社会委员会",
    "拉加经委会",
    "拉丁美洲和加勒比经济委员会",
    "西亚经济社会委员会",
    "非洲经委会",
    "非洲经济委员会",
    "欧洲经委会",
}

# What the brief for the termbase asks it to hold: id -> names it must have.
REQUIRED = {
    "itu": {"ITU", "国际电联", "国际电信联盟"},
    "wsis": {"WSIS", "信息社会世界峰会", "信息社会世界高峰会议", "信息社会世界首脑会议"},
    "action-line": {"行动方面", "行动方针"},
    "action-line-facilitator": {"推进方", "促进者", "协调方"},
    "unga": {"UNGA", "联合国大会", "联大"},
    "ecosoc": {"ECOSOC", "经济及社会理事会", "经济与社会理事会", "经社理事会"},
    "cstd": {"CSTD", "科学和技术促进发展委员会", "科学技术促进发展委员会"},
    "hlpf": {"HLPF", "高级别政治论坛", "可持续发展高级别政治论坛"},
    "gdc": {"GDC", "全球数字契约"},
    "ungis": {"UNGIS", "联合国信息社会小组"},
    "igf": {"IGF", "互联网治理论坛"},
    "sdgs": {"SDGs", "可持续发展目标"},
    "agenda-2030": {"2030年可持续发展议程", "2030年议程"},
    "pp": {"PP", "全权代表大会"},
    "itu-council": {"理事会"},
    "wtdc": {"WTDC", "世界电信发展大会"},
    "wtsa": {"WTSA", "世界电信标准化全会"},
    "ra": {"RA", "无线电通信全会"},
    "wrc": {"WRC", "世界无线电通信大会"},
    "itu-t": {"ITU-T", "电信标准化部门"},
    "itu-r": {"ITU-R", "无线电通信部门"},
    "itu-d": {"ITU-D", "电信发展部门"},
    "cwg-wsis-sdg": {"CWG-WSIS&SDG", "理事会WSIS和SDG工作组", "理事会信息社会世界峰会和可持续发展目标工作组"},
    "unesco": {"UNESCO", "教科文组织", "联合国教育、科学及文化组织"},
    "undp": {"UNDP", "开发计划署", "联合国开发计划署"},
    "unctad": {"UNCTAD", "贸发会议", "联合国贸易和发展会议", "贸发大会"},
    "un-desa": {"UN DESA", "经济和社会事务部"},
    "summit-of-the-future": {"未来峰会"},
    "tunis-agenda": {"突尼斯议程", "信息社会突尼斯议程"},
    "geneva-plan": {"日内瓦行动计划"},
    "geneva-declaration": {"日内瓦原则宣言"},
    "wsis-forum": {"WSIS论坛", "信息社会世界峰会论坛"},
    "wsis-stocktaking": {"清点工作"},
    "digital-divide": {"数字鸿沟"},
    "gender-digital-divide": {"性别数字鸿沟"},
    "capacity-building": {"能力建设"},
    "cybersecurity": {"网络安全"},
    "action-line-c2": {"C2", "信息和通信基础设施"},
    "action-line-c4": {"C4", "能力建设"},
    "action-line-c5": {"C5", "树立使用ICT的信心并提高安全性"},
    "action-line-c6": {"C6", "环境建设", "创建有利环境"},
    "partnership-measuring-ict4d": {"衡量信息通信技术促发展伙伴关系"},
    "ai": {"AI", "人工智能"},
    "ict": {"ICT", "信息通信技术"},
    "iawg-ai": {"IAWG-AI"},
    "escap": {"ESCAP", "亚太经社会"},
    "equals": {"EQUALS"},
    "giga": {"GIGA"},
}

HEADER = "id\ten\tacronyms\tzh\tkind\n"
GOOD_ROW = "igf\tInternet Governance Forum\tIGF\t互联网治理论坛\tconference\n"


def sample_text() -> str:
    # Line breaks removed: the diagram text of 000 breaks names across fragments.
    return "".join(path.read_text(encoding="utf-8") for path in sorted(sample_folder().glob("*.txt"))).replace("\n", "")


def test_every_entry_has_an_english_and_a_chinese_name():
    assert 60 <= len(TERMS) <= 120
    for term in TERMS:
        assert term.en, term.id
        assert term.zh, term.id
        assert term.kind in KINDS, term.id
        assert term.source == "termbase", term.id


def test_ids_are_unique():
    assert len(BY_ID) == len(TERMS)


def test_only_documented_names_are_shared():
    holders: dict[str, set[str]] = defaultdict(set)
    for term in TERMS:
        for name in term.names:
            holders[name_key(name)].add(term.id)
    shared = {name: ids for name, ids in holders.items() if len(ids) > 1}
    assert shared == SHARED


def test_every_chinese_variant_is_in_use():
    text = sample_text()
    unattested = {name for term in TERMS for name in term.zh if name not in text}
    assert unattested == NOT_IN_SAMPLE


@pytest.mark.parametrize(("term_id", "names"), sorted(REQUIRED.items()))
def test_required_entry(term_id: str, names: set[str]):
    assert names <= set(BY_ID[term_id].names)


def test_all_eleven_action_lines_have_a_code_and_a_chinese_name():
    for n in range(1, 12):
        term = BY_ID[f"action-line-c{n}"]
        assert term.acronyms == (f"C{n}",)
        assert term.zh


def test_names_lists_each_spelling_once():
    term = Term(id="x", en="EQUALS", acronyms=("EQUALS",), zh=("EQUALS",), kind="programme", source="termbase")
    assert term.names == ("EQUALS",)


def test_default_path_is_the_shipped_file():
    assert load_termbase() == load_termbase(shipped_termbase())
    assert shipped_termbase().name == "termbase.tsv"


def test_comments_and_blank_lines_are_skipped(tmp_path: Path):
    path = tmp_path / "terms.tsv"
    path.write_text("# a comment\n\n" + HEADER + "# another\n" + GOOD_ROW + "\n", encoding="utf-8")
    [term] = load_termbase(path)
    assert term == Term(
        id="igf",
        en="Internet Governance Forum",
        acronyms=("IGF",),
        zh=("互联网治理论坛",),
        kind="conference",
        source="termbase",
    )


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("igf\tInternet Governance Forum\tIGF\t互联网治理论坛\n", "4 columns, expected 5"),
        ("igf\tInternet Governance Forum\tIGF\t互联网治理论坛\tforum\n", "kind 'forum'"),
        ("IGF\tInternet Governance Forum\tIGF\t互联网治理论坛\tconference\n", "id 'IGF'"),
        ("igf\t\tIGF\t互联网治理论坛\tconference\n", "no English name"),
        ("igf\tInternet Governance Forum\tIGF\t\tconference\n", "no Chinese name"),
        ("igf\tInternet Governance Forum\tIGF\t互联网治理论坛||论坛\tconference\n", "empty variant in zh"),
        ("igf\tInternet Governance Forum\t互联网治理论坛\tIGF\tconference\n", "is Chinese"),
        (GOOD_ROW, "id 'igf' used twice"),
    ],
)
def test_malformed_row_names_file_and_line(tmp_path: Path, row: str, problem: str):
    path = tmp_path / "terms.tsv"
    path.write_text("# header next\n" + HEADER + GOOD_ROW + row, encoding="utf-8")
    with pytest.raises(CorpusError) as caught:
        load_termbase(path)
    assert caught.value.path == str(path)
    assert caught.value.problem.startswith("line 4: ")
    assert problem in caught.value.problem


def test_wrong_header_is_an_error(tmp_path: Path):
    path = tmp_path / "terms.tsv"
    path.write_text("id\tname\tacronyms\tzh\tkind\n" + GOOD_ROW, encoding="utf-8")
    with pytest.raises(CorpusError, match=r"terms\.tsv: line 1: header must be"):
        load_termbase(path)


def test_missing_file_is_an_error(tmp_path: Path):
    with pytest.raises(CorpusError, match="cannot read termbase"):
        load_termbase(tmp_path / "absent.tsv")
