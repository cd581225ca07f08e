"""Which documents are language versions of one another.

Two documents are parallel when they carry the same ITU document symbol (``C26/31``,
whatever the language suffix: ``C26/31-E``, ``C26/31-C``) or when a ``parallel.tsv``
beside them pairs their files, one pair per line (``report_zh.txt<TAB>report_en.txt``),
for documents that carry no symbol.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

SIDECAR = "parallel.tsv"
# A Council document symbol, without its language suffix: C26/31, C24/16(Rev.1).
_SYMBOL = re.compile(r"(?<![A-Za-z0-9/])(C\d{2}/\d{1,3}(?:\(Rev\.?\s?\d\))?)(?:-[ACEFRS])?(?![A-Za-z0-9/])")
# The symbol stands in a document's first lines.
SYMBOL_LINES = 6


def document_symbol(first_texts: Iterable[str]) -> str | None:
    """The document symbol named in a document's first passages.

    >>> document_symbol(["Council 2026", "Document C26/31-E", "Purpose"]), document_symbol(["目的"])
    ('C26/31', None)
    """
    for text in first_texts:
        match = _SYMBOL.search(text)
        if match:
            return match.group(1)
    return None


def read_pairs(folder: Path) -> list[tuple[Path, Path]]:
    """The file pairs a folder's ``parallel.tsv`` declares, as paths; none when it has no such file."""
    sidecar = folder / SIDECAR
    try:
        lines = sidecar.read_text(encoding="utf-8-sig").splitlines()
    except OSError:
        return []
    pairs = []
    for line in lines:
        names = [name.strip() for name in line.split("\t") if name.strip()]
        if len(names) == 2 and not names[0].startswith("#"):
            pairs.append((folder / names[0], folder / names[1]))
    return pairs
