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

A task may come back as ``Parts``: one large file is read by one worker, but its
passages are analysed in parts on every worker, each part's result handed back in
order (``Parted``) as soon as it and those before it are done, so the parent writes
the first parts while the last are analysed and holds only a window of them.

A small run is analysed in the parent: starting a worker costs a fresh interpreter
and its own jieba dictionary load, which only pays off over a few hundred kB.
"""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from heapq import heappop, heappush
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")
H = TypeVar("H")

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


@dataclass(frozen=True, slots=True)
class Parts(Generic[H]):
    """What ``work`` returns for a task better done in parts: ``head``, what it found of the
    whole, and ``tasks``, each to be run by ``work_part`` (a module-level function) on any worker."""

    head: H
    work_part: Callable[[Any], Any]
    tasks: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Parted(Generic[H]):
    """``run_in_order``'s result for a task that came back as ``Parts``: its head, then each
    part's result in order as it is done.  Read ``results`` to the end before the next item."""

    head: H
    results: Iterator[Any]


class WorkerFailed(Exception):
    """A worker raised an exception that is not a result: the traceback it printed is the message."""


def worker_count(bytes_to_read: int) -> int:
    """Workers worth starting for this much to read: none for a small run or a single core."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return 0 if bytes_to_read < INLINE_BYTES or cores < 2 else cores


def run_in_order(
    items: Sequence[R | Pending[T]],
    work: Callable[[T], R | Parts[R]],
    *,
    workers: int,
    died: Callable[[T, str], R],
    warm: Callable[[], object] | None = None,
) -> Iterator[R | Parted[R]]:
    """``work(task)`` for each pending item, on ``workers`` processes (0: here), yielding
    every item's result in the order of ``items``; a result that is ``Parts`` is yielded as
    ``Parted``, its parts run on every worker.

    ``work`` and ``warm`` (run once when a worker starts) must be module-level functions,
    which the workers import by name.  An exception ``work`` raises ends the run, as it
    would if ``work`` ran here.  A worker that dies running a part is replaced and the part
    run again; a part that kills a second worker ends the run (``WorkerFailed``): the
    file's earlier parts may be written already, so it cannot be passed over alone.
    """
    if workers == 0:
        for item in items:
            result = work(item.task) if isinstance(item, Pending) else item
            if isinstance(result, Parts):
                yield Parted(result.head, map(result.work_part, result.tasks))
            else:
                yield result
        return
    pool = _Pool(warm, workers)
    try:
        yield from pool.run(items, work, died)
    finally:
        pool.close()


class _Worker:
    """One worker process and the parent's end of its socket, with the tasks sent to it."""

    def __init__(self, warm: Callable | None) -> None:
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
        self.conn.send(warm)
        self.sent: deque[_Job] = deque()
        self.alive = True

    def send(self, job: _Job) -> bool:
        """Send a job, or say the worker is gone (its end of the socket is read as closed next)."""
        try:
            self.conn.send((job.work, job.task))
        except OSError:
            self.alive = False
            return False
        self.sent.append(job)
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


@dataclass(order=True, slots=True)
class _Job:
    """A task and the function to run it with; ``key`` orders results: (item, -1) for an
    item, (item, n) for its n-th part, which come after the item and before the next one."""

    key: tuple[int, int]
    work: Callable = field(compare=False)
    task: object = field(compare=False)
    retried: bool = field(default=False, compare=False)


class _Pool:
    def __init__(self, warm: Callable | None, workers: int) -> None:
        self.warm = warm
        self.workers = [_Worker(warm) for _ in range(workers)]
        # Jobs still to send, smallest key first: whatever the parent needs soonest.
        self.todo: list[_Job] = []
        self.done: dict[tuple[int, int], Any] = {}
        self.window = WINDOW_PER_WORKER * workers

    def run(self, items: Sequence[R | Pending[T]], work: Callable, died: Callable[[T, str], R]) -> Iterator[Any]:
        for i, item in enumerate(items):
            if isinstance(item, Pending):
                heappush(self.todo, _Job((i, -1), work, item.task))
        for i, item in enumerate(items):
            if not isinstance(item, Pending):
                yield item
                continue
            yield self._outcome(i, died)

    def _outcome(self, item: int, died: Callable) -> Any:
        """The item's result, or its parts' as they come: their tasks are held only until sent."""
        result = self._result((item, -1), died)
        if isinstance(result, Parts):
            return Parted(result.head, self._results(item, len(result.tasks), died))
        return result

    def _results(self, item: int, parts: int, died: Callable) -> Iterator[Any]:
        for n in range(parts):
            yield self._result((item, n), died)

    def _result(self, key: tuple[int, int], died: Callable) -> Any:
        while key not in self.done:
            self._dispatch(key)
            self._collect(died)
        return self.done.pop(key)

    def _dispatch(self, needed: tuple[int, int]) -> None:
        """Send jobs in key order while results held and running stay within the window; the
        job the parent waits for goes whatever the window, so a window full of later results
        cannot keep it waiting."""
        for worker in self.workers:
            while self.todo and worker.alive and len(worker.sent) < IN_FLIGHT:
                running = sum(len(w.sent) for w in self.workers)
                if self.todo[0].key != needed and len(self.done) + running >= self.window:
                    return
                job = heappop(self.todo)
                if not worker.send(job):
                    heappush(self.todo, job)

    def _collect(self, died: Callable) -> None:
        waiting = {w.conn: w for w in self.workers if w.sent or not w.alive}
        ready = wait(list(waiting))
        for conn, worker in waiting.items():
            if conn not in ready:
                continue
            try:
                failed, result = conn.recv()
            except (EOFError, OSError):
                self._replace(worker, died)
                continue
            job = worker.sent.popleft()
            if failed:
                raise WorkerFailed(result)
            if isinstance(result, Parts):
                # Sent at once, so every worker has work while the parent writes what comes before.
                item = job.key[0]
                for n, task in enumerate(result.tasks):
                    heappush(self.todo, _Job((item, n), result.work_part, task))
            self.done[job.key] = result

    def _replace(self, worker: _Worker, died: Callable) -> None:
        """The worker died: the first job it had is the one it was running; the others are sent again."""
        reason = worker.exit_reason()
        if worker.sent:
            first = worker.sent.popleft()
            if first.key[1] < 0:
                self.done[first.key] = died(first.task, reason)
            elif first.retried:
                raise WorkerFailed(f"{reason}, twice on the same part of a file")
            else:
                first.retried = True
                heappush(self.todo, first)
        for job in worker.sent:
            heappush(self.todo, job)
        self.workers[self.workers.index(worker)] = _Worker(self.warm)

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()


_START = "import sys; from itudocs.indexer.pipeline import serve; serve(int(sys.argv[1]))"


def serve(fd: int) -> None:
    """A worker's life: run each (function, task) received on socket ``fd`` until the parent closes it."""
    # Ctrl-C on a terminal reaches the whole process group: the parent handles it, and
    # its closing the socket is what ends a worker, without a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    conn = Connection(fd)
    try:
        warm = conn.recv()
    except (EOFError, OSError):
        return
    if warm is not None:
        warm()
    tasks: queue.SimpleQueue = queue.SimpleQueue()
    threading.Thread(target=_receive, args=(conn, tasks), daemon=True).start()
    while (received := tasks.get()) is not None:
        work, task = received
        try:
            reply = (False, work(task))
        except Exception:
            reply = (True, traceback.format_exc())
        try:
            conn.send(reply)
        except OSError:  # the parent is gone
            return


def _receive(conn: Connection, tasks: queue.SimpleQueue) -> None:
    """Take every task off the socket as it comes, then None when the parent closes it.

    The parent sends the next task while this worker may be sending a result: with a part
    of a long file each way (hundreds of kB), both sends would fill their socket buffers
    and wait for ever if the worker read only between tasks.
    """
    while True:
        try:
            tasks.put(conn.recv())
        except (EOFError, OSError):
            tasks.put(None)
            return
