"""The only place the index is written.

``index_folder`` brings the index in line with a folder: new and changed files (by
content hash) are read and written, unchanged ones skipped, and files gone from the
folder removed.  Everything goes into one Whoosh commit, which is atomic: a run
that fails or is killed leaves the index as the last commit left it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import LockError
from whoosh.reading import IndexReader
from whoosh.writing import IndexWriter

from itudocs.corpus.errors import CorpusError, NotADocument
from itudocs.corpus.limits import ReadLimits
from itudocs.corpus.loader import DEFAULT_LIMITS, SourceFile, fingerprint, read_document, sample_folder, scan
from itudocs.corpus.metadata import DocMeta, MetadataFinder
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
    IndexDamaged,
    IndexIncompatible,
    build_lock,
    clear_other_indexes,
    create_index,
    current_name,
    index_exists,
    mark_committed,
    open_index,
    reading_damage,
    writing_errors,
)

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
            "called_from": passage.caller,
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


def file_stamp(path: str) -> tuple[int, int] | None:
    """Size and modification time of a file as indexed, so a listing can tell a changed
    file without reading it; None if it went while being indexed."""
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def meta_record(meta: DocMeta | None) -> dict[str, str | None] | None:
    return meta.to_record() if meta else None


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
            "stamp": file_stamp(doc.source),
            "format": doc.format,
            # The metadata.tsv row, so a run sees a changed row as a changed document.
            "meta": meta_record(doc.meta),
            "date": doc.meta.date if doc.meta else None,
            "meeting": doc.meta.meeting if doc.meta else None,
            "indexed_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
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
    folders: Path | Sequence[Path],
    *,
    rebuild: bool = False,
    on_file: Callable[[SourceFile], None] | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
    on_wait: Callable[[], None] | None = None,
) -> IndexReport:
    """Add or refresh every document below each of ``folders`` (folders or files) in one atomic commit.

    ``rebuild`` starts a new index holding only ``folders``; it is written beside the
    old one and replaces it in one atomic step when complete, so a failed or killed
    rebuild loses nothing.  An index holding only the bundled sample is replaced the
    same way by the first run that indexes something else.
    """
    roots = [folder.resolve() for folder in ([folders] if isinstance(folders, Path) else folders)]
    for root in roots:
        if not root.exists():
            raise CorpusError(str(root), "no such file or folder")
    with build_lock(index_dir, wait=BUILD_WAIT_SECONDS, on_wait=on_wait), writing_errors(index_dir):
        replaced_sample = False
        if not rebuild and index_exists(index_dir):
            ix = open_index(index_dir)
            replaced_sample = _holds_only_the_sample(ix, roots)
            if not replaced_sample:
                return _update(ix, roots, on_file, limits)
        # What an earlier rebuild replaced, or a killed build left, goes now; the index
        # a rebuild replaces stays until the next one, for searches that opened it.
        current = _current_or_none(index_dir)
        clear_other_indexes(index_dir, keep=current)
        name = f"R{time.time_ns()}" if current else FIRST_NAME
        report = _update(create_index(index_dir, name), roots, on_file, limits)
        report.replaced_sample = replaced_sample
        return report


def _current_or_none(index_dir: Path) -> str:
    """The index a rebuild replaces; none when there is none, or it is too damaged (or too
    old) to read, when the rebuild clears it."""
    try:
        return current_name(index_dir) if index_exists(index_dir) else ""
    except (IndexDamaged, IndexIncompatible):
        return ""


def _holds_only_the_sample(ix: whoosh_index.Index, roots: list[Path]) -> bool:
    sample = str(sample_folder().resolve())
    if any(str(root) == sample for root in roots):
        return False
    with reading_damage(Path(ix.storage.folder)):
        known = known_documents(ix)
    return bool(known) and all(record["root"] == sample for record in known.values())


def _writer(ix: whoosh_index.Index) -> IndexWriter:
    try:
        # Segments as separate files: a search maps the unit columns (indexer.column) in place.
        return ix.writer(timeout=WRITE_WAIT_SECONDS, compound=False)
    except LockError:
        raise IndexBusy(
            f"{ix.storage.folder}: another itudocs run is writing this index; try again when it ends"
        ) from None


def _update(
    ix: whoosh_index.Index, roots: list[Path], on_file: Callable[[SourceFile], None] | None, limits: ReadLimits
) -> IndexReport:
    report = IndexReport(folder=", ".join(map(str, roots)))
    scans = [(str(root), scan(root)) for root in roots]
    with _writer(ix) as writer:
        # Read what is indexed only once holding the lock: a run that waited for
        # another must see what that one committed.
        with reading_damage(Path(ix.storage.folder)):
            known = known_documents(ix)
        records = dict(known)
        by_source = {record["source"]: doc_id for doc_id, record in known.items()}
        seen: set[str] = set()
        for root, found in scans:
            report.skipped.extend(found.skipped)
            report.warnings.extend(found.warnings)
            report.passed_over += found.passed_over
            for source in found.sources:
                if on_file:
                    on_file(source)
                # A file already indexed (through its folder, or alone) stays the document it is.
                doc_id = by_source.get(str(source.path)) or _doc_id(source, root, known)
                record = known.get(doc_id)
                home = record["root"] if record is not None and Path(root).is_file() else root
                seen.add(doc_id)
                written = _index_file(writer, replace(source, doc_id=doc_id), home, record, report, limits)
                if written is not None:
                    records[doc_id] = written
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
        unchanged = record is not None and record["meta"] == meta_record(source.meta)
        if unchanged and record["sha256"] == fingerprint(data):
            report.unchanged.append(source.doc_id)
            report.passages += record["passages"]
            report.footnotes += record["footnotes"]
            return None
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
    """What ``check_index`` found: (doc id, problem) pairs; with repair, the doc ids re-read,
    those removed because their file is gone, and (path, problem) for files that could not
    be read again, whose documents keep their last indexed version."""

    problems: tuple[tuple[str, str], ...]
    reread: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()

    @property
    def repaired(self) -> tuple[str, ...]:
        return self.reread + self.removed


def _problem(record: dict, stored: int) -> str | None:
    expected = record["passages"] + record["footnotes"]
    if stored != expected:
        return f"{expected - stored} of {expected} passages missing from the index"
    source = Path(record["source"])
    try:
        data = source.read_bytes()
    except FileNotFoundError:
        return f"source file {source} is gone"
    except OSError as error:
        return f"source file {source} cannot be read ({error.strerror})"
    if fingerprint(data) != record["sha256"]:
        return f"source file {source} changed since it was indexed"
    return None


def read_every_posting(reader: IndexReader) -> None:
    """Read every stored field and every posting list once, so a damaged segment is found by
    the check, not by whichever search first reads the damaged part."""
    for _ in reader.iter_docs():
        pass
    for fieldname in reader.indexed_field_names():
        for term in reader.lexicon(fieldname):
            reader.postings(fieldname, term).all_ids()


def check_index(index_dir: Path, *, repair: bool = False) -> CheckReport:
    """Compare every document's passages and source file with what its record says.

    With ``repair``, documents whose passages are missing or whose file changed are
    read again, and those whose file is gone are removed, in one commit.  A document
    whose file cannot be read keeps its last indexed version and is reported failed.
    """
    ix = open_index(index_dir)
    problems: list[tuple[str, str]] = []
    with reading_damage(index_dir), ix.searcher() as searcher:
        read_every_posting(searcher.reader())
        records = {fields[f.DOC]: fields[f.RECORD] for fields in searcher.documents(**{f.KIND: f.DOCUMENT_KIND})}
        for doc_id, record in sorted(records.items()):
            stored = sum(1 for _ in searcher.document_numbers(**{f.DOC: doc_id})) - 1
            problem = _problem(record, stored)
            if problem:
                problems.append((doc_id, problem))
    if not repair or not problems:
        return CheckReport(tuple(problems))
    report = IndexReport(folder=str(index_dir))
    with build_lock(index_dir, wait=BUILD_WAIT_SECONDS), writing_errors(index_dir), _writer(ix) as writer:
        for doc_id, _ in problems:
            _repair(writer, doc_id, records, report)
        write_terms(writer, records.values())
    return CheckReport(tuple(problems), tuple(report.added), tuple(report.removed), tuple(report.problems))


def _repair(writer: IndexWriter, doc_id: str, records: dict[str, dict], report: IndexReport) -> None:
    """Re-read one document's file, keeping ``records`` (every document's) up to date;
    remove the document only when its file is gone."""
    record = records[doc_id]
    path = Path(record["source"])
    source = SourceFile(path, doc_id, MetadataFinder(Path(record["root"])).meta_for(path))
    if source.path.exists():
        written = _index_file(writer, source, record["root"], None, report, DEFAULT_LIMITS)
        if written is not None:
            records[doc_id] = written
    else:
        writer.delete_by_term(f.DOC, doc_id)
        report.removed.append(doc_id)
        del records[doc_id]
