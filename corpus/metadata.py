"""What a folder's ``metadata.tsv`` says about its documents.

One row per file, tab-separated: ``file``, ``title``, ``symbol``, ``date``,
``meeting``, ``language`` (a first row naming the columns may give another order or
leave some out).  ``file`` is a path relative to the folder holding the
``metadata.tsv``; a file takes the rows of the nearest ``metadata.tsv`` at or above
it, up to the indexed folder.  What a row gives overrides what is read from the text.
Dates are ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a date or language that cannot be
read is named as a warning and left out, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

SIDECAR = "metadata.tsv"
COLUMNS = ("file", "title", "symbol", "date", "meeting", "language")
LANGUAGES = {"zh": "zh", "chinese": "zh", "中文": "zh", "en": "en", "english": "en", "英文": "en"}
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True, slots=True)
class DocMeta:
    """One document's row; None where the row says nothing."""

    title: str | None = None
    symbol: str | None = None
    date: str | None = None
    meeting: str | None = None
    language: str | None = None

    def to_record(self) -> dict[str, str | None]:
        return asdict(self)


def read_date(text: str) -> str | None:
    """An ISO date, year or month as written, or None when it is not one.

    >>> read_date("2024-06"), read_date("2024-02-30"), read_date("June 2024")
    ('2024-06', None, None)
    """
    match = _DATE.fullmatch(text.strip())
    if not match:
        return None
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        date(year, month, day)
    except ValueError:
        return None
    return match.group(0)


@dataclass(frozen=True, slots=True)
class Sidecar:
    """A ``metadata.tsv`` read: rows by the file they describe, and what was wrong with it."""

    rows: dict[Path, DocMeta]
    warnings: tuple[tuple[str, str], ...] = ()


def read_sidecar(folder: Path) -> Sidecar | None:
    """The folder's ``metadata.tsv``, or None when it has none."""
    path = folder / SIDECAR
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        return Sidecar({}, ((str(path), f"cannot be read ({getattr(error, 'strerror', None) or error})"),))
    columns: tuple[str, ...] = COLUMNS
    rows: dict[Path, DocMeta] = {}
    warnings: list[tuple[str, str]] = []
    first = True
    for number, line in enumerate(lines, start=1):
        cells = [cell.strip() for cell in line.split("\t")]
        if not cells[0] or cells[0].startswith("#"):
            continue
        header, first = first and cells[0].lower() == "file", False
        if header:
            unknown = [cell for cell in cells if cell.lower() not in COLUMNS]
            if unknown:
                warnings.append((f"{path}:{number}", f"unknown columns {', '.join(unknown)} left out"))
            columns = tuple(cell.lower() for cell in cells)
            continue
        row = {name: cell for name, cell in zip(columns, cells, strict=False) if name in COLUMNS and cell}
        meta, problems = _meta(row)
        described = (folder / row["file"]).resolve()
        if not described.is_file():
            problems.append(f"no file {row['file']} beside it; row left out")
        warnings.extend((f"{path}:{number}", problem) for problem in problems)
        rows[described] = meta
    return Sidecar(rows, tuple(warnings))


def _meta(row: dict[str, str]) -> tuple[DocMeta, list[str]]:
    problems = []
    when = row.get("date")
    if when and read_date(when) is None:
        problems.append(f"date {when!r} is not YYYY, YYYY-MM or YYYY-MM-DD; left out")
        when = None
    language = row.get("language")
    if language and language.lower() not in LANGUAGES:
        problems.append(f"language {language!r} is not zh or en; left out")
        language = None
    meta = DocMeta(
        title=row.get("title"),
        symbol=row.get("symbol"),
        date=when,
        meeting=row.get("meeting"),
        language=LANGUAGES[language.lower()] if language else None,
    )
    return meta, problems


class MetadataFinder:
    """The row for each file below an indexed folder, each ``metadata.tsv`` read once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._read: dict[Path, Sidecar | None] = {}
        self.warnings: list[tuple[str, str]] = []

    def _sidecar(self, folder: Path) -> Sidecar | None:
        if folder not in self._read:
            self._read[folder] = sidecar = read_sidecar(folder)
            if sidecar:
                self.warnings.extend(sidecar.warnings)
        return self._read[folder]

    def meta_for(self, path: Path) -> DocMeta | None:
        folder = path.parent
        while True:
            sidecar = self._sidecar(folder)
            if sidecar is not None:
                return sidecar.rows.get(path)
            if folder == self.root or self.root not in folder.parents:
                return None
            folder = folder.parent
