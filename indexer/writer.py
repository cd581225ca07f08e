"""The only place the index is written.

``index_folder`` brings the index in line with a folder: new and changed files (by
content hash) are read and written, unchanged ones skipped, and files gone from the
folder removed.  Everything goes into one Whoosh commit, which is atomic: a run
that fails or is killed leaves the index as the last commit left it.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import LockError
from whoosh.writing import IndexWriter

from corpus.errors import CorpusError
from corpus.loader import SourceFile, discover, fingerprint, read_document
from corpus.model import Document, Passage
from corpus.references import ResolutionRef, find_references, index_keys
from corpus.terms import mine_document
from indexer import schema as f

SETTINGS_FILE = "itudocs.json"
WRITE_WAIT_SECONDS = 10.0


class IndexProblem(Exception):
    """The index cannot be used as asked; the message says why and what to do."""


class IndexMissing(IndexProblem):
    pass


class IndexIncompatible(IndexProblem):
    pass


class IndexBusy(IndexProblem):
    pass


@dataclass(slots=True)
class IndexReport:
    """What one ``index_folder`` run did."""

    folder: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    passages: int = 0
    footnotes: int = 0

    @property
    def documents(self) -> int:
        return len(self.added) + len(self.updated) + len(self.unchanged)


def _settings() -> dict[str, object]:
    return {"schema_version": f.SCHEMA_VERSION}


def index_exists(index_dir: Path) -> bool:
    return (index_dir / SETTINGS_FILE).is_file() and whoosh_index.exists_in(str(index_dir))


def open_index(index_dir: Path) -> whoosh_index.Index:
    """Open an existing index, refusing one built by an incompatible version."""
    if not index_exists(index_dir):
        raise IndexMissing(f"{index_dir}: no itudocs index here; build one with `itudocs index FOLDER`")
    try:
        settings = json.loads((index_dir / SETTINGS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise IndexIncompatible(f"{index_dir}: unreadable {SETTINGS_FILE} ({error})") from None
    if settings.get("schema_version") != f.SCHEMA_VERSION:
        raise IndexIncompatible(
            f"{index_dir}: index format {settings.get('schema_version')} is not this version's "
            f"{f.SCHEMA_VERSION}; rebuild it with `itudocs index --rebuild FOLDER`"
        )
    return whoosh_index.open_dir(str(index_dir))


def create_index(index_dir: Path) -> whoosh_index.Index:
    """A new, empty index (replacing any index in ``index_dir``).

    Its settings file is written after its first commit, so a first build that is
    killed leaves no index behind but one that is rebuilt from scratch next time.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    (index_dir / SETTINGS_FILE).unlink(missing_ok=True)
    return whoosh_index.create_in(str(index_dir), f.make_schema())


def _committed(ix: whoosh_index.Index) -> None:
    settings = Path(ix.storage.folder) / SETTINGS_FILE
    if not settings.is_file():
        partial = settings.with_name(SETTINGS_FILE + ".partial")
        partial.write_text(json.dumps(_settings()), encoding="utf-8")
        partial.replace(settings)


def passage_fields(passage: Passage, refs: list[ResolutionRef]) -> dict[str, object]:
    c = passage.citation
    return {
        f.ID_: passage.id,
        f.DOC: c.doc_id,
        f.KIND: passage.kind.value,
        f.LANG: passage.lang,
        f.SEQ: passage.seq,
        f.LABEL: c.label or "",
        f.SECTION: " › ".join(c.section),
        f.EXACT: passage.text,
        f.WORDS: passage.text,
        f.TEXT_: passage.text,
        f.REFS: " ".join(dict.fromkeys(key for ref in refs for key in index_keys(ref))),
        f.RECORD: {
            "section": list(c.section),
            "label": c.label,
            "footnote": c.footnote,
            "line": c.line,
            "calls": [(call.number, call.offset) for call in passage.calls],
            "called_from": passage.called_from,
            "refs": [(ref.id, ref.kind, ref.number, ref.start, ref.end) for ref in refs],
        },
    }


def cited(doc: Document, refs: dict[int, list[ResolutionRef]]) -> dict[str, dict]:
    """Each reference the document cites: what it is, the editions given, and where."""
    table: dict[str, dict] = {}
    for passage in doc.passages:
        for ref in refs[passage.seq]:
            row = table.setdefault(
                ref.id, {"kind": ref.kind, "body": ref.body, "number": ref.number, "editions": [], "passages": []}
            )
            if ref.edition and ref.edition not in row["editions"]:
                row["editions"].append(ref.edition)
            if passage.seq not in row["passages"]:
                row["passages"].append(passage.seq)
    return table


def document_fields(doc: Document, root: str, refs: dict[int, list[ResolutionRef]]) -> dict[str, object]:
    return {
        f.ID_: f"document:{doc.doc_id}",
        f.DOC: doc.doc_id,
        f.KIND: f.DOCUMENT_KIND,
        f.LANG: doc.lang,
        f.RECORD: {
            "title": doc.title,
            "lang": doc.lang,
            "symbol": doc.symbol,
            "source": doc.source,
            "sha256": doc.sha256,
            "root": root,
            "passages": len(doc.passages) - doc.footnote_count,
            "footnotes": doc.footnote_count,
            # Acronym pairs the document defines, for query expansion (corpus.terms).
            "terms": [asdict(term) for term in mine_document(doc)],
            "refs": cited(doc, refs),
        },
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
) -> IndexReport:
    """Add or refresh every document below ``folder`` in one atomic commit.

    ``rebuild`` starts a new index holding only ``folder``; it is built beside the
    old one and swapped in when complete, so a failed rebuild loses nothing.
    """
    folder = folder.resolve()
    if not folder.exists():
        raise CorpusError(str(folder), "no such file or folder")
    if rebuild:
        staging = index_dir.with_name(index_dir.name + ".rebuilding")
        shutil.rmtree(staging, ignore_errors=True)
        try:
            report = _update(create_index(staging), folder, on_file)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        _swap_in(staging, index_dir)
        return report
    ix = open_index(index_dir) if index_exists(index_dir) else create_index(index_dir)
    return _update(ix, folder, on_file)


def _swap_in(staging: Path, index_dir: Path) -> None:
    retired = index_dir.with_name(index_dir.name + ".old")
    shutil.rmtree(retired, ignore_errors=True)
    if index_dir.exists():
        index_dir.rename(retired)
    staging.rename(index_dir)
    shutil.rmtree(retired, ignore_errors=True)


def _writer(ix: whoosh_index.Index) -> IndexWriter:
    try:
        return ix.writer(timeout=WRITE_WAIT_SECONDS)
    except LockError:
        raise IndexBusy(
            f"{ix.storage.folder}: another itudocs run is writing this index; try again when it ends"
        ) from None


def _update(ix: whoosh_index.Index, folder: Path, on_file: Callable[[SourceFile], None] | None) -> IndexReport:
    root = str(folder)
    known = known_documents(ix)
    report = IndexReport(folder=root)
    sources = list(discover(folder))
    with _writer(ix) as writer:
        seen: set[str] = set()
        for source in sources:
            if on_file:
                on_file(source)
            source = SourceFile(source.path, _doc_id(source, root, known))
            seen.add(source.doc_id)
            _index_file(writer, source, root, known.get(source.doc_id), report)
        for doc_id, record in known.items():
            if record["root"] == root and doc_id not in seen:
                writer.delete_by_term(f.DOC, doc_id)
                report.removed.append(doc_id)
    _committed(ix)
    return report


def _index_file(writer: IndexWriter, source: SourceFile, root: str, record: dict | None, report: IndexReport) -> None:
    try:
        data = source.path.read_bytes()
    except OSError as error:
        report.skipped.append((str(source.path), error.strerror or "cannot be read"))
        return
    if record is not None and record["sha256"] == fingerprint(data):
        report.unchanged.append(source.doc_id)
        report.passages += record["passages"]
        report.footnotes += record["footnotes"]
        return
    try:
        doc = read_document(source, data)
    except CorpusError as error:
        report.skipped.append((error.path, error.problem))
        return
    writer.delete_by_term(f.DOC, source.doc_id)
    _add_document(writer, doc, root)
    (report.updated if record is not None else report.added).append(doc.doc_id)
    report.passages += len(doc.passages) - doc.footnote_count
    report.footnotes += doc.footnote_count


def _add_document(writer: IndexWriter, doc: Document, root: str) -> None:
    refs = {passage.seq: find_references(passage.text) for passage in doc.passages}
    for passage in doc.passages:
        writer.add_document(**passage_fields(passage, refs[passage.seq]))
    writer.add_document(**document_fields(doc, root, refs))


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


def check_index(index_dir: Path, *, repair: bool = False) -> CheckReport:
    """Compare every document's passages and source file with what its record says.

    With ``repair``, documents whose passages are missing or whose file changed are
    read again, and those whose file is gone are removed, in one commit.
    """
    ix = open_index(index_dir)
    problems: list[tuple[str, str]] = []
    with ix.searcher() as searcher:
        records = {fields[f.DOC]: fields[f.RECORD] for fields in searcher.documents(**{f.KIND: f.DOCUMENT_KIND})}
        for doc_id, record in sorted(records.items()):
            stored = sum(1 for _ in searcher.document_numbers(**{f.DOC: doc_id})) - 1
            problem = _problem(record, stored)
            if problem:
                problems.append((doc_id, problem))
    if not repair or not problems:
        return CheckReport(tuple(problems))
    report = IndexReport(folder=str(index_dir))
    with _writer(ix) as writer:
        for doc_id, _ in problems:
            record = records[doc_id]
            writer.delete_by_term(f.DOC, doc_id)
            source = SourceFile(Path(record["source"]), doc_id)
            if source.path.is_file():
                _index_file(writer, source, record["root"], None, report)
    return CheckReport(tuple(problems), tuple(doc_id for doc_id, _ in problems))
