"""Find council documents in a folder and read them into Documents."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from corpus.errors import CorpusError
from corpus.model import Document
from corpus.textexport import read_text_export

SUFFIXES = frozenset({".txt"})


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file found below an indexed folder, with the id its document will get."""

    path: Path
    doc_id: str


def sample_folder() -> Path:
    """The bundled sample corpus: five ITU Council documents in Chinese."""
    return Path(str(resources.files("corpus") / "sample"))


def discover(folder: Path) -> Iterator[SourceFile]:
    """Every readable document below ``folder``, in a stable order.

    A single file may be given instead of a folder.
    """
    folder = folder.resolve()
    if folder.is_file():
        yield SourceFile(folder, folder.stem)
        return
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() in SUFFIXES and path.is_file() and not path.name.startswith("."):
            relative = path.relative_to(folder).with_suffix("")
            yield SourceFile(path, relative.as_posix())


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode(data: bytes, path: Path) -> str:
    """Text of a file: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise CorpusError(str(path), "binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise CorpusError(str(path), f"not UTF-8, UTF-16 or GB18030 text ({error.reason})") from None


def read_document(source: SourceFile, data: bytes | None = None) -> Document:
    """Read one file into a Document; ``data`` saves a second read when the caller has it."""
    try:
        data = source.path.read_bytes() if data is None else data
    except OSError as error:
        raise CorpusError(str(source.path), error.strerror or "cannot be read") from None
    text = decode(data, source.path)
    if not text.strip():
        raise CorpusError(str(source.path), "empty file")
    return read_text_export(text, doc_id=source.doc_id, source=str(source.path), sha256=fingerprint(data))
