"""Issue 20: an index folder never deletes what it did not write.

User files in and around an index folder survive every command byte for byte, whatever
the layout: the index folder the documents folder itself, inside it, beside it, or a
folder that already holds other files; and files a user drops into an index folder later.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itudocs.cli import cli
from itudocs.indexer.folder import BUILD_LOCK
from itudocs.indexer.settings import SETTINGS_FILE

ONE = " \t目的\n第一份文件讨论数字鸿沟。\n"
TWO = "Purpose\nThe second document discusses the digital divide.\n"
# What a user may keep beside documents, among them names Whoosh's own clean-up took for
# an index called MAIN (the name a first build used to get).
NAMES = st.sampled_from(
    ["notes.txt", "photos", "报告.docx", "MAIN_notes.txt", "_MAIN_1.toc", "MAIN_WRITELOCK", "MAIN.tmp", "R1.col", "a"]
)
CONTENT = st.binary(max_size=40)
# A few user files: (folder names leading to it, its name, its bytes).
USER_FILES = st.lists(st.tuples(st.lists(NAMES, max_size=2), NAMES, CONTENT), max_size=4)
LAYOUTS = ("same", "inside", "beside", "holding")


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def write_files(folder: Path, files: list[tuple[list[str], str, bytes]], written: dict[Path, bytes]) -> None:
    """Write each file below ``folder`` where nothing of that name is yet, recording it in ``written``."""
    for parents, name, data in files:
        path = folder.joinpath(*parents, name)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("xb") as file:
                file.write(data)
        except (FileExistsError, NotADirectoryError, IsADirectoryError):
            continue  # a file or folder of that name is there already
        written[path] = data


def folders(root: Path, layout: str) -> tuple[Path, Path]:
    """(documents folder, index folder) for a layout."""
    docs = root / "docs"
    return docs, {"same": docs, "inside": docs / "ix", "beside": root / "ix", "holding": root / "ix"}[layout]


def assert_untouched(written: dict[Path, bytes]) -> None:
    for path, data in written.items():
        assert path.is_file(), f"{path} was deleted"
        assert path.read_bytes() == data, f"{path} was changed"


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(layout=st.sampled_from(LAYOUTS), before=USER_FILES, beside=USER_FILES, later=USER_FILES)
def test_user_files_in_and_around_an_index_folder_survive_every_command(layout, before, beside, later) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        docs, ix = folders(root, layout)
        written: dict[Path, bytes] = {}
        write_files(docs, [([], "one.txt", ONE.encode()), ([], "two.txt", TWO.encode())], written)
        write_files(docs, before, written)
        write_files(root, beside, written)
        if layout == "holding":
            write_files(ix, [([], "notes.txt", b"mine"), (["photos"], "a.jpg", b"\xff\xd8")], written)
        refused = ix.exists() and any(ix.iterdir()) and not (ix / SETTINGS_FILE).exists()

        first = run("index", str(docs), "--index", str(ix))
        assert_untouched(written)
        if refused:
            assert first.exit_code == 2
            assert re.fullmatch(
                rf"itudocs: {re.escape(str(ix))}: not an itudocs index, and not empty \(it holds .+\); "
                r"give --index an empty or new folder\n",
                first.stderr,
            ), first.stderr
            assert not (ix / BUILD_LOCK).exists() and not (ix / SETTINGS_FILE).exists()
        else:
            assert first.exit_code in (0, 3), first.stderr
            write_files(ix, later, written)  # dropped into the index folder once it is one
        for command in (
            ["index", "--rebuild", str(docs)],
            ["index", str(docs)],
            ["index", "--check"],
            ["search", "数字鸿沟"],
            ["remove", str(docs / "two.txt")],
            ["index", str(ix)],  # the index folder, holding documents of its own now, as a documents folder
            ["index", "--rebuild", str(docs)],
        ):
            result = run(*command, "--index", str(ix))
            if refused:
                assert result.exit_code == 2, (command, result.stderr)
            else:  # 2 only where no file given could be read
                assert "not an itudocs index" not in result.stderr, (command, result.stderr)
            assert_untouched(written)


def test_a_documents_folder_given_as_the_index_is_refused_and_kept(tmp_path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "one.txt").write_text(ONE, encoding="utf-8")
    (docs / "two.txt").write_text(TWO, encoding="utf-8")
    result = run("index", str(docs), "--index", str(docs))
    assert (result.exit_code, result.stderr) == (
        2,
        f"itudocs: {docs}: not an itudocs index, and not empty (it holds one.txt, two.txt); "
        "give --index an empty or new folder\n",
    )
    assert sorted(p.name for p in docs.iterdir()) == ["one.txt", "two.txt"]


def test_a_folder_holding_other_files_is_refused_naming_a_few(tmp_path, write_corpus) -> None:
    docs = write_corpus({"one.txt": ONE})
    ix = tmp_path / "ix"
    (ix / "photos").mkdir(parents=True)
    for name in ("notes.txt", "a.md", "b.md", "c.md"):
        (ix / name).write_text(name, encoding="utf-8")
    result = run("index", str(docs), "--index", str(ix))
    assert result.exit_code == 2
    assert result.stderr == (
        f"itudocs: {ix}: not an itudocs index, and not empty (it holds a.md, b.md, c.md and 2 more); "
        "give --index an empty or new folder\n"
    )
    assert sorted(p.name for p in ix.iterdir()) == ["a.md", "b.md", "c.md", "notes.txt", "photos"]


def test_a_rebuild_keeps_the_files_a_user_put_beside_the_index(tmp_path, write_corpus) -> None:
    docs = write_corpus({"one.txt": ONE})
    ix = tmp_path / "ix"
    assert run("index", str(docs), "--index", str(ix)).exit_code == 0
    (ix / "notes.txt").write_text("mine", encoding="utf-8")
    (ix / "photos").mkdir()
    (ix / "photos" / "a.jpg").write_bytes(b"\xff\xd8")
    for _ in range(2):  # the second rebuild clears what the first replaced
        assert run("index", "--rebuild", str(docs), "--index", str(ix)).exit_code == 0
    assert (ix / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (ix / "photos" / "a.jpg").read_bytes() == b"\xff\xd8"
    settings = json.loads((ix / SETTINGS_FILE).read_text(encoding="utf-8"))
    left = {p.name.lstrip("_").split("_")[0] for p in ix.iterdir() if p.name.startswith(("R", "_R"))}
    assert left == set(settings["names"]) and len(left) == 2, "the replaced index stays until the next rebuild"


def test_an_index_inside_its_documents_folder_is_not_read_as_documents(tmp_path, write_corpus) -> None:
    docs = write_corpus({"one.txt": ONE, "two.txt": TWO})
    ix = docs / "index"
    assert run("index", str(docs), "--index", str(ix)).exit_code == 0
    again = run("index", str(docs), "--index", str(ix))
    assert (again.exit_code, again.stderr) == (0, "")
    assert "2 indexed (0 new, 0 changed, 2 unchanged), 0 skipped" in again.stdout
    (ix / "notes.txt").write_text(TWO.replace("second", "third"), encoding="utf-8")
    itself = run("index", str(ix), "--index", str(ix))
    assert (itself.exit_code, itself.stderr) == (0, "")
    assert "1 indexed (1 new" in itself.stdout
    listed = json.loads(run("docs", "--format", "json", "--index", str(ix)).stdout)
    assert sorted(d["doc"] for d in listed) == ["notes", "one", "two"]


def test_an_index_of_an_older_version_is_rebuilt_deleting_only_its_own_files(tmp_path, write_corpus) -> None:
    docs = write_corpus({"one.txt": ONE})
    ix = tmp_path / "ix"
    ix.mkdir()
    # A version-8 folder: its settings, one Whoosh index called MAIN, and the user's files.
    (ix / SETTINGS_FILE).write_text(json.dumps({"schema_version": 8, "index": "MAIN"}), encoding="utf-8")
    old = ["_MAIN_1.toc", "MAIN_0123456789abcdef.trm", "MAIN_0123456789abcdef._stored.col", "MAIN_WRITELOCK"]
    mine = ["MAIN_notes.txt", "_MAIN_notes.toc", "MAIN.txt"]
    for name in old + mine:
        (ix / name).write_bytes(name.encode())
    refused = run("search", "数字", "--index", str(ix))
    assert refused.exit_code == 2 and "index --rebuild" in refused.stderr
    assert run("index", "--rebuild", str(docs), "--index", str(ix)).exit_code == 0
    assert not any((ix / name).exists() for name in old)
    assert all((ix / name).read_bytes() == name.encode() for name in mine)
    assert run("search", "数字鸿沟", "--index", str(ix)).exit_code == 0
