"""The index's fields, named once for the writer and the searcher.

One Whoosh document per passage (paragraph, heading, footnote, figure) and one
``document`` record per source file, which carries the file's hash: the record and
the passages it describes are written in the same commit, so the index itself is
the manifest that incremental re-indexing compares against.
"""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from itudocs.indexer.analysis import make_exact_analyzer, make_word_analyzer

# Bump when a field, an analyzer or a module path the pickled schema names changes:
# an index built otherwise must be rebuilt.
SCHEMA_VERSION = 5

ID_ = "id"
DOC = "doc"
KIND = "kind"
LANG = "lang"
SEQ = "seq"
LABEL = "label"
SECTION = "section"
EXACT = "exact"
WORDS = "words"
REFS = "refs"
TEXT_ = "text"
RECORD = "record"

DOCUMENT_KIND = "document"


def make_schema() -> Schema:
    exact = make_exact_analyzer()
    return Schema(
        **{
            ID_: ID(stored=True, unique=True),
            DOC: ID(stored=True),
            KIND: ID(stored=True),
            LANG: ID(stored=True),
            SEQ: NUMERIC(stored=True),
            LABEL: TEXT(analyzer=exact, stored=True, phrase=True),
            # DOC#N: the Nth section path of the document record's "sections" list;
            # --section matches paths there and filters by these ids.
            SECTION: ID(),
            EXACT: TEXT(analyzer=exact, phrase=True),
            WORDS: TEXT(analyzer=make_word_analyzer(), phrase=False),
            # Normalised reference keys (corpus.references.index_keys), matched whole.
            REFS: KEYWORD(lowercase=False, scorable=True),
            TEXT_: STORED(),
            RECORD: STORED(),
        }
    )
