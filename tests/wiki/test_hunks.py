"""Accepting part of a proposal: its changes cut into hunks, and the text some of them give.

Pure tests: sources and citations are unsaved (a source only needs its id here).
"""

from itertools import chain, combinations

import pytest

from apps.citations.models import Source, SourceKind
from apps.markup import marker_keys
from apps.moderation.hunks import CITATIONS, TEXT, apply, split
from apps.wiki.citing import problems_with
from apps.wiki.merging import Cited, citation_inputs, cited_of, merge_cited
from apps.wiki.models import Citation

SOURCES = {
    name: Source(pk=pk, title=name, kind=SourceKind.WEB) for pk, name in enumerate("ABCD", 1)
}


def cite(source: str, locator: str = "p. 1", quote: str = "") -> Citation:
    return Citation(source=SOURCES[source], locator=locator, quote=quote)


def content(cited: Cited) -> dict[int, tuple[int, str, str]]:
    return {k: (c.source_id, c.quote, c.locator) for k, c in cited.citations.items()}


def subsets(numbers):
    return chain.from_iterable(combinations(numbers, size) for size in range(len(numbers) + 1))


BASE = Cited(
    "# Casino Night\n\nJim tells Pam [@1].\n\nPam says no.\n\nMichael sells paper [@2].\n",
    {1: cite("A"), 2: cite("B")},
)


def test_an_edit_and_an_added_paragraph_are_two_hunks():
    proposal = Cited(
        BASE.body.replace("Pam says no.", "Pam says no, for now.") + "\nThe end.\n",
        BASE.citations,
    )
    first, second = split(BASE, proposal)
    assert (first.number, first.kind, first.spans) == (1, TEXT, ((4, 5, 4, 5),))
    assert first.old_lines == ("Pam says no.",) and first.new_lines == ("Pam says no, for now.",)
    assert first.label == "Line 5" and first.summary == "1 line changed"
    [row] = first.rows
    assert (row.kind, row.old_number, row.new_number) == ("changed", 5, 5)
    assert ("insert", ", for now") in row.new
    assert second.number == 2 and second.kind == TEXT and second.citation_keys == ()
    assert second.label == "New lines 9–10" and second.new_lines == ("The end.", "")
    assert {row.kind for row in second.rows} == {"added"}
    assert (second.old_start, second.old_end, second.new_start, second.new_end) == (8, 8, 8, 10)
    assert split(BASE, proposal) == [first, second]  # the same texts, the same hunks


def test_an_added_citation_follows_the_paragraph_that_uses_it():
    proposal = Cited(
        BASE.body.replace("Pam says no.", "Pam says no, for now.") + "\nToby watches them [@3].\n",
        {**BASE.citations, 3: cite("C")},
    )
    edit, paragraph = split(BASE, proposal)
    assert edit.citation_keys == () and paragraph.citation_keys == ()

    only_edit = apply(BASE, proposal, [edit, paragraph], {edit.number})
    assert "for now" in only_edit.body and "Toby" not in only_edit.body
    assert set(only_edit.citations) == {1, 2}

    only_paragraph = apply(BASE, proposal, [edit, paragraph], {paragraph.number})
    assert "Toby watches them [@3]." in only_paragraph.body
    assert only_paragraph.citations[3] is proposal.citations[3]


def test_a_changed_citation_travels_with_the_edited_line_that_uses_it():
    proposal = Cited(
        BASE.body.replace("Jim tells Pam [@1].", "Jim tells Pam everything [@1]."),
        {1: cite("C", "ch. 4"), 2: BASE.citations[2]},
    )
    [hunk] = split(BASE, proposal)
    assert hunk.kind == TEXT and hunk.citation_keys == (1,)
    assert hunk.label == "Line 3 and citation [1]"
    assert hunk.summary == "1 line changed; citation [1]: new source and locator"
    assert apply(BASE, proposal, [hunk], {1}).citations[1] is proposal.citations[1]
    refused = apply(BASE, proposal, [hunk], set())
    assert refused.body == BASE.body and refused.citations[1] is BASE.citations[1]


def test_a_changed_citation_only_unchanged_lines_use_is_a_hunk_of_its_own():
    proposal = Cited(
        BASE.body.replace("Pam says no.", "Pam says no, for now."),
        {1: BASE.citations[1], 2: cite("B", quote="We sold paper.")},
    )
    text, citation = split(BASE, proposal)
    assert (text.kind, text.citation_keys) == (TEXT, ())
    assert (citation.number, citation.kind, citation.citation_keys) == (2, CITATIONS, (2,))
    assert citation.spans == () and citation.rows == () and citation.old_lines == ()
    assert citation.label == "Citation [2]"
    assert citation.summary == "Citation [2]: new quote"

    repointed = apply(BASE, proposal, [text, citation], {citation.number})
    assert repointed.body == BASE.body and repointed.citations[2] is proposal.citations[2]
    assert apply(BASE, proposal, [text, citation], {1}).citations[2] is BASE.citations[2]


def test_two_edits_that_need_the_same_changed_citation_are_one_hunk():
    proposal = Cited(
        BASE.body.replace("# Casino Night", "# Casino Night (season 2)")
        .replace("Jim tells Pam [@1].", "Jim tells Pam [@2].")
        .replace("Michael sells paper [@2].", "Michael sells much paper [@2]."),
        {1: BASE.citations[1], 2: cite("B", "p. 9")},
    )
    heading, both = split(BASE, proposal)
    assert heading.spans == ((0, 1, 0, 1),) and heading.citation_keys == ()
    assert both.spans == ((2, 3, 2, 3), (6, 7, 6, 7)) and both.citation_keys == (2,)
    assert (both.old_start, both.old_end, both.new_start, both.new_end) == (2, 7, 2, 7)
    assert [row.kind for row in both.rows] == ["changed", "skipped", "changed"]
    assert both.rows[1].text == "3 unchanged lines"
    assert both.label == "Line 3, line 7 and citation [2]"
    assert both.summary == "2 lines changed; citation [2]: new locator"


def test_a_changed_citation_also_travels_with_an_edit_that_drops_its_marker():
    # Line 3 stops citing [@1]; line 7 starts citing a changed [@1]. Keeping line 3 from
    # the base with the proposal's [@1] would change what Jim's sentence cites.
    proposal = Cited(
        BASE.body.replace("Jim tells Pam [@1].", "Jim tells Pam [@2].").replace(
            "Michael sells paper [@2].", "Michael sells paper [@1]."
        ),
        {1: cite("D"), 2: BASE.citations[2]},
    )
    [hunk] = split(BASE, proposal)
    assert hunk.citation_keys == (1,) and len(hunk.spans) == 2


def test_accepting_nothing_is_the_base_and_everything_the_proposal():
    proposal = Cited(
        "# Casino Night\n\nJim tells Pam [@1], at last [@3].\n\nMichael sells paper [@2].",
        {1: cite("A", "p. 2"), 2: BASE.citations[2], 3: cite("C")},
    )
    hunks = split(BASE, proposal)
    none = apply(BASE, proposal, hunks, set())
    assert none.body == BASE.body and content(none) == content(BASE)
    everything = apply(BASE, proposal, hunks, {hunk.number for hunk in hunks})
    assert everything.body == proposal.body  # the missing final newline too
    assert content(everything) == content(proposal)


def test_every_choice_of_hunks_gives_a_valid_text_that_cites_what_each_side_cited():
    base = Cited(
        "# Casino Night\n\nJim tells Pam [@1].\n\nPam says no [@2].\n\n"
        "Michael sells paper [@3].\n\nKevin brings chili [@4].\n",
        {1: cite("A"), 2: cite("B"), 3: cite("C", "p. 3"), 4: cite("D")},
    )
    proposal = Cited(
        "# Casino Night\n\nJim tells Pam everything [@1].\n\nPam says no [@2].\n\n"
        "Dwight sells more [@5].\n\nMichael sells paper [@3].\n\nKevin brings chili too [@3].\n",
        # 1 the same, 2 and 3 changed, 4 removed, 5 added
        {1: base.citations[1], 2: cite("B", quote="No."), 3: cite("C", "p. 30"), 5: cite("A")},
    )
    hunks = split(base, proposal)
    assert [(hunk.label, hunk.kind) for hunk in hunks] == [
        ("Line 3", TEXT),
        ("New lines 7–8", TEXT),
        ("Line 9 and citation [3]", TEXT),
        ("Citation [2]", CITATIONS),
    ]
    for accepted in subsets([hunk.number for hunk in hunks]):
        result = apply(base, proposal, hunks, set(accepted))
        assert problems_with(result.body, citation_inputs(result)) == [], accepted
        assert set(result.citations) == marker_keys(result.body)
        for line in result.body.split("\n"):
            sides = [side for side in (base, proposal) if line in side.body.split("\n")]
            for key in marker_keys(line):
                # The line cites what it cited on (one of) the side(s) it comes from.
                assert any(side.citations.get(key) is result.citations[key] for side in sides)


def test_a_new_article_is_one_hunk():
    proposal = Cited("# Casino Night\n\nJim tells Pam [@1].\n", {1: cite("A")})
    [hunk] = split(None, proposal)
    assert hunk.kind == TEXT and hunk.spans == ((0, 0, 0, 4),)
    assert hunk.label == "New lines 1–4"
    assert apply(None, proposal, [hunk], {1}) == proposal
    assert apply(None, proposal, [hunk], set()) == Cited("", {})


def test_a_blank_line_or_a_final_newline_is_a_hunk_too():
    proposal = Cited(BASE.body.replace("\n\nPam", "\n\n\nPam").rstrip("\n"), BASE.citations)
    hunks = split(BASE, proposal)
    assert len(hunks) == 2
    assert apply(BASE, proposal, hunks, {1, 2}).body == proposal.body


def test_an_unknown_hunk_number_is_refused():
    proposal = Cited(BASE.body + "\nMore.\n", BASE.citations)
    hunks = split(BASE, proposal)
    with pytest.raises(ValueError, match="No hunk numbered 7"):
        apply(BASE, proposal, hunks, {1, 7})


def test_hunks_of_other_texts_are_refused():
    older = Cited(BASE.body + "\nMore.\n", BASE.citations)
    newer = Cited(BASE.body + "\nMore and more.\n", BASE.citations)
    with pytest.raises(ValueError, match="not the changes"):
        apply(BASE, newer, split(BASE, older), {1})


def test_the_accepted_part_merges_onto_a_text_that_changed_elsewhere():
    proposal = Cited(
        BASE.body.replace("Pam says no.", "Pam says no, for now.") + "\nThe end.\n",
        BASE.citations,
    )
    first, second = split(BASE, proposal)
    partial = apply(BASE, proposal, [first, second], {first.number})
    current = Cited(
        BASE.body.replace("Michael sells paper [@2].", "Michael sells paper to Jan [@2]."),
        BASE.citations,
    )
    merged = merge_cited(BASE, current, partial)
    assert merged.clean and merged.problems == []
    assert "Pam says no, for now." in merged.body and "to Jan" in merged.body
    assert "The end." not in merged.body
    assert [c.key for c in merged.citations] == [1, 2]


def test_an_accepted_hunk_that_the_current_text_also_changed_is_a_conflict():
    proposal = Cited(
        BASE.body.replace("Pam says no.", "Pam says no, for now.") + "\nThe end.\n",
        BASE.citations,
    )
    first, second = split(BASE, proposal)
    partial = apply(BASE, proposal, [first, second], {first.number})
    current = Cited(BASE.body.replace("Pam says no.", "Pam says yes."), BASE.citations)
    merged = merge_cited(BASE, current, partial)
    assert merged.conflicts == 1 and not merged.clean
    assert "Pam says yes." in merged.body and "Pam says no, for now." in merged.body


@pytest.mark.django_db
def test_cited_of_loads_a_revision_and_its_sources_at_once(article, django_assert_num_queries):
    revision = article.approved_revision
    with django_assert_num_queries(1):
        cited = cited_of(revision)
        titles = [citation.source.title for citation in cited.citations.values()]
    assert cited.body == revision.body and len(titles) == 1
    assert list(cited.citations) == [c.key for c in revision.citations.all()]
