"""Options as users mistype them (issue 22): an unknown option is an error, never words to search."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from itudocs.cli import cli
from itudocs.search.library import Library


def run(library: Library, command: str, *args: str):
    """``command`` on the library's index, ``--index`` first so that ``args`` may end the line."""
    return CliRunner().invoke(cli, [command, "--index", str(library.index_dir), *args])


def one_line_error(result) -> str:
    """The single stderr line of a refused command line, with nothing on stdout."""
    assert result.exit_code == 2, result.stdout
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ITU", "--setion", "附件"), "itudocs: No such option '--setion'."),
        (("ITU", "--fromat", "json"), "itudocs: No such option '--fromat'."),
        (("ITU", "--fromat=json"), "itudocs: No such option '--fromat'."),
        (("--setion", "附件", "ITU"), "itudocs: No such option '--setion'."),
    ],
)
def test_an_unknown_long_option_is_an_error_with_did_you_mean(
    sample_library: Library, args: tuple[str, ...], message: str
) -> None:
    line = one_line_error(run(sample_library, "search", *args))
    assert line.startswith(message)
    assert "Did you mean" in line


def test_the_did_you_mean_names_the_option_meant(sample_library: Library) -> None:
    assert "'--section'" in one_line_error(run(sample_library, "search", "ITU", "--setion", "附件"))
    assert "'--format'" in one_line_error(run(sample_library, "search", "ITU", "--fromat", "json"))
    assert "'--output'" in one_line_error(run(sample_library, "export", "ITU", "--outptu", "x.csv"))


def test_a_long_options_name_behind_one_dash_is_that_option_mistyped(sample_library: Library) -> None:
    assert one_line_error(run(sample_library, "search", "ITU", "-format", "json")) == (
        "itudocs: No such option '-format'. Did you mean '--format'?"
    )


def test_a_single_letter_the_command_lacks_is_an_unknown_option(sample_library: Library) -> None:
    # -o is export's; in a search it is not the exclusion of the letter o.
    assert one_line_error(run(sample_library, "search", "ITU", "-o", "hits.csv")) == "itudocs: No such option '-o'."


def test_after_a_double_dash_every_word_is_the_querys(sample_library: Library) -> None:
    typed = run(sample_library, "search", "ITU", "-f", "json", "--all", "--", "-o", "--setion")
    assert typed.exit_code == 0, typed.stderr
    body = json.loads(typed.stdout)
    assert body["query"] == "ITU -o --setion"
    assert body["total"] == sample_library.search("ITU -o -setion", limit=None).total


def test_words_starting_with_a_dash_that_cannot_be_options_stay_exclusions(sample_library: Library) -> None:
    result = run(sample_library, "search", "ITU", "-WSIS", "-nothing", "-信息社会", "-f", "json", "--all")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["total"] == sample_library.search("ITU -WSIS -信息社会", limit=None).total


def test_an_option_missing_its_value_says_so(sample_library: Library) -> None:
    assert one_line_error(run(sample_library, "search", "ITU", "-n")) == "itudocs: Option '-n' requires an argument."


@pytest.mark.parametrize(
    "args",
    [
        ("show", "003:1", "--contxt", "2"),
        ("refs", "--dco", "003"),
        ("search", "ITU", "--format", "xml"),
    ],
)
def test_every_usage_mistake_is_one_line(sample_library: Library, args: tuple[str, ...]) -> None:
    line = one_line_error(run(sample_library, *args))
    assert line.startswith("itudocs: ") and "Usage:" not in line


def test_an_unknown_command_is_one_line() -> None:
    assert one_line_error(CliRunner().invoke(cli, ["serch", "ITU"])) == (
        "itudocs: No such command 'serch'. (Did you mean one of: 'search', 'serve'?)"
    )


def test_help_still_works_with_the_short_option() -> None:
    result = CliRunner().invoke(cli, ["search", "ITU", "-h"])
    assert result.exit_code == 0 and result.stdout.startswith("Usage: cli search [OPTIONS] QUERY...")
