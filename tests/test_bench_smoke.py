"""The benchmarks in bench/ run end to end on tiny inputs, so they cannot rot.

Their real runs are not part of CI (see bench/README.md); these run each script as
a user would, from the repository root, and check what it prints and writes.
"""

from __future__ import annotations

import csv
import json
import math
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from itudocs.corpus.loader import discover, read_document, sample_folder

ROOT = Path(__file__).resolve().parent.parent
SUMMARY_KEYS = {"pass", "pass_all", "pass_top", "recall_all", "recall_10", "ndcg_10", "mrr_10", "queries_per_second"}
ENGINES = ["itudocs", "substring", "whoosh+jieba", "whoosh bm25f", "fts5 porter"]


def run_bench(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def first_column(stdout: str) -> list[str]:
    """The first cell of each body row of the Markdown tables in ``stdout``."""
    rows = [line.split("|")[1].strip() for line in stdout.splitlines() if line.startswith("| ")]
    return [cell for cell in rows if cell not in ("engine", "measure", "qid")]


def test_every_judged_snippet_lies_in_exactly_one_passage_with_its_label() -> None:
    passages = {source.path.name: read_document(source).passages for source in discover(sample_folder())}
    with open(ROOT / "bench" / "queries" / "council.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert len({row["id"] for row in rows}) >= 40
    for row in rows:
        holding = [p for p in passages[row["file"]] if row["snippet"] in p.text]
        assert len(holding) == 1, f"{row['id']}: {row['snippet']!r} is in {len(holding)} passages of {row['file']}"
        if row["label"]:
            assert holding[0].citation.label == row["label"], f"{row['id']}: {row['snippet']!r}"


def test_relevance_runs_the_shared_set_with_every_engine(tmp_path: Path) -> None:
    out = run_bench("relevance.py", "--set", "shared", "--json", str(tmp_path / "relevance.json"))

    assert first_column(out) == ENGINES
    data = json.loads((tmp_path / "relevance.json").read_text(encoding="utf-8"))
    [shared] = data["sets"]
    assert (shared["name"], shared["queries"]) == ("shared", 14)
    assert list(shared["engines"]) == ENGINES
    for engine in shared["engines"].values():
        assert set(engine["summary"]) == SUMMARY_KEYS
        assert [q["qid"] for q in engine["queries"]] == [f"q{n:02d}" for n in range(1, 15)]
    # The substring scan is the fixed point: every passage holding 第140号决议, and nothing else.
    q01 = shared["engines"]["substring"]["queries"][0]
    assert (q01["passed"], q01["recall"], q01["hits"]) == (True, 1.0, 9)


def write_toy_collection(folder: Path) -> list[str]:
    """Three judged queries (and one without judgments) over seven one-line passages."""
    passages = {
        "d1": "国际电联发布了第140号决议的执行报告。",
        "d2": "理事会审议了关于数字鸿沟的提案。",
        "d3": "弥合数字鸿沟需要各方合作。",
        "d4": "本文件不涉及上述主题。",
        "d5": "秘书长向理事会提交了年度报告。",
        "d6": "数码鸿沟问题仍然突出。",
        "d7": "全球数字契约与信息社会世界峰会相互补充。",
    }
    (folder / "passages.jsonl").write_text(
        "".join(json.dumps({"id": k, "text": v}, ensure_ascii=False) + "\n" for k, v in passages.items()),
        encoding="utf-8",
    )
    (folder / "queries.tsv").write_text("q1\t第140号决议\nq2\t数字鸿沟\nq3\t报告\nq4\t未评的查询\n", encoding="utf-8")
    qrels = ["q1 0 d1 1", "q2 0 d2 1", "q2 0 d3 2", "q2 0 d6 1", "q3 0 d5 1", "q3 0 d4 0"]
    (folder / "qrels.txt").write_text("\n".join(qrels) + "\n", encoding="utf-8")
    files = {"--qrels": "qrels.txt", "--queries": "queries.tsv", "--passages": "passages.jsonl"}
    return [part for option, name in files.items() for part in (option, str(folder / name))]


def test_relevance_scores_a_trec_collection_as_computed_by_hand(tmp_path: Path) -> None:
    args = write_toy_collection(tmp_path)
    run_bench("relevance.py", *args, "--json", str(tmp_path / "trec.json"))

    [trec] = json.loads((tmp_path / "trec.json").read_text(encoding="utf-8"))["sets"]
    assert trec["queries"] == 3  # q4 has no judgments; d4's rel 0 is not relevant
    scan = {q["qid"]: q for q in trec["engines"]["substring"]["queries"]}
    # q1: the one relevant passage, alone.
    assert (scan["q1"]["recall"], scan["q1"]["ndcg"], scan["q1"]["rr"]) == (1.0, 1.0, 1.0)
    # q2: d2 and d3 at ranks 1 and 2; d6 says 数码鸿沟 and is missed. Ideal: three relevant.
    ndcg_q2 = (1 + 1 / math.log2(3)) / (1 + 1 / math.log2(3) + 1 / math.log2(4))
    assert scan["q2"]["passed"] is False
    assert scan["q2"]["recall"] == pytest.approx(2 / 3, abs=1e-4)
    assert scan["q2"]["ndcg"] == pytest.approx(ndcg_q2, abs=1e-4)
    assert scan["q2"]["rr"] == 1.0
    # q3: in document order d1 (not relevant) comes before d5.
    assert (scan["q3"]["recall"], scan["q3"]["rr"]) == (1.0, 0.5)
    assert scan["q3"]["ndcg"] == pytest.approx(1 / math.log2(3), abs=1e-4)
    summary = trec["engines"]["substring"]["summary"]
    assert summary["pass"] == [2, 3]
    assert summary["recall_all"] == pytest.approx((1 + 2 / 3 + 1) / 3, abs=1e-4)
    assert summary["ndcg_10"] == pytest.approx((1 + ndcg_q2 + 1 / math.log2(3)) / 3, abs=1e-4)
    assert summary["mrr_10"] == pytest.approx((1 + 1 + 0.5) / 3, abs=1e-4)
    # The ranking engines order q3 by BM25, but q1 has a single answer for everyone.
    for engine in ("itudocs", "whoosh+jieba", "whoosh bm25f", "fts5 porter"):
        q1, _, q3 = trec["engines"][engine]["queries"]
        assert (q1["recall"], q1["ndcg"], q1["rr"], q3["recall"]) == (1.0, 1.0, 1.0, 1.0)


def test_speed_runs_every_measure_on_a_tiny_corpus(tmp_path: Path) -> None:
    out = run_bench("speed.py", "--sizes", "300", "--repeats", "1", "--json", str(tmp_path / "speed.json"))

    assert first_column(out) == [
        "ingest, 300",
        "top 10 p50, 300",
        "top 10 p95, 300",
        "long query top 10 p50, 300",
        "long query top 10 p95, 300",
        "count p50, 300",
        "count p95, 300",
        "count p95 vs FTS5, 300",
        "every hit p50, 300",
        "every hit p95, 300",
        "index build, 300",
        "index size, 300",
        "peak RSS indexing, 300",
        "peak RSS warm searcher, 300",
        "itudocs search 第140号决议, fresh, 300",
        "itudocs search 第140号决议, fresh, sample",
    ]
    data = json.loads((tmp_path / "speed.json").read_text(encoding="utf-8"))
    assert set(data) == {
        "benchmark", "machine", "repeats", "wall_seconds", "query_mix", "long_query_mix", "sizes", "e2e", "rows"
    }  # fmt: skip
    size = data["sizes"]["300"]
    # The generator's passage count is the engine's: the sizes measured are the sizes claimed.
    assert size["passages"] == size["indexed_passages"] == 300
    assert size["skipped_files"] == 0
    timed = {"limit_10", "every_hit", "count", "fts5_top_10", "fts5_count", "fts5_every_hit", "grep"}
    timed |= {"long_limit_10", "fts5_or_top_10"}
    assert set(size["queries"]) == timed | {"searcher_peak_rss"}
    assert all(len(size["queries"][name]["p95"]) == 1 for name in timed)
    assert len(data["e2e"]["itudocs_seconds"]) == len(data["e2e"]["python_seconds"]) == 5
    assert len(size["fresh"]["itudocs_seconds"]) == 5
    assert [row["measure"] for row in data["rows"]] == first_column(out)


def test_ingest_indexes_each_kind_of_text_whole_and_against_jieba(tmp_path: Path) -> None:
    out = run_bench("ingest.py", "--mb", "0.1", "--json", str(tmp_path / "ingest.json"))

    assert first_column(out) == ["text", "many files, generated", "one file, generated", "one file, varied"]
    many, one, varied = json.loads((tmp_path / "ingest.json").read_text(encoding="utf-8"))["rows"]
    # The same text, as many files and as one: the same passages indexed from both.
    assert many["bytes"] == one["bytes"] and many["passages"] == one["passages"] > 200
    assert one["files"] == varied["files"] == 1 and many["files"] > 1
    assert varied["bytes"] >= 100_000 and varied["passages"] > 200
    assert all(len(row["index_s"]) == len(row["jieba_s"]) == len(row["index_cpu"]) == 1 for row in (many, one, varied))


def test_every_hit_compares_with_fts5_and_another_checkout(tmp_path: Path) -> None:
    # This checkout stands in for the other one: a folder holding a package named itudocs.
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "itudocs").symlink_to(ROOT, target_is_directory=True)
    other, report = str(tmp_path / "other"), str(tmp_path / "e.json")
    out = run_bench(
        "every_hit.py",
        str(tmp_path / "work"),
        "--passages",
        "300",
        "--repeats",
        "1",
        "--other",
        other,
        "--json",
        report,
    )

    mix = json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))["runs"]
    assert first_column(out)[-2:] == ["p50", "p95"]
    assert set(mix) == {"itudocs", "other", "fts5"}
    found = {engine: {query: hits for query, (hits, _) in runs[0].items()} for engine, runs in mix.items()}
    # The same code on the same index finds the same hits, and a reference with no other
    # name as many as FTS5's rows holding it.
    assert found["itudocs"] == found["other"]
    assert found["itudocs"]["第140号决议"] == found["fts5"]["第140号决议"] > 0
    # The corpus, the index and the FTS5 table stay for the next run to reuse.
    assert sorted(p.name for p in (tmp_path / "work").iterdir()) == ["docs", "fts5.sqlite", "index"]


def test_every_hit_times_another_checkout_on_an_index_of_its_own(tmp_path: Path) -> None:
    # Across a change of the index format each checkout reads the index it built: here the
    # other one reads the index of a smaller corpus, so its hits tell which index it read.
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "itudocs").symlink_to(ROOT, target_is_directory=True)
    small, large = tmp_path / "small.json", tmp_path / "large.json"
    run_bench("every_hit.py", str(tmp_path / "small"), "--passages", "100", "--repeats", "1", "--json", str(small))
    other = ("--other", str(tmp_path / "other"), "--other-index", str(tmp_path / "small" / "index"))
    run_bench(
        "every_hit.py", str(tmp_path / "large"), "--passages", "300", *other, "--repeats", "1", "--json", str(large)
    )

    def found(report: Path) -> dict[str, dict[str, int]]:
        runs = json.loads(report.read_text(encoding="utf-8"))["runs"]
        return {engine: {query: hits for query, (hits, _) in mix[0].items()} for engine, mix in runs.items()}

    assert found(large)["other"] == found(small)["itudocs"] != found(large)["itudocs"]
    failed = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "every_hit.py"), str(tmp_path / "large"), "--other-index", "x"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert failed.returncode == 2 and "--other-index needs --other" in failed.stderr


def test_pdf_speed_reads_both_documents_with_every_reader(tmp_path: Path) -> None:
    out = run_bench("pdf_speed.py", "--pages", "2", "--repeats", "1", "--json", str(tmp_path / "pdf.json"))
    documents = {row.split(",")[0] for row in first_column(out) if row != "document"}
    assert documents == {"Chinese", "English"}
    results = json.loads((tmp_path / "pdf.json").read_text(encoding="utf-8"))["results"]
    assert {r["reader"] for r in results} >= {"itudocs", "pypdfium2 text"}
    assert all(r["pages"] >= 2 and len(r["seconds"]) == 1 for r in results)


def test_web_compares_the_api_with_the_cli_and_the_library(tmp_path: Path) -> None:
    out = run_bench("web.py", "--rounds", "1", "--queries", "3", "--json", str(tmp_path / "web.json"))

    assert first_column(out) == [
        "way",
        "/api/search (warm server)",
        "itudocs search -f json (new process)",
        "Library.search (in process)",
    ]
    data = json.loads((tmp_path / "web.json").read_text(encoding="utf-8"))
    for way in data["seconds"].values():
        assert {name: len(samples) for name, samples in way.items()} == {"top 10": 3, "every hit": 3}
        assert all(0 < s < 60 for samples in way.values() for s in samples)


# bench/size.py and corpus_gen.py's low-repeat text.


def corpus(out: Path, text: str, seed: int = 0) -> bytes:
    run_bench("corpus_gen.py", str(out), "--passages", "1500", "--text", text, "--seed", str(seed))
    return b"".join(path.read_bytes() for path in sorted(out.glob("*.txt")))


def test_low_repeat_text_is_deterministic_and_repeats_less_than_generated_text(tmp_path: Path) -> None:
    low = corpus(tmp_path / "low", "low-repeat")
    again = corpus(tmp_path / "again", "low-repeat")
    other_seed = corpus(tmp_path / "other", "low-repeat", seed=1)
    generated = corpus(tmp_path / "generated", "generated")

    assert low == again != other_seed
    lines = low.decode("utf-8").splitlines()
    assert sum(1 for line in lines if line.split("\t")[-1][:1].isascii()) > len(lines) / 10  # English paragraphs
    # What compresses worse repeats less: the reason the low-repeat text exists.
    ratio = len(zlib.compress(low, 9)) / len(low)
    assert ratio > 1.3 * len(zlib.compress(generated, 9)) / len(generated)


def test_size_tables_the_index_by_kind_of_file_against_fts5(tmp_path: Path) -> None:
    out = run_bench("size.py", "--sizes", "300", "--json", str(tmp_path / "size.json"))

    rows = [line.split("|")[1:-1] for line in out.splitlines() if line.startswith("| ")][1:]
    assert [row[0].strip() for row in rows] == ["generated", "low-repeat"]
    data = json.loads((tmp_path / "size.json").read_text(encoding="utf-8"))
    for result in data["results"]:
        assert result["passages"] == 300
        parts = result["index_bytes"]
        assert set(parts) == {"units", "stored", "postings", "terms", "other"}
        assert all(parts[kind] > 0 for kind in ("units", "stored", "postings", "terms"))
        assert result["index_total"] == sum(parts.values())
        assert result["fts5_bytes"] > 0
