"""Property-based tests: generated queries and passages through parsing, analysis, search and export.

Every property test below runs with a fixed seed (``derandomize=True``); together they
feed over 10,000 generated examples (see ``EXAMPLES``) and the file runs in about 30-50 s.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from itudocs.corpus.loader import sample_folder
from itudocs.corpus.model import Citation
from itudocs.corpus.readers.textexport import read_text_export
from itudocs.indexer.analysis import WordTokenizer, fold, units
from itudocs.search.export import CSV_FIELDS, FORMATS, render_to_string
from itudocs.search.library import Library
from itudocs.search.query import MAX_CLAUSES, MAX_QUERY_CHARS, ParsedQuery, QueryError, parse_query, segment
from itudocs.search.results import Hit, SearchResult

# How many examples each property gets; the sum is what the robustness issue asks for.
EXAMPLES = {
    "parse": 4000,
    "analysis": 2700,
    "words": 300,
    "textexport": 1500,
    "search": 700,
    "export": 800,
}
assert sum(EXAMPLES.values()) >= 10_000


def fixed(name: str) -> settings:
    return settings(
        max_examples=EXAMPLES[name],
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# --- text strategies ------------------------------------------------------------------

HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
RARE_HAN = st.sampled_from("㐀䶵豈鶴𠀀𪚥國際電聯號決議們")  # extension A, compatibility, astral, traditional
LATIN = st.sampled_from(string.ascii_letters + string.digits)
FULL_WIDTH = st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E)
PUNCTUATION = st.sampled_from([*string.punctuation, *"。，、；：？！（）《》“”‘’「」『』【】—…·"])
SPACE = st.sampled_from([" ", " ", "\t", "\u3000", "\xa0", "\u200b"])
CONTROL = st.one_of(
    st.characters(min_codepoint=0x01, max_codepoint=0x1F),
    st.sampled_from(["\x7f", "\x85", "\u2028", "\u2029", "\ufeff", "\u202e"]),
)
EMOJI = st.one_of(
    st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF),
    st.sampled_from(["👍🏽", "👨‍👩‍👧", "🇨🇳", "❤️"]),
)
ANY_CHAR = st.characters(exclude_categories=("Cs",))
SURROGATE = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
# Words the sample corpus holds, query syntax, and symbols the analysis treats specially.
WORDS = st.sampled_from(
    [
        "第140号决议",
        "第1400号决议",
        "WSIS",
        "wsis",
        "数字鸿沟",
        "性别",
        "国际电联",
        "國際電聯",
        "ITU-R",
        "ＩＴＵ",
        "A/RES/70/125",
        "2.10.1",
        "CWG-WSIS&SDG",
        "WSIS+20",
        "resolutions",
        "理事会",
        "信息社会世界峰会",
        "OR",
        " OR ",
        "-",
        "--",
        "-WSIS",
        "-理事会",
        '"',
        "“",
        "”",
        "「",
        "」",
        "『",
        "'",
        "\\",
        "|",
        "=1+1",
        "@",
        "zqxtricky",
    ]
)
PIECE = st.one_of(
    WORDS,
    st.text(HAN, min_size=1, max_size=6),
    RARE_HAN,
    st.text(LATIN, min_size=1, max_size=8),
    FULL_WIDTH,
    PUNCTUATION,
    SPACE,
    CONTROL,
    EMOJI,
    ANY_CHAR,
)


def mixed(piece: st.SearchStrategy[str] = PIECE, max_pieces: int = 12) -> st.SearchStrategy[str]:
    return st.lists(piece, max_size=max_pieces).map("".join)


def long_text(piece: st.SearchStrategy[str] = PIECE) -> st.SearchStrategy[str]:
    """Strings of some thousands of characters, up to 10,000: a short mix repeated."""
    repeated = st.lists(piece, min_size=1, max_size=6).map("".join)
    return st.builds(lambda s, n: (s * n)[:10_000], repeated, st.integers(200, 3000))


def text_of(
    piece: st.SearchStrategy[str], any_char: st.SearchStrategy[str], long_share: int = 25
) -> st.SearchStrategy[str]:
    """Mostly short and medium mixes; about one example in ``long_share`` is thousands of characters long."""
    return rarely(
        long_text(piece), st.one_of(mixed(piece), mixed(piece, 60), st.text(any_char, max_size=40)), long_share
    )


def rarely(rare: st.SearchStrategy[str], usual: st.SearchStrategy[str], one_in: int) -> st.SearchStrategy[str]:
    """``rare`` about once in ``one_in`` examples (``one_of`` would give it an equal share)."""
    return st.integers(0, one_in - 1).flatmap(lambda n: rare if n == one_in // 2 else usual)


TEXT = text_of(PIECE, ANY_CHAR)
QUERY_WITH_SURROGATES = text_of(st.one_of(PIECE, SURROGATE), st.characters())


# --- parsing ----------------------------------------------------------------------------


def check_parse(query: str) -> None:
    try:
        parsed = parse_query(query)
    except QueryError as error:
        assert str(error)
        return
    assert isinstance(parsed, ParsedQuery)
    assert parsed.text == query
    assert parsed.groups and all(group for group in parsed.groups)
    clauses = (*parsed.clauses, *parsed.excluded)
    for clause in clauses[:100] + clauses[-100:]:  # a long query has thousands
        assert clause.units, clause  # every clause has something to match
        segment(clause.text, {"数字", "鸿沟", "数字鸿沟", "国际电联"}.__contains__)


@fixed("parse")
@given(TEXT)
def test_parse_query_returns_a_query_or_raises_query_error(query: str) -> None:
    check_parse(query)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(QUERY_WITH_SURROGATES)
@example("\udcff第140号决议")
def test_parse_query_with_lone_surrogates_raises_only_query_error(query: str) -> None:
    check_parse(query)


# --- analysis ---------------------------------------------------------------------------


@fixed("analysis")
@given(text_of(PIECE, ANY_CHAR, long_share=50))
def test_fold_keeps_length_and_units_lie_inside_the_text(text: str) -> None:
    folded = fold(text)
    assert len(folded) == len(text)
    plain = units(text)
    assert [u.pos for u in plain] == list(range(len(plain)))
    for unit, after in itertools.pairwise(plain):
        assert unit.end <= after.start  # in order, never overlapping
    for unit in plain:
        assert 0 <= unit.start < unit.end <= len(text)
        assert folded[unit.start : unit.end] == unit.text
    with_symbols = units(text, symbols=True)
    assert {(u.text, u.pos, u.start) for u in plain} <= {(u.text, u.pos, u.start) for u in with_symbols}
    positions = [u.pos for u in with_symbols]
    assert positions == sorted(positions)
    for unit in with_symbols:
        assert 0 <= unit.start < unit.end <= len(text)
        assert folded[unit.start : unit.end] == unit.text


@fixed("words")
@given(TEXT)
def test_word_tokens_lie_inside_the_text(text: str) -> None:
    tokens = [(t.text, t.pos, t.startchar, t.endchar) for t in WordTokenizer()(text, positions=True, chars=True)]
    assert [pos for _, pos, _, _ in tokens] == list(range(len(tokens)))
    for word, _, start, end in tokens:
        assert word
        assert 0 <= start < end <= len(text)


# --- reading text exports ---------------------------------------------------------------

MARKER = re.compile(r"\[footnoteRef:\d+\]|\[bookmark: [^\]]*\]")
LABEL = st.sampled_from(["", " ", "一", "II", "a)", "(b)", "iii)", "2.10.1", "1)", "（一）", "•", "-", "67", "X"])
BOOKMARK = st.builds(lambda name: f"[bookmark: {name}]", st.text(st.sampled_from("_Annex12 ab"), max_size=8))
CALL = st.builds(lambda n: f"[footnoteRef:{n}]", st.integers(0, 30))
# What a line's body is made of: text, bookmarks and footnote calls.
BODY = st.lists(st.one_of(PIECE, PIECE, PIECE, BOOKMARK, CALL), max_size=15).map("".join)
NOTE = st.builds(
    lambda n, mark, body: f"[{n}:{mark}{body}]",
    st.integers(0, 30),
    st.sampled_from(["", " ", "  \t", " 1\t", " *\t"]),
    st.lists(st.one_of(PIECE, BOOKMARK), max_size=8).map("".join),
)
LINE = st.one_of(
    BODY,
    st.builds(lambda label, body: f"{label}\t{body}", LABEL, BODY),
    st.builds(lambda body, notes: body + " " + " ".join(notes), BODY, st.lists(NOTE, min_size=1, max_size=3)),
    st.sampled_from(["", "目的", "理事会需采取的行动", "附件2", "Annex 1", "_______________", "参考文件"]),
    st.text(HAN, min_size=1, max_size=12),  # a diagram's fragment
)
DOCUMENT = st.one_of(
    st.lists(LINE, max_size=40).map("\n".join),
    st.lists(LINE, max_size=30).map("\r\n".join),
    TEXT,
)


@fixed("textexport")
@given(DOCUMENT)
def test_read_text_export_never_raises_and_leaves_no_marker(text: str) -> None:
    # Only whole markers may spell these words: text pieces that happen to form one are not markers.
    assume(not re.search("footnoteRef|bookmark", MARKER.sub("", text)))
    doc = read_text_export(text, doc_id="gen", source="gen.txt", sha256="0" * 64)
    line_count = len(text.splitlines())
    for passage in doc.passages:
        for where in (passage.text, *passage.citation.section, passage.citation.title):
            assert "footnoteRef" not in where
            assert "[bookmark:" not in where
        if passage.kind.value != "footnote":
            assert passage.text.strip()
        assert 1 <= passage.citation.line <= line_count
        assert all(0 <= call.offset <= len(passage.text) for call in passage.calls)
    assert "footnoteRef" not in doc.title and "[bookmark:" not in doc.title


# --- search and export on an index ------------------------------------------------------

TRICKY_DOCS = {
    "tricky": (
        "我们的标题\n"
        " \t目的\n"
        "本文件讨论数字鸿沟 zqxtricky，引用 A/RES/70/125 与 第140号决议。\n"
        "背景 | 与 \\ 反斜杠\n"
        "1\t表格|竖线|和 **星号** 与 `代码` zqxtricky。\n"
        "2\t“引号”和\"双引号\",逗号,以及 'single' zqxtricky。\n"
        "3\t控制字符\x01\x02\x1f 与 emoji 👨‍👩‍👧🇨🇳 zqxtricky。\n"
        "正文带脚注[footnoteRef:1] [1: 脚注说明 zqxtricky | =HYPERLINK(1)]\n"
    ),
    "formula": (
        "公式文件\n"
        " \t目的\n"
        "=1+1\t标签是公式的段落 zqxtricky。\n"
        "-\t破折号标签的段落 zqxtricky。\n"
        "=SUM(A1) 开头的段落 zqxtricky。\n"
        "+86 电话 zqxtricky。\n"
        "@某人 提到 zqxtricky。\n"
        "\t以制表符开头的段落 zqxtricky。\n"
    ),
    "english": (
        "Council Report\n"
        "Purpose\n"
        "This report on WSIS and the digital divide cites Resolution 140 (Rev. Bucharest, 2022).\n"
        "a)\tResolutions | pipes \\ and *stars* zqxtricky.\n"
    ),
}


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    root = tmp_path_factory.mktemp("property-index")
    folder = root / "docs"
    folder.mkdir()
    for name, text in TRICKY_DOCS.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    library = Library(root / "ix")
    library.index(sample_folder())
    report = library.index(folder)
    assert sorted(report.added) == sorted(TRICKY_DOCS)
    return library


def unescaped_pipes(line: str) -> int:
    count, escaped = 0, False
    for ch in line:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "|":
            count += 1
    return count


def check_exports(result: SearchResult) -> None:
    """Every format renders; JSON, JSONL and CSV parse back; CSV is inert; Markdown rows hold."""
    hits = result.hits
    meta = {"exported_at": "2026-01-01T00:00:00+00:00", "index": "ix"}
    dicts = [json.loads(json.dumps(hit.to_dict(), ensure_ascii=False)) for hit in hits]
    for fmt in FORMATS:
        out = render_to_string(result, fmt, meta=None if fmt == "text" else meta)
        if fmt == "text":
            assert f"\n{result.total} passage" in "\n" + out
        elif fmt == "json":
            body = json.loads(out)
            assert body["total"] == result.total and body["query"] == result.query
            assert body["hits"] == dicts
            assert body["index"] == "ix"
        elif fmt == "jsonl":
            lines = out.split("\n")
            assert lines[-1] == ""
            assert [json.loads(line) for line in lines[:-1]] == [d | {"partial": result.partial} | meta for d in dicts]
        elif fmt == "csv":
            assert out.startswith("\ufeff")
            rows = list(csv.reader(io.StringIO(out[1:], newline="")))
            assert rows[0] == [*CSV_FIELDS, "partial", *meta]
            assert len(rows) == len(hits) + 1
            for row, hit in zip(rows[1:], hits, strict=True):
                assert len(row) == len(rows[0])
                assert row[0] in (hit.id, "'" + hit.id)
                assert row[CSV_FIELDS.index("text")] in (hit.text, "'" + hit.text)
                for cell in row:
                    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (cell, row)
        else:
            lines = re.split(r"\r\n|\r|\n", out)
            table = lines.index("| # | document | section | ¶ / fn | passage | source |")
            rows = [line for line in lines[table + 2 :] if line]
            assert len(rows) == len(hits)
            for row in rows:
                assert row.startswith("| ") and row.endswith(" |")
                assert unescaped_pipes(row) == 7, row


def check_hit(hit: Hit) -> None:
    assert 0 <= hit.window[0] <= hit.window[1] <= len(hit.text)
    for start, end in hit.highlights:
        assert 0 <= start < end <= len(hit.text)


# Queries of up to some hundreds of characters; longer ones are test_long_queries_… below.
SEARCH_QUERY = st.one_of(
    st.lists(st.one_of(WORDS, WORDS, WORDS, PIECE), min_size=1, max_size=6).map(" ".join),
    mixed(),
    mixed(max_pieces=40),
    st.text(ANY_CHAR, max_size=40),
)
DOC_FILTER = st.one_of(
    st.none(), st.sampled_from(["tricky", "formula", "english", "00", "003", "Council", "报告"]), mixed(max_pieces=3)
)
SECTION_FILTER = st.one_of(st.none(), st.sampled_from(["目的", "参考文件", "Purpose"]), mixed(max_pieces=3))
KIND_FILTER = st.one_of(
    st.none(), st.sampled_from(["paragraph", "heading", "footnote", "figure"]), st.text(LATIN, max_size=5)
)


@fixed("search")
@given(
    query=SEARCH_QUERY,
    limit=st.one_of(st.none(), st.integers(1, 20)),
    doc=DOC_FILTER,
    section=SECTION_FILTER,
    kind=KIND_FILTER,
)
def test_search_returns_or_raises_query_error_and_every_export_holds(
    library: Library, query: str, limit: int | None, doc: str | None, section: str | None, kind: str | None
) -> None:
    try:
        result = library.search(query, limit=limit, doc=doc, section=section, kind=kind)
    except QueryError as error:
        assert str(error)
        return
    assert len(result.hits) <= result.total
    if limit is not None:
        assert len(result.hits) <= limit
    for hit in result.hits:
        check_hit(hit)
        if kind:
            assert hit.kind == kind
    check_exports(result)


@settings(max_examples=5, deadline=None, derandomize=True, database=None)
@given(long_text(st.one_of(WORDS, PIECE)))
@example("a " * 2000)
def test_long_queries_return_or_raise_query_error(library: Library, query: str) -> None:
    try:
        library.search(query, limit=10)
    except QueryError as error:
        message = str(error)
        too_many = re.fullmatch(
            rf"the query has (\d+) words and phrases; at most {MAX_CLAUSES} are searched together",
            message,
        )
        too_long = re.fullmatch(rf"the query has (\d+) characters; at most {MAX_QUERY_CHARS} are searched", message)
        if too_many:
            assert int(too_many.group(1)) > MAX_CLAUSES
        elif too_long:
            assert int(too_long.group(1)) == len(query) > MAX_QUERY_CHARS
        else:
            assert message == "nothing to search for: the query has no letters, digits or Chinese characters"
            assert not any(ch.isalnum() for ch in query)


def test_over_long_queries_say_what_is_too_many(library: Library) -> None:
    with pytest.raises(QueryError, match=r"^the query has 500 words and phrases; at most 400 are searched together$"):
        library.search(" ".join(["国"] * 500))
    with pytest.raises(QueryError, match=r"^the query has 5000 characters; at most 4000 are searched$"):
        library.search("a " * 2500)


# --- export of arbitrary hits ---------------------------------------------------------

# One cheap draw per character: what breaks formats, and a spread of scripts and symbols.
FIELD_CHAR = st.sampled_from(
    [
        *"=+-@\t\r\n|\\*`_'\",，。「」《》 #[]()<>&;:",
        *string.ascii_letters[::3],
        *string.digits[::2],
        *"第号决议国际电联數字鸿沟",
        *"\x00\x01\x1b\x7f\x85\u2028\u200b\ufeff\u202e\xa0\u3000",
        *"😀👍🏽🇨🇳𠀀ﬀİß",
    ]
)
FIELD_TEXT_WITH_CR = st.one_of(
    st.text(FIELD_CHAR, max_size=12), st.sampled_from(["", "=1+1", "-1", "+x", "@a", "\tx", "|", "\\|", "a\rb"])
)
# Readers split files into lines, so no field they fill holds a CR; see test_markdown_rows_survive_cr.
FIELD_TEXT = FIELD_TEXT_WITH_CR.map(lambda s: s.replace("\r", " "))
NO_FORMULA_TEXT = FIELD_TEXT.filter(lambda s: not s.startswith(("=", "+", "-", "@", "\t")))


@st.composite
def hits(
    draw: st.DrawFn,
    field_text: st.SearchStrategy[str] = FIELD_TEXT,
    section_text: st.SearchStrategy[str] = NO_FORMULA_TEXT,
) -> Hit:
    text = draw(rarely(long_text(), mixed(max_pieces=20), 25).map(lambda s: s.replace("\r", " ")))
    points = sorted(draw(st.lists(st.integers(0, len(text)), max_size=6)))
    spans = tuple((a, b) for a, b in zip(points[::2], points[1::2], strict=False) if a < b)
    window = tuple(sorted(draw(st.lists(st.integers(0, len(text)), min_size=2, max_size=2))))
    footnote = draw(st.one_of(st.none(), st.integers(0, 999)))
    return Hit(
        id=draw(field_text),
        kind=draw(st.sampled_from(["paragraph", "heading", "footnote", "figure"])),
        lang=draw(st.sampled_from(["zh", "en", "mixed"])),
        text=text,
        file=draw(st.one_of(st.just(""), field_text.map(lambda name: f"/docs/{name}.txt"))),
        citation=Citation(
            doc_id=draw(field_text),
            title=draw(field_text),
            section=tuple(draw(st.lists(section_text, max_size=3))),
            label=draw(st.one_of(st.none(), field_text)),
            footnote=footnote,
            line=draw(st.integers(0, 10**6)),
        ),
        score=draw(st.floats(-1e9, 1e9, allow_nan=False)),
        highlights=spans,
        window=(window[0], window[1]),
        footnotes=tuple(draw(st.lists(st.integers(0, 99), max_size=3))),
        called_from=draw(st.one_of(st.none(), field_text)),
    )


@fixed("export")
@given(query=mixed(max_pieces=8), found=st.lists(hits(), max_size=3), extra=st.integers(0, 5))
def test_every_export_format_holds_for_any_hits(query: str, found: list[Hit], extra: int) -> None:
    result = SearchResult(query=query, total=len(found) + extra, hits=tuple(found))
    check_exports(result)


def one_hit(**citation: object) -> Hit:
    return Hit(
        id="x:1",
        kind="paragraph",
        lang="zh",
        text="正文",
        file="/docs/x.txt",
        citation=Citation(**{"doc_id": "x", "title": "标题", "line": 3, **citation}),  # type: ignore[arg-type]
    )


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(found=st.lists(hits(section_text=FIELD_TEXT), min_size=1, max_size=3))
@example(found=[one_hit(section=("=SUM(A1) 公式标题",))])
def test_csv_section_cells_are_neutralised(found: list[Hit]) -> None:
    check_exports(SearchResult(query="q", total=len(found), hits=tuple(found)))


def test_csv_section_cells_are_neutralised_on_an_index(tmp_path: Path) -> None:
    """The same, end to end: a heading that starts with '=' reaches the CSV cell unneutralised."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "x.txt").write_text(" \t目的\n正文一。\n=SUM(A1) 公式标题\n第二段落提到数字鸿沟。\n", encoding="utf-8")
    library = Library(tmp_path / "ix")
    library.index(folder)
    result = library.search("数字鸿沟", limit=None)
    assert [hit.citation.section for hit in result.hits] == [("=SUM(A1) 公式标题",)]
    out = render_to_string(result, "csv")
    section = list(csv.reader(io.StringIO(out[1:], newline="")))[1][CSV_FIELDS.index("section")]
    assert section == "'=SUM(A1) 公式标题"


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(found=st.lists(hits(field_text=FIELD_TEXT_WITH_CR), min_size=1, max_size=3))
@example(found=[one_hit(title="第一行\r第二行")])
def test_markdown_rows_survive_cr(found: list[Hit]) -> None:
    check_exports(SearchResult(query="q", total=len(found), hits=tuple(found)))
