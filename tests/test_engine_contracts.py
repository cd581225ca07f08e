"""The postings reader and BM25 scorer itudocs owns (``search.postings``, read through
``search.reader.IndexView``) pinned to the Whoosh originals they replace: one battery,
every case asked of both, the same answers.

The corpora are random (seeded), with terms frequent enough to span many posting blocks,
several segments and deleted documents, because those are where a private block reader
can go wrong while the sample corpus still ranks plausibly.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import closing

import pytest
from whoosh import fields, index, scoring
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.query import Or, Term

from itudocs.search import postings, reader

FIELD = "words"
# Whoosh's BM25F at the constants itudocs ranks with.
WEIGHTING = scoring.BM25F(B=postings.B, K1=postings.K1)
TOLERANCE = 1e-9


def _zipf_words(rng: random.Random, vocabulary: list[str], count: int) -> list[str]:
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    return rng.choices(vocabulary, weights=weights, k=count)


@pytest.fixture(scope="module", params=[7, 2026])
def ix(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[index.Index]:
    folder = tmp_path_factory.mktemp(f"contract{request.param}")
    rng = random.Random(request.param)
    vocabulary = [f"w{n}" for n in range(300)]
    schema = fields.Schema(
        key=fields.ID(stored=True, unique=True), **{FIELD: fields.TEXT(analyzer=SpaceSeparatedTokenizer())}
    )
    built = index.create_in(str(folder), schema)
    number = 0
    for batch in (900, 500, 300):
        writer = built.writer()
        for _ in range(batch):
            words = _zipf_words(rng, vocabulary, rng.choice([1, 2, 5, 12, 40, 120]))
            writer.add_document(key=str(number), **{FIELD: " ".join(words)})
            number += 1
        writer.commit(merge=False)
    writer = built.writer()
    for key in rng.sample(range(number), 120):
        writer.delete_by_term("key", str(key))
    writer.commit(merge=False)
    assert len(built.reader().leaf_readers()) == 3
    yield built


def terms_of(ix: index.Index) -> list[str]:
    with ix.reader() as r:
        return [term.decode("utf-8") for term in r.lexicon(FIELD)]


# Each implementation answers: live doc -> (frequency) for a term, and live doc -> BM25 for a query.


def whoosh_postings(ix: index.Index, text: str) -> dict[int, float]:
    with ix.searcher() as searcher:
        matcher = searcher.postings(FIELD, text)
        found = {}
        while matcher.is_active():
            found[matcher.id()] = matcher.weight()
            matcher.next()
        return found


def whoosh_scores(ix: index.Index, words: list[str]) -> dict[int, float]:
    with ix.searcher(weighting=WEIGHTING) as searcher:
        results = searcher.search(Or([Term(FIELD, word) for word in words]), limit=None)
        return {hit.docnum: hit.score for hit in results}


def itudocs_postings(ix: index.Index, text: str) -> dict[int, float]:
    with closing(reader.IndexView(ix.reader())) as view:
        found = {}
        for offset, ids, weights in view.postings(FIELD, text):
            found.update(zip((offset + doc for doc in ids), weights, strict=True))
        live = view.live(set(found))
        return {doc: found[doc] for doc in live}


def itudocs_scores(ix: index.Index, words: list[str]) -> dict[int, float]:
    with closing(reader.IndexView(ix.reader())) as view:
        holding = set().union(*(view.doc_set(FIELD, word) for word in words))
        scores = dict.fromkeys(holding, 0.0)
        for word in words:
            view.bm25(FIELD, word, 1.0, scores)
        return scores


POSTINGS: dict[str, Callable[[index.Index, str], dict[int, float]]] = {
    "whoosh": whoosh_postings,
    "itudocs": itudocs_postings,
}
SCORES: dict[str, Callable[[index.Index, list[str]], dict[int, float]]] = {
    "whoosh": whoosh_scores,
    "itudocs": itudocs_scores,
}


def test_the_corpus_reaches_what_the_owned_reader_must_handle(ix: index.Index) -> None:
    with closing(reader.IndexView(ix.reader())) as view:
        frequent = max(terms_of(ix), key=lambda text: view.doc_frequency(FIELD, text))
        assert view.doc_frequency(FIELD, frequent) > 4 * postings.POSTINGS_PER_BLOCK
        assert len(view.live(set(range(view.doc_count_all)))) < view.doc_count_all


def test_every_term_has_the_same_postings_as_whoosh_reads(ix: index.Index) -> None:
    for text in terms_of(ix):
        expected = POSTINGS["whoosh"](ix, text)
        assert POSTINGS["itudocs"](ix, text) == expected, text


@pytest.mark.parametrize("size", [1, 2, 4, 8])
def test_random_queries_score_as_whoosh_bm25f_scores_them(ix: index.Index, size: int) -> None:
    rng = random.Random(size)
    terms = terms_of(ix)
    for _ in range(25):
        words = rng.sample(terms, size)
        expected = SCORES["whoosh"](ix, words)
        got = SCORES["itudocs"](ix, words)
        assert got.keys() == expected.keys(), words
        worst = max(abs(got[doc] - expected[doc]) for doc in expected)
        assert worst <= TOLERANCE, (words, worst)


@pytest.mark.parametrize("per_block", [1, postings.POSTINGS_PER_BLOCK, 10**9])
def test_scores_for_a_few_documents_read_by_block_equal_whoosh(
    ix: index.Index, monkeypatch: pytest.MonkeyPatch, per_block: int
) -> None:
    # Asked about a few documents, a term is read only in the blocks that can hold them.
    monkeypatch.setattr(postings, "POSTINGS_PER_BLOCK", per_block)
    rng = random.Random(per_block)
    terms = terms_of(ix)
    for _ in range(20):
        word = rng.choice(terms)
        expected = SCORES["whoosh"](ix, [word])
        docs = rng.sample(sorted(expected), min(5, len(expected)))
        with closing(reader.IndexView(ix.reader())) as view:
            scores = dict.fromkeys(docs, 0.0)
            view.bm25(FIELD, word, 1.0, scores)
        assert all(abs(scores[doc] - expected[doc]) <= TOLERANCE for doc in docs), word
