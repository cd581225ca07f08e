"""What can go wrong reading a corpus, each with the file it concerns."""

from __future__ import annotations


class CorpusError(Exception):
    """A file that should have been a council document but could not be read."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class NotADocument(CorpusError):
    """A file passed over on purpose: empty, binary, or over the size limit."""
