"""Bodies that would hold a worker are refused at once; everything else renders fast.

The wall-clock guard is generous (3 s, where each body takes well under one
second here): it catches a return to quadratic work (over a minute for some
of these bodies before the limits), not a slow machine.
"""

import re
import sys
import time

import pytest

from apps.markup import MarkdownTooComplex, check_limits, render_markdown
from apps.markup.limits import MAX_BLOCK_LINES, MAX_DEPTH, MAX_LINES, MAX_TAGS
from apps.markup.rendering import MAX_LINK_SCAN
from tests.markup.inert import find
from tests.markup.pathological import LEGITIMATE, PATHOLOGICAL

# What "never holds a worker" means here: the worst body renders in about 1.3 s on this
# 2-core machine (the unguarded renderer took 8-80 s). `make test` measures coverage with
# branches, a tracer that makes pure-Python parsing 3-4 times slower: the guard allows for it.
GUARD_SECONDS = 3.0 * (4 if sys.gettrace() is not None else 1)


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_a_pathological_body_is_refused_at_once_or_renders(name):
    body = PATHOLOGICAL[name]
    assert len(body) <= 100_000
    start = time.perf_counter()
    try:
        check_limits(body)
    except MarkdownTooComplex:
        # Refused by the check alone, before any rendering.
        with pytest.raises(MarkdownTooComplex):
            render_markdown(body)
    else:
        render_markdown(body)
    assert time.perf_counter() - start < GUARD_SECONDS, name


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
