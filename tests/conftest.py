"""Shared fixtures: one index of the bundled sample corpus per test session, and one of a
Chinese document beside its English version per module that asks for it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from itudocs.corpus.loader import sample_folder
from itudocs.search.library import Library

DATA = Path(__file__).parent / "data"
FIXTURES = Path(__file__).parent / "fixtures"
# A document of the sample and its English version (the same symbol), paired by parallel.tsv.
PARALLEL_ZH = "003_039c71ca7392b1ab"
PARALLEL_EN = "C26-31-E"


@pytest.fixture(scope="session")
def sample_library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    library = Library(tmp_path_factory.mktemp("sample-index"))
    library.index(sample_folder())
    return library


@pytest.fixture(scope="module")
def bilingual_library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    folder = tmp_path_factory.mktemp("bilingual")
    shutil.copy(sample_folder() / f"{PARALLEL_ZH}.txt", folder)
    shutil.copy(FIXTURES / f"{PARALLEL_EN}.txt", folder)
    (folder / "parallel.tsv").write_text(f"{PARALLEL_ZH}.txt\t{PARALLEL_EN}.txt\n", encoding="utf-8")
    library = Library(tmp_path_factory.mktemp("bilingual-index"))
    library.index(folder)
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
