"""Issue 20 and 25: itudocs's own files in an index folder say what they are, hold no
pickle, and their format is pinned to SCHEMA_VERSION by a fingerprint (docs/FORMAT.md)."""

from __future__ import annotations

import hashlib
import inspect
import json
import pickle
import re
from dataclasses import fields
from io import BytesIO
from pathlib import Path

import pytest
import whoosh
from click.testing import CliRunner
from whoosh.fields import Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile
from whoosh.index import TOC

from itudocs.cli import cli
from itudocs.corpus.model import Citation
from itudocs.corpus.termbase import Term
from itudocs.indexer import column, schema, stored
from itudocs.indexer.header import MAGIC, header
from itudocs.indexer.records import DocumentRecord, PassageRecord, StoredRef
from itudocs.indexer.store import (
    BUILD_LOCK,
    SETTINGS_FILE,
    IndexDamaged,
    IndexIncompatible,
    start_index,
)
from itudocs.search.library import Library

FORMAT_DOC = Path(__file__).parent.parent / "docs" / "FORMAT.md"
ONE = "一\t第140号决议讨论数字鸿沟。\n二\t国际电联（ITU）的报告。\n"
TWO = "1\tThe digital divide, Resolution 140.\n"
# The suffix of each file of ours in a segment, and the codec its header names.
OWN_COLUMNS = {".units.col": column, ".label_units.col": column, "._stored.col": stored}


@pytest.fixture()
def index(tmp_path, write_corpus) -> Path:
    ix = tmp_path / "ix"
    library = Library(ix)
    docs = write_corpus({"one.txt": ONE, "two.txt": TWO})
    library.index(docs)
    (docs / "one.txt").write_text(ONE.replace("二", "三"), encoding="utf-8")
    library.index(docs)  # a second commit
    return ix


def own_files(ix: Path) -> dict[Path, object]:
    return {path: codec for path in ix.iterdir() for suffix, codec in OWN_COLUMNS.items() if path.name.endswith(suffix)}


def test_each_file_of_ours_opens_with_its_magic_and_version_and_none_is_a_pickle(index) -> None:
    columns = own_files(index)
    assert {suffix for path in columns for suffix in OWN_COLUMNS if path.name.endswith(suffix)} == set(OWN_COLUMNS)
    for path, codec in columns.items():
        data = path.read_bytes()
        assert data.startswith(header(codec.CODEC, codec.VERSION)), path.name
        assert not data.startswith(b"\x80"), path.name  # a pickle's PROTO opcode
    settings = (index / SETTINGS_FILE).read_text(encoding="utf-8")
    assert settings.startswith('{"format": "itudocs index", "schema_version": 10,')
    assert (index / BUILD_LOCK).read_bytes() == b""


def test_opening_and_reading_an_index_unpickles_nothing_of_ours(index, monkeypatch) -> None:
    callers: list[str] = []
    for name in ("loads", "load"):
        real = getattr(pickle, name)

        def spy(*args, _real=real, **kwargs):
            callers.append(inspect.currentframe().f_back.f_code.co_filename)
            return _real(*args, **kwargs)

        monkeypatch.setattr(pickle, name, spy)
    library = Library(index)
    hits = library.search("数字鸿沟").hits
    assert hits
    assert library.show(hits[0].id).hit.text == hits[0].text
    assert library.docs() and library.refs() is not None and library.glossary() is not None
    assert library.check().problems == ()
    assert callers, "Whoosh's table of contents and postings are still pickles"
    whoosh_dir = str(Path(whoosh.__file__).parent)
    assert [c for c in callers if not c.startswith(whoosh_dir)] == []


def corrupt(path: Path, at: int, data: bytes) -> None:
    content = bytearray(path.read_bytes())
    content[at : at + len(data)] = data
    path.write_bytes(bytes(content))


@pytest.mark.parametrize("suffix", sorted(OWN_COLUMNS))
def test_a_wrong_magic_is_damage_naming_the_file(index, suffix) -> None:
    path = next(p for p in own_files(index) if p.name.endswith(suffix))
    corrupt(path, 0, b"PK\x03\x04")
    with pytest.raises(IndexDamaged) as raised:
        Library(index).check()
    assert str(raised.value) == (
        f"{index}: the index is damaged ({path.name}: not an itudocs {OWN_COLUMNS[suffix].CODEC} file); "
        f"rebuild it with `itudocs index --rebuild FOLDER --index {index}`"
    )
    result = CliRunner().invoke(cli, ["index", "--check", "--index", str(index)])
    assert result.exit_code == 2 and result.stderr == f"itudocs: {raised.value}\n"


@pytest.mark.parametrize("suffix", sorted(OWN_COLUMNS))
def test_another_version_of_a_file_is_refused_as_incompatible(index, suffix) -> None:
    path = next(p for p in own_files(index) if p.name.endswith(suffix))
    codec = OWN_COLUMNS[suffix]
    corrupt(path, len(header(codec.CODEC, codec.VERSION)) - 2, (codec.VERSION + 1).to_bytes(2, "little"))
    with pytest.raises(IndexIncompatible, match=rf"{path.name} is a {codec.CODEC} file of version {codec.VERSION + 1}"):
        Library(index).check()


@pytest.mark.parametrize("suffix", sorted(OWN_COLUMNS))
def test_a_file_of_ours_cut_short_is_damage_naming_the_file(index, suffix) -> None:
    path = next(p for p in own_files(index) if p.name.endswith(suffix))
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(IndexDamaged, match=rf"\({re.escape(path.name)}: its offsets do not fit its length\)"):
        Library(index).check()


def test_a_damaged_stored_block_is_damage_naming_the_file(index) -> None:
    path = next(p for p in own_files(index) if p.name.endswith("._stored.col"))
    corrupt(path, len(header(stored.CODEC, stored.VERSION)) + 4, b"\xde\xad\xbe\xef")
    with pytest.raises(IndexDamaged, match=rf"\({path.name}: block 0: "):
        Library(index).check()


# --- the format's fingerprint ------------------------------------------------------------


def describe_schema() -> dict[str, object]:
    """Each field: its type, what it stores, its postings and column, and the analyzer
    classes the table of contents pickles by module path."""
    described = {}
    for name, field in schema.make_schema().items():
        analyzer = getattr(field, "analyzer", None)
        parts = getattr(analyzer, "items", [analyzer] if analyzer else [])
        described[name] = [
            type(field).__name__,
            field.stored,
            field.scorable,
            type(field.format).__name__,
            type(field.column_type).__name__ if field.column_type else None,
            [f"{type(part).__module__}.{type(part).__qualname__}" for part in parts],
        ]
    return described


def written_column(kind, values: dict[int, object], count: int) -> str:
    """The bytes a column writer writes for ``values``, as hex: its whole layout."""
    out = StructFile(BytesIO())
    writer = kind.writer(out)
    for docnum, value in values.items():
        writer.add(docnum, value)
    writer.finish(count)
    return out.file.getvalue().hex()


def records() -> dict[str, object]:
    """The stored form of a passage, a document and a term, every field set."""
    citation = Citation(doc_id="d", title="", section=("1 A",), label="1", footnote=2, line=3, anchor="a", page=4)
    passage = PassageRecord(
        id="d:1",
        kind="paragraph",
        lang="zh",
        seq=1,
        text="文",
        citation=citation,
        calls=((2, 0),),
        called_from="d:0",
        refs=(StoredRef("r", "resolution", "140", None, 0, 1),),
    )
    values = {f.name: f.name for f in fields(DocumentRecord)}
    values.update(passages=1, footnotes=0, stamp=(1, 2), meta={}, terms=(), sections=("1 A",), refs={})
    document = DocumentRecord(**values)
    term = {f.name: f.name for f in fields(Term)}
    return {"passage": passage.to_stored(), "document": document.to_stored(), "term": term}


def settings_keys(folder: Path) -> list[str]:
    start_index(folder, keep="")
    return list(json.loads((folder / SETTINGS_FILE).read_text(encoding="utf-8")))


def format_fingerprint(folder: Path) -> str:
    description = {
        "schema": describe_schema(),
        "magic": MAGIC.hex(),
        "units": written_column(column.UnitColumn(), {0: "第140号决议a res", 2: "itu"}, 4),
        "stored": written_column(stored.STORED_COLUMN, {i: {"i": i, "t": ("文", None)} for i in (0, 1, 40)}, 70),
        "records": records(),
        "settings": settings_keys(folder),
    }
    return hashlib.sha256(json.dumps(description, sort_keys=True).encode()).hexdigest()[:16]


def test_the_format_changes_only_with_a_new_schema_version(tmp_path) -> None:
    found = format_fingerprint(tmp_path)
    known = schema.FORMAT_FINGERPRINTS
    assert max(known) == schema.SCHEMA_VERSION, "the newest fingerprint is the current version's"
    assert len(set(known.values())) == len(known), "each version has a format of its own"
    assert found == known[schema.SCHEMA_VERSION], (
        f"the index format changed (fingerprint {found}): bump SCHEMA_VERSION, add "
        f"{schema.SCHEMA_VERSION + 1}: {found!r} to FORMAT_FINGERPRINTS and describe the change in docs/FORMAT.md"
    )
    assert f"`{found}`" in FORMAT_DOC.read_text(encoding="utf-8"), "docs/FORMAT.md names the current fingerprint"


def test_an_index_of_another_version_is_refused_with_the_rebuild_command(index) -> None:
    settings = json.loads((index / SETTINGS_FILE).read_text(encoding="utf-8"))
    (index / SETTINGS_FILE).write_text(json.dumps({**settings, "schema_version": schema.SCHEMA_VERSION - 1}))
    result = CliRunner().invoke(cli, ["search", "数字鸿沟", "--index", str(index)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"itudocs: {index}: index format {schema.SCHEMA_VERSION - 1} is not this version's {schema.SCHEMA_VERSION}; "
        f"rebuild it with `itudocs index --rebuild FOLDER --index {index}`\n"
    )


def test_an_index_of_another_version_is_refused_before_its_table_of_contents_is_unpickled(index, tmp_path) -> None:
    # A table of contents whose pickled schema opens a file when unpickled stands in for
    # one that would run anything: refused by its version, it must never be read.
    trap = tmp_path / "unpickled"

    class Trap(Schema):
        def __reduce__(self):
            return (open, (str(trap), "w"))

    settings = json.loads((index / SETTINGS_FILE).read_text(encoding="utf-8"))
    TOC(Trap(), [], 99).write(FileStorage(str(index)), settings["index"])
    (index / SETTINGS_FILE).write_text(json.dumps({**settings, "schema_version": schema.SCHEMA_VERSION - 1}))
    for command in (["search", "数字鸿沟"], ["docs"], ["index", "--check"], ["remove", "one"]):
        result = CliRunner().invoke(cli, [*command, "--index", str(index)])
        assert result.exit_code == 2 and "index --rebuild" in result.stderr, (command, result.stderr)
    assert not trap.exists()
