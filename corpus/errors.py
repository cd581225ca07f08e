"""What can go wrong reading a corpus, each with the file it concerns."""

from __future__ import annotations


class CorpusError(Exception):
    """A file that cannot be read as a council document."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem
