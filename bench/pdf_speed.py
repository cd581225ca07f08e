"""How fast PDFs are read: pages per second, itudocs beside plain text extraction.

Two documents of about 100 pages each are drawn with the test fixture generator
(``tests/pdfgen.py``, which needs the ``test`` extra for ReportLab) from the bundled
seeds: one in Chinese (ReportLab's CID font STSong-Light, not embedded, so PDFium
substitutes a system font for it: the slow case) and one in English (Times, a base
font). Each is read by

- itudocs: ``itudocs.corpus.readers.pdf.read_pdf``, the whole reader, passages built;
- pypdfium2 text: PDFium's plain text of every page, no layout (the floor we build on);
- pdfminer.six: ``extract_text`` with its default layout analysis, if it is installed
  (it is not a dependency; ``pip install pdfminer.six`` to compare);
- poppler pdftotext: the ``pdftotext`` command (Debian's poppler-utils) writing the text to
  standard output, if it is on the path; its time includes starting the process (some ms).

Usage: ``python bench/pdf_speed.py [--pages 100] [--repeats 3] [--json PATH]``
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from report import machine, markdown_table, write_json

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from itudocs.corpus.loader import SourceFile, read_document, sample_folder  # noqa: E402
from itudocs.corpus.readers.pdf import read_pdf  # noqa: E402
from tests import pdfgen  # noqa: E402


def make_pdf(pages: int, *, english: bool) -> tuple[bytes, int]:
    """About ``pages`` pages of council text (the seeds, or the English fixture, over and over)."""
    import pypdfium2

    if english:
        path = ROOT / "tests" / "fixtures" / "C26-31-E.txt"
        exports = [read_document(SourceFile(path, path.stem))]
    else:
        exports = [read_document(SourceFile(path, path.stem)) for path in sorted(sample_folder().glob("*.txt"))]
    blocks: list[pdfgen.Block] = []
    notes: dict[int, str] = {}
    style = pdfgen.ENGLISH if english else pdfgen.CHINESE
    while True:
        for doc in exports:
            made, made_notes = pdfgen.blocks_of_export(doc)
            shift = len(notes)
            for block in made:
                block.calls = {offset: number + shift for offset, number in block.calls.items()}
                block.title = False
            notes.update({number + shift: text for number, text in made_notes.items()})
            blocks += made
        data = pdfgen.pdf_of_blocks(blocks, notes, symbol="C26/99-C", meeting="Council 2026", style=style)
        count = len(pypdfium2.PdfDocument(data))
        if count >= pages:
            return data, count


def itudocs(data: bytes) -> int:
    return len(read_pdf(data, doc_id="bench", source="bench.pdf", sha256="0").passages)


def pdfium_text(data: bytes) -> int:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    return sum(len(pdf[i].get_textpage().get_text_range()) for i in range(len(pdf)))


def pdfminer_text(data: bytes) -> int:
    import io

    from pdfminer.high_level import extract_text

    return len(extract_text(io.BytesIO(data)))


def pdftotext_text(data: bytes) -> int:
    done = subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
    return len(done.stdout)


def has_pdfminer() -> bool:
    try:
        import pdfminer  # noqa: F401
    except ImportError:
        return False
    return True


def timed(read: Callable[[bytes], int], data: bytes, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        read(data)
        times.append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100, help="pages per generated document (default 100)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per reader and document; the median is shown")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    readers: dict[str, Callable[[bytes], int]] = {"itudocs": itudocs, "pypdfium2 text": pdfium_text}
    if has_pdfminer():
        readers["pdfminer.six"] = pdfminer_text
    if shutil.which("pdftotext"):
        readers["poppler pdftotext"] = pdftotext_text
    rows, results = [], []
    for name, english in (("Chinese", False), ("English", True)):
        data, pages = make_pdf(args.pages, english=english)
        for reader, read in readers.items():
            times = timed(read, data, args.repeats)
            median = statistics.median(times)
            rows.append(
                [
                    f"{name}, {pages} pages",
                    reader,
                    f"{median:.2f} s ({min(times):.2f}–{max(times):.2f})",
                    f"{pages / median:.0f}",
                ]
            )
            results.append({"document": name, "pages": pages, "reader": reader, "seconds": times})
    print(markdown_table(["document", "reader", "time, median (min–max)", "pages/s"], rows, right=(3,)))
    if args.json:
        write_json(args.json, {"machine": machine(), "results": results})


if __name__ == "__main__":
    main()
