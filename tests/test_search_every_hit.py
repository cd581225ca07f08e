"""Every hit of a search (``--all``, ``export``), exactly as pinned.

The every-hit path builds thousands of hits at once and is tuned for speed (reads in
index order, the clauses' units and the texts' folding done once per search); these
pins hold its output to what the plain hit-at-a-time path gave, field for field, in the
JSON export: on the bundled sample in full (``every-hit-sample.json``), and on a
generated corpus as a digest per query (``every-hit-generated.json``; the hits
themselves would be megabytes).  When a change of output is meant, the files are
rewritten from the new output and reviewed.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from itudocs.corpus.loader import sample_folder
from itudocs.search.library import Library

PINNED = Path(__file__).parent / "data" / "pinned"
ROOT = Path(__file__).resolve().parent.parent
# name → (query, filters): Chinese and English, traditional characters, references,
# footnotes with notes, an exclusion, other names, reading order and a filter.
SAMPLE_CASES = {
    "数字鸿沟, traditional": ("數字鴻溝", {}),
    "第140号决议": ("第140号决议", {}),
    "Resolution 140": ("Resolution 140", {}),
    "A/RES/70/125": ("A/RES/70/125", {}),
    "ITU Council": ("ITU Council", {}),
    "digital divide": ("digital divide", {}),
    "信息社会 -峰会": ("信息社会 -峰会", {}),
    "WSIS+20, reading order": ("WSIS+20", {"sort": "doc"}),
    "国际电联, footnotes": ("国际电联", {"kind": "footnote"}),
    "数字鸿沟, other names": ("数字鸿沟", {"expand": True}),
}
GENERATED_PASSAGES = 1200
GENERATED_QUERIES = ("第140号决议", "A/RES/70/125", "国际电联", "数字鸿沟", "WSIS+20", "CWG-WSIS&SDG", "联合国")


def exported(library: Library, query: str, folder: Path, placeholder: str, **filters: object) -> dict:
    """The JSON export of every hit, without what changes from run to run (when, which index, where)."""
    out = io.BytesIO()
    library.export(query, out, fmt="json", **filters)
    data = json.loads(out.getvalue().decode("utf-8").replace(json.dumps(str(folder))[1:-1], placeholder))
    del data["exported_at"], data["index"]
    return data


@pytest.mark.parametrize("name", SAMPLE_CASES)
def test_every_hit_on_the_sample_is_as_pinned(sample_library: Library, name: str) -> None:
    query, filters = SAMPLE_CASES[name]
    pinned = json.loads((PINNED / "every-hit-sample.json").read_text(encoding="utf-8"))[name]
    got = exported(sample_library, query, sample_folder(), "<sample>", **filters)
    assert got["total"] == len(got["hits"]) > 0
    assert got == pinned


@pytest.fixture(scope="module")
def generated_library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Library, Path]:
    root = tmp_path_factory.mktemp("generated")
    docs = root / "docs"
    command = [sys.executable, str(ROOT / "bench" / "corpus_gen.py"), str(docs), "--passages", str(GENERATED_PASSAGES)]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    library = Library(root / "index")
    library.index(docs)
    return library, docs


def digest(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


@pytest.mark.parametrize("query", GENERATED_QUERIES)
def test_every_hit_on_a_generated_corpus_is_as_pinned(generated_library: tuple[Library, Path], query: str) -> None:
    library, docs = generated_library
    pinned = json.loads((PINNED / "every-hit-generated.json").read_text(encoding="utf-8"))[query]
    got = exported(library, query, docs, "<docs>")
    assert (got["total"], len(got["hits"]), digest(got)) == (pinned["total"], pinned["hits"], pinned["sha256"])
