"""Bodies that would hold a worker are refused at once; everything else renders with
bounded work.

No clock here (timings belong in `make bench`): the work is counted, and counts are
the same on any machine. A refused body is refused by the limits check alone, before
any rendering. A rendered one makes at most WORK_CALLS Python calls (the worst one
today about 740,000; the quadratic bodies of before the limits ran to tens of
millions), and the link scanner, which once read every unclosed "[" to the end of
its paragraph, is offered at most MAX_LINK_SCAN characters a time for each "[".
"""

import cProfile
import pstats
import re
from contextlib import contextmanager

import pytest
from markdown.inlinepatterns import LinkInlineProcessor

from apps.markup import MarkdownTooComplex, check_limits, render_markdown
from apps.markup.limits import MAX_BLOCK_LINES, MAX_DEPTH, MAX_LINES, MAX_TAGS
from apps.markup.rendering import MAX_LINK_SCAN
from tests.markup.inert import find
from tests.markup.pathological import LEGITIMATE, PATHOLOGICAL

WORK_CALLS = 1_500_000
# Each "[" is offered to each of python-markdown's link processors (links, images and
# their reference forms), once for its text and once for its address.
SCANS_PER_BRACKET = 10


@contextmanager
def counting_work(monkeypatch):
    """Count the Python calls made, and the characters offered to the link scanner."""
    work = {"calls": 0, "scanned": 0}
    profile = cProfile.Profile(builtins=False)

    def counted(scan):
        def scan_counting(self, data, index):
            work["scanned"] += len(data) - index
            return scan(self, data, index)

        return scan_counting

    monkeypatch.setattr(LinkInlineProcessor, "getText", counted(LinkInlineProcessor.getText))
    monkeypatch.setattr(LinkInlineProcessor, "getLink", counted(LinkInlineProcessor.getLink))
    profile.enable()
    try:
        yield work
    finally:
        profile.disable()
        work["calls"] = pstats.Stats(profile).total_calls


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_a_pathological_body_is_refused_at_once_or_renders_with_bounded_work(name, monkeypatch):
    body = PATHOLOGICAL[name]
    assert len(body) <= 100_000
    try:
        check_limits(body)
    except MarkdownTooComplex:
        with counting_work(monkeypatch) as work, pytest.raises(MarkdownTooComplex):
            render_markdown(body)
        # The check reads each line once: linear work, then the refusal.
        lines = len(body.splitlines())
        assert work["calls"] <= 2 * lines + 100, f"{name}: refused after {work['calls']} calls"
        return
    with counting_work(monkeypatch) as work:
        render_markdown(body)
    assert work["calls"] <= WORK_CALLS, name
    assert work["scanned"] <= SCANS_PER_BRACKET * MAX_LINK_SCAN * (body.count("[") + 1), name


def test_the_count_sees_an_unbounded_link_scan(monkeypatch):
    """Without the bound, each unclosed "[" is scanned to the end, again and again."""
    body = "[x " * 50 + "y" * 30_000
    monkeypatch.setattr("apps.markup.rendering.MAX_LINK_SCAN", 10**9)
    with counting_work(monkeypatch) as work:
        render_markdown(body)
    assert work["scanned"] > SCANS_PER_BRACKET * MAX_LINK_SCAN * (body.count("[") + 1)


@pytest.mark.parametrize("name", list(LEGITIMATE))
def test_a_long_legitimate_article_renders(name):
    check_limits(LEGITIMATE[name])
    assert render_markdown(LEGITIMATE[name])


def test_a_300_row_table_renders_as_one_table():
    html = render_markdown(LEGITIMATE["300-row table"])
    assert len(find(html, "table")) == 1
    assert len(find(html, "tr")) == 301


def test_the_block_limit_names_the_limit_and_the_block():
    body = "Intro\n\n" + "# h\n" * (MAX_BLOCK_LINES + 20)
    with pytest.raises(MarkdownTooComplex) as refused:
        check_limits(body)
    assert str(refused.value) == (
        f"A paragraph or block may have at most {MAX_BLOCK_LINES} lines; the one starting "
        f"at line 3 has {MAX_BLOCK_LINES + 20}. Put a blank line between its parts."
    )


def test_a_block_at_the_limit_is_accepted():
    check_limits("# h\n" * MAX_BLOCK_LINES)


def test_carriage_returns_end_lines_as_python_markdown_reads_them():
    with pytest.raises(MarkdownTooComplex, match="at most 500 lines"):
        check_limits("# h\r" * (MAX_BLOCK_LINES + 1))


def test_the_total_of_lines_is_bounded():
    check_limits("a\n\n" * MAX_LINES)
    with pytest.raises(MarkdownTooComplex, match=f"at most {MAX_LINES:,} lines .* it has 3,001"):
        check_limits("a\n\n" * (MAX_LINES + 1))


@pytest.mark.parametrize(
    "line",
    [">" * (MAX_DEPTH + 1), "> " * (MAX_DEPTH + 1) + "x", "- " * (MAX_DEPTH + 1) + "x",
     "1. " * (MAX_DEPTH + 1), "    " * MAX_DEPTH + "- x", "> - > - > - > - > - > x"],
)  # fmt: skip
def test_nesting_is_bounded(line):
    with pytest.raises(MarkdownTooComplex, match=f"nested at most {MAX_DEPTH} deep; line 1"):
        check_limits(line)


@pytest.mark.parametrize(
    "text",
    ["> " * MAX_DEPTH + "x", "- - - - - - - - - - - - - - -", "* * * * * * * * * * * * *",
     "```\n" + " " * 80 + "code\n```"],
)  # fmt: skip
def test_rules_code_and_nesting_at_the_limit_are_accepted(text):
    check_limits(text)


def test_html_tags_are_counted_but_a_less_than_sign_is_not():
    check_limits("a < b " * 5000)
    with pytest.raises(MarkdownTooComplex, match=f"at most {MAX_TAGS}; it has {MAX_TAGS + 1}"):
        check_limits("<b>" * (MAX_TAGS + 1))


@pytest.mark.parametrize(
    ("character", "limit"), [("[", 1000), ("(", 2000), ("\\", 1000), ("*", 10_000)]
)
def test_costly_characters_are_counted(character, limit):
    check_limits(character * limit)
    with pytest.raises(MarkdownTooComplex, match=re.escape(f"too many “{character}”")):
        check_limits(character * (limit + 1))


def test_a_link_longer_than_the_scan_is_shown_as_typed():
    html = render_markdown("[" + "x " * MAX_LINK_SCAN + "](https://example.com/)")
    assert find(html, "a") == []
    html = render_markdown("[Casino Night](https://example.com/casino-night)")
    assert [a.attrs["href"] for a in find(html, "a")] == ["https://example.com/casino-night"]


def test_a_footnote_still_renders():
    html = render_markdown("Filmed in one take.[^take]\n\n[^take]: The director said so.")
    assert find(html, "div")[0].attrs["class"] == "footnote"
