"""``--from``, ``--to`` and ``--meeting``: documents chosen by their ``metadata.tsv`` row.

A date is a period (``2024`` is the whole year, ``2024-06`` the month), and a
document is in a range when its period overlaps it; one with no date is outside
every range.  A meeting matches whole, ignoring case (``C24``).  A range that ends before
it starts is refused; documents left out only because their row gives no date (or no
meeting) are counted, so that a search can say how many it could not judge.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from itudocs.corpus.metadata import read_date
from itudocs.search.query import QueryError

if TYPE_CHECKING:
    from itudocs.indexer.records import DocumentRecord


def period(text: str) -> tuple[date, date]:
    """The first and last day a date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) covers.

    >>> period("2024-02")
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    """
    parts = [int(part) for part in text.split("-")]
    year, month, day = [*parts, 0, 0][:3]
    first = date(year, month or 1, day or 1)
    if day:
        return first, first
    if month:
        return first, date(year, month, calendar.monthrange(year, month)[1])
    return first, date(year, 12, 31)


def _bound(text: str | None, option: str) -> tuple[date, date] | None:
    if text is None:
        return None
    if read_date(text) is None:
        raise QueryError(f"{option} {text!r} is not a date; give YYYY, YYYY-MM or YYYY-MM-DD")
    return period(text.strip())


def date_range(date_from: str | None, date_to: str | None) -> tuple[tuple[date, date] | None, tuple[date, date] | None]:
    """The periods of ``--from`` and ``--to``; raises QueryError for a bad date or a range that
    no date is in.

    >>> date_range("2026", "2024")
    Traceback (most recent call last):
    ...
    itudocs.search.query.QueryError: --from 2026 is after --to 2024: no date is in that range
    """
    low, high = _bound(date_from, "--from"), _bound(date_to, "--to")
    if low and high and low[0] > high[1]:
        raise QueryError(f"--from {date_from} is after --to {date_to}: no date is in that range")
    return low, high


@dataclass(frozen=True, slots=True)
class LeftOut:
    """Documents a filter left out because their metadata lacks what it asks about.

    >>> LeftOut("date", 11, 12).note()
    '11 of 12 documents have no date and were left out'
    """

    missing: str  # "date" or "meeting"
    documents: int
    of: int

    def note(self) -> str:
        one = self.documents == 1
        documents = "document" if self.of == 1 else "documents"
        has, was = ("has", "was") if one else ("have", "were")
        return f"{self.documents} of {self.of} {documents} {has} no {self.missing} and {was} left out"

    def to_dict(self) -> dict[str, object]:
        return {"missing": self.missing, "documents": self.documents, "of": self.of, "note": self.note()}


@dataclass(frozen=True, slots=True)
class MetadataChoice:
    """The documents the metadata filters keep, and those left out for lack of metadata."""

    chosen: set[str]
    left_out: tuple[LeftOut, ...] = ()


def documents_by_metadata(
    docs: dict[str, DocumentRecord],
    *,
    date_from: str | None = None,
    date_to: str | None = None,
    meeting: str | None = None,
) -> MetadataChoice | None:
    """The ids of the documents dated within ``date_from``–``date_to`` and held at ``meeting``,
    with how many had no date or no meeting to judge by; None when none of them is asked for."""
    if date_from is None and date_to is None and meeting is None:
        return None
    low, high = date_range(date_from, date_to)
    wanted = meeting.strip().casefold() if meeting else None
    chosen = set()
    undated = unheld = 0
    for doc_id, record in docs.items():
        when = record.date
        if (low or high) and not when:
            undated += 1
            continue
        if when and ((low and period(when)[1] < low[0]) or (high and period(when)[0] > high[1])):
            continue
        if wanted is not None:
            if not record.meeting:
                unheld += 1
                continue
            if record.meeting.casefold() != wanted:
                continue
        chosen.add(doc_id)
    left_out = tuple(
        LeftOut(missing, count, len(docs)) for missing, count in (("date", undated), ("meeting", unheld)) if count
    )
    return MetadataChoice(chosen, left_out)
