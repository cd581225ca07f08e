"""bench/size.py and corpus_gen.py's low-repeat text run end to end on tiny inputs, so they cannot rot."""

from __future__ import annotations

import json
import subprocess
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def corpus(out: Path, text: str, seed: int = 0) -> bytes:
    run("corpus_gen.py", str(out), "--passages", "1500", "--text", text, "--seed", str(seed))
    return b"".join(path.read_bytes() for path in sorted(out.glob("*.txt")))


def test_low_repeat_text_is_deterministic_and_repeats_less_than_generated_text(tmp_path: Path) -> None:
    low = corpus(tmp_path / "low", "low-repeat")
    again = corpus(tmp_path / "again", "low-repeat")
    other_seed = corpus(tmp_path / "other", "low-repeat", seed=1)
    generated = corpus(tmp_path / "generated", "generated")

    assert low == again != other_seed
    lines = low.decode("utf-8").splitlines()
    assert sum(1 for line in lines if line.split("\t")[-1][:1].isascii()) > len(lines) / 10  # English paragraphs
    # What compresses worse repeats less: the reason the low-repeat text exists.
    ratio = len(zlib.compress(low, 9)) / len(low)
    assert ratio > 1.3 * len(zlib.compress(generated, 9)) / len(generated)


def test_size_tables_the_index_by_kind_of_file_against_fts5(tmp_path: Path) -> None:
    out = run("size.py", "--sizes", "300", "--json", str(tmp_path / "size.json"))

    rows = [line.split("|")[1:-1] for line in out.splitlines() if line.startswith("| ")][1:]
    assert [row[0].strip() for row in rows] == ["generated", "low-repeat"]
    data = json.loads((tmp_path / "size.json").read_text(encoding="utf-8"))
    for result in data["results"]:
        assert result["passages"] == 300
        parts = result["index_bytes"]
        assert set(parts) == {"units", "stored", "postings", "terms", "other"}
        assert all(parts[kind] > 0 for kind in ("units", "stored", "postings", "terms"))
        assert result["index_total"] == sum(parts.values())
        assert result["fts5_bytes"] > 0
