"""How text becomes index terms: units, symbols, jieba words, and what each import loads."""

from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest

from itudocs.corpus.text import FULLWIDTH_FOLD, HAN
from itudocs.indexer.analysis import (
    SYMBOL,
    UnitTokenizer,
    WordTokenizer,
    fold,
    han_runs,
    make_word_analyzer,
    unit_pattern,
    units,
)

ROOT = Path(__file__).parents[1]
URL = "https://journal.un.org/en/new-york/officials/2025-12-16"


def tokens(analyzer, text: str, **options) -> list[tuple]:
    return [(t.text, t.pos, t.startchar, t.endchar) for t in analyzer(text, positions=True, chars=True, **options)]


def spans(text: str, **options) -> list[tuple[str, int, int, int]]:
    return [(u.text, u.pos, u.start, u.end) for u in units(text, **options)]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("ＩＴＵ－Ｒ第１４０号", "itu-r第140号"),
        ("ＩＴＵ", "itu"),
        ("WSIS+20", "wsis+20"),
        ("国际电联\u3000会议", "国际电联 会议"),
        ("Ａ／ＲＥＳ／７０／１２５", "a/res/70/125"),
        ("第140号决议（2022年）", "第140号决议(2022年)"),
        ("“数字鸿沟”、《议程》；", "“数字鸿沟”、《议程》;"),
    ],
)
def test_fold_keeps_the_length(text: str, folded: str) -> None:
    assert fold(text) == folded
    assert len(fold(text)) == len(text)


def _fold_by_table(text: str) -> str:
    """What ``fold`` was first written as (and every index built before it was made faster
    folded with): every character through one table of full-width forms and ASCII capitals,
    then the whole text lowered, one character for one."""
    table = {code: chr(plain).lower() for code, plain in FULLWIDTH_FOLD.items()}
    text = text.translate(table | {code: chr(code).lower() for code in range(0x41, 0x5B)})
    if not text.isascii():
        lowered = text.lower()
        text = lowered if len(lowered) == len(text) else "".join(c if len(c := ch.lower()) == 1 else ch for ch in text)
    return fold(text) if re.search(f"[{HAN}]", text) else text


def test_fold_is_the_table_fold_for_every_character_and_in_context() -> None:
    # Every character, sixteen at a time: as they are, beside a full-width letter and a
    # capital sigma (which lowers by its context: ΟΔΟΣ → οδος), and with İ (which lowers
    # to two characters), so the fast paths and the slow agree.
    for start in range(0, 0x110000, 16):
        if 0xD800 <= start < 0xE000:
            continue
        run = "".join(map(chr, range(start, start + 16)))
        for text in (run, f"Ａ{run}Σ b", f"{run}İ"):
            assert fold(text) == _fold_by_table(text), (hex(start), text)
    for text in ("ΟΔΟΣ ΣΑΣ", "ＩＴＵ－Ｒ　國際電聯 İstanbul", "第140号决议（2022年）", "\ud800 lone"):
        assert fold(text) == _fold_by_table(text)


def test_unit_pattern_finds_latin_runs_only_whole_as_a_lookbehind_first_would() -> None:
    def lookbehind_first(terms: tuple[str, ...]) -> re.Pattern[str]:
        parts = [rf"(?<![a-z0-9]){re.escape(t)}(?![a-z0-9])" if t[0].isascii() else re.escape(t) for t in terms]
        return re.compile(r"[\W_]*".join(parts))

    text = fold("ITU itu-r ITU2 2ITU, xitu; ITU ITU  國際電聯ITU 140号 a140 140 ITU's (ITU)R")
    for terms in [("itu",), ("itu", "r"), ("140",), ("140", "号"), ("itu", "itu"), ("联", "itu"), ("s",)]:
        found = [m.span() for m in unit_pattern(terms).finditer(text)]
        assert found == [m.span() for m in lookbehind_first(terms).finditer(text)], terms
        assert found, terms
    assert [text[a:b] for a, b in (m.span() for m in unit_pattern(("itu",)).finditer(text))] == ["itu"] * 7


def test_units_of_a_resolution_reference() -> None:
    assert spans("第140号决议") == [
        ("第", 0, 0, 1),
        ("140", 1, 1, 4),
        ("号", 2, 4, 5),
        ("决", 3, 5, 6),
        ("议", 4, 6, 7),
    ]


def test_units_point_into_the_original_text() -> None:
    text = "全权代表大会（ＰＰ）第140号决议"
    for unit in units(text, symbols=True):
        assert fold(text[unit.start : unit.end]) == unit.text
    assert [u.text for u in units(text)][6:9] == ["pp", "第", "140"]


def test_full_width_latin_folds_with_offsets_into_the_original() -> None:
    text = "国际电联（ＩＴＵ）"
    (itu,) = [u for u in units(text) if u.text == "itu"]
    assert (itu.pos, itu.start, itu.end) == (4, 5, 8)
    assert text[itu.start : itu.end] == "ＩＴＵ"


def test_positions_are_word_ordinals_not_character_offsets() -> None:
    found = units("国际电联WSIS+20审查第140号决议")
    assert [u.pos for u in found] == list(range(len(found)))
    assert [u.start for u in found] == [0, 1, 2, 3, 4, 9, 11, 12, 13, 14, 17, 18, 19]
    assert [u.text for u in found][4:6] == ["wsis", "20"]


@pytest.mark.parametrize(
    ("text", "symbol", "pos"),
    [
        ("联大第A/RES/70/125号决议", "a/res/70/125", 3),
        ("支持文件：CWG-WSIS&SDG-40/INF/5和", "cwg-wsis&sdg-40/inf/5", 4),
        ("WSIS+20审查进程", "wsis+20", 0),
        ("由ITU-R和ITU-T共同参与", "itu-r", 1),
        ("2025年“Digital@UNGA – WSIS+20版”", "digital@unga", 2),
        (f"12月16日所作发言内容：{URL}；以及", URL, 10),
        ("第E/RES/2023/3号决议", "e/res/2023/3", 1),
        ("段落2.10.1", "2.10.1", 2),
    ],
)
def test_symbols_are_kept_whole_at_their_first_piece(text: str, symbol: str, pos: int) -> None:
    found = units(text, symbols=True)
    (whole,) = [u for u in found if u.text == symbol]
    (first,) = [u for u in found if u.start == whole.start and u.text != symbol]
    assert whole.pos == first.pos == pos
    assert fold(text[whole.start : whole.end]) == symbol
    assert symbol.startswith(first.text)
    assert symbol not in [u.text for u in units(text)]
    assert all(unit in found for unit in units(text))


def test_a_symbol_stops_before_trailing_punctuation() -> None:
    assert [u.text for u in units("见A/RES/70/1。", symbols=True)] == ["见", "a", "a/res/70/1", "res", "70", "1"]
    assert [m.group() for m in SYMBOL.finditer(fold("www.itu.int/ict4sdg，以及 WSIS-。"))] == ["www.itu.int/ict4sdg"]


def test_a_longer_number_is_a_different_unit() -> None:
    assert [u.text for u in units("第1400号决议")] == ["第", "1400", "号", "决", "议"]


def test_han_runs() -> None:
    assert list(han_runs("国际电联WSIS论坛，第140号")) == [(0, 4), (8, 10), (11, 12), (15, 16)]


def test_unit_tokenizer_gives_whoosh_positions_and_characters() -> None:
    assert tokens(UnitTokenizer(), "ＩＴＵ－Ｒ第61号") == [
        ("itu", 0, 0, 3),
        ("itu-r", 0, 0, 5),
        ("r", 1, 4, 5),
        ("第", 2, 5, 6),
        ("61", 3, 6, 8),
        ("号", 4, 8, 9),
    ]


def test_unit_tokenizer_shifts_by_the_start_of_a_multi_valued_field() -> None:
    assert tokens(UnitTokenizer(), "第140号", start_pos=10, start_char=100) == [
        ("第", 10, 100, 101),
        ("140", 11, 101, 104),
        ("号", 12, 104, 105),
    ]


def test_unit_tokenizer_keeps_the_original_spelling_when_asked() -> None:
    originals = [(t.text, t.original) for t in UnitTokenizer()("ＩＴＵ的", keeporiginal=True)]
    assert originals == [("itu", "ＩＴＵ"), ("的", "的")]


def test_unit_tokenizer_passes_a_value_through_when_not_tokenizing() -> None:
    assert [t.text for t in UnitTokenizer()("第140号决议", tokenize=False)] == ["第140号决议"]


def test_word_tokenizer_keeps_function_words_letters_and_digits() -> None:
    words = [t.text for t in WordTokenizer()("数字鸿沟的问题和挑战了A和B第3条C2")]
    assert words[:8] == ["数字", "鸿沟", "数字鸿沟", "的", "问题", "和", "挑战", "了"]
    assert words[8:] == ["a", "和", "b", "第", "3", "条", "c2"]


def test_word_tokenizer_positions_are_word_ordinals_and_han_words_carry_their_run() -> None:
    found = tokens(WordTokenizer(), "国际电联WSIS论坛")
    assert found == [
        ("国际", 0, 0, 4),
        ("电联", 1, 0, 4),
        ("国际电联", 2, 0, 4),
        ("wsis", 3, 4, 8),
        ("论坛", 4, 8, 10),
    ]


def test_word_tokenizer_does_not_stem_or_drop_acronyms() -> None:
    assert [t.text for t in WordTokenizer()("WSIS和ＳＤＧ的ICT")] == ["wsis", "和", "sdg", "的", "ict"]


@pytest.mark.parametrize("make", [UnitTokenizer, make_word_analyzer])
def test_analyzers_survive_pickling(make) -> None:
    text = "国际电联WSIS+20审查：全权代表大会第140号决议和A/RES/70/125的ＩＴＵ－Ｒ"
    analyzer = make()
    copy = pickle.loads(pickle.dumps(analyzer))
    assert type(copy) is type(analyzer)
    assert tokens(copy, text) == tokens(analyzer, text)
    assert len(tokens(copy, text)) > 10


def imported_after(code: str) -> list[str]:
    script = f"import sys\n{code}\nimport json\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    ("code", "present", "absent"),
    [
        (
            "import itudocs.corpus, itudocs.corpus.readers.textexport, itudocs.corpus.loader",
            ["itudocs.corpus.readers.textexport", "itudocs.corpus.loader"],
            ["whoosh", "jieba"],
        ),
        ("import itudocs.cli", ["itudocs.cli", "click"], ["whoosh", "jieba", "bs4"]),
        ("import itudocs.indexer.analysis", ["itudocs.indexer.analysis", "whoosh"], ["jieba"]),
    ],
)
def test_imports_stay_light(code: str, present: list[str], absent: list[str]) -> None:
    modules = imported_after(code)
    for name in present:
        assert name in modules
    for name in absent:
        assert name not in modules
        assert not any(module.startswith(f"{name}.") for module in modules)


def test_a_search_loads_no_reader(sample_library) -> None:
    code = f"from itudocs import Library\nLibrary({str(sample_library.index_dir)!r}).search('第140号决议')"
    modules = imported_after(code)
    assert "itudocs.search.searcher" in modules
    assert not [name for name in modules if name.startswith(("itudocs.corpus.readers", "itudocs.corpus.loader"))]
    assert "jieba" not in modules and "bs4" not in modules
