"""The only place the index is written.

``index_folder`` brings the index in line with a folder: new and changed files (by
content hash) are read and written, unchanged ones skipped, and files gone from the
folder removed.  Everything goes into one Whoosh commit, which is atomic: a run
that fails or is killed leaves the index as the last commit left it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.index import LockError
from whoosh.writing import IndexWriter

from itudocs.corpus.errors import CorpusError, NotADocument
from itudocs.corpus.limits import ReadLimits
from itudocs.corpus.loader import DEFAULT_LIMITS, SourceFile, fingerprint, read_document, sample_folder, scan
from itudocs.corpus.model import Document
from itudocs.corpus.references import find_references
from itudocs.corpus.termbase import Term
from itudocs.corpus.terms import merge_terms, mine_document
from itudocs.indexer import schema
from itudocs.indexer.bulk import BulkWriter, collector_paused
from itudocs.indexer.damage import reading_damage, writing_errors
from itudocs.indexer.entries import cited, document_record, meta_record, passage_fields, section_paths, term_fields
from itudocs.indexer.folder import index_files, require_index_folder
from itudocs.indexer.pipeline import Parted, Parts, Pending, run_in_order, worker_count
from itudocs.indexer.problems import IndexBusy, IndexDamaged, IndexIncompatible
from itudocs.indexer.records import (
    DocumentRecord,
    read_documents,
    term_from_record,
)
from itudocs.indexer.segmenter import get_search_cutter
from itudocs.indexer.store import (
    build_lock,
    create_index,
    index_exists,
    mark_committed,
    open_index,
    start_index,
)
from itudocs.indexer.stored import Codec
from itudocs.indexer.translations import write_table

# A document longer than this many characters is analysed in parts of about this size on
# every worker (indexer.pipeline): one large file would otherwise be cut on one core.
# About 600 kB of Chinese text: small beside a 50 MB file, large beside a part's overhead.
PART_CHARS = 200_000
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
    # Hidden and temporary files met in the walk and passed over without a word.
    passed_over: int = 0
    # The index held only the bundled sample, built on first use; this run replaced it.
    replaced_sample: bool = False

    @property
    def documents(self) -> int:
        return len(self.added) + len(self.updated) + len(self.unchanged)

    @property
    def problems(self) -> list[tuple[str, str]]:
        """Every file not indexed, with why: passed over first, then failed."""
        return self.skipped + self.failed


def known_documents(ix: whoosh_index.Index) -> dict[str, DocumentRecord]:
    """doc id → the stored record of every indexed document."""
    with ix.reader() as reader:
        return read_documents(reader)


def _doc_id(source: SourceFile, root: str, known: dict[str, DocumentRecord]) -> str:
    """The file's id, prefixed by its folder's name when another folder already uses it."""
    record = known.get(source.doc_id)
    if record is None or record.root == root:
        return source.doc_id
    return f"{Path(root).name}/{source.doc_id}"


def index_folder(
    index_dir: Path,
    folders: Path | Sequence[Path],
    *,
    rebuild: bool = False,
    on_progress: Callable[[IndexProgress], None] | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
    on_wait: Callable[[], None] | None = None,
) -> IndexReport:
    """Add or refresh every document below each of ``folders`` (folders or files) in one atomic commit.

    ``rebuild`` starts a new index holding only ``folders``; it is written beside the
    old one and replaces it in one atomic step when complete, so a failed or killed
    rebuild loses nothing.  An index holding only the bundled sample is replaced the
    same way by the first run that indexes something else.  ``on_wait`` is called
    once if another run is writing the index.
    """
    roots = [folder.resolve() for folder in ([folders] if isinstance(folders, Path) else folders)]
    for root in roots:
        if not root.exists():
            raise CorpusError(str(root), "no such file or folder")
    # Before the lock, whose file is the first thing a run writes in the folder.
    require_index_folder(index_dir)
    with build_lock(index_dir, wait=BUILD_WAIT_SECONDS, on_wait=on_wait), writing_errors(index_dir):
        replaced_sample = False
        if not rebuild and index_exists(index_dir):
            ix = open_index(index_dir)
            replaced_sample = _holds_only_the_sample(ix, roots)
            if not replaced_sample:
                return _update(ix, roots, on_progress, limits)
        # What an earlier rebuild replaced, or a killed build left, goes now; the index
        # a rebuild replaces stays until the next one, for searches that opened it.
        name = start_index(index_dir, keep=_current_or_none(index_dir))
        report = _update(create_index(index_dir, name), roots, on_progress, limits)
        report.replaced_sample = replaced_sample
        return report


def _current_or_none(index_dir: Path) -> str:
    """The index a rebuild replaces; none when there is none, or it is too damaged (or too
    old) to read, when the rebuild clears it."""
    try:
        return open_index(index_dir).indexname if index_exists(index_dir) else ""
    except (IndexDamaged, IndexIncompatible):
        return ""


def _holds_only_the_sample(ix: whoosh_index.Index, roots: list[Path]) -> bool:
    sample = str(sample_folder().resolve())
    if any(str(root) == sample for root in roots):
        return False
    with reading_damage(Path(ix.storage.folder)):
        known = known_documents(ix)
    return bool(known) and all(record.root == sample for record in known.values())


def open_writer(ix: whoosh_index.Index) -> IndexWriter:
    try:
        # Segments as separate files: a search maps the unit columns (indexer.column) in
        # place; stored fields compressed in blocks (indexer.stored); postings written in
        # bulk (indexer.bulk).
        return BulkWriter(ix, timeout=WRITE_WAIT_SECONDS, compound=False, codec=Codec())
    except LockError:
        raise IndexBusy(
            f"{ix.storage.folder}: another itudocs run is writing this index; try again when it ends"
        ) from None


@dataclass(frozen=True, slots=True)
class IndexProgress:
    """How far a run is: files handled, passages written, and bytes of files read of those to read."""

    files_done: int
    files: int
    passages_done: int
    bytes_done: int
    bytes_total: int
    seconds: float


@dataclass(frozen=True, slots=True)
class ReadTask:
    """A file to read and analyse, in a worker process or here."""

    source: SourceFile
    root: str
    limits: ReadLimits
    indexed: bool
    size: int
    part_chars: int = PART_CHARS


@dataclass(frozen=True, slots=True)
class PartTask:
    """Some passages of a long document to analyse, in a worker process or here."""

    doc: Document  # the document with only these passages
    root: str
    sections: tuple[int, ...]  # each passage's section number in the whole document


@dataclass(frozen=True, slots=True)
class PartRead:
    """The entries of a part's passages, and what the document's record needs of them."""

    entries: tuple[dict[str, object], ...]
    terms: tuple[Term, ...]  # the acronym pairs the part defines (``mine_document``)
    cited: dict[str, dict]  # the references the part cites (``cited``)


@dataclass(frozen=True, slots=True)
class FileRead:
    """What became of one file: the entries to write, or why there are none."""

    doc_id: str
    outcome: str  # UNCHANGED, SKIPPED, FAILED, or READ
    path: str = ""
    problem: str = ""
    indexed: bool = False
    passages: int = 0
    footnotes: int = 0
    size: int = 0
    warnings: tuple[tuple[str, str], ...] = ()
    # The passages' fields, then the document record's (``indexer.records``).
    entries: tuple[dict[str, object], ...] = ()
    # For a document read in parts, in place of ``entries``: its record without the terms
    # and references its parts add.
    record: DocumentRecord | None = None


UNCHANGED, SKIPPED, FAILED, READ = "unchanged", "skipped", "failed", "read"


def _update(
    ix: whoosh_index.Index,
    roots: list[Path],
    on_progress: Callable[[IndexProgress], None] | None,
    limits: ReadLimits,
) -> IndexReport:
    started = time.monotonic()
    report = IndexReport(folder=", ".join(map(str, roots)))
    # An index folder inside (or the same as) a documents folder: its files are not documents.
    scans = [(str(root), scan(root, not_documents=index_files)) for root in roots]
    with collector_paused(), open_writer(ix) as writer:
        # Read what is indexed only once holding the lock: a run that waited for
        # another must see what that one committed.
        with reading_damage(Path(ix.storage.folder)):
            known = known_documents(ix)
        # Only each document's terms, for write_terms: a whole record per document held to
        # the end of a million-passage run would be a few hundred MB.
        terms = {doc_id: record.terms for doc_id, record in known.items()}
        by_source = {record.source: doc_id for doc_id, record in known.items()}
        seen: set[str] = set()
        items: list[FileRead | Pending[ReadTask]] = []
        for root, found in scans:
            report.skipped.extend(found.skipped)
            report.warnings.extend(found.warnings)
            report.passed_over += found.passed_over
            for source in found.sources:
                # A file already indexed (through its folder, or alone) stays the document it is.
                doc_id = by_source.get(str(source.path)) or _doc_id(source, root, known)
                record = known.get(doc_id)
                home = record.root if record is not None and Path(root).is_file() else root
                seen.add(doc_id)
                items.append(prepare_read(replace(source, doc_id=doc_id), home, record, limits))
        to_read = sum(item.task.size for item in items if isinstance(item, Pending))
        reads = run_in_order(items, read_file, workers=worker_count(to_read), died=read_died, warm=get_search_cutter)
        done = 0
        for files_done, outcome in enumerate(reads, 1):
            read = outcome.head if isinstance(outcome, Parted) else outcome
            written = apply_read(writer, outcome, report)
            if written is not None:
                terms[read.doc_id] = written.terms
            done += read.size
            if on_progress:
                passages = report.passages + report.footnotes
                elapsed = time.monotonic() - started
                on_progress(IndexProgress(files_done, len(items), passages, done, to_read, elapsed))
        walked = {root for root, _ in scans}
        for doc_id, record in known.items():
            if record.root in walked and doc_id not in seen:
                writer.delete_by_term(schema.DOC, doc_id)
                report.removed.append(doc_id)
                del terms[doc_id]
        write_terms(writer, chain.from_iterable(terms.values()))
    # Before the switch to this index, which stays the run's last step on disk.
    write_table(ix, known_documents(ix))
    mark_committed(ix)
    return report


def write_terms(writer: IndexWriter, terms: Iterable[Mapping[str, Any]]) -> None:
    """Replace the term records by ``terms`` (as document records store them: those of
    every document the commit will hold), merged across documents."""
    writer.delete_by_term(schema.KIND, schema.TERM_KIND)
    for term in merge_terms(map(term_from_record, terms)):
        writer.add_document(**term_fields(term))


def prepare_read(
    source: SourceFile, root: str, record: DocumentRecord | None, limits: ReadLimits
) -> FileRead | Pending[ReadTask]:
    """What can be told of a file without reading it as a document: too large, unchanged, or to read."""
    try:
        size = source.path.stat().st_size
        if size > limits.max_file_bytes:
            raise NotADocument(str(source.path), f"larger than the {limits.max_file_bytes // 2**20} MB limit")
        if (
            record is not None
            and record.meta == meta_record(source.meta)
            and record.sha256 == fingerprint(source.path.read_bytes())
        ):
            return FileRead(source.doc_id, UNCHANGED, passages=record.passages, footnotes=record.footnotes)
    except NotADocument as error:
        return FileRead(source.doc_id, SKIPPED, error.path, error.problem)
    except OSError as error:
        return FileRead(source.doc_id, FAILED, str(source.path), error.strerror or "cannot be read")
    return Pending(ReadTask(source, root, limits, record is not None, size, PART_CHARS))


def read_file(task: ReadTask) -> FileRead | Parts[FileRead]:
    """Read and analyse one file into the entries the writer adds (run in a worker process);
    a long document comes back as its head and the parts to analyse (``read_part``)."""
    source = task.source
    try:
        doc = read_document(source, None, task.limits)
    except NotADocument as error:
        return FileRead(source.doc_id, SKIPPED, error.path, error.problem, size=task.size)
    except CorpusError as error:
        return FileRead(source.doc_id, FAILED, error.path, error.problem, size=task.size)
    read = FileRead(
        doc.doc_id,
        READ,
        indexed=task.indexed,
        passages=len(doc.passages) - doc.footnote_count,
        footnotes=doc.footnote_count,
        size=task.size,
        warnings=tuple((doc.source, warning) for warning in doc.warnings),
    )
    parts = part_tasks(doc, task.root, task.part_chars)
    if len(parts) == 1:
        return replace(read, entries=tuple(index_entries(doc, task.root)))
    # The record of the document without its passages: its parts add their terms and references.
    record = replace(
        document_record(replace(doc, passages=()), task.root, {}),
        passages=read.passages,
        footnotes=read.footnotes,
        sections=tuple(section_paths(doc)),
    )
    return Parts(replace(read, record=record), read_part, parts)


def part_tasks(doc: Document, root: str, part_chars: int) -> tuple[PartTask, ...]:
    """The document's passages in order, cut into parts of about ``part_chars`` characters."""
    sections = {path: n for n, path in enumerate(section_paths(doc))}
    parts: list[PartTask] = []
    start = chars = 0
    for end, passage in enumerate(doc.passages, 1):
        chars += len(passage.text)
        if chars >= part_chars or end == len(doc.passages):
            passages = doc.passages[start:end]
            numbers = tuple(sections[" › ".join(p.citation.section)] for p in passages)
            parts.append(PartTask(replace(doc, passages=passages), root, numbers))
            start, chars = end, 0
    return tuple(parts)


def read_part(task: PartTask) -> PartRead:
    """Analyse some passages of a long document (run in a worker process)."""
    doc = task.doc
    refs = {passage.seq: find_references(passage.text) for passage in doc.passages}
    entries = tuple(
        passage_fields(passage, refs[passage.seq], section)
        for passage, section in zip(doc.passages, task.sections, strict=True)
    )
    return PartRead(entries, tuple(mine_document(doc)), cited(doc, refs))


def read_died(task: ReadTask, reason: str) -> FileRead:
    return FileRead(task.source.doc_id, FAILED, str(task.source.path), reason, size=task.size)


def index_entries(doc: Document, root: str) -> list[dict[str, object]]:
    """The fields of every passage of ``doc``, then of its document record."""
    refs = {passage.seq: find_references(passage.text) for passage in doc.passages}
    sections = {path: n for n, path in enumerate(section_paths(doc))}
    entries = [
        passage_fields(passage, refs[passage.seq], sections[" › ".join(passage.citation.section)])
        for passage in doc.passages
    ]
    entries.append(document_record(doc, root, refs).to_stored())
    return entries


def apply_read(writer: IndexWriter, outcome: FileRead | Parted[FileRead], report: IndexReport) -> DocumentRecord | None:
    """Write one file's entries in place of its last indexed version, returning the
    document record written; or report why not."""
    read = outcome.head if isinstance(outcome, Parted) else outcome
    if read.outcome in (SKIPPED, FAILED):
        (report.skipped if read.outcome == SKIPPED else report.failed).append((read.path, read.problem))
        return None
    written = None
    if read.outcome == READ:
        report.warnings.extend(read.warnings)
        writer.delete_by_term(schema.DOC, read.doc_id)
        written = _add_parts(writer, outcome) if isinstance(outcome, Parted) else _add_document(writer, read.entries)
    {UNCHANGED: report.unchanged, READ: report.updated if read.indexed else report.added}[read.outcome].append(
        read.doc_id
    )
    report.passages += read.passages
    report.footnotes += read.footnotes
    return written


def _add_document(writer: IndexWriter, entries: Sequence[dict[str, object]]) -> DocumentRecord:
    """Add one document's entries; the last is its record, returned."""
    for entry in entries:
        writer.add_document(**entry)
    return DocumentRecord.from_stored(entries[-1])


def _add_parts(writer: IndexWriter, parted: Parted[FileRead]) -> DocumentRecord:
    """Add a long document's entries part by part as they come, then its record, with the
    terms and references of every part merged as one reading of the whole would find them."""
    terms: list[Term] = []
    refs: dict[str, dict] = {}
    for part in parted.results:
        for entry in part.entries:
            writer.add_document(**entry)
        terms.extend(part.terms)
        for ref_id, row in part.cited.items():
            seen = refs.setdefault(ref_id, row)
            if seen is not row:
                seen["editions"].extend(edition for edition in row["editions"] if edition not in seen["editions"])
                seen["passages"].extend(row["passages"])
    assert parted.head.record is not None  # a document read in parts always has one
    record = replace(parted.head.record, terms=tuple(asdict(term) for term in merge_terms(terms)), refs=refs)
    writer.add_document(**record.to_stored())
    return record
