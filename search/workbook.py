"""The Excel export: a workbook written with XlsxWriter, for people who filter and read hits there.

Sheet ``hits`` has the CSV's columns (``search.export.rows``) plus ``url``, the passage's
own address as a link: its source file, at the passage's element for a web page (never an
address the passage quotes, which is in its text); the header row is frozen and
filterable, long text wraps in wide columns.  Sheet ``export`` records the query, the summary line, the
filters, the time and the index.  Every text cell is written as a string, so no
cell is ever a formula, whatever the passage starts with.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import quote

from itudocs.search.export import flat, partial_notice, rows, summary
from itudocs.search.results import Hit

if TYPE_CHECKING:
    from itudocs.search.results import SearchResult

# Column widths in characters; a Chinese character takes about two.
WIDTHS = {"text": 80, "snippet": 50, "notes": 50, "title": 30, "section": 30, "file": 30, "id": 24, "url": 40}
WRAPPED = frozenset({"text", "snippet", "notes", "title", "section"})
NUMBERS = frozenset({"line", "footnote", "score"})
DEFAULT_WIDTH = 12
# Excel's limits: characters in a cell, and in a link's address.
MAX_CELL = 32_767
MAX_URL = 2_079


def passage_address(hit: Hit) -> str | None:
    """Where a passage is: its source file as a ``file:`` address (from its full path, whichever
    form the ``file`` column gives), with the element's id for a web page; None for a file
    recorded without its full path.

    >>> from itudocs.corpus.model import Citation
    >>> def hit(file, anchor, folder=""):
    ...     citation = Citation(doc_id="d", title="", section=(), label="", anchor=anchor)
    ...     return Hit(id="d:1", kind="para", lang="en", text="", file=file, folder=folder, citation=citation)
    >>> passage_address(hit("/docs/C25-45.html", "para 3"))
    'file:///docs/C25-45.html#para%203'
    >>> passage_address(hit("第140号决议.txt", None, folder="/docs"))
    'file:///docs/%E7%AC%AC140%E5%8F%B7%E5%86%B3%E8%AE%AE.txt'
    """
    path = Path(hit.path)
    if not path.is_absolute():
        return None
    address = path.as_uri()
    anchor = hit.citation.anchor
    return f"{address}#{quote(anchor)}" if anchor else address


def write_xlsx(result: SearchResult, out: BinaryIO, *, meta: dict) -> None:
    """Write ``result`` as a workbook to ``out``."""
    import xlsxwriter

    buffer = io.BytesIO()
    # No string may become a formula, a number or a link behind our back.
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    with xlsxwriter.Workbook(buffer, options) as book:
        header = book.add_format({"bold": True, "bottom": 1, "bg_color": "#DDEBF7"})
        wrapped = book.add_format({"text_wrap": True, "valign": "top"})
        plain = book.add_format({"valign": "top"})
        link = book.add_format({"font_color": "blue", "underline": 1, "valign": "top"})

        sheet = book.add_worksheet("hits")
        columns, table = rows(result)
        columns = (*columns, "url")
        for col, name in enumerate(columns):
            sheet.set_column(col, col, WIDTHS.get(name, DEFAULT_WIDTH), wrapped if name in WRAPPED else plain)
            sheet.write_string(0, col, name, header)
        for r, (hit, row) in enumerate(zip(result.hits, table, strict=True), start=1):
            for col, name in enumerate(columns[:-1]):
                value = row[name]
                if name in NUMBERS and isinstance(value, (int, float)) and not isinstance(value, bool):
                    sheet.write_number(r, col, value)
                else:
                    sheet.write_string(r, col, flat(name, value)[:MAX_CELL])
            url = passage_address(hit)
            if url and len(url) <= MAX_URL:
                # XlsxWriter rewrites a file: link as a Windows path, which turns /home/… into a
                # relative \home\…; a link whose scheme it does not recognise (URI schemes
                # ignore case) it writes as given.
                sheet.write_url(r, len(columns) - 1, "FILE" + url.removeprefix("file"), link, string=url)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, len(table), len(columns) - 1)

        about = book.add_worksheet("export")
        about.set_column(0, 0, 14, plain)
        about.set_column(1, 1, 80, wrapped)
        facts = [
            ("query", result.query),
            ("summary", summary(result)),
            ("partial", partial_notice(result) if result.partial else "no: every passage holds every word"),
            ("filters", result.filters.describe().strip() if result.filters else ""),
            *((key, str(value)) for key, value in meta.items() if key != "query"),
        ]
        for r, (key, value) in enumerate(facts):
            about.write_string(r, 0, key, header)
            about.write_string(r, 1, value[:MAX_CELL])
    out.write(buffer.getvalue())
