"""Printing and saving benchmark results: Markdown tables and JSON files."""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - display_width(text))
    return fill + text if right else text + fill


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, right: Sequence[int] = ()) -> str:
    """A Markdown table whose columns also line up in a terminal; ``right``: columns of numbers."""
    widths = [max(display_width(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    lines = [
        "| " + " | ".join(_pad(h, w, i in right) for i, (h, w) in enumerate(zip(headers, widths, strict=True))) + " |"
    ]
    lines.append("|" + "|".join("-" * (w + 1) + (":" if i in right else "-") for i, w in enumerate(widths)) + "|")
    for row in rows:
        cells = (_pad(str(cell), w, i in right) for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine() -> dict[str, object]:
    """What a result depends on besides the code, so runs on different machines are not mixed up."""
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "locale": os.environ.get("LC_ALL") or os.environ.get("LANG") or "",
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def write_json(path: Path, data: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def require_empty_keep(parser: argparse.ArgumentParser, keep: Path | None) -> None:
    """``--keep DIR`` must be new or empty: a run leaves its corpus and indexes there."""
    if keep and keep.exists() and any(keep.iterdir()):
        parser.error(f"--keep {keep}: the folder is not empty")


@contextmanager
def work_folder(keep: Path | None, name: str) -> Iterator[Path]:
    """``keep`` (``--keep DIR``) or a temporary folder removed after the run."""
    with tempfile.TemporaryDirectory(prefix=f"itudocs-{name}-") as tmp:
        yield keep or Path(tmp)
