"""Indexing survives kill -9 at any point: the index keeps the last commit and the next run completes.

Runtime: this file is slow on purpose (about 40-50 s): it runs ``cli.py index`` as a
subprocess some 55 times and kills most of those runs part-way through, with SIGKILL
after a delay or with ``os._exit`` at a chosen file-system step.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from itudocs.corpus.loader import sample_folder
from itudocs.search.library import Library

REPO = Path(__file__).resolve().parents[1]
# Tokens that tell the states apart: every state-A file carries KEEP, a file changed
# for state B carries CHANGED instead, and a file added for state B carries ADDED.
KEEP, CHANGED, ADDED = "zqxkeep", "zqxchanged", "zqxadded"
TOKENS = (KEEP, CHANGED, ADDED)
KILLS = 20
# Small English documents: indexing them loads no jieba dictionary, so a run takes ~0.3 s.
ENGLISH = (
    "Council Report {n}\nPurpose\nThis report on WSIS cites Resolution 140 (Rev. Bucharest, 2022).\n",
    "Council Note {n}\nSummary\na)\tThe digital divide and gender.\nb)\tITU-R Resolution 61-3.\n",
)
# A longer English document, so that writing, not start-up, fills most of a run.
LONG_ENGLISH = "Council Report {n}\nPurpose\n" + "".join(
    f"{i})\tThis report on WSIS cites Resolution {i} (Rev. Bucharest, 2022) and A/RES/70/{i}.\n" for i in range(1, 40)
)


def chinese_seeds() -> list[str]:
    return [seed.read_text(encoding="utf-8") for seed in sorted(sample_folder().glob("*.txt"))]


@dataclass
class Corpus:
    """A folder whose files move from state A to state B, and what each state should index."""

    folder: Path
    seeds: list[str]
    b_seeds: list[str]
    state_a: dict[str, str] = field(default_factory=dict)  # doc id → tag
    state_b: dict[str, str] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def write(self, doc_id: str, tag: str, n: int) -> None:
        """A seed document with one closing paragraph naming this copy and its tag."""
        seeds = self.seeds if tag == KEEP else self.b_seeds
        text = seeds[n % len(seeds)].replace("{n}", doc_id) + f"\nThis copy is {tag} {doc_id}.\n"
        (self.folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")

    def path(self, doc_id: str) -> Path:
        return (self.folder / f"{doc_id}.txt").resolve()


def make_corpus(
    root: Path, seeds: list[str], *, b_seeds: list[str] | None = None, originals: int = 8, added: int = 3
) -> Corpus:
    """State A on disk: ``originals`` files of ``seeds``; ``to_state_b`` moves the folder to
    state B, whose changed and added files are written from ``b_seeds`` (default: ``seeds``)."""
    corpus = Corpus(root / "docs", seeds, b_seeds or seeds)
    corpus.folder.mkdir(parents=True)
    for n in range(originals):
        doc_id = f"a{n:02d}"
        corpus.write(doc_id, KEEP, n)
        corpus.state_a[doc_id] = KEEP
    corpus.removed = ["a00", "a01"]
    corpus.changed = ["a02", "a03", "a04"]
    corpus.state_b = {d: (CHANGED if d in corpus.changed else t) for d, t in corpus.state_a.items()}
    for doc_id in corpus.removed:
        del corpus.state_b[doc_id]
    for n in range(added):
        corpus.state_b[f"b{n:02d}"] = ADDED
    return corpus


def to_state_b(corpus: Corpus) -> None:
    for doc_id in corpus.removed:
        corpus.path(doc_id).unlink()
    for n, (doc_id, tag) in enumerate(sorted(corpus.state_b.items())):
        if doc_id in corpus.changed or doc_id not in corpus.state_a:
            corpus.write(doc_id, tag, n)


def index_command(folder: Path, index: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "itudocs", "index", str(folder), "--index", str(index), *extra]


def run_to_end(folder: Path, index: Path, *extra: str) -> subprocess.CompletedProcess:
    done = subprocess.run(index_command(folder, index, *extra), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done


def temp_dirs(index: Path) -> list[Path]:
    """Whoosh's scratch folders (``NAME.tmp``), which exist while a writer is writing."""
    return [p for p in index.parent.glob(f"{index.name}*/*.tmp") if p.is_dir()]


def run_and_kill(folder: Path, index: Path, when: float | Callable[[], bool] | None, *extra: str) -> int | None:
    """Start an index run and SIGKILL it: after ``when`` seconds, once ``when()`` is true,
    or, for None, once it has printed its report (after its commit, whatever the load).

    Returns the run's own exit code if it ended before the kill, else None.
    """
    proc = subprocess.Popen(
        index_command(folder, index, *extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    if when is None:
        assert proc.stdout is not None
        proc.stdout.readline()
    elif callable(when):
        deadline = time.monotonic() + 60
        while not when() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
    else:
        time.sleep(when)
    ended = proc.poll()
    if ended is None:
        os.kill(proc.pid, signal.SIGKILL)  # it may still end by itself first: then it exits 0
    _, err = proc.communicate(timeout=60)
    assert proc.returncode in (0, -signal.SIGKILL), err
    return None if proc.returncode == -signal.SIGKILL else proc.returncode


def hit_docs(library: Library, token: str) -> set[str]:
    return {hit.citation.doc_id for hit in library.search(token, limit=None).hits}


def state_of(corpus: Corpus, index: Path, *, folder_at_b: bool = True) -> str:
    """'A' or 'B', after checking that the index holds exactly that state, soundly."""
    library = Library(index)
    indexed = {d.doc_id for d in library.docs()}
    assert indexed in (set(corpus.state_a), set(corpus.state_b)), f"a mix of states: {sorted(indexed)}"
    state = "A" if indexed == set(corpus.state_a) else "B"
    expected = corpus.state_a if state == "A" else corpus.state_b
    for token in TOKENS:
        assert hit_docs(library, token) == {d for d, t in expected.items() if t == token}, (state, token)
    problems = library.check().problems
    if state == "B" or not folder_at_b:
        assert problems == ()
    else:  # the folder is in state B now, so the state-A index is stale exactly where B differs
        stale = [(d, f"source file {corpus.path(d)} changed since it was indexed") for d in corpus.changed]
        gone = [(d, f"source file {corpus.path(d)} is gone") for d in corpus.removed]
        assert sorted(problems) == sorted(stale + gone)
    return state


def restore(snapshot: Path, index: Path) -> None:
    shutil.rmtree(index, ignore_errors=True)
    shutil.copytree(snapshot, index)


def kill_points(full_run: float) -> list[float | None]:
    """Twenty kill points from ~0 to past the end, denser over the last third (writing, commit).

    The last (None) is the moment the run prints its report: after its commit whatever the
    machine's load, so that at least one kill surely finds the new state.
    """
    early = [0.02 + i * 0.6 * full_run / 8 for i in range(8)]
    late = [0.65 * full_run + i * 0.4 * full_run / 9 for i in range(10)]
    after: list[float | None] = [1.3 * full_run, None]
    return early + late + after


@pytest.fixture(scope="module")
def full_build(tmp_path_factory: pytest.TempPathFactory) -> float:
    """Seconds one ``cli.py index`` takes to build a state-B folder's index from nothing."""
    root = tmp_path_factory.mktemp("full-build")
    corpus = make_corpus(root, chinese_seeds())
    to_state_b(corpus)
    started = time.monotonic()
    run_to_end(corpus.folder, root / "ix")
    seconds = time.monotonic() - started
    assert state_of(corpus, root / "ix") == "B"
    return seconds


def corpus_at_a(root: Path, seeds: list[str], **options) -> tuple[Corpus, Path, Path]:
    """A corpus whose index holds state A, the folder moved to state B, and a copy of the index."""
    corpus = make_corpus(root, seeds, **options)
    index = root / "ix"
    Library(index).index(corpus.folder)
    assert state_of(corpus, index, folder_at_b=False) == "A"
    to_state_b(corpus)
    snapshot = root / "ix-state-a"
    shutil.copytree(index, snapshot)
    return corpus, index, snapshot


def test_killed_update_keeps_last_commit_and_next_run_completes(tmp_path) -> None:
    # Runtime: about 10-12 s (20 killed runs of ~0.6 s each, plus two whole runs).
    # State A is the Chinese sample; B's new and changed files are English, so that a run
    # need not load jieba's dictionary and spends most of its time writing and committing.
    corpus, index, snapshot = corpus_at_a(tmp_path, chinese_seeds(), b_seeds=[LONG_ENGLISH], added=20)
    started = time.monotonic()
    run_to_end(corpus.folder, index)
    full_run = time.monotonic() - started
    assert state_of(corpus, index) == "B"

    restore(snapshot, index)
    seen = []
    for when in kill_points(full_run):
        if seen and seen[-1] == "B":  # back to state A; a killed run's debris stays otherwise
            restore(snapshot, index)
        run_and_kill(corpus.folder, index, when)
        seen.append(state_of(corpus, index))
    assert len(seen) == KILLS
    assert "A" in seen and "B" in seen, seen  # the kills really spread over the whole run

    restore(snapshot, index)
    run_and_kill(corpus.folder, index, lambda: bool(temp_dirs(index)))  # killed while writing
    assert state_of(corpus, index) == "A"
    run_to_end(corpus.folder, index)
    assert state_of(corpus, index) == "B"


def test_killed_first_build_leaves_no_index_or_a_whole_one(tmp_path, full_build) -> None:
    # Runtime: about 3-5 s.
    corpus = make_corpus(tmp_path, chinese_seeds())
    to_state_b(corpus)
    index = tmp_path / "ix"
    for fraction in (0.05, 0.5, 0.9, 1.3):
        shutil.rmtree(index, ignore_errors=True)
        run_and_kill(corpus.folder, index, fraction * full_build)
        if Library(index).exists:
            assert state_of(corpus, index) == "B"


def test_killed_rebuild_keeps_a_whole_index(tmp_path, full_build) -> None:
    # Runtime: about 5-7 s.
    corpus, index, snapshot = corpus_at_a(tmp_path, chinese_seeds())
    states = []
    for fraction in (0.05, 0.6, 0.9, 1.3):
        restore(snapshot, index)
        run_and_kill(corpus.folder, index, fraction * full_build, "--rebuild")
        states.append(state_of(corpus, index))
    assert "A" in states, states  # some kill really landed inside a rebuild


# Runs the command line, but ends the process as kill -9 would (os._exit: no cleanup, no
# finally) just before its CRASH_AT-th file-system change (rename, replace, unlink,
# remove or rmdir); with CRASH_AT=-1 it runs to the end and reports how many there were.
CRASH_AT_STEP = r"""
import atexit, os, sys

crash_at = int(os.environ["CRASH_AT"])
steps = 0

def wrap(name):
    real = getattr(os, name)

    def step(*args, **kwargs):
        global steps
        if steps == crash_at:
            os._exit(137)
        steps += 1
        return real(*args, **kwargs)

    setattr(os, name, step)

for name in ("rename", "replace", "unlink", "remove", "rmdir"):
    wrap(name)
atexit.register(lambda: print(f"steps={steps}", file=sys.stderr))
from itudocs.cli import main

sys.argv = ["itudocs", *sys.argv[1:]]
main()
"""


def crash_at_step(step: int, folder: Path, index: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", CRASH_AT_STEP, "index", str(folder), "--index", str(index), *extra],
        cwd=REPO,
        env={**os.environ, "CRASH_AT": str(step)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def count_steps(folder: Path, index: Path, *extra: str) -> int:
    done = crash_at_step(-1, folder, index, *extra)
    assert done.returncode == 0, done.stderr
    return int(done.stderr.rsplit("steps=", 1)[1])


def test_crash_at_every_file_system_step_of_a_rebuild_keeps_a_whole_index(tmp_path) -> None:
    # Runtime: about 4-6 s (some 15 runs of ~0.3 s, English documents, no jieba).
    corpus, index, snapshot = corpus_at_a(tmp_path, list(ENGLISH))
    steps = count_steps(corpus.folder, index, "--rebuild")
    assert steps >= 3  # at least the commit's TOC rename, its clean-up and the switch to the new index
    assert state_of(corpus, index) == "B"

    states = []
    for step in range(steps):
        restore(snapshot, index)
        crashed = crash_at_step(step, corpus.folder, index, "--rebuild")
        assert crashed.returncode == 137, crashed.stderr
        states.append(state_of(corpus, index))
    # The switch (replacing itudocs.json) is the run's last file-system step, so a crash
    # at any step, the switch included, leaves the old index whole; the run that
    # completes (count_steps above) leaves the new one.
    assert states == ["A"] * steps, states


def test_crash_at_every_file_system_step_of_a_first_build(tmp_path) -> None:
    # Runtime: about 3-5 s.
    corpus = make_corpus(tmp_path, list(ENGLISH))
    to_state_b(corpus)
    index = tmp_path / "ix"
    steps = count_steps(corpus.folder, index)
    assert state_of(corpus, index) == "B"
    for step in range(steps):
        shutil.rmtree(index)
        crashed = crash_at_step(step, corpus.folder, index)
        assert crashed.returncode == 137, crashed.stderr
        if Library(index).exists:
            assert state_of(corpus, index) == "B"


def test_next_first_build_completes_after_one_killed_while_writing(tmp_path) -> None:
    # Runtime: about 3-4 s.
    corpus = make_corpus(tmp_path, chinese_seeds())
    to_state_b(corpus)
    index = tmp_path / "ix"
    run_and_kill(corpus.folder, index, lambda: bool(temp_dirs(index)))
    assert not Library(index).exists
    run_to_end(corpus.folder, index)
    assert state_of(corpus, index) == "B"


def test_next_rebuild_completes_after_one_killed_while_writing(tmp_path) -> None:
    # Runtime: about 4-6 s.
    corpus, index, _ = corpus_at_a(tmp_path, chinese_seeds())
    run_and_kill(corpus.folder, index, lambda: bool(temp_dirs(index)), "--rebuild")
    assert state_of(corpus, index) == "A"
    run_to_end(corpus.folder, index)  # an ordinary run is not disturbed by the rebuild's debris
    assert state_of(corpus, index) == "B"
    run_to_end(corpus.folder, index, "--rebuild")
    assert state_of(corpus, index) == "B"
    # Nothing of the killed rebuild is left beside the index or in it.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "ix", "ix-state-a"]
    assert temp_dirs(index) == []
