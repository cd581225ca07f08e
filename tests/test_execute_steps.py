"""The steps of a search (``search.execute``), each asked alone of the sample corpus's index
and checked against what a plain reading of its passages says."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest

from itudocs.indexer import schema
from itudocs.indexer.analysis import fold
from itudocs.indexer.records import PassageRecord
from itudocs.indexer.store import open_index
from itudocs.search import execute
from itudocs.search.execute import Matches
from itudocs.search.library import Library
from itudocs.search.plan import LITERAL_TIER, Filters, Plan, make_plan
from itudocs.search.query import parse_query
from itudocs.search.reader import IndexView
from itudocs.search.refs import read_references
from itudocs.search.searcher import glossary


@pytest.fixture(scope="module")
def view(sample_library: Library) -> Iterator[IndexView]:
    with closing(IndexView(open_index(sample_library.index_dir).reader())) as opened:
        yield opened


@pytest.fixture(scope="module")
def passages(view: IndexView) -> dict[int, PassageRecord]:
    """Every passage of the index by its document number: what a plain scan would read."""
    records = view.doc_set(schema.KIND, schema.DOCUMENT_KIND) | view.doc_set(schema.KIND, schema.TERM_KIND)
    return {doc: view.passage_at(doc) for doc in range(view.doc_count_all) if doc not in records}


def plan_of(view: IndexView, text: str, *, expand: bool = False) -> Plan:
    parsed = read_references(parse_query(text))
    if expand:
        parsed = glossary(view).expand(parsed)
    return make_plan(parsed, lambda word: view.has_term(schema.WORDS, word))


def holding(passages: dict[int, PassageRecord], text: str) -> set[int]:
    return {doc for doc, passage in passages.items() if text in fold(passage.text)}


def test_allowed_by_is_the_passages_of_the_filtered_document_or_none_without_filters(
    view: IndexView, passages: dict[int, PassageRecord]
) -> None:
    doc_id = sorted({passage.doc_id for passage in passages.values()})[1]
    allowed = execute.allowed_by(view, Filters(docs=(doc_id,), kinds=("paragraph",)))
    assert allowed == {doc for doc, p in passages.items() if p.doc_id == doc_id and p.kind == "paragraph"}
    assert allowed
    assert execute.allowed_by(view, Filters()) is None


def test_match_clause_finds_a_clause_where_its_text_stands(view: IndexView, passages: dict[int, PassageRecord]) -> None:
    (clause,) = plan_of(view, "数字鸿沟").clauses
    where = execute.match_clause(view, clause)
    assert where.text == holding(passages, "数字鸿沟")
    assert len(where.text) > 5
    assert where.written == where.text | where.label | where.cites


def test_match_clause_may_leave_out_the_documents_it_is_told_to_skip(view: IndexView) -> None:
    (clause,) = plan_of(view, "信息社会世界峰会").clauses
    every = execute.match_clause(view, clause).text
    skip = set(sorted(every)[: len(every) // 2])
    assert every - skip <= execute.match_clause(view, clause, skip).text <= every
    assert execute.match_clause(view, clause, scan=False).text == set()


def test_a_group_matches_where_any_of_its_names_does_each_clause_in_the_groups_order(view: IndexView) -> None:
    (group,) = plan_of(view, "ITU", expand=True).groups
    assert [c.clause.text for c in group][:3] == ["ITU", "International Telecommunication Union", "国际电联"]
    found = execute.match_group(view, group)
    assert len(found.clauses) == len(group)
    assert found.clauses[0] == execute.match_clause(view, group[0])
    # Another name only adds to the group: looked for where the group has not matched yet,
    # the group still matches everywhere any name does.
    alone = [execute.match_clause(view, c) for c in group]
    assert found.docs == set().union(*(where.written | where.stems for where in alone))
    assert alone[2].text - alone[0].written <= found.clauses[2].text <= alone[2].text
    assert len(found.docs) > len(alone[0].written) and not found.partial


def test_past_its_bound_a_group_looks_for_other_names_in_labels_only(view: IndexView) -> None:
    (group,) = plan_of(view, "信息社会世界峰会", expand=True).groups
    whole = execute.match_group(view, group)
    bounded = execute.match_group(view, group, bound=0)
    assert bounded.partial
    assert bounded.clauses[0] == whole.clauses[0]
    assert all(where.text == set() and where.written == where.label for where in bounded.clauses[1:])
    assert bounded.docs < whole.docs


def test_combine_is_what_every_group_matches_within_the_filter() -> None:
    groups = [{1, 2, 3, 4}, {2, 3, 4, 5}, {3, 4, 9}]
    assert execute.combine(groups, None) == {3, 4}
    assert execute.combine(groups, {4, 5}) == {4}
    assert groups == [{1, 2, 3, 4}, {2, 3, 4, 5}, {3, 4, 9}]


def test_in_context_finds_passages_holding_a_group_only_in_their_section_headings(
    view: IndexView, passages: dict[int, PassageRecord]
) -> None:
    plan = plan_of(view, "附件2 基础设施")
    direct = [execute.match_group(view, group).docs for group in plan.groups]
    both = execute.combine(direct, None)
    context = execute.in_context(view, plan, direct, None) - both
    assert context
    for doc in context:
        assert doc in direct[1] and doc not in direct[0]
        assert "附件2" in fold(" ".join(passages[doc].citation.section))
    assert execute.in_context(view, plan, direct, set()) == set()


def test_exclude_drops_the_passages_where_an_excluded_needle_stands(
    view: IndexView, passages: dict[int, PassageRecord]
) -> None:
    docs = holding(passages, "信息社会世界峰会")
    (needle,) = plan_of(view, "x -国际电联").excluded
    left = execute.exclude(view, (needle,), docs)
    assert left == docs - holding(passages, "国际电联")
    assert len(docs) > len(left) > 0
    assert execute.exclude(view, (), docs) is docs


def test_match_keeps_each_clauses_match_at_its_place_in_the_plan(view: IndexView) -> None:
    plan = plan_of(view, "数字鸿沟 国际电联 数字鸿沟")
    matches = execute.match(plan, view)
    assert isinstance(matches, Matches)
    assert [c.clause.text for c in plan.clauses] == ["数字鸿沟", "国际电联", "数字鸿沟"]
    assert len(matches.clauses) == 3
    assert matches.clauses[1] == execute.match_clause(view, plan.clauses[1])
    assert matches.docs - matches.context == matches.clauses[0].written & matches.clauses[1].written
    assert execute.count(plan, view) == len(matches.docs)


def test_tiers_lift_the_name_as_typed_above_every_other_name(view: IndexView) -> None:
    plan = plan_of(view, "国际电联", expand=True)
    matches = execute.match(plan, view)
    tiers = execute.tiers(plan, view, matches)
    as_typed = matches.clauses[0].written
    assert tiers.keys() == matches.docs and as_typed < matches.docs
    assert all(tiers[doc] >= LITERAL_TIER for doc in as_typed)
    assert all(tiers[doc] < LITERAL_TIER for doc in matches.docs - as_typed)


def test_tiers_put_passages_matched_only_through_their_headings_below_the_rest(view: IndexView) -> None:
    plan = plan_of(view, "附件2 基础设施")
    matches = execute.match(plan, view)
    tiers = execute.tiers(plan, view, matches)
    assert matches.context and matches.context < matches.docs
    assert max(tiers[doc] for doc in matches.context) + LITERAL_TIER <= min(
        tiers[doc] for doc in matches.docs - matches.context
    )


def test_ranking_terms_leave_out_common_words_and_come_largest_first(view: IndexView) -> None:
    plan = plan_of(view, "信息社会世界峰会 数字鸿沟 的", expand=True)
    terms = execute.ranking_terms(plan, view)
    assert terms and [term.most for term in terms] == sorted((term.most for term in terms), reverse=True)
    assert all(term.most == view.max_bm25(term.field, term.text, term.boost) for term in terms)
    assert all(view.doc_frequency(term.field, term.text) * execute.COMMON <= view.doc_count_all for term in terms)
    words = {word for c in plan.clauses for word in c.words}
    assert {term.text for term in terms} < words


def test_add_bm25_with_a_limit_keeps_the_same_best_as_scoring_every_match(view: IndexView) -> None:
    plan = plan_of(view, "信息社会世界峰会 发展", expand=True)
    matches = execute.match(plan, view)
    terms = execute.ranking_terms(plan, view)
    every = execute.add_bm25(view, execute.tiers(plan, view, matches), terms)
    assert len(every) == len(matches.docs) > 20
    pruned = execute.add_bm25(view, execute.tiers(plan, view, matches), terms, limit=5)
    assert len(pruned) < len(every)
    assert execute.best(view, pruned, 5) == execute.best(view, every, 5)


def test_add_bm25_keeps_every_document_the_remaining_terms_could_lift_into_the_best(view: IndexView) -> None:
    (term,) = execute.ranking_terms(plan_of(view, "数字鸿沟"), view)
    holders = view.doc_set(term.field, term.text)
    others = sorted(set(range(view.doc_count_all)) - holders)
    # Two far ahead, many a little ahead of the term's holders, whose BM25 lifts them past those.
    score = {doc: 0.0 for doc in holders} | {doc: 0.1 * term.most for doc in others[2:40]}
    score |= {doc: 10 * term.most for doc in others[:2]}
    pruned = execute.add_bm25(view, dict(score), [term], limit=3)
    every = execute.add_bm25(view, dict(score), [term])
    chosen = execute.best(view, pruned, 3)
    assert chosen == execute.best(view, every, 3)
    assert chosen[2][0] in holders


def test_add_bm25_adds_each_terms_score_to_every_document_holding_it(view: IndexView) -> None:
    plan = plan_of(view, "数字鸿沟 发展")
    docs = execute.match(plan, view).docs
    terms = execute.ranking_terms(plan, view)
    summed = execute.add_bm25(view, dict.fromkeys(docs, 0.0), terms)
    for doc in docs:
        alone = [execute.add_bm25(view, {doc: 0.0}, [term])[doc] for term in terms]
        assert summed[doc] == pytest.approx(sum(alone))
    assert min(summed.values()) > 0


def test_best_breaks_ties_at_the_cut_by_document_and_reading_order_not_index_order(
    tmp_path: Path, write_corpus: Callable[[dict[str, str]], Path]
) -> None:
    folder = write_corpus({"a.txt": "甲\n数字鸿沟一。\n数字鸿沟二。\n", "b.txt": "乙\n数字鸿沟三。\n数字鸿沟四。\n"})
    library = Library(tmp_path / "index")
    library.index(folder)
    (folder / "a.txt").write_text("甲\n数字鸿沟一。\n数字鸿沟二，改。\n", encoding="utf-8")
    library.index(folder)  # a's passages are written again, after b's
    with closing(IndexView(open_index(library.index_dir).reader())) as opened:
        (clause,) = plan_of(opened, "数字鸿沟").clauses
        docs = sorted(execute.match_clause(opened, clause).text)
        text = {doc: opened.passage_at(doc).text for doc in docs}
        assert [text[doc] for doc in docs] == ["数字鸿沟三。", "数字鸿沟四。", "数字鸿沟一。", "数字鸿沟二，改。"]
        chosen = execute.best(opened, {doc: 1.0 for doc in docs} | {docs[1]: 2.0}, 3)
    assert [text[doc] for doc, _ in chosen] == ["数字鸿沟四。", "数字鸿沟一。", "数字鸿沟二，改。"]


def test_a_loosened_plan_matches_passages_holding_any_word_and_counts_the_words_each_holds(
    view: IndexView, passages: dict[int, PassageRecord]
) -> None:
    parsed = read_references(parse_query("数字鸿沟 国际电联"))
    plan = make_plan(parsed, lambda word: view.has_term(schema.WORDS, word), any_word=True)
    found = execute.match_any_word(plan, view)
    either = view.doc_set(schema.WORDS, "数字鸿沟") | view.doc_set(schema.WORDS, "国际电联")
    assert found.docs == either
    both = view.doc_set(schema.WORDS, "数字鸿沟") & view.doc_set(schema.WORDS, "国际电联")
    assert both and {doc for doc, held in found.held.items() if held == 2} == both
