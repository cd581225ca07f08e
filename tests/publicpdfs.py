"""Reference texts for the public PDFs in ``tests/data/pdf_public``: what poppler's ``pdftotext`` reads.

The reader test compares itudocs' words with these, so CI needs no poppler.  Run this
again only after adding a PDF to the folder::

    python -m tests.publicpdfs        # needs pdftotext (Debian's poppler-utils)

A PDF that ``pdftotext`` cannot read gets an empty reference text.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

FOLDER = Path(__file__).parent / "data" / "pdf_public"
SUFFIX = ".pdftotext.txt"


def reference_text(pdf: Path) -> str:
    """The text ``pdftotext`` reads from ``pdf`` in its default layout (empty if it fails)."""
    done = subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, timeout=120)
    return done.stdout.decode("utf-8", errors="replace") if done.returncode == 0 else ""


def main() -> None:
    if shutil.which("pdftotext") is None:
        raise SystemExit("pdftotext not found: install poppler-utils")
    for pdf in sorted(FOLDER.glob("*.pdf")):
        pdf.with_name(pdf.name + SUFFIX).write_text(reference_text(pdf), encoding="utf-8")
        print(pdf.name, file=sys.stderr)


if __name__ == "__main__":
    main()
