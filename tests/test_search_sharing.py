"""One Library shared by many threads while `itudocs index` commits: every answer is
what the same question gets alone from one of the commits, and nothing fails.

Runtime: about 45 s on a 2-core machine shared at a load of 12, less idle: two index runs in a
subprocess while 16 threads ask 2,000+ questions, and a rehearsal of the runs that answers each alone.
"""

from __future__ import annotations

import itertools
import random
import shutil
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

from itudocs.corpus.loader import sample_folder
from itudocs.search.library import Library
from itudocs.search.results import SearchResult

REPO = Path(__file__).resolve().parents[1]
SEEDS = {path.stem: path.read_text(encoding="utf-8") for path in sorted(sample_folder().glob("*.txt"))}
CHANGING = "003_039c71ca7392b1ab"
THREADS = 16
REQUESTS = 2_000
TAG = "zqxstate"


def write_state(folder: Path, state: str) -> None:
    """The documents at one of three moments: A (the sample), B (one document changed, one
    removed, one added), C (the changed one changed again, another added)."""
    folder.mkdir(exist_ok=True)
    for path in folder.glob("*.txt"):
        path.unlink()
    for doc_id, text in SEEDS.items():
        if state != "A" and doc_id == "001_edffbce1161b23ec":
            continue
        if doc_id == CHANGING and state != "A":
            # Paragraphs inserted near the top: every later passage of the document moves.
            head, _, rest = text.partition("\n")
            text = f"{head}\n本段为状态 {TAG}{state} 插入，讨论数字鸿沟。\n另一段落 {TAG}{state} 说明国际电联。\n{rest}"
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    if state != "A":
        (folder / "added_b.txt").write_text(SEEDS["000_1ec08987ad33214d"] + f"\n{TAG}B 国际电联\n", encoding="utf-8")
    if state == "C":
        (folder / "added_c.txt").write_text(SEEDS["004_49a4dae65611311e"] + f"\n{TAG}C 数字鸿沟\n", encoding="utf-8")


SEARCHES = ("第140号决议", "国际电联", "信息社会世界峰会 数字鸿沟", "WSIS+20", "数字鸿沟 -性别", "ITU-R")
# Found in the added and changed documents only: no hit at all in the first commit.
TAGGED = f"{TAG}B OR {TAG}C"
FILTERS = ({}, {"lang": "zh"}, {"kind": "footnote"}, {"sort": "doc"}, {"expand": False}, {"doc": CHANGING})


def requests() -> list[tuple[str, tuple, dict]]:
    """The questions, each as (Library verb, arguments, keywords)."""
    asked: list[tuple[str, tuple, dict]] = []
    for query, limit, filters in itertools.product(SEARCHES, (1, 10, None), FILTERS):
        asked.append(("search", (query,), {"limit": limit, **filters}))
    asked += [("search", (TAGGED,), {"limit": None}), ("search", (TAGGED,), {"limit": 5, "doc": CHANGING})]
    for query in (*SEARCHES, TAGGED):
        asked.append(("count", (query,), {}))
        asked.append(("count", (query,), {"by_doc": True}))
    for passage in ("000_1ec08987ad33214d:5", "004_49a4dae65611311e:3", f"{CHANGING}:107", f"{CHANGING}:2"):
        asked.append(("show", (passage,), {"context": 2}))
    asked += [("refs", (), {}), ("refs", ("Resolution 140",), {}), ("glossary", (), {}), ("glossary", ("ITU",), {})]
    return asked


def answer(library: Library, request: tuple[str, tuple, dict]) -> object:
    """What the library answers, with the index's own folder left out; an error by its words."""
    verb, args, kwargs = request
    try:
        found = getattr(library, verb)(*args, **kwargs)
    except Exception as error:
        return ("error", type(error).__name__, str(error).replace(str(library.index_dir), "INDEX"))
    return replace(found, index="") if isinstance(found, SearchResult) else found


def answers(library: Library, asked: list) -> list[object]:
    return [answer(library, request) for request in asked]


def index_run(folder: Path, index: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "itudocs", "index", str(folder), "--index", str(index)]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)


def test_sixteen_threads_of_one_library_answer_as_one_commit_did_while_index_commits_twice(tmp_path) -> None:
    folder, index, rehearsal = tmp_path / "docs", tmp_path / "ix", tmp_path / "rehearsal"
    asked = requests()
    write_state(folder, "A")
    Library(index).index(folder)
    shutil.copytree(index, rehearsal)
    # The answers of each commit, from a rehearsal of the same two runs on a copy of the index.
    expected = [answers(Library(rehearsal), asked)]
    for state in "BC":
        write_state(folder, state)
        Library(rehearsal).index(folder)
        expected.append(answers(Library(rehearsal), asked))
    assert len({repr(per_commit) for per_commit in expected}) == 3  # each run changes answers
    write_state(folder, "A")

    library = Library(index)
    order = random.Random(20).sample(range(len(asked)), len(asked))
    taken = itertools.count()
    indexing = threading.Event()
    done: list[tuple[int, object, bool]] = []
    runs: list[subprocess.CompletedProcess] = []

    def ask() -> None:
        # Until the index runs are over, and at least REQUESTS questions are answered.
        while not runs or len(runs) < 2 or len(done) < REQUESTS:
            n = order[next(taken) % len(order)]
            during = indexing.is_set()
            done.append((n, answer(library, asked[n]), during))

    def commit_twice() -> None:
        indexing.set()
        for state in "BC":
            write_state(folder, state)
            runs.append(index_run(folder, index))
        indexing.clear()

    threads = [threading.Thread(target=ask) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    commit_twice()
    for thread in threads:
        thread.join(timeout=300)

    assert [run.returncode for run in runs] == [0, 0], [run.stderr for run in runs]
    assert len(done) >= REQUESTS
    assert sum(during for *_, during in done) >= 100  # the commits happened while questions were asked
    wrong = [(asked[n], got) for n, got, _ in done if all(got != per_commit[n] for per_commit in expected)]
    assert wrong == [], f"{len(wrong)} of {len(done)} answers match no commit; the first: {wrong[:3]}"
    assert answers(library, asked) == expected[-1]
