"""Questions, pasted sentences and long queries ranked at least as well as plain BM25 (issue 24)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from itudocs.cli import cli
from itudocs.search.library import Library

FLOW = (
    "Flow notes\n\n"
    "The laminar boundary layer of the flow over a plate.\n\n"
    "The history of the theory of the flow of the air in the tunnel of the lab.\n\n"
    "Pressure on the wing was measured at the tunnel.\n\n"
    "The Pres. of the club was sure of the result.\n\n"
    "Boundary layers stay laminar.\n\n"
    "A cyber security review of the network.\n\n"
    "The cybersecurity agenda of the union.\n\n"
    "Boundary layers grow along the plate; laminar flow then becomes turbulent downstream.\n"
)


def index(tmp_path, write_corpus, text: str = FLOW) -> Library:
    library = Library(tmp_path / "index")
    library.index(write_corpus({"flow.txt": text}))
    return library


def test_a_question_no_passage_holds_whole_ranks_by_its_rare_words_and_stays_partial(tmp_path, write_corpus) -> None:
    library = index(tmp_path, write_corpus)
    result = library.search("what is the history of laminar boundary layers in a wind tunnel", limit=3)
    assert result.partial
    # Function words earn nothing: the passage full of "the" and "of" does not lead.
    assert result.hits[0].text == "The laminar boundary layer of the flow over a plate."
    # The loosened query searches the words as typed, never their stems as if typed (``layer`` not ``lay``).
    typed = ("history", "laminar", "boundary", "layers", "wind", "tunnel")
    assert all(clause.text in typed for clause in result.reading)


def test_words_standing_together_in_order_rank_above_the_same_words_apart(tmp_path, write_corpus) -> None:
    library = index(tmp_path, write_corpus)
    # The shorter passage has the higher BM25; only the order of the words lifts the other.
    texts = [hit.text for hit in library.search("laminar boundary cylinder", limit=2).hits]
    assert texts == ["The laminar boundary layer of the flow over a plate.", "Boundary layers stay laminar."]


def test_an_ordinary_word_is_not_split_into_stems_the_index_knows(tmp_path, write_corpus) -> None:
    library = index(tmp_path, write_corpus)
    result = library.search("pressure", limit=None)
    assert [clause.text for clause in result.reading] == ["pressure"]
    assert [hit.text for hit in result.hits] == ["Pressure on the wing was measured at the tunnel."]


def test_an_open_compound_finds_what_the_closed_one_finds_when_both_are_attested(tmp_path, write_corpus) -> None:
    library = index(tmp_path, write_corpus)
    closed = {hit.text for hit in library.search("cybersecurity", limit=None).hits}
    opened = {hit.text for hit in library.search('"cyber security"', limit=None).hits}
    assert closed == opened == {"A cyber security review of the network.", "The cybersecurity agenda of the union."}


def test_a_pasted_paragraph_longer_than_a_short_query_is_ranked_not_refused(tmp_path, write_corpus) -> None:
    library = index(tmp_path, write_corpus)
    pasted = " ".join(["the flow over the plate becomes turbulent downstream as boundary layers grow"] * 8)
    result = library.search(pasted, limit=1)
    assert result.hits[0].text.startswith("Boundary layers grow along the plate")


def test_equal_scores_rank_by_document_whatever_the_indexing_history(tmp_path, write_corpus) -> None:
    files = {f"d{n:02d}.txt": f"Note {n}\n\nThe tariff schedule stays unchanged.\n" for n in range(12)}
    folder = write_corpus(files)
    fresh = Library(tmp_path / "fresh")
    fresh.index(folder)
    updated = Library(tmp_path / "updated")
    updated.index(folder)
    # d00 edited (its title only) is written again, after every other document in the index.
    (folder / "d00.txt").write_text("Note zero\n\nThe tariff schedule stays unchanged.\n", encoding="utf-8")
    updated.index(folder)
    for library in (fresh, updated):
        hits = library.search("tariff", limit=5).hits
        assert len({hit.score for hit in hits}) == 1
        assert [hit.citation.doc_id for hit in hits] == ["d00", "d01", "d02", "d03", "d04"]


def test_group_doc_folds_each_documents_other_hits_under_its_best(tmp_path, write_corpus) -> None:
    folder = write_corpus(
        {
            "a.txt": "Annex A\n\nSpectrum spectrum spectrum auction.\n\nA note on spectrum and other things said.\n",
            "b.txt": "Annex B\n\nSpectrum spectrum planning.\n",
            # Passages without the word, so that it is rare enough to rank by.
            "c.txt": "Annex C\n\n" + "".join(f"Item {n} of the budget.\n\n" for n in range(12)),
        }
    )
    library = Library(tmp_path / "index")
    library.index(folder)
    result = library.search("spectrum", limit=None)
    assert [hit.citation.doc_id for hit in result.hits] == ["a", "b", "a"]
    assert [(group.doc_id, len(group.more)) for group in result.documents] == [("a", 1), ("b", 0)]
    out = CliRunner().invoke(
        cli, ["search", "spectrum", "--group", "doc", "-f", "jsonl", "--index", str(tmp_path / "index")]
    )
    assert [json.loads(line)["doc"] for line in out.stdout.splitlines()] == ["a", "a", "b"]
