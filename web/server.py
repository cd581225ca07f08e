"""Running the app for ``itudocs serve``: the socket is bound first, so a taken port is a one-line error."""

from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path
from types import FrameType

from itudocs.corpus.errors import Problem
from itudocs.web.app import LOCAL_HOSTS, create_app


class ListenError(Problem):
    """The server cannot listen where asked: the address is taken, or not this machine's."""


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (0: any free port)."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        return socket.create_server((host, port), family=family)
    except OSError as error:
        # create_server adds the address to strerror; the message names it already.
        reason = os.strerror(error.errno) if error.errno and error.errno > 0 else error.strerror or str(error)
        raise ListenError(f"cannot listen on {host}:{port}: {reason}") from None


def address(sock: socket.socket) -> str:
    """The page's address for a listening socket."""
    host, port = sock.getsockname()[:2]
    return f"http://{f'[{host}]' if ':' in host else host}:{port}/"


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def cores() -> int:
    """How many cores this process may run on: the default number of workers."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def serve(index_dir: str | Path, sock: socket.socket, host: str, *, workers: int) -> None:
    """Answer on ``sock`` with ``workers`` processes until interrupted (Ctrl+C, SIGTERM)."""
    import uvicorn

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            # Kill the workers first: the requests they were answering end at once with a
            # 503, instead of uvicorn waiting for every running search to finish.
            library.stop()
            super().handle_exit(sig, frame)

    # On a loopback address only this machine's names are accepted (see app.Guard).
    hosts = (*LOCAL_HOSTS, host) if _loopback(host) else None
    app = create_app(index_dir, hosts=hosts, workers=workers)
    library = app.state.library
    try:
        Server(uvicorn.Config(app, log_level="warning", access_log=False)).run(sockets=[sock])
    finally:
        library.close()
