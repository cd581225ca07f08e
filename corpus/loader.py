"""Find council documents in a folder and read them into Documents.

Plain-text exports (``.txt``), Word files (``.docx``) and web pages (``.html``,
``.htm``) are read.  The format is chosen by content, the extension only breaking a
tie: a zip is a Word file, markup that opens like HTML is a page, anything else is
a text export unless its name says ``.docx`` or ``.html``.  Every reader returns the
same Passage and Citation records.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from itudocs.corpus.encodings import decode
from itudocs.corpus.errors import CorpusError, NotADocument
from itudocs.corpus.limits import ReadLimits, split_long_passages
from itudocs.corpus.model import Document, Kind, Passage
from itudocs.corpus.readers.textexport import read_text_export

DEFAULT_LIMITS = ReadLimits()
SUFFIXES = frozenset({".txt", ".docx", ".html", ".htm"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
ZIP_SIGNATURE = b"PK\x03\x04"
# A page may open with an XML declaration and comments (a browser's "saved from url=").
_HTML_START = re.compile(
    r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<(?:html|head|body|meta|p|div)[\s/>])",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file found below an indexed folder, with the id its document will get."""

    path: Path
    doc_id: str


def sample_folder() -> Path:
    """The bundled sample corpus: five ITU Council documents in Chinese."""
    return Path(str(resources.files("itudocs.corpus") / "sample"))


def discover(folder: Path) -> Iterator[SourceFile]:
    """Every readable document below ``folder``, in a stable order.

    A single file may be given instead of a folder.  Files that differ only in their
    extension (``report.docx`` and ``report.html``) keep it in their ids, so neither
    replaces the other in the index.
    """
    folder = folder.resolve()
    if folder.is_file():
        yield SourceFile(folder, folder.stem)
        return
    paths = sorted(
        Path(top) / name
        # Linked folders are not followed: a link loop must not make the walk endless.
        for top, dirs, names in os.walk(folder, followlinks=False)
        if not any(part.startswith(".") for part in Path(top).relative_to(folder).parts)
        for name in names
        if Path(name).suffix.lower() in SUFFIXES and not name.startswith(".") and (Path(top) / name).is_file()
    )
    stems = Counter(path.relative_to(folder).with_suffix("").as_posix() for path in paths)
    for path in paths:
        relative = path.relative_to(folder)
        stem = relative.with_suffix("").as_posix()
        yield SourceFile(path, stem if stems[stem] == 1 else relative.as_posix())


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def looks_like_html(data: bytes) -> bool:
    """Whether the file opens like a web page, after any BOM and white space.

    >>> looks_like_html(b"\\xef\\xbb\\xbf  <!DOCTYPE html><p>x"), looks_like_html(b"<p>x"), looks_like_html(b"1\\tx")
    (True, True, False)
    """
    head = data[:1024]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        start = head.decode("utf-16", errors="ignore")
    else:
        start = head.removeprefix(codecs.BOM_UTF8).decode("latin-1")
    return _HTML_START.match(start) is not None


def source_format(data: bytes, suffix: str) -> str:
    """``docx``, ``html`` or ``text``: by content first, by extension when content is silent."""
    if data.startswith(ZIP_SIGNATURE) or suffix == ".docx":
        return "docx"
    if looks_like_html(data) or suffix in HTML_SUFFIXES:
        return "html"
    return "text"


def read_document(source: SourceFile, data: bytes | None = None, limits: ReadLimits = DEFAULT_LIMITS) -> Document:
    """Read one file into a Document; ``data`` saves a second read when the caller has it.

    Raises NotADocument for a file passed over (empty, binary, too large) and
    CorpusError for one that cannot be read; both name the file and the problem.
    """
    where = str(source.path)
    try:
        size = source.path.stat().st_size if data is None else len(data)
        if size > limits.max_file_bytes:
            raise NotADocument(where, f"larger than the {limits.max_file_bytes // 2**20} MB limit ({size // 2**20} MB)")
        data = source.path.read_bytes() if data is None else data
    except OSError as error:
        raise CorpusError(where, error.strerror or "cannot be read") from None
    if not data.strip():
        raise NotADocument(where, "empty file")
    return split_long_passages(keep_calls_without_notes(_read(source, data, where)), limits.max_passage_chars)


def keep_calls_without_notes(doc: Document) -> Document:
    """The document with each footnote call whose note it lacks put back in the text as
    ``[3]``, and a warning naming it: a call linking nowhere would hide that the text
    refers to something, and send ``show`` to a footnote that is not there."""
    notes = {p.citation.footnote for p in doc.passages if p.kind is Kind.FOOTNOTE}
    warnings: list[str] = []
    passages: list[Passage] = []
    for passage in doc.passages:
        lost = [call for call in passage.calls if call.number not in notes]
        if not lost:
            passages.append(passage)
            continue
        text = passage.text
        for call in sorted(lost, key=lambda c: c.offset, reverse=True):
            text = f"{text[: call.offset]}[{call.number}]{text[call.offset :]}"
        kept = tuple(
            replace(call, offset=call.offset + sum(len(f"[{c.number}]") for c in lost if c.offset <= call.offset))
            for call in passage.calls
            if call.number in notes
        )
        passages.append(replace(passage, text=text, calls=kept))
        where = f"line {passage.citation.line}" if passage.citation.line else f"passage {passage.seq}"
        warnings.extend(f"footnote {c.number} is called at {where} but has no note; kept as [{c.number}]" for c in lost)
    if not warnings:
        return doc
    return replace(doc, passages=tuple(passages), warnings=(*doc.warnings, *warnings))


def _read(source: SourceFile, data: bytes, where: str) -> Document:
    ids = {"doc_id": source.doc_id, "source": where, "sha256": fingerprint(data)}
    fmt = source_format(data, source.path.suffix.lower())
    # The Word and HTML readers load BeautifulSoup, which a text-only run never needs.
    if fmt == "docx":
        from itudocs.corpus.readers.docx import read_docx

        return read_docx(data, **ids)
    if fmt == "html":
        from itudocs.corpus.readers.html import read_html

        return read_html(data, **ids)
    decoded = decode(data, where)
    if not decoded.text.strip():
        raise NotADocument(where, "empty file")
    doc = read_text_export(decoded.text, **ids)
    return replace(doc, encoding=decoded.encoding, warnings=(decoded.warning,) if decoded.warning else ())
