"""The web app under many clients at once while the index is rewritten, and a server stopped under load.

Runtime: slow on purpose (about a minute per way of serving): 16 threads ask 2,000
requests while an ``itudocs index`` subprocess commits twice.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

import httpx2 as httpx
import pytest
from starlette.testclient import TestClient

from itudocs.corpus.loader import sample_folder
from itudocs.web import create_app

CLIENTS = 16
REQUESTS = 2_000
ADDED = "added_report.txt"
# A request: path and query parameters.  Together the verbs the page and other tools use.
MIX: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("/api/search", (("q", "国际电联"),)),
    ("/api/search", (("q", "数字鸿沟"), ("all", "1"))),
    ("/api/search", (("q", "zqxalpha OR zqxbeta"), ("all", "1"))),
    ("/api/search", (("q", "第140号决议"), ("doc", "003"), ("sort", "doc"))),
    ("/api/count", (("q", "国际电联"), ("by", "doc"))),
    ("/api/count", (("q", "zqxalpha OR ITU"),)),
    ("/api/show", (("id", "003:fn2"),)),
    ("/api/show", (("id", "003:5"), ("context", "3"))),
    ("/api/export", (("q", "第140号决议"), ("format", "jsonl"))),
    ("/api/export", (("q", "zqxbeta OR 数字鸿沟"), ("format", "csv"))),
    ("/api/glossary", (("term", "ITU"),)),
    ("/api/glossary", ()),
    ("/api/refs", (("doc", "003"),)),
    ("/", (("q", "国际电联 zqxalpha"),)),
    ("/", (("q", "WSIS"), ("kind", "paragraph"))),
    ("/glossary", (("term", "国际电联"),)),
    ("/passage/003:fn2", ()),
)
# What changes from one answer to the same request a moment later: the time a search
# took (the page) and the moment an export was made.
VARYING = (
    (re.compile(r'<span class="time">· [0-9.]+ s</span>'), '<span class="time"></span>'),
    (re.compile(r'"exported_at": ?"[^"]*"'), '"exported_at": ""'),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00"), "EXPORTED_AT"),
)


def write_generation(docs: Path, generation: int) -> None:
    """The documents as they are at each commit: the sample, then a report added, then that report and
    one sample document changed."""
    if generation == 0:
        shutil.rmtree(docs, ignore_errors=True)
        docs.mkdir()
        for source in sample_folder().glob("*.txt"):
            shutil.copy(source, docs)
        return
    marker = {1: "zqxalpha", 2: "zqxbeta"}[generation]
    (docs / ADDED).write_text(
        f"Report on the digital divide\n\n1\tThe {marker} programme of 国际电联 on 数字鸿沟 and WSIS.\n"
        f"2\tA second paragraph on {marker} and ITU work.\n",
        encoding="utf-8",
    )
    if generation == 2:
        changed = next(docs.glob("001_*.txt"))
        changed.write_text(changed.read_text(encoding="utf-8") + "\n数字鸿沟 zqxbeta 国际电联\n", encoding="utf-8")


def index(docs: Path, index_dir: Path) -> None:
    command = [sys.executable, "-m", "itudocs", "index", str(docs), "--index", str(index_dir)]
    done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0, done.stderr


def answer(client: TestClient, path: str, params: tuple[tuple[str, str], ...]) -> tuple[int, str]:
    response = client.get(path, params=list(params))
    body = response.text
    for pattern, fixed in VARYING:
        body = pattern.sub(fixed, body)
    return response.status_code, body


@pytest.fixture(scope="module")
def generations(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[list[tuple[int, str]]]]:
    """The documents' folder and index, and each request of MIX answered alone at every
    generation (generation → answers in MIX order)."""
    root = tmp_path_factory.mktemp("generations")
    docs, index_dir = root / "docs", root / "index"
    expected = []
    for generation in range(3):
        write_generation(docs, generation)
        index(docs, index_dir)
        with TestClient(create_app(index_dir), base_url="http://127.0.0.1") as client:
            expected.append([answer(client, path, params) for path, params in MIX])
    return docs, index_dir, expected


def test_the_generations_answer_differently(generations) -> None:
    # Else the test below could not tell which commit a response came from.
    _, _, expected = generations
    differing = [n for n in range(len(MIX)) if len({expected[g][n] for g in range(3)}) == 3]
    assert len(differing) >= 4
    assert all(status == 200 for answers in expected for status, _ in answers)


def ask_concurrently(
    ask: Callable[[int], tuple[int, str]], keep_going: Callable[[], bool]
) -> list[tuple[int, tuple[int, str] | str]]:
    """CLIENTS threads asking MIX in turn until REQUESTS are answered and ``keep_going`` says stop:
    (request number in MIX, answer or the exception raised)."""
    answers: list[tuple[int, tuple[int, str] | str]] = []
    lock = threading.Lock()

    def client(offset: int) -> None:
        n = offset
        while len(answers) < REQUESTS or keep_going():
            which = n % len(MIX)
            try:
                got: tuple[int, str] | str = ask(which)
            except Exception as error:
                got = repr(error)
            with lock:
                answers.append((which, got))
            n += 1

    threads = [threading.Thread(target=client, args=(offset,)) for offset in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


@pytest.mark.parametrize("workers", [0, 2], ids=["threads", "processes"])
def test_every_answer_under_load_during_two_commits_is_one_a_commit_gives_alone(generations, workers: int) -> None:
    docs, index_dir, expected = generations
    # Back at the first generation, built afresh where the answers were made: each way of
    # serving starts from the commit the expected answers start from.
    shutil.rmtree(index_dir)
    write_generation(docs, 0)
    index(docs, index_dir)
    committed: list[int] = []

    def reindex() -> None:
        for generation in (1, 2):
            time.sleep(2)
            write_generation(docs, generation)
            index(docs, index_dir)
            committed.append(generation)

    indexer = threading.Thread(target=reindex)
    with TestClient(create_app(index_dir, workers=workers), base_url="http://127.0.0.1") as client:
        indexer.start()
        answers = ask_concurrently(lambda n: answer(client, *MIX[n]), indexer.is_alive)
    indexer.join()

    assert committed == [1, 2]
    assert len(answers) >= REQUESTS
    wrong = [(MIX[n], got) for n, got in answers if all(got != expected[g][n] for g in range(3))]
    assert wrong == [], f"{len(wrong)} of {len(answers)} answers are no commit's, e.g. {str(wrong[0])[:1500]}"
    # The load spanned the commits: answers only the first or only the last generation gives.
    seen = Counter(
        g for n, got in answers for g in range(3) if got == expected[g][n] and expected[g][n] != expected[2 - g][n]
    )
    assert seen[0] and seen[2]


def server_address(process: subprocess.Popen[str]) -> str:
    found = re.search(r"http://127\.0\.0\.1:\d+/", process.stdout.readline())  # type: ignore[union-attr]
    assert found, process.stderr.read()  # type: ignore[union-attr]
    return found.group(0)


def children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def test_sigterm_under_load_stops_the_server_and_its_workers_within_two_seconds(sample_library) -> None:
    command = [sys.executable, "-m", "itudocs", "serve", "--index", str(sample_library.index_dir), "--port", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    address = server_address(process)
    # The heaviest requests the sample offers (a third of a second each, alone): with 16 of
    # them running, a server that waits for its searches to finish takes several seconds.
    heavy = (
        address + "api/export?" + urlencode({"q": "ITU OR 国际电联 OR 数字鸿沟 OR WSIS OR 联合国", "format": "xlsx"})
    )
    stop = threading.Event()
    statuses: Counter[int | str] = Counter()
    lock = threading.Lock()

    def client() -> None:
        with httpx.Client(timeout=30) as http:
            while not stop.is_set():
                try:
                    status: int | str = http.get(heavy).status_code
                except httpx.TransportError:
                    status = "closed"
                with lock:
                    statuses[status] += 1
                if status == "closed":
                    return

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    try:
        deadline = time.monotonic() + 60
        while statuses[200] < CLIENTS and time.monotonic() < deadline:
            time.sleep(0.05)
        workers = children(process.pid)
        process.send_signal(signal.SIGTERM)
        asked = time.monotonic()
        process.wait(timeout=10)
        took = time.monotonic() - asked
    finally:
        stop.set()
        process.kill()
        stderr = process.communicate()[1]
        for thread in threads:
            thread.join()

    assert statuses[200] >= CLIENTS, stderr
    # Every request answered, or cut short by the stop: none failed.
    assert set(statuses) <= {200, 503, "closed"}, (statuses, stderr)
    assert took < 2.0, f"SIGTERM took {took:.1f} s to stop the server"
    assert workers
    deadline = time.monotonic() + 2
    while not all(gone(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(gone(pid) for pid in workers)


def worker_pids(index_dir: Path) -> list[int]:
    """This process's workers over ``index_dir``, from /proc."""
    return [pid for pid in _children_of_threads() if f"run_worker()\0{index_dir}\0" in _read(f"/proc/{pid}/cmdline")]


def _children_of_threads() -> list[int]:
    # A process's children are listed per thread that started them; threads (and children)
    # of other tests may end while the list is read.
    return [int(pid) for task in Path("/proc/self/task").iterdir() for pid in _read(task / "children").split()]


def _read(path: Path | str) -> str:
    try:
        return Path(path).read_text()
    except (FileNotFoundError, ProcessLookupError):
        return ""


def test_a_worker_killed_from_outside_costs_one_request_and_is_replaced(sample_library) -> None:
    app = create_app(sample_library.index_dir, workers=1)
    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as client:
        before = client.get("/api/count", params={"q": "国际电联"})
        [worker] = worker_pids(sample_library.index_dir)
        os.kill(worker, signal.SIGKILL)
        os.waitpid(worker, 0)
        lost = client.get("/api/count", params={"q": "国际电联"})
        after = client.get("/api/count", params={"q": "国际电联"})
        [replacement] = worker_pids(sample_library.index_dir)

    assert before.status_code == after.status_code == 200 and before.text == after.text
    assert lost.status_code == 500
    assert replacement != worker
    assert worker_pids(sample_library.index_dir) == []  # closing the app stopped it
