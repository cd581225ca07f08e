"""The exact output of one search in every format, pinned as sqlite-utils pins its CLI's.

A change to any format shows here as a diff of the whole output; when it is meant, the
files in ``tests/data/pinned/`` are rewritten from the new output and reviewed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from itudocs.cli import cli
from itudocs.corpus.loader import sample_folder
from itudocs.search.library import Library

PINNED = Path(__file__).parent / "data" / "pinned"


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl", "csv", "md"])
def test_the_output_of_a_search_is_exactly_as_pinned(sample_library: Library, fmt: str) -> None:
    args = ["search", "A/RES/73/218", "--all", "-f", fmt, "--index", str(sample_library.index_dir)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    printed = result.stdout.replace(str(sample_folder()), "<sample>")
    assert printed == (PINNED / f"search-A-RES-73-218.{fmt}").read_text(encoding="utf-8")
