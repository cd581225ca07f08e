"""Reading and analysing files on every core while one process writes the index.

Whoosh has one writer, and jieba takes most of the time of an ingest, so files are
read and analysed in worker processes (jieba loaded once in each) and their results
handed back, in the order the files were given, to the parent that writes them.

Workers are fresh interpreters, not forks: a forked child would inherit the build
lock and the Whoosh write lock the parent holds, and keep them after the parent is
killed.  Each worker talks to the parent over its own socket and ends when the socket
closes, so a killed parent leaves no worker behind.  A worker that dies (a crash in a C
library, the kernel's OOM killer) costs only the file it was reading, reported by
``died``; its other files go to a new worker.

A small run is analysed in the parent: starting a worker costs a fresh interpreter
and its own jieba dictionary load, which only pays off over a few hundred kB.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many bytes to read, the run is analysed in the parent.  Two workers cost
# about 2.5 s of CPU to start (an interpreter and a jieba dictionary each), so on two
# idle cores they pay off from about 200 kB of text, and on busy ones only later
# (bench/README.md has the measurements); the bundled sample (90 kB) stays in one process.
INLINE_BYTES = 512 * 1024
# Files handed to a worker before it returns the first: one being read, one waiting,
# so a worker never idles while the parent writes.
IN_FLIGHT = 2
# How far finished results may run ahead of the next one the parent writes.
WINDOW_PER_WORKER = 4


@dataclass(frozen=True, slots=True)
class Pending(Generic[T]):
    """A task still to run; anything else in the sequence given to ``run_in_order`` is a result already."""

    task: T


class WorkerFailed(Exception):
    """A worker raised an exception that is not a result: the traceback it printed is the message."""


def worker_count(bytes_to_read: int) -> int:
    """Workers worth starting for this much to read: none for a small run or a single core."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return 0 if bytes_to_read < INLINE_BYTES or cores < 2 else cores


def run_in_order(
    items: Sequence[R | Pending[T]],
    work: Callable[[T], R],
    *,
    workers: int,
    died: Callable[[T, str], R],
    warm: Callable[[], object] | None = None,
) -> Iterator[R]:
    """``work(task)`` for each pending item, on ``workers`` processes (0: here), yielding
    every item's result in the order of ``items``.

    ``work`` and ``warm`` (run once when a worker starts) must be module-level functions,
    which the workers import by name.  An exception ``work`` raises ends the run, as it
    would if ``work`` ran here.
    """
    if workers == 0:
        for item in items:
            yield work(item.task) if isinstance(item, Pending) else item
        return
    pool = _Pool(work, warm, workers)
    try:
        yield from pool.run(items, died)
    finally:
        pool.close()


class _Worker:
    """One worker process and the parent's end of its socket, with the tasks sent to it."""

    def __init__(self, work: Callable, warm: Callable | None) -> None:
        mine, theirs = socket.socketpair()
        # A fresh interpreter given only its end of the socket: nothing of the parent's
        # (locks, the __main__ module) is inherited or re-run, as it would be with
        # multiprocessing's fork or spawn.
        self.process = subprocess.Popen(
            [sys.executable, "-c", _START, str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, sys.path))},
        )
        theirs.close()
        self.conn = Connection(mine.detach())
        self.conn.send((work, warm))
        self.sent: deque[int] = deque()
        self.alive = True

    def send(self, index: int, task: object) -> bool:
        """Send a task, or say the worker is gone (its end of the socket is read as closed next)."""
        try:
            self.conn.send(task)
        except OSError:
            self.alive = False
            return False
        self.sent.append(index)
        return True

    def stop(self) -> None:
        self.conn.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def exit_reason(self) -> str:
        self.conn.close()
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        how = f"signal {-code}" if code < 0 else f"exit code {code}"
        return f"the reading process died ({how})"


class _Pool:
    def __init__(self, work: Callable, warm: Callable | None, workers: int) -> None:
        self.work, self.warm = work, warm
        self.workers = [_Worker(work, warm) for _ in range(workers)]
        self.todo: deque[int] = deque()

    def run(self, items: Sequence[R | Pending[T]], died: Callable[[T, str], R]) -> Iterator[R]:
        self.todo.extend(i for i, item in enumerate(items) if isinstance(item, Pending))
        done: dict[int, R] = {}
        window = WINDOW_PER_WORKER * len(self.workers)
        for index, item in enumerate(items):
            if not isinstance(item, Pending):
                yield item
                continue
            while index not in done:
                self._dispatch(items, limit=index + window)
                self._collect(items, done, died)
            yield done.pop(index)

    def _dispatch(self, items: Sequence, limit: int) -> None:
        for worker in self.workers:
            while self.todo and worker.alive and len(worker.sent) < IN_FLIGHT and self.todo[0] < limit:
                index = self.todo.popleft()
                if not worker.send(index, items[index].task):
                    self.todo.appendleft(index)

    def _collect(self, items: Sequence, done: dict, died: Callable) -> None:
        waiting = {w.conn: w for w in self.workers if w.sent or not w.alive}
        ready = wait(list(waiting))
        for conn, worker in waiting.items():
            if conn not in ready:
                continue
            try:
                failed, result = conn.recv()
            except (EOFError, OSError):
                self._replace(worker, items, done, died)
                continue
            index = worker.sent.popleft()
            if failed:
                raise WorkerFailed(result)
            done[index] = result

    def _replace(self, worker: _Worker, items: Sequence, done: dict, died: Callable) -> None:
        """The worker died: the first file it had is the one it was reading; the others are sent again."""
        reason = worker.exit_reason()
        if worker.sent:
            first = worker.sent.popleft()
            done[first] = died(items[first].task, reason)
        # They were sent before anything still to send, so they go back in front, in order.
        self.todo.extendleft(reversed(worker.sent))
        self.workers[self.workers.index(worker)] = _Worker(self.work, self.warm)

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()


_START = "import sys; from itudocs.indexer.pipeline import serve; serve(int(sys.argv[1]))"


def serve(fd: int) -> None:
    """A worker's life: run each task received on socket ``fd`` until the parent closes it."""
    # Ctrl-C on a terminal reaches the whole process group: the parent handles it, and
    # its closing the socket is what ends a worker, without a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    conn = Connection(fd)
    try:
        work, warm = conn.recv()
    except (EOFError, OSError):
        return
    if warm is not None:
        warm()
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = (False, work(task))
        except Exception:
            reply = (True, traceback.format_exc())
        try:
            conn.send(reply)
        except OSError:  # the parent is gone
            return
