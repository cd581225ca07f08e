"""Word's inline markers in the plain-text exports: bookmarks and footnotes.

A line such as ``…的贡献[footnoteRef:1] [1:  \tSee https://… ]`` carries a footnote
call and, later on the same line, the footnote's text.  ``read_markers`` returns
the line's own text with every marker removed, where each call stood, and the
footnote texts, so that no marker ever reaches the index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from itudocs.corpus.model import FootnoteCall

_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
_CALL = re.compile(r"\[footnoteRef:(\d+)\]")
_NOTE_START = re.compile(r"\[(\d+):")
# Word writes a footnote's custom mark ("1", "*") both after the call and before a TAB
# at the start of the note; it is display text, not content.
_CUSTOM_MARK = re.compile(r"([0-9*†‡§]{1,3}|[a-z])\t")


@dataclass(frozen=True, slots=True, kw_only=True)
class MarkedLine:
    """A source line with its markers taken out."""

    text: str
    calls: tuple[FootnoteCall, ...] = ()
    notes: tuple[tuple[int, str], ...] = ()


def strip_bookmarks(line: str) -> str:
    """``"[bookmark: Annex2]附件2"`` → ``"附件2"``."""
    return _BOOKMARK.sub("", line)


def _closing_bracket(line: str, start: int) -> int:
    """Index of the ``]`` that closes the ``[`` at ``start``, or -1 when unclosed."""
    depth = 0
    for i in range(start, len(line)):
        if line[i] == "[":
            depth += 1
        elif line[i] == "]":
            depth -= 1
            if depth == 0:
                return i
    return -1


def _find_notes(line: str, called: set[int]) -> dict[int, tuple[int, int, str]]:
    """Footnote texts of the numbers called on this line: number → (start, end, text)."""
    notes: dict[int, tuple[int, int, str]] = {}
    for match in _NOTE_START.finditer(line):
        number = int(match.group(1))
        if number not in called or number in notes:
            continue
        end = _closing_bracket(line, match.start())
        # An unclosed note (a cut-off export) runs to the end of the line.
        close = end + 1 if end >= 0 else len(line)
        notes[number] = (match.start(), close, line[match.end() : close - 1 if end >= 0 else close].strip())
    return notes


def read_markers(line: str) -> MarkedLine:
    """Remove bookmarks and footnote markers from one line.

    >>> m = read_markers("贡献[footnoteRef:1] [1:  \\t见网址 ]")
    >>> m.text, m.calls[0].offset, m.notes
    ('贡献', 2, ((1, '见网址'),))
    """
    line = strip_bookmarks(line)
    called = {int(n) for n in _CALL.findall(line)}
    if not called:
        return MarkedLine(text=line.rstrip())
    notes = _find_notes(line, called)
    calls_at = {int(m.group(1)): m.end() for m in _CALL.finditer(line)}
    marks: dict[int, str] = {}
    bodies: dict[int, str] = {}
    for number, (_, _, body) in notes.items():
        custom = _CUSTOM_MARK.match(body)
        # Only a mark that also follows the call is Word's; otherwise it is the note's text.
        if custom and line.startswith(custom.group(1), calls_at.get(number, -1)):
            marks[number] = custom.group(1)
            body = body[custom.end() :].strip()
        bodies[number] = body

    skip = sorted((start, end) for start, end, _ in notes.values())
    out: list[str] = []
    calls: list[FootnoteCall] = []
    i = 0
    length = 0
    while i < len(line):
        if skip and i == skip[0][0]:
            i = skip.pop(0)[1]
            # The note took a space on each side; keep one.
            if out and out[-1] == " " and line.startswith(" ", i):
                i += 1
            continue
        call = _CALL.match(line, i)
        if call:
            number = int(call.group(1))
            calls.append(FootnoteCall(number=number, offset=length))
            i = call.end()
            mark = marks.get(number)
            if mark and line.startswith(mark, i):
                i += len(mark)
            continue
        out.append(line[i])
        length += 1
        i += 1
    text = "".join(out).rstrip()
    # A call at the very end of a line sits after any trailing space we cut.
    calls = [FootnoteCall(number=c.number, offset=min(c.offset, len(text))) for c in calls]
    return MarkedLine(
        text=text,
        calls=tuple(calls),
        notes=tuple(sorted(bodies.items())),
    )
