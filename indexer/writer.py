"""The only place the index is written.

``index_folder`` brings the index in line with a folder: new and changed files (by
content hash) are read and written, unchanged ones skipped, and files gone from the
folder removed.  Everything goes into one Whoosh commit, which is atomic: a run
that fails or is killed leaves the index as the last commit left it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import LockError
from whoosh.reading import IndexReader
from whoosh.writing import IndexWriter

from itudocs.corpus.errors import CorpusError, NotADocument
from itudocs.corpus.limits import ReadLimits
from itudocs.corpus.loader import DEFAULT_LIMITS, SourceFile, discover, fingerprint, read_document
from itudocs.corpus.model import Document, Passage
from itudocs.corpus.references import Reference, find_references, index_keys
from itudocs.corpus.termbase import Term
from itudocs.corpus.terms import merge_terms, mine_document
from itudocs.indexer import schema as f
from itudocs.indexer.analysis import fold, name_key
from itudocs.indexer.column import unit_stream
from itudocs.indexer.store import (
    FIRST_NAME,
    IndexBusy,
    build_lock,
    clear_other_indexes,
    create_index,
    current_name,
    index_exists,
    mark_committed,
    open_index,
)
from itudocs.indexer.stored import Codec

WRITE_WAIT_SECONDS = 10.0
# A run waits this long for another run on the same index to finish before giving up.
BUILD_WAIT_SECONDS = 300.0


@dataclass(slots=True)
class IndexReport:
    """What one ``index_folder`` run did."""

    folder: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    passages: int = 0
    footnotes: int = 0

    @property
    def documents(self) -> int:
        return len(self.added) + len(self.updated) + len(self.unchanged)

    @property
    def problems(self) -> list[tuple[str, str]]:
        """Every file not indexed, with why: passed over first, then failed."""
        return self.skipped + self.failed


def section_paths(doc: Document) -> list[str]:
    """The document's distinct section paths, in reading order, as ``--section`` reads them."""
    return list(dict.fromkeys(" › ".join(p.citation.section) for p in doc.passages))


def passage_fields(passage: Passage, refs: list[Reference], section: int) -> dict[str, object]:
    c = passage.citation
    return {
        f.ID_: passage.id,
        f.DOC: c.doc_id,
        f.KIND: passage.kind.value,
        f.LANG: passage.lang,
        f.SEQ: passage.seq,
        f.LABEL: c.label or None,
        f.SECTION: f"{c.doc_id}#{section}",
        f.UNITS: unit_stream(fold(passage.text)),
        f.LABEL_UNITS: unit_stream(fold(c.label)) if c.label else None,
        f.WORDS: passage.text,
        f.TEXT_: passage.text,
        f.REFS: " ".join(dict.fromkeys(key for ref in refs for key in index_keys(ref))),
        f.RECORD: {
            "section": list(c.section),
            "label": c.label,
            "footnote": c.footnote,
            "line": c.line,
            "anchor": c.anchor,
            "calls": [(call.number, call.offset) for call in passage.calls],
            "called_from": passage.called_from,
            "refs": [(ref.id, ref.kind.value, ref.number, ref.body, ref.start, ref.end) for ref in refs],
        },
    }


def cited(doc: Document, refs: dict[int, list[Reference]]) -> dict[str, dict]:
    """Each reference the document cites: what it is, the editions given, and where."""
    table: dict[str, dict] = {}
    for passage in doc.passages:
        for ref in refs[passage.seq]:
            row = table.setdefault(
                ref.id, {"kind": ref.kind.value, "body": ref.body, "number": ref.number, "editions": [], "passages": []}
            )
            if ref.edition and ref.edition not in row["editions"]:
                row["editions"].append(ref.edition)
            if passage.seq not in row["passages"]:
                row["passages"].append(passage.seq)
    return table


def document_fields(doc: Document, root: str, refs: dict[int, list[Reference]]) -> dict[str, object]:
    return {
        f.ID_: f"document:{doc.doc_id}",
        f.DOC: doc.doc_id,
        f.KIND: f.DOCUMENT_KIND,
        f.LANG: doc.lang,
        f.RECORD: {
            "title": doc.title,
            "lang": doc.lang,
            "symbol": doc.symbol,
            "encoding": doc.encoding,
            "source": doc.source,
            "sha256": doc.sha256,
            "root": root,
            "passages": len(doc.passages) - doc.footnote_count,
            "footnotes": doc.footnote_count,
            # Acronym pairs the document defines, for query expansion (corpus.terms).
            "terms": [asdict(term) for term in mine_document(doc)],
            "sections": section_paths(doc),
            "refs": cited(doc, refs),
        },
    }


def term_fields(term: Term) -> dict[str, object]:
    """A record of one term mined from the indexed documents, found by any of its names."""
    keys = [name_key(name) for name in term.names]
    return {
        f.ID_: f"term:{term.id}",
        f.KIND: f.TERM_KIND,
        f.NAMES: ",".join(dict.fromkeys(key for key in keys if key)),
        f.RECORD: asdict(term),
    }


def known_documents(ix: whoosh_index.Index) -> dict[str, dict]:
    """doc id → the stored record of every indexed document."""
    with ix.searcher() as searcher:
        return {fields[f.DOC]: fields[f.RECORD] for fields in searcher.documents(**{f.KIND: f.DOCUMENT_KIND})}


def _doc_id(source: SourceFile, root: str, known: dict[str, dict]) -> str:
    """The file's id, prefixed by its folder's name when another folder already uses it."""
    record = known.get(source.doc_id)
    if record is None or record["root"] == root:
        return source.doc_id
    return f"{Path(root).name}/{source.doc_id}"


def index_folder(
    index_dir: Path,
    folder: Path,
    *,
    rebuild: bool = False,
    on_file: Callable[[SourceFile], None] | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> IndexReport:
    """Add or refresh every document below ``folder`` in one atomic commit.

    ``rebuild`` starts a new index holding only ``folder``; it is written beside the
    old one and replaces it in one atomic step when complete, so a failed or killed
    rebuild loses nothing.
    """
    folder = folder.resolve()
    if not folder.exists():
        raise CorpusError(str(folder), "no such file or folder")
    with build_lock(index_dir, wait=BUILD_WAIT_SECONDS):
        if not rebuild and index_exists(index_dir):
            return _update(open_index(index_dir), folder, on_file, limits)
        # What an earlier rebuild replaced, or a killed build left, goes now; the index
        # a rebuild replaces stays until the next one, for searches that opened it.
        current = current_name(index_dir) if index_exists(index_dir) else ""
        clear_other_indexes(index_dir, keep=current)
        name = f"R{time.time_ns()}" if current else FIRST_NAME
        return _update(create_index(index_dir, name), folder, on_file, limits)


def _writer(ix: whoosh_index.Index) -> IndexWriter:
    try:
        # Segments as separate files: a search maps the unit columns (indexer.column) in
        # place; stored fields compressed in blocks (indexer.stored).
        return ix.writer(timeout=WRITE_WAIT_SECONDS, compound=False, codec=Codec())
    except LockError:
        raise IndexBusy(
            f"{ix.storage.folder}: another itudocs run is writing this index; try again when it ends"
        ) from None


def _update(
    ix: whoosh_index.Index, folder: Path, on_file: Callable[[SourceFile], None] | None, limits: ReadLimits
) -> IndexReport:
    root = str(folder)
    report = IndexReport(folder=root)
    sources = list(discover(folder))
    with _writer(ix) as writer:
        # Read what is indexed only once holding the lock: a run that waited for
        # another must see what that one committed.
        known = known_documents(ix)
        records = dict(known)
        seen: set[str] = set()
        for source in sources:
            if on_file:
                on_file(source)
            source = SourceFile(source.path, _doc_id(source, root, known))
            seen.add(source.doc_id)
            written = _index_file(writer, source, root, known.get(source.doc_id), report, limits)
            if written is not None:
                records[source.doc_id] = written
        for doc_id, record in known.items():
            if record["root"] == root and doc_id not in seen:
                writer.delete_by_term(f.DOC, doc_id)
                report.removed.append(doc_id)
                del records[doc_id]
        write_terms(writer, records.values())
    mark_committed(ix)
    return report


def write_terms(writer: IndexWriter, records: Iterable[dict]) -> None:
    """Replace the term records by the terms mined from ``records`` (every document the
    commit will hold), merged across documents."""
    writer.delete_by_term(f.KIND, f.TERM_KIND)
    for term in merge_terms(Term(**fields) for record in records for fields in record.get("terms", [])):
        writer.add_document(**term_fields(term))


def _index_file(
    writer: IndexWriter, source: SourceFile, root: str, record: dict | None, report: IndexReport, limits: ReadLimits
) -> dict | None:
    """Index one file unless it is unchanged, returning the record written; a file that
    cannot be read keeps its last indexed version."""
    try:
        if source.path.stat().st_size > limits.max_file_bytes:
            raise NotADocument(str(source.path), f"larger than the {limits.max_file_bytes // 2**20} MB limit")
        data = source.path.read_bytes()
        if record is not None and record["sha256"] == fingerprint(data):
            report.unchanged.append(source.doc_id)
            report.passages += record["passages"]
            report.footnotes += record["footnotes"]
            return
        doc = read_document(source, data, limits)
    except NotADocument as error:
        report.skipped.append((error.path, error.problem))
        return None
    except CorpusError as error:
        report.failed.append((error.path, error.problem))
        return None
    except OSError as error:
        report.failed.append((str(source.path), error.strerror or "cannot be read"))
        return None
    report.warnings.extend((doc.source, warning) for warning in doc.warnings)
    writer.delete_by_term(f.DOC, source.doc_id)
    written = _add_document(writer, doc, root)
    (report.updated if record is not None else report.added).append(doc.doc_id)
    report.passages += len(doc.passages) - doc.footnote_count
    report.footnotes += doc.footnote_count
    return written


def _add_document(writer: IndexWriter, doc: Document, root: str) -> dict:
    refs = {passage.seq: find_references(passage.text) for passage in doc.passages}
    sections = {path: n for n, path in enumerate(section_paths(doc))}
    for passage in doc.passages:
        section = sections[" › ".join(passage.citation.section)]
        writer.add_document(**passage_fields(passage, refs[passage.seq], section))
    fields = document_fields(doc, root, refs)
    writer.add_document(**fields)
    return fields[f.RECORD]


@dataclass(frozen=True, slots=True)
class CheckReport:
    """What ``check_index`` found: (doc id, problem) pairs, and the doc ids it re-read or removed."""

    problems: tuple[tuple[str, str], ...]
    repaired: tuple[str, ...] = ()


def _problem(record: dict, stored: int) -> str | None:
    expected = record["passages"] + record["footnotes"]
    if stored != expected:
        return f"{expected - stored} of {expected} passages missing from the index"
    source = Path(record["source"])
    try:
        data = source.read_bytes()
    except OSError:
        return f"source file {source} is gone"
    if fingerprint(data) != record["sha256"]:
        return f"source file {source} changed since it was indexed"
    return None


def _unlike_columns(reader: IndexReader) -> dict[str, str]:
    """doc id → a problem, for documents with a passage whose unit columns (indexer.column)
    are not the units of its stored text and label: the column and the commit disagree."""
    unlike: dict[str, str] = {}
    for segment, _ in reader.leaf_readers():
        texts, labels = (segment.column_reader(name, translate=False) for name in (f.UNITS, f.LABEL_UNITS))
        for docnum, fields in segment.iter_docs():
            if f.TEXT_ not in fields:  # document and term records
                continue
            if texts[docnum] != unit_stream(fold(fields[f.TEXT_])) or labels[docnum] != unit_stream(
                fold(fields.get(f.LABEL) or "")
            ):
                unlike.setdefault(fields[f.DOC], f"passage {fields[f.ID_]}: its unit column disagrees with its text")
    return unlike


def check_index(index_dir: Path, *, repair: bool = False) -> CheckReport:
    """Compare every document's passages and source file with what its record says.

    With ``repair``, documents whose passages are missing or whose file changed are
    read again, and those whose file is gone are removed, in one commit.
    """
    ix = open_index(index_dir)
    problems: list[tuple[str, str]] = []
    with ix.searcher() as searcher:
        records = {fields[f.DOC]: fields[f.RECORD] for fields in searcher.documents(**{f.KIND: f.DOCUMENT_KIND})}
        unlike = _unlike_columns(searcher.reader())
        for doc_id, record in sorted(records.items()):
            stored = sum(1 for _ in searcher.document_numbers(**{f.DOC: doc_id})) - 1
            problem = _problem(record, stored) or unlike.get(doc_id)
            if problem:
                problems.append((doc_id, problem))
    if not repair or not problems:
        return CheckReport(tuple(problems))
    report = IndexReport(folder=str(index_dir))
    with build_lock(index_dir, wait=BUILD_WAIT_SECONDS), _writer(ix) as writer:
        for doc_id, _ in problems:
            record = records[doc_id]
            writer.delete_by_term(f.DOC, doc_id)
            source = SourceFile(Path(record["source"]), doc_id)
            del records[doc_id]
            if source.path.is_file():
                written = _index_file(writer, source, record["root"], None, report, DEFAULT_LIMITS)
                if written is not None:
                    records[doc_id] = written
        write_terms(writer, records.values())
    return CheckReport(tuple(problems), tuple(doc_id for doc_id, _ in problems))
