"""Reference markers in the dialect: parsing, numbering in reading order, and mistakes.

Pure renderings, no database: what the wiki stores and shows from them is
tested in tests/wiki/test_references.py.
"""

import re
import signal

import pytest

from apps.markup import marker_keys, render_markdown, render_with_references, renumber_markers


def numbers(html):
    return [int(n) for n in re.findall(r'<sup class="reference" id="cite-ref-(\d+)-\d+">', html)]


def test_a_source_cited_twice_gets_one_number():
    html, refs = render_with_references("A.[@1] B.[@2] C.[@3]", {1: 50, 2: 60, 3: 50})
    assert numbers(html) == [1, 2, 1]
    assert refs.numbers_by_key == {1: 1, 2: 2, 3: 1}
    ids = re.findall(r'id="(cite-ref-[\d-]+)"', html)
    assert ids == ["cite-ref-1-1", "cite-ref-2-1", "cite-ref-1-2"]


def test_numbers_follow_reading_order_across_lists_and_tables():
    text = "- first [@3]\n\n| a | b |\n|---|---|\n| cell [@2] | x |\n\nThen prose.[@1]"
    html, refs = render_with_references(text, {1: 10, 2: 20, 3: 30})
    assert numbers(html) == [1, 2, 3]
    assert refs.numbers_by_key == {3: 1, 2: 2, 1: 3}
    assert "<li>first <sup" in html and "<td>cell <sup" in html
    assert [s.text for s in refs.statements] == ["first", "cell", "Then prose."]


@pytest.mark.parametrize(
    "text",
    ["`[@1]` in code", "```\n[@1] in a block\n```", "    [@1] indented code", r"\[@1] escaped"],
)
def test_a_marker_in_code_stays_literal(text):
    html, refs = render_with_references(text, {1: 10})
    assert "[@1]" in html
    assert numbers(html) == []
    assert refs.unused_keys() == [1]


def test_several_keys_in_one_marker():
    html, refs = render_with_references("Both agree.[@1, 2]", {1: 10, 2: 20})
    assert numbers(html) == [1, 2]
    assert refs.statements[0].keys == (1, 2)


def test_citation_needed_and_disputed_markers():
    html, refs = render_with_references(
        "Unsure. [citation needed] Contested claim. [disputed @1 @2]", {1: 10, 2: 20}
    )
    assert '<sup class="citation-needed"' in html
    assert '<sup class="disputed" id="disputed-ref-1"><a href="#disputed-1"' in html
    kinds = [(s.kind, s.text) for s in refs.statements]
    assert kinds == [("needed", "Unsure."), ("disputed", "Contested claim.")]


def test_markers_survive_the_sanitiser_but_forged_attributes_do_not():
    html, _ = render_with_references(
        'Fact.[@1] <sup class="reference" onclick="x()" id="evil">[9]</sup>', {1: 10}
    )
    assert 'class="reference" id="cite-ref-1-1"' in html
    assert 'href="#cite-note-1"' in html
    assert "onclick" not in html and 'id="evil"' not in html


@pytest.fixture
def time_limit():
    """Fail fast, instead of hanging, if a pattern backtracks catastrophically."""

    def expire(signum, frame):
        raise TimeoutError("the marker patterns took too long")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(5)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize(
    "text", ["[@1" + ",   1" * 40 + "x", "[disputed" + "   @1" * 40 + "x", "[@1" + ", @2" * 3000]
)
def test_near_markers_do_not_backtrack(time_limit, text):
    html, _ = render_with_references(text, {1: 10, 2: 20})
    assert html


def test_raw_html_cannot_pass_for_a_marker():
    forged = '<sup class="reference" id="cite-ref-7-1"><a href="#cite-note-7">[7]</a></sup>'
    html, refs = render_with_references(forged + " A.[@1] B.[@2]", {1: 10, 2: 20})
    assert 'id="cite-ref-7-1"' not in html
    assert numbers(html) == [1, 2]
    assert refs.numbers_by_key == {1: 1, 2: 2}


def test_keys_in_one_marker_are_distinct_and_few():
    html, refs = render_with_references("Fact.[@1, 1, 1]", {1: 10})
    assert numbers(html) == [1]
    assert refs.uses_by_key == {1: 1}
    _, refs = render_with_references("Fact.[@" + ", ".join(str(n) for n in range(1, 13)) + "]", {})
    assert any("at most 10" in problem for problem in refs.problems)


@pytest.mark.parametrize("marker", ["[disputed]", "[disputed @1]"])
def test_a_dispute_needs_two_sides(marker):
    _, refs = render_with_references(f"Claim. {marker}", {1: 10})
    assert any("each side" in problem for problem in refs.problems)


def test_a_statement_starts_after_the_previous_marker():
    _, refs = render_with_references(
        "Fact one [@1] and fact two [@2]. X is true [citation needed] and Y [@1].", {1: 10, 2: 20}
    )
    assert [s.text for s in refs.statements] == ["Fact one", "and fact two", "X is true", "and Y"]


def test_the_preview_numbers_markers_by_citation_key():
    html = render_markdown("Later.[@3] Earlier.[@1]")
    assert numbers(html) == [3, 1]


def test_two_citations_of_one_source_in_one_marker_show_one_number():
    html, refs = render_with_references("Both.[@6, 7] Again.[@7]", {6: 10, 7: 10})
    assert numbers(html) == [1, 1]
    assert refs.unused_keys() == [] and not refs.problems


def test_marker_keys_reads_cite_and_disputed_markers():
    text = "A.[@1, 3] B.[disputed @2 @4] C.[citation needed] D. [not a marker 5]"
    assert marker_keys(text) == {1, 2, 3, 4}


def test_renumber_markers_renames_keys_only_inside_markers():
    text = "Season 1 [@1] and [disputed @1 @2], 2 episodes."
    assert renumber_markers(text, {1: 5, 2: 6}) == "Season 1 [@5] and [disputed @5 @6], 2 episodes."
    assert renumber_markers(text, {}) is text
