"""The termbase: every name an ITU or UN body, conference, instrument or concept goes by.

A term is one thing with all its names: an English name, acronyms, and every Chinese
variant in use (ITU and UN translations differ, so one body often has three).  The
package ships ``corpus/data/termbase.tsv``; acronym pairs mined from documents at
ingest (``corpus.terms``) become terms of the same shape.  Looking a term up by any
of its names, as the index folds them, is ``search.expand.Glossary``'s job.

>>> [term.names for term in load_termbase() if term.id == "itu"]
[('International Telecommunication Union', 'ITU', '国际电联', '国际电信联盟')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from itudocs.corpus.errors import CorpusError
from itudocs.corpus.text import HAN

COLUMNS = ("id", "en", "acronyms", "zh", "kind")
KINDS = frozenset({"organization", "conference", "body", "instrument", "concept", "programme", "document"})

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_HAN = re.compile(f"[{HAN}]")


@dataclass(frozen=True, slots=True, kw_only=True)
class Term:
    """One named thing.

    ``source`` is ``"termbase"`` for shipped entries and ``"mined:<doc_id>:<line>"`` for
    a pair found in a document; ``en`` is ``""`` when only a Chinese name is known.
    ``aliases`` are other English names in use (``Tunis Agenda``), after the first in the
    termbase's ``en`` column.
    """

    id: str
    en: str
    acronyms: tuple[str, ...]
    zh: tuple[str, ...]
    kind: str
    source: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every name, English first, each once.

        >>> Term(id="x", en="Global Digital Compact", acronyms=("GDC",), zh=("全球数字契约",),
        ...      kind="instrument", source="termbase").names
        ('Global Digital Compact', 'GDC', '全球数字契约')
        """
        return tuple(dict.fromkeys(name for name in (self.en, *self.aliases, *self.acronyms, *self.zh) if name))


def shipped_termbase() -> Path:
    """The termbase bundled with the package."""
    return Path(str(resources.files("itudocs.corpus") / "data" / "termbase.tsv"))


def _variants(field: str, column: str) -> tuple[str, ...]:
    """Split a ``|``-separated column; an empty variant means a stray or doubled ``|``."""
    if not field:
        return ()
    variants = tuple(part.strip() for part in field.split("|"))
    if not all(variants):
        raise ValueError(f"empty variant in {column} {field!r}")
    return variants


def parse_row(fields: list[str]) -> Term:
    """One data row as a Term; ValueError says what is wrong with it.

    >>> parse_row(["igf", "Internet Governance Forum", "IGF", "互联网治理论坛", "conference"]).zh
    ('互联网治理论坛',)
    >>> parse_row(["igf", "Internet Governance Forum", "互联网治理论坛", "IGF", "conference"])
    Traceback (most recent call last):
    ...
    ValueError: acronym '互联网治理论坛' is Chinese
    """
    if len(fields) != len(COLUMNS):
        raise ValueError(f"{len(fields)} columns, expected {len(COLUMNS)}")
    term_id, english, acronyms, zh, kind = (field.strip() for field in fields)
    if not _ID.fullmatch(term_id):
        raise ValueError(f"id {term_id!r} is not a lower-case slug")
    if not english:
        raise ValueError("no English name")
    en, *aliases = _variants(english, "en")
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r} is not one of {', '.join(sorted(KINDS))}")
    term = Term(
        id=term_id,
        en=en,
        acronyms=_variants(acronyms, "acronyms"),
        zh=_variants(zh, "zh"),
        kind=kind,
        source="termbase",
        aliases=tuple(aliases),
    )
    # A Chinese acronym almost always means the columns were shifted; catch it at load time.
    for acronym in term.acronyms:
        if _HAN.search(acronym):
            raise ValueError(f"acronym {acronym!r} is Chinese")
    if not term.zh:
        raise ValueError("no Chinese name")
    return term


def load_termbase(path: Path | None = None) -> list[Term]:
    """Read a termbase TSV (the shipped one by default), in file order.

    Blank lines and lines starting with ``#`` are comments; the first other line must be
    the header.  Any malformed row raises CorpusError naming the file and the line.
    """
    path = shipped_termbase() if path is None else path
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise CorpusError(str(path), f"cannot read termbase ({error})") from None
    terms: list[Term] = []
    seen: set[str] = set()
    header_seen = False
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if not header_seen:
            if tuple(field.strip() for field in fields) != COLUMNS:
                raise CorpusError(str(path), f"line {n}: header must be {' TAB '.join(COLUMNS)}")
            header_seen = True
            continue
        try:
            term = parse_row(fields)
        except ValueError as error:
            raise CorpusError(str(path), f"line {n}: {error}") from None
        if term.id in seen:
            raise CorpusError(str(path), f"line {n}: id {term.id!r} used twice")
        seen.add(term.id)
        terms.append(term)
    if not header_seen:
        raise CorpusError(str(path), "no header line")
    return terms
