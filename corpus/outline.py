"""The heading path above each passage."""

from __future__ import annotations


class Outline:
    """A stack of open headings, each at a depth.

    Entering a heading closes every open heading at its depth or deeper, so a
    ``b)`` replaces the ``a)`` before it and an ``附件`` (depth 0) closes everything.

    >>> o = Outline(); o.enter(1, "一 背景"); o.enter(2, "a) 简史"); o.enter(2, "b) 职责")
    >>> o.path
    ('一 背景', 'b) 职责')
    """

    def __init__(self) -> None:
        self._open: list[tuple[int, str]] = []

    def enter(self, depth: int, heading: str) -> None:
        while self._open and self._open[-1][0] >= depth:
            self._open.pop()
        self._open.append((depth, heading))

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(heading for _, heading in self._open)


def heading_text(label: str | None, text: str) -> str:
    """How a heading reads in a section path: ``"二 国际电联的贡献"``."""
    return f"{label} {text}" if label else text
