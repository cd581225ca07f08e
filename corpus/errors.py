"""What can go wrong reading a corpus, each with the file it concerns; and ``Problem``,
what every layer raises for something the user can put right."""

from __future__ import annotations


class Problem(Exception):
    """Something the user can put right (a file, a folder, an index, a query, an option);
    the message says what and where.  The command line prints it as one line and the web
    API answers it with a 400; any other exception is a bug, and stays a traceback."""


class CorpusError(Problem):
    """A file that should have been a council document but could not be read."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class NotADocument(CorpusError):
    """A file passed over on purpose: empty, binary, or over the size limit."""
