"""The index's fields, named once for the writer and the searcher.

One Whoosh document per passage (paragraph, heading, footnote, figure) and one
``document`` record per source file, which carries the file's hash: the record and
the passages it describes are written in the same commit, so the index itself is
the manifest that incremental re-indexing compares against.
"""

from __future__ import annotations

from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema

from itudocs.indexer.analysis import make_word_analyzer
from itudocs.indexer.column import UnitColumn

# Bump when a field, an analyzer or a module path the pickled schema names changes, or
# the layout of any file docs/FORMAT.md describes: an index built otherwise must be
# rebuilt.  9: unit columns and stored blocks open with a header; stored blocks are JSON,
# not pickles; the settings file opens with its format and names every index started;
# letters of every script are units (kana, hangul, Cyrillic …).  10: unit streams are
# written in indexer.unit_bytes's code, two bytes for most Han characters, not UTF-8.
SCHEMA_VERSION = 10
# The format's fingerprint at each version (tests/test_indexer_format.py computes it from
# the schema, the bytes the column writers write, the records' stored form and the
# settings): a change to the format comes with a new version and a new line here, never
# a new fingerprint for a version already released.
FORMAT_FINGERPRINTS = {9: "75645471fb3fde86", 10: "d36e9b9315b0ece1"}

# Every entry's id: a passage's hit id (003:67), ``document:DOC`` for a document record,
# ``term:ID`` for a mined term.
ENTRY_ID = "id"
DOC = "doc"
KIND = "kind"
LANG = "lang"
SEQ = "seq"
LABEL = "label"
SECTION = "section"
UNITS = "units"
LABEL_UNITS = "label_units"
NAMES = "names"
WORDS = "words"
REFS = "refs"
# A passage's text as read, stored; what matches it is in UNITS and WORDS.
PASSAGE_TEXT = "text"
RECORD = "record"

DOCUMENT_KIND = "document"
# One record per term mined from the documents (merged across them), found by its names.
TERM_KIND = "term"


def make_schema() -> Schema:
    return Schema(
        **{
            # Read back, never searched: a passage is found among its document's (DOC).
            ENTRY_ID: STORED(),
            DOC: ID(stored=True),
            KIND: ID(stored=True),
            # Read back, never searched: stored only, which spares the writer their postings.
            LANG: STORED(),
            SEQ: STORED(),
            # The whole label, for ``show`` to find the same paragraph in the other language.
            LABEL: ID(stored=True),
            # DOC#N: the Nth section path of the document record's "sections" list;
            # --section matches paths there and filters by these ids.
            SECTION: ID(),
            # Exact matching scans these (indexer.column): the text's and the label's units.
            UNITS: COLUMN(UnitColumn()),
            LABEL_UNITS: COLUMN(UnitColumn()),
            WORDS: TEXT(analyzer=make_word_analyzer(), phrase=False),
            # Normalised reference keys (corpus.references.index_keys), matched whole.
            REFS: KEYWORD(lowercase=False, scorable=True),
            # On document records: the folded names and ids of the terms the document
            # defines (search.expand), so a search reads only the records it needs.
            NAMES: KEYWORD(commas=True),
            PASSAGE_TEXT: STORED(),
            RECORD: STORED(),
        }
    )
