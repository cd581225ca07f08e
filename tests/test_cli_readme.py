"""Every example in the README runs and returns what the text beside it says."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from itudocs.cli import cli
from itudocs.corpus.loader import sample_folder
from itudocs.indexer.location import sample_index_dir
from itudocs.search.library import Library
from tests.docgen import make_docx, para
from tests.docgen import run as run_

README = Path(__file__).resolve().parents[1] / "README.md"
PP_140 = 9


def readme_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)


def using_it() -> list[str]:
    """The commands of the "Using it" block, comments dropped."""
    section = README.read_text(encoding="utf-8").split("## Using it", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1)  # type: ignore[union-attr]
    return [line.split("  #", 1)[0].strip() for line in block.splitlines() if line.strip()]


def run(command: str, workspace: Path) -> Result:
    """A README command as a user with no index of their own types it: ``~`` is the
    workspace, and the default index and the sample's index live in its data folder."""
    args = shlex.split(command)
    assert args[0] == "itudocs"
    args = [arg.replace("~/", f"{workspace}/") for arg in args[1:]]
    args = [str(workspace / arg) if arg == "hits.xlsx" else arg for arg in args]
    env = {"XDG_DATA_HOME": str(workspace / "data"), "ITUDOCS_INDEX": None}
    return CliRunner().invoke(cli, args, env=env)


def make_workspace(workspace: Path) -> None:
    """The user's own documents the README's index examples name."""
    docs = workspace / "council-docs"
    (docs / "drafts").mkdir(parents=True)
    shutil.copy(sample_folder() / "000_1ec08987ad33214d.txt", docs / "report.txt")
    shutil.copy(sample_folder() / "003_039c71ca7392b1ab.txt", docs / "003_039c71ca7392b1ab.txt")
    shutil.copy(sample_folder() / "001_edffbce1161b23ec.txt", docs / "drafts" / "outcome.txt")
    (docs / "metadata.tsv").write_text(
        "file\ttitle\tsymbol\tdate\tmeeting\tlanguage\nreport.txt\tWSIS report\t\t2024-06\tC24\tzh\n",
        encoding="utf-8",
    )
    (workspace / "more").mkdir()
    (workspace / "more" / "a.docx").write_bytes(
        make_docx([para(run_("信息社会世界峰会（WSIS）的成果落实。"))], title="WSIS note")
    )


def hits(result: Result) -> list[str]:
    """The numbered hit lines of text output."""
    return [line for line in result.stdout.splitlines() if re.match(r"\d+\. ", line)]


def _pp140_best_ten(result: Result, _: Path) -> None:
    assert len(hits(result)) == min(10, PP_140)
    assert result.stdout.splitlines()[-1] == f"{PP_140} passages match 第140号决议"


def _any_spelling(result: Result, workspace: Path) -> None:
    assert result.stdout.splitlines()[-1] == f"{PP_140} passages match Resolution 140"
    same = run("itudocs search 第140号决议 --all", workspace)
    assert sorted(line.rsplit("[", 1)[1] for line in hits(result)) == sorted(
        line.rsplit("[", 1)[1] for line in hits(same)
    )


def _other_names(result: Result, _: Path) -> None:
    texts = result.stdout
    assert "国际电联" in texts and "国际电信联盟" in texts


def _explain(result: Result, _: Path) -> None:
    assert result.stdout.startswith("group 1 (must match one of):\n  数字鸿沟  [as typed]")
    assert hits(result)


def _cites(result: Result, workspace: Path) -> None:
    citing = {line.rsplit("[", 1)[1] for line in hits(run("itudocs search 第140号决议 --all", workspace))}
    assert hits(result) and all(line.rsplit("[", 1)[1] in citing for line in hits(result))


def _exclude_in_reading_order(result: Result, workspace: Path) -> None:
    assert hits(result)
    every = json.loads(run("itudocs search ITU -WSIS --doc 003 --sort doc --all -f json", workspace).stdout)["hits"]
    assert every and all(hit["doc"] == "003_039c71ca7392b1ab" and "WSIS" not in hit["text"] for hit in every)
    lines = [hit["line"] for hit in every if hit["kind"] != "footnote"]
    assert lines == sorted(lines)
    assert [line.rsplit("[", 1)[1].rstrip("]") for line in hits(result)] == [hit["id"] for hit in every[:10]]


def _json(result: Result, _: Path) -> None:
    body = json.loads(result.stdout)
    assert body["total"] == len(body["hits"]) == PP_140


def _count_by_doc(result: Result, workspace: Path) -> None:
    counts = dict(line.split("\t") for line in result.stdout.splitlines())
    every = json.loads(run("itudocs search 国际电联 --all -f json", workspace).stdout)["hits"]
    assert counts == {doc: str(sum(hit["doc"] == doc for hit in every)) for doc in {hit["doc"] for hit in every}}


def _export(result: Result, workspace: Path) -> None:
    assert f"wrote {PP_140} hits" in result.stderr
    sheet = openpyxl.load_workbook(workspace / "hits.xlsx")["hits"]
    assert sheet.max_row == PP_140 + 1


def _show(result: Result, _: Path) -> None:
    assert "called from 003_039c71ca7392b1ab:" in result.stdout


def _refs(result: Result, _: Path) -> None:
    assert "PP-RES-140" in result.stdout


def _glossary(result: Result, _: Path) -> None:
    assert "国际电联" in result.stdout and "国际电信联盟" in result.stdout


def _index(result: Result, _: Path) -> None:
    assert "4 indexed (4 new" in result.stdout


def _remove(result: Result, workspace: Path) -> None:
    removed = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("removed ")]
    assert sorted(removed) == ["003_039c71ca7392b1ab", "drafts/outcome"]
    assert run("itudocs docs", workspace).stdout.splitlines()[-1] == "2 documents"


def _by_metadata(result: Result, workspace: Path) -> None:
    every = json.loads(run("itudocs search WSIS --from 2024 --meeting C24 --all -f json", workspace).stdout)["hits"]
    assert every and {hit["doc"] for hit in every} == {"report"}


def _check(result: Result, _: Path) -> None:
    assert result.stdout.rstrip().endswith(": 0 problems")


def _docs(result: Result, _: Path) -> None:
    assert result.stdout.splitlines()[-1] == "4 documents"
    assert "(sample)" not in result.stdout


# What the text beside each example says, in README order.
CLAIMS: dict[str, Callable[[Result, Path], None]] = {
    "itudocs search 第140号决议": _pp140_best_ten,
    'itudocs search "Resolution 140" --all': _any_spelling,
    "itudocs search ITU --section 成果文件": _other_names,
    "itudocs search '\"数字鸿沟\" 性别' --explain": _explain,
    'itudocs search WSIS --cites "Resolution 140"': _cites,
    "itudocs search ITU -WSIS --doc 003 --sort doc": _exclude_in_reading_order,
    "itudocs search 第140号决议 --all --format json": _json,
    "itudocs search 国际电联 --count --by doc": _count_by_doc,
    "itudocs export 第140号决议 -o hits.xlsx": _export,
    "itudocs show 003:fn2": _show,
    "itudocs refs --doc 003": _refs,
    "itudocs glossary ITU": _glossary,
    "itudocs index ~/council-docs ~/more/a.docx": _index,
    "itudocs index --check": _check,
    "itudocs docs": _docs,
    "itudocs remove 003 ~/council-docs/drafts": _remove,
    "itudocs search WSIS --from 2024 --meeting C24": _by_metadata,
}


def test_every_example_has_its_claim_checked() -> None:
    assert using_it() == list(CLAIMS)


def test_every_readme_example_returns_what_its_text_says(tmp_path: Path) -> None:
    """In README order, as a new user: the searches read the bundled sample's own index
    (the first screen's command builds it), then the user indexes their own documents."""
    first = next(line for block in readme_blocks("sh") for line in block.splitlines() if "itudocs search" in line)
    result = run("itudocs " + first.rsplit("itudocs ", 1)[1], tmp_path)
    assert result.exit_code == 0
    assert "sample" in result.stderr
    assert len(hits(result)) == PP_140
    assert sum("· figure ·" in line for line in hits(result)) == 1
    make_workspace(tmp_path)
    for command, claim in CLAIMS.items():
        result = run(command, tmp_path)
        assert result.exit_code == 0, (command, result.stderr)
        claim(result, tmp_path)


def test_the_python_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (code,) = readme_blocks("python")
    monkeypatch.delenv("ITUDOCS_INDEX", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    make_workspace(tmp_path)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md", "exec"), {})
    lines = printed.getvalue().splitlines()
    assert len(lines) == PP_140 and all(line.startswith("0") for line in lines)
    assert (tmp_path / "hits.csv").read_text(encoding="utf-8-sig").count("\n") == PP_140 + 1
    # The user's documents went into their own index; the sample's index kept only the sample.
    own = {doc.doc_id for doc in Library().docs()}
    assert own == {"report", "003_039c71ca7392b1ab", "drafts/outcome", "a"}
    assert len(Library(sample_index_dir()).docs()) == 5
