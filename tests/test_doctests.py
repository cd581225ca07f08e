"""Every docstring example, run against the installed ``itudocs`` package.

Collected here rather than with ``--doctest-modules``, which would import each
file a second time under a name derived from the checkout's folder.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import itudocs

WALKED = pkgutil.walk_packages(itudocs.__path__, "itudocs.")
MODULES = sorted(["itudocs", *(info.name for info in WALKED if info.name != "itudocs.__main__")])
EXAMPLES = {
    test.name: test
    for name in MODULES
    for test in doctest.DocTestFinder().find(importlib.import_module(name))
    if test.examples
}


def test_every_module_is_walked() -> None:
    assert {"itudocs.corpus.references", "itudocs.corpus.readers.textexport", "itudocs.search.library"} <= set(MODULES)
    assert sum(len(test.examples) for name, test in EXAMPLES.items() if name.startswith("itudocs.corpus.ref")) > 10


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_docstring_examples(name: str) -> None:
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report: list[str] = []
    runner.run(EXAMPLES[name], out=report.append)
    assert runner.failures == 0, "".join(report)
