"""``--from``, ``--to`` and ``--meeting``: documents chosen by their ``metadata.tsv`` row.

A date is a period (``2024`` is the whole year, ``2024-06`` the month), and a
document is in a range when its period overlaps it; one with no date is outside
every range.  A meeting matches whole, ignoring case (``C24``).
"""

from __future__ import annotations

import calendar
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


def documents_by_metadata(
    docs: dict[str, DocumentRecord],
    *,
    date_from: str | None = None,
    date_to: str | None = None,
    meeting: str | None = None,
) -> set[str] | None:
    """The ids of the documents dated within ``date_from``–``date_to`` and held at ``meeting``;
    None when none of them is asked for."""
    if date_from is None and date_to is None and meeting is None:
        return None
    low, high = _bound(date_from, "--from"), _bound(date_to, "--to")
    wanted = meeting.strip().casefold() if meeting else None
    chosen = set()
    for doc_id, record in docs.items():
        when = record.date
        if (low or high) and not when:
            continue
        if when and ((low and period(when)[1] < low[0]) or (high and period(when)[0] > high[1])):
            continue
        if wanted is not None and (record.meeting or "").casefold() != wanted:
            continue
        chosen.add(doc_id)
    return chosen
