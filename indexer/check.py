"""Checking an index against what its records say, and repairing what the check finds.

``check_index`` reads every stored field, posting and unit column once, and compares each
document's passages and source file with its record; with ``repair`` it re-reads or
removes the documents found wrong, in one commit through the writer's own steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from whoosh.reading import IndexReader
from whoosh.writing import IndexWriter

from itudocs.corpus.loader import DEFAULT_LIMITS, SourceFile, fingerprint
from itudocs.corpus.metadata import MetadataFinder
from itudocs.indexer import schema
from itudocs.indexer.analysis import fold
from itudocs.indexer.column import coded_stream
from itudocs.indexer.damage import reading_damage, writing_errors
from itudocs.indexer.pipeline import run_in_order
from itudocs.indexer.records import DocumentRecord, PassageRecord, read_documents
from itudocs.indexer.store import build_lock, open_index, segments
from itudocs.indexer.writer import (
    BUILD_WAIT_SECONDS,
    IndexReport,
    apply_read,
    open_writer,
    prepare_read,
    read_died,
    read_file,
    write_terms,
)


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


def _problem(record: DocumentRecord, stored: int) -> str | None:
    expected = record.passages + record.footnotes
    if stored != expected:
        return f"{expected - stored} of {expected} passages missing from the index"
    source = Path(record.source)
    try:
        data = source.read_bytes()
    except FileNotFoundError:
        return f"source file {source} is gone"
    except OSError as error:
        return f"source file {source} cannot be read ({error.strerror})"
    if fingerprint(data) != record.sha256:
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


def _unlike_columns(reader: IndexReader) -> dict[str, str]:
    """doc id → a problem, for documents with a passage whose unit columns (indexer.column)
    are not the units of its stored text and label: the column and the commit disagree."""
    unlike: dict[str, str] = {}
    for segment, _ in segments(reader):
        texts, labels = (segment.column_reader(name, translate=False) for name in (schema.UNITS, schema.LABEL_UNITS))
        for docnum, fields in segment.iter_docs():
            if schema.PASSAGE_TEXT not in fields:  # document and term records
                continue
            passage = PassageRecord.from_stored(fields)
            if texts[docnum] != coded_stream(fold(passage.text)) or labels[docnum] != coded_stream(
                fold(passage.citation.label or "")
            ):
                unlike.setdefault(passage.doc_id, f"passage {passage.id}: its unit column disagrees with its text")
    return unlike


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
        records = read_documents(searcher.reader())
        unlike = _unlike_columns(searcher.reader())
        for doc_id, record in sorted(records.items()):
            stored = sum(1 for _ in searcher.document_numbers(**{schema.DOC: doc_id})) - 1
            problem = _problem(record, stored) or unlike.get(doc_id)
            if problem:
                problems.append((doc_id, problem))
    if not repair or not problems:
        return CheckReport(tuple(problems))
    report = IndexReport(folder=str(index_dir))
    with build_lock(index_dir, wait=BUILD_WAIT_SECONDS), writing_errors(index_dir), open_writer(ix) as writer:
        for doc_id, _ in problems:
            _repair(writer, doc_id, records, report)
        write_terms(writer, chain.from_iterable(record.terms for record in records.values()))
    return CheckReport(tuple(problems), tuple(report.added), tuple(report.removed), tuple(report.problems))


def _repair(writer: IndexWriter, doc_id: str, records: dict[str, DocumentRecord], report: IndexReport) -> None:
    """Re-read one document's file, keeping ``records`` (every document's) up to date; the
    document is replaced only once its file is read, and removed only when the file is gone."""
    record = records[doc_id]
    path = Path(record.source)
    if not path.exists():
        writer.delete_by_term(schema.DOC, doc_id)
        report.removed.append(doc_id)
        del records[doc_id]
        return
    source = SourceFile(path, doc_id, MetadataFinder(Path(record.root)).meta_for(path))
    item = prepare_read(source, record.root, None, DEFAULT_LIMITS)
    # Here, a long document's parts too.
    written = apply_read(writer, next(run_in_order([item], read_file, workers=0, died=read_died)), report)
    if written is not None:
        records[doc_id] = written
