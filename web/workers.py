"""The processes that answer ``itudocs serve``'s requests: one Library call at a time each.

A search is CPU work in Python, and threads of one process take turns on one core (the
GIL), so the server hands each request's Library call to whichever of N processes is
free, N the cores it may use.  Each process opens the index itself through its own
``Library``; only the call (a verb and plain values) and its answer (the result
dataclasses) cross the pipe, never an open file.  A process runs one call at a time,
so nothing in it is shared between threads.  Stopping the server kills the processes,
which abandons any search still running.
"""

from __future__ import annotations

import queue
import signal
import socket
import subprocess
import sys
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from itudocs.corpus.errors import Problem

# The Library verbs the web app calls.
VERBS = frozenset({"search", "search_with_docs", "count", "show", "refs", "glossary", "docs", "export"})


class ServerStopping(Exception):
    """The call was abandoned because the server is stopping."""


class WorkerFailed(Exception):
    """A call failed in a worker with an exception that is not a Problem: a bug (the worker's traceback)."""


def answer_calls(index_dir: str, calls: Connection) -> None:
    """A worker's life: answer each call from the server until the server goes away."""
    # Ctrl+C reaches every process of the terminal's group; the server decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from itudocs.search.library import Library

    library = Library(index_dir)
    while True:
        try:
            verb, args, kwargs = calls.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[str, Any] = ("ok", getattr(library, verb)(*args, **kwargs))
        except Problem as error:
            # The message is the answer; a Problem subclass may not unpickle (CorpusError takes two arguments).
            reply = ("problem", str(error))
        except Exception:
            reply = ("bug", traceback.format_exc())
        calls.send(reply)


def run_worker() -> None:
    """A worker process's entry point: ``python -c … INDEX_DIR FD``, FD its end of the connection."""
    answer_calls(sys.argv[1], Connection(int(sys.argv[2])))


class _Worker:
    """One worker process and the connection to it.

    A fresh interpreter running this module, not a multiprocessing child: those import
    the server's main module again (``python -m itudocs`` would start a second server),
    and a fork would copy a threaded server's locks in whatever state they were.  When
    the server is gone, however it went, the worker reads the end of its connection and
    exits.
    """

    def __init__(self, index_dir: str) -> None:
        mine, theirs = socket.socketpair()
        start = "from itudocs.web.workers import run_worker; run_worker()"
        command = [sys.executable, "-c", start, index_dir, str(theirs.fileno())]
        self.process = subprocess.Popen(command, pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
        theirs.close()
        self.calls = Connection(mine.detach())

    def call(self, verb: str, args: tuple, kwargs: dict) -> tuple[str, Any]:
        self.calls.send((verb, args, kwargs))
        return self.calls.recv()


class LibraryWorkers:
    """A ``Library`` whose verbs run in ``count`` worker processes, each call in whichever is free.

    Safe to call from any number of threads; a call waits while every worker is busy.
    """

    def __init__(self, index_dir: str | Path, count: int) -> None:
        if count < 1:
            raise ValueError(f"at least one worker is needed, not {count}")
        self.index_dir = Path(index_dir)
        self._stopping = False
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers = [self._start() for _ in range(count)]
        for worker in self._workers:
            self._idle.put(worker)

    def _start(self) -> _Worker:
        return _Worker(str(self.index_dir))

    def __getattr__(self, verb: str) -> Callable[..., Any]:
        # The Library's verbs by name (search, count, show…), so the app calls either alike.
        if verb not in VERBS:
            raise AttributeError(verb)
        return lambda *args, **kwargs: self.call(verb, *args, **kwargs)

    def call(self, verb: str, *args: Any, **kwargs: Any) -> Any:
        """``Library.verb(*args, **kwargs)`` in a free worker; its Problem is raised here as a Problem."""
        worker = self._idle.get()
        try:
            if self._stopping:
                raise ServerStopping
            try:
                status, value = worker.call(verb, args, kwargs)
            except (EOFError, OSError) as error:
                if self._stopping:
                    raise ServerStopping from None
                # It died (killed from outside, out of memory): a fresh one takes its place.
                worker = self._replace(worker)
                raise WorkerFailed(f"a worker process stopped during {verb}; a new one replaces it") from error
        finally:
            self._idle.put(worker)
        if status == "problem":
            raise Problem(value)
        if status == "bug":
            raise WorkerFailed(f"{verb} failed in a worker process:\n{value}")
        return value

    def _replace(self, worker: _Worker) -> _Worker:
        worker.process.kill()
        worker.process.wait()
        worker.calls.close()
        fresh = self._start()
        self._workers = [fresh if w is worker else w for w in self._workers]
        return fresh

    def stop(self) -> None:
        """Kill every worker: calls running now end with ServerStopping.  Safe in a signal handler."""
        self._stopping = True
        for worker in self._workers:
            worker.process.kill()

    def close(self) -> None:
        """Stop the workers and wait for them to be gone."""
        self.stop()
        for worker in self._workers:
            worker.process.wait()
            worker.calls.close()
