"""itudocs: bilingual search of ITU Council and UN documents, answered as cited passages.

>>> import itudocs
>>> itudocs.Library.__name__
'Library'

``Library`` is loaded on first use, so ``import itudocs.cli`` (the command line)
stays free of Whoosh and jieba until a command needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from itudocs.search.library import Library

__all__ = ["Library"]


def __getattr__(name: str) -> Any:
    if name == "Library":
        from itudocs.search.library import Library

        return Library
    raise AttributeError(f"module 'itudocs' has no attribute {name!r}")
