"""Shared fixtures: one index of the bundled sample corpus per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from itudocs.corpus.loader import sample_folder
from itudocs.search.library import Library

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def sample_library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    library = Library(tmp_path_factory.mktemp("sample-index"))
    library.index(sample_folder())
    return library


@pytest.fixture()
def write_corpus(tmp_path: Path):
    """Write {name: text} as UTF-8 files into a fresh folder and return it."""

    def write(files: dict[str, str], folder: str = "docs") -> Path:
        root = tmp_path / folder
        root.mkdir(exist_ok=True)
        for name, text in files.items():
            (root / name).write_text(text, encoding="utf-8")
        return root

    return write
