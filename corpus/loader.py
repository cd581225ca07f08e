"""Find council documents in a folder and read them into Documents.

Plain-text exports (``.txt``), Word files (``.docx``), web pages (``.html``,
``.htm``) and PDFs (``.pdf``) are read.  The format is chosen by content, the
extension only breaking a tie: a zip is a Word file, ``%PDF-`` opens a PDF, markup
that opens like HTML is a page, anything else is a text export unless its name says
``.docx``, ``.pdf`` or ``.html``.  Every reader returns the same Passage and Citation records.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from itudocs.corpus.encodings import decode
from itudocs.corpus.errors import CorpusError, NotADocument
from itudocs.corpus.limits import ReadLimits, split_long_passages
from itudocs.corpus.metadata import SIDECAR, DocMeta, MetadataFinder
from itudocs.corpus.model import Document, Kind, Passage
from itudocs.corpus.readers.textexport import read_text_export

DEFAULT_LIMITS = ReadLimits()
SUFFIXES = frozenset({".txt", ".docx", ".html", ".htm", ".pdf"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
ZIP_SIGNATURE = b"PK\x03\x04"
# Files beside the documents that say something about them, read by their own readers.
SIDECARS = frozenset({"parallel.tsv", SIDECAR})
# What to do with a format Word can convert.
CONVERTIBLE = frozenset({".doc", ".rtf", ".wps", ".odt"})
# What editors and file managers leave beside documents: Word's owner files, Emacs
# locks and backups, Finder and Explorer records.  Passed over without a word, but counted.
_CLUTTER = re.compile(r"^(?:\.|~\$|\.#)|~$|^(?:Thumbs\.db|desktop\.ini)$", re.IGNORECASE)
# PDF readers accept the header after a little white space, as some servers prepend it.
_PDF_START = re.compile(rb"\s{0,64}%PDF-")
# A page may open with an XML declaration and comments (a browser's "saved from url=").
_HTML_START = re.compile(
    r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<(?:html|head|body|meta|p|div)[\s/>])",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file found below an indexed folder, with the id its document will get and what
    a ``metadata.tsv`` says about it."""

    path: Path
    doc_id: str
    meta: DocMeta | None = None


@dataclass(slots=True)
class Scan:
    """Every file met below an indexed folder: the documents to read, the files that are
    not documents with why (``skipped``), and how many hidden or temporary files were
    passed over quietly (``passed_over``)."""

    sources: list[SourceFile] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    passed_over: int = 0
    warnings: list[tuple[str, str]] = field(default_factory=list)


def sample_folder() -> Path:
    """The bundled sample corpus: five ITU Council documents in Chinese."""
    return Path(str(resources.files("itudocs.corpus") / "sample"))


def discover(folder: Path) -> Iterator[SourceFile]:
    """Every readable document below ``folder``, in a stable order (see ``scan``)."""
    yield from scan(folder).sources


def unsupported(path: Path) -> str:
    """Why a file met in the walk is not read.

    >>> unsupported(Path("b.doc")), unsupported(Path("notes"))
    ('unsupported format .doc — save it as .docx', 'unsupported format (no extension)')
    """
    suffix = path.suffix.lower()
    if not suffix:
        return "unsupported format (no extension)"
    return f"unsupported format {suffix}" + (" — save it as .docx" if suffix in CONVERTIBLE else "")


def _nothing_else(folder: Path) -> Collection[str]:
    return ()


def scan(folder: Path, *, not_documents: Callable[[Path], Collection[str]] = _nothing_else) -> Scan:
    """Every file below ``folder`` accounted for, documents in a stable order.

    A single file may be given instead of a folder.  Files that differ only in their
    extension (``report.docx`` and ``report.html``) keep it in their ids, so neither
    replaces the other in the index.  ``not_documents(dir)`` names the entries of a
    folder that belong to something else (the files of an index kept among the
    documents): they are left out, not even counted as passed over.
    """
    folder = folder.resolve()
    found = Scan()
    metadata = MetadataFinder(folder)
    if folder.is_file():
        if folder.suffix.lower() in SUFFIXES:
            found.sources.append(SourceFile(folder, folder.stem, metadata.meta_for(folder)))
            found.warnings.extend(metadata.warnings)
        else:
            found.skipped.append((str(folder), unsupported(folder)))
        return found
    paths = []
    # Linked folders are not followed: a link loop must not make the walk endless.
    for top, dirs, names in os.walk(folder, followlinks=False):
        others = not_documents(Path(top))
        hidden = [name for name in dirs if name.startswith(".") and name not in others]
        found.passed_over += len(hidden)
        dirs[:] = sorted(name for name in dirs if not name.startswith(".") and name not in others)
        for name in names:
            path = Path(top) / name
            if name in others:
                continue
            if _CLUTTER.search(name):
                found.passed_over += 1
            elif name.lower() in SIDECARS or not path.is_file():
                continue
            elif path.suffix.lower() in SUFFIXES:
                paths.append(path)
            else:
                found.skipped.append((str(path), unsupported(path)))
    paths.sort()
    found.skipped.sort()
    stems = Counter(path.relative_to(folder).with_suffix("").as_posix() for path in paths)
    for path in paths:
        relative = path.relative_to(folder)
        stem = relative.with_suffix("").as_posix()
        doc_id = stem if stems[stem] == 1 else relative.as_posix()
        found.sources.append(SourceFile(path, doc_id, metadata.meta_for(path)))
    found.warnings.extend(metadata.warnings)
    return found


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
    """``docx``, ``pdf``, ``html`` or ``text``: by content first, by extension when content is silent.

    >>> source_format(b"\\n%PDF-1.7", ".txt"), source_format(b"PK\\x03\\x04", ".pdf"), source_format(b"x", ".pdf")
    ('pdf', 'docx', 'pdf')
    """
    if data.startswith(ZIP_SIGNATURE) or suffix == ".docx":
        return "docx"
    if _PDF_START.match(data) or suffix == ".pdf":
        return "pdf"
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
    fmt = source_format(data, source.path.suffix.lower())
    doc = replace(_read(source, data, where, fmt, limits), format=fmt)
    return split_long_passages(keep_calls_without_notes(apply_metadata(doc, source.meta)), limits.max_passage_chars)


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


def apply_metadata(doc: Document, meta: DocMeta | None) -> Document:
    """The document with what its ``metadata.tsv`` row says in place of what was read."""
    if meta is None:
        return doc
    title = meta.title or doc.title
    return replace(
        doc,
        title=title,
        symbol=meta.symbol or doc.symbol,
        lang=meta.language or doc.lang,
        meta=meta,
        passages=tuple(replace(p, citation=replace(p.citation, title=title)) for p in doc.passages),
    )


def _read(source: SourceFile, data: bytes, where: str, fmt: str, limits: ReadLimits) -> Document:
    ids = {"doc_id": source.doc_id, "source": where, "sha256": fingerprint(data)}
    if fmt == "pdf":  # PDFium is loaded only when a PDF is read
        from itudocs.corpus.readers.pdf import read_pdf

        return read_pdf(data, max_pages=limits.max_pdf_pages, **ids)
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
