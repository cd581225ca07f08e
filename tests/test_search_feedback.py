"""A long query's ranking widened by the words its best passages share (issue 24, pseudo-relevance feedback)."""

from __future__ import annotations

from itudocs.search.library import Library

QUESTION = (
    "How do public libraries measure the use their readers make of catalogues, loan records and reference "
    "services, and what methods of user surveys and circulation statistics help librarians plan collections "
    "and staffing?"
)
SURVEYS = (
    "Circulation statistics and user surveys in public libraries: loan records show which collections readers "
    "borrow, and librarians plan staffing from them. Questionnaires and borrowing diaries complement the counts.\n\n"
    "Reference services in public libraries are measured by questionnaires handed to readers and by borrowing "
    "diaries, which librarians use to plan collections.\n\n"
    "Questionnaires and borrowing diaries kept by patrons reveal how often each item in the catalogues "
    "is consulted.\n\n"
    "Medieval catalogues were written on parchment.\n"
)
OTHER = (
    "Rainfall in the northern valleys doubled over the decade.\n\n"
    "The bridge was rebuilt in steel after the flood.\n\n"
    "Farmers sold their wheat at the autumn market.\n\n"
    "A new railway line links the port to the capital.\n\n"
    "The orchestra toured six cities in the spring.\n\n"
    "Fishing boats stayed in harbour during the storm.\n\n"
    "The museum opened a gallery of ancient coins.\n\n"
    "Children planted trees along the river bank.\n\n"
    "The mountain pass closes each winter.\n\n"
    "Engineers tested the turbine for a month.\n\n"
    "Bakers rose before dawn to light the ovens.\n\n"
    "The ferry crosses the strait twice a day.\n"
)


def test_a_pasted_question_ranks_a_passage_in_its_best_passages_words_above_one_sharing_only_a_word(
    tmp_path, write_corpus
) -> None:
    library = Library(tmp_path / "index")
    library.index(write_corpus({"surveys.txt": SURVEYS, "other.txt": OTHER}))
    result = library.search(QUESTION, limit=10)
    texts = [hit.text for hit in result.hits]
    diaries = next(n for n, text in enumerate(texts) if text.startswith("Questionnaires and borrowing diaries kept"))
    parchment = texts.index("Medieval catalogues were written on parchment.")
    # Both hold one word of the question (catalogues); the diaries share the best passages'
    # questionnaires, borrowing and diaries, the parchment nothing.
    assert result.partial
    assert diaries < parchment
