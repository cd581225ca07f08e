"""The unit column's own code (indexer.unit_bytes): denser than UTF-8 on Chinese text,
read back exactly, and searched by bytes without a match that straddles characters."""

from __future__ import annotations

import gzip
import random
from io import BytesIO
from pathlib import Path

from whoosh.filedb.structfile import BufferFile, StructFile

from itudocs.corpus.loader import discover, read_document, sample_folder
from itudocs.indexer import column
from itudocs.indexer.analysis import fold
from itudocs.indexer.unit_bytes import decode, encode

CMRC = Path(__file__).resolve().parent.parent / "bench" / "data" / "cmrc2018" / "passages.tsv.gz"
# A character of each width of the code and each kind of byte: ASCII, the most frequent Han,
# GB2312 Han, Han outside GB2312 (Basic and Extension B), Cyrillic, accented Latin, kana,
# Hangul, and characters no stream holds (upper case, the underscore, NUL).
EVERY_KIND = "itu 140的国第号鼩閦𠀀мсэcôteゆ서울AB_\0"


def sample_streams() -> list[str]:
    return [column.unit_stream(fold(p.text)) for s in discover(sample_folder()) for p in read_document(s).passages]


def cmrc_streams(count: int) -> list[str]:
    lines = gzip.decompress(CMRC.read_bytes()).decode("utf-8").splitlines()[:count]
    return [column.unit_stream(fold(line.partition("\t")[2])) for line in lines]


def column_bytes(values: list[str] | list[bytes]) -> bytes:
    out = StructFile(BytesIO())
    writer = column.UnitColumn().writer(out)
    for docnum, value in enumerate(values):
        writer.add(docnum, value)
    writer.finish(len(values))
    return out.file.getvalue()


def written(streams: list[str]) -> column.UnitColumnReader:
    """A unit column of ``streams`` as a segment would hold it, opened for reading."""
    data = column_bytes(streams)
    return column.UnitColumn().reader(BufferFile(data), 0, len(data), len(streams))


def test_every_kind_of_character_reads_back_as_written() -> None:
    assert decode(encode(EVERY_KIND)) == EVERY_KIND
    rng = random.Random(7)
    points = [rng.randrange(0x110000) for _ in range(20_000)]
    text = "".join(chr(p) for p in points if not 0xD800 <= p < 0xE000)  # surrogates are no characters
    assert decode(encode(text)) == text


def test_chinese_streams_take_at_most_two_thirds_of_their_utf8_size() -> None:
    streams = sample_streams() + cmrc_streams(2000)
    reader = written(streams)

    assert [reader.stream(n) for n in range(len(reader))] == streams
    utf8 = sum(len(s.encode("utf-8")) for s in streams)
    assert reader.end - reader.base <= utf8 * 2 / 3


def test_a_byte_search_finds_exactly_where_the_units_stand() -> None:
    # Needles cut from the streams at every kind of boundary: for each, the documents
    # a byte search of the coded column finds are those whose text holds it.
    streams = [*cmrc_streams(3000), EVERY_KIND, "鼩国第", "国第鼩"]
    reader = written(streams)
    rng = random.Random(3)
    needles = {"的国", "国第", "第号", "鼩", "𠀀м", "côteゆ", "ab", "_", "国际电联"}
    for stream in rng.sample(streams, 200):
        if len(stream) > 4:
            at = rng.randrange(len(stream) - 3)
            needles.add(stream[at : at + rng.randint(1, 3)])
    for needle in needles:
        expected = [n for n, stream in enumerate(streams) if needle in stream]
        code = needle.encode("utf-8")
        assert reader.find_docs(code, latin_start=False, latin_end=False) == expected, needle
        assert reader.holding(code, range(len(streams)), latin_start=False, latin_end=False) == expected, needle


def test_a_needle_never_matches_across_two_characters() -> None:
    # In a code of fixed two-byte pairs, the second byte of one character and the first
    # of the next could spell a third: every pair of neighbours here is such a chance.
    han = [chr(p) for p in range(0x4E00, 0x4E00 + 3000)]
    streams = ["".join(han[n : n + 50]) for n in range(0, len(han), 50)]
    reader = written(streams)
    for needle in han[::7]:
        expected = [n for n, stream in enumerate(streams) if needle in stream]
        assert reader.find_docs(needle.encode("utf-8"), latin_start=False, latin_end=False) == expected


def test_streams_coded_by_the_readers_and_text_copied_by_a_merge_write_the_same_column() -> None:
    # Indexing hands the writer coded_stream's bytes (worked out in the reading workers);
    # a merge of segments hands it the text it reads back.
    texts = [fold(p.text) for s in discover(sample_folder()) for p in read_document(s).passages]
    streams = [column.unit_stream(text) for text in texts]
    assert column_bytes([column.coded_stream(text) for text in texts]) == column_bytes(streams)
