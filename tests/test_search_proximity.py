"""Passages where the query's words stand close together rank higher (issue 24, proximity)."""

from __future__ import annotations

from itudocs.search.library import Library

DIVIDE = (
    "A divide over funds slowed digital services.\n\n"
    "The digital divide between the regions of the country widened.\n\n"
    "Rainfall in the northern valleys doubled over the decade.\n\n"
    "The bridge was rebuilt in steel after the flood.\n\n"
    "Farmers sold their wheat at the autumn market.\n\n"
    "A new railway line links the port to the capital.\n\n"
    "The orchestra toured six cities in the spring.\n\n"
    "Fishing boats stayed in harbour during the storm.\n"
)


def test_two_words_of_the_query_one_word_apart_rank_higher_where_they_stand_together(tmp_path, write_corpus) -> None:
    library = Library(tmp_path / "index")
    library.index(write_corpus({"divide.txt": DIVIDE}))
    # No passage holds gender: both hold digital and divide, one of them as "digital divide".
    result = library.search("digital gender divide", limit=2, expand=False)
    assert result.partial
    assert [hit.text for hit in result.hits] == [
        "The digital divide between the regions of the country widened.",
        "A divide over funds slowed digital services.",
    ]
