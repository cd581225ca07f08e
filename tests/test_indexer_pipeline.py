"""Files read in worker processes: same index, same order, a dead worker costs one file, none outlive the run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from itudocs.corpus.loader import sample_folder
from itudocs.indexer import schema, writer
from itudocs.indexer.pipeline import Pending, WorkerFailed, run_in_order, worker_count
from itudocs.indexer.store import open_index
from itudocs.search.library import Library

# signal.raise_signal is a module-level function a worker can import: SIGWINCH is
# ignored by default (the task succeeds, returning None), SIGKILL ends the worker.
HARMLESS, FATAL = signal.SIGWINCH, signal.SIGKILL


def died(task: int, reason: str) -> str:
    return f"{task}: {reason}"


@pytest.mark.parametrize("workers", [0, 2])
def test_results_come_in_the_order_given_whatever_finishes_first(workers: int) -> None:
    items = [Pending(0.3), "ready", Pending(0.0), Pending(0.1), "also ready", Pending(0.0)]
    results = list(run_in_order(items, time.sleep, workers=workers, died=died))
    assert results == [None, "ready", None, None, "also ready", None]


def test_a_worker_that_dies_costs_only_the_task_it_was_running() -> None:
    items = [Pending(HARMLESS), Pending(FATAL), *[Pending(HARMLESS)] * 6, Pending(FATAL), Pending(HARMLESS)]
    results = list(run_in_order(items, signal.raise_signal, workers=2, died=died))
    killed = f"the reading process died (signal {int(FATAL)})"
    assert results == [None, f"{FATAL}: {killed}", *[None] * 6, f"{FATAL}: {killed}", None]


def test_an_exception_in_a_worker_ends_the_run_with_its_traceback() -> None:
    with pytest.raises(WorkerFailed, match=r"OSError: \[Errno 22\] Invalid argument"):
        list(run_in_order([Pending(HARMLESS), Pending(10_000)], signal.raise_signal, workers=1, died=died))


def test_a_small_run_starts_no_worker() -> None:
    sample_bytes = sum(p.stat().st_size for p in sample_folder().glob("*.txt"))
    assert worker_count(sample_bytes) == 0
    assert worker_count(10 * 2**20) in (0, *range(2, 1 + (os.cpu_count() or 1)))


def _worker_pids(pid: int) -> set[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return {int(p) for p in children.read_text().split()} if children.exists() else set()


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads worker ids from /proc")
def test_workers_end_when_the_run_is_killed() -> None:
    run = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time; from itudocs.indexer.pipeline import Pending, run_in_order\n"
            "list(run_in_order([Pending(0.2)] * 1000, time.sleep, workers=2, died=print))",
        ],
    )
    deadline = time.monotonic() + 60
    while len(workers := _worker_pids(run.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(workers) == 2
    run.kill()
    run.wait()
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    # A zombie would still have /proc/PID; an orphan's parent is init, which reaps it.
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)


def hits(library: Library, query: str) -> list[tuple[str, float]]:
    return [(hit.id, round(hit.score, 4)) for hit in library.search(query, limit=None).hits]


def test_an_index_written_from_workers_is_the_one_written_here(tmp_path, monkeypatch) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for source in sorted(sample_folder().glob("*.txt")):
        (folder / source.name).write_bytes(source.read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    here = Library(tmp_path / "here").index(folder)
    monkeypatch.setattr(writer, "worker_count", lambda _: 2)
    there = Library(tmp_path / "there").index(folder)
    assert there == here
    for query in ("第140号决议", "国际电联", '"数字鸿沟" 性别', "WSIS"):
        assert hits(Library(tmp_path / "there"), query) == hits(Library(tmp_path / "here"), query)
    docs = [d.doc_id for d in Library(tmp_path / "there").docs()]
    assert docs == [d.doc_id for d in Library(tmp_path / "here").docs()]


def one_long_file(folder: Path) -> Path:
    """The sample's documents run together into one file: headings, footnotes, references, acronyms."""
    folder.mkdir()
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(sample_folder().glob("*.txt")))
    (folder / "long.txt").write_text(text, encoding="utf-8")
    return folder


def without_time(fields: dict) -> dict:
    """Stored fields less the time a document record was written."""
    record = fields.get(schema.RECORD)
    if fields[schema.KIND] != schema.DOCUMENT_KIND:
        return fields
    return {**fields, schema.RECORD: {**record, "indexed_at": None}}


def everything_indexed(index_dir: Path) -> tuple[list, list, list]:
    """Every stored record (less the time it was indexed), every posting, every unit column."""
    with open_index(index_dir).reader() as reader:
        stored = [without_time(fields) for fields in reader.all_stored_fields()]
        postings = list(reader.iter_postings())
        columns = [list(reader.column_reader(name, translate=False)) for name in (schema.UNITS, schema.LABEL_UNITS)]
    return stored, postings, columns


@pytest.mark.parametrize("workers", [0, 2])
def test_a_long_document_analysed_in_parts_is_indexed_as_it_is_whole(tmp_path, monkeypatch, workers: int) -> None:
    folder = one_long_file(tmp_path / "docs")
    whole = Library(tmp_path / "whole").index(folder)
    monkeypatch.setattr(writer, "worker_count", lambda _: workers)
    # A part of about two paragraphs: a few hundred parts, footnotes and their callers apart.
    monkeypatch.setattr(writer, "PART_CHARS", 300)
    parted = Library(tmp_path / "parted").index(folder)
    assert parted == whole
    stored, postings, columns = everything_indexed(tmp_path / "parted")
    assert (stored, postings, columns) == everything_indexed(tmp_path / "whole")
    # What the parts add to the document's record, merged: acronyms, sections, references.
    record = next(fields[schema.RECORD] for fields in stored if fields[schema.KIND] == schema.DOCUMENT_KIND)
    assert len(record["terms"]) > 5 and len(record["sections"]) > 10
    assert len(record["refs"]["PP-RES-140"]["passages"]) > 5
    for query in ("第140号决议", "国际电联", '"数字鸿沟" 性别', "WSIS", "UNGIS"):
        assert hits(Library(tmp_path / "parted"), query) == hits(Library(tmp_path / "whole"), query)


# Reads one file of the sample run together ten times (about a megabyte) on two workers, in
# parts of 150k characters: each part is sent as a few hundred kB and comes back as more.
READ_IN_LARGE_PARTS = """
import sys
from pathlib import Path
from itudocs.corpus.limits import ReadLimits
from itudocs.corpus.loader import SourceFile
from itudocs.indexer.pipeline import Parted, Pending, run_in_order
from itudocs.indexer.writer import ReadTask, read_died, read_file
path = Path(sys.argv[1])
task = ReadTask(SourceFile(path, "long"), str(path.parent), ReadLimits(), False, path.stat().st_size, 150_000)
reads = run_in_order([Pending(task)], read_file, workers=2, died=read_died)
parted = next(reads)
assert isinstance(parted, Parted)
print(parted.head.passages + parted.head.footnotes, sum(len(part.entries) for part in parted.results))
"""


def test_parts_larger_than_a_socket_buffer_each_way_do_not_stall_the_workers(tmp_path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("\n".join(p.read_text(encoding="utf-8") for p in sorted(sample_folder().glob("*.txt")) * 10))
    done = subprocess.run(
        [sys.executable, "-c", READ_IN_LARGE_PARTS, str(path)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    passages, entries = map(int, done.stdout.split())
    assert entries == passages > 2000
