"""Spoiler sections and links between articles, in the dialect (no database)."""

import pytest

from apps.catalog.codes import parse_episode_code
from apps.markup import apply_reader_settings, plain_text, render_markdown, wikilink_targets
from apps.markup.spoiler_sections import spoiler_code


def test_spoiler_sections_render_as_open_details():
    html = render_markdown("!!! spoiler s3e5\n    Secret.")
    assert '<details class="spoiler" data-spoiler="S03E05" open="">' in html
    assert "<summary>Spoiler: reveals S03E05</summary>" in html


def test_forged_spoiler_attributes_are_dropped():
    html = render_markdown('<details class="spoiler" data-spoiler="x" ontoggle="y">z</details>')
    assert "data-spoiler" not in html and "ontoggle" not in html


@pytest.mark.parametrize(
    "word", ["S02E22", "s2e22", "2x22", "S2E022", "s02E5", "2X5", "x", "S2", "2x"]
)
def test_the_spoiler_syntax_reads_episode_codes_as_the_catalog_does(word):
    assert spoiler_code(word) == parse_episode_code(word)


def test_a_spoiler_without_an_episode_is_a_plain_spoiler():
    html = render_markdown("!!! spoiler\n    Secret.")
    assert '<details class="spoiler" open="">' in html
    assert "<summary>Spoiler</summary>" in html


BODY = (
    "Early.\n\n"
    "!!! spoiler S01E01\n    An early detail.\n\n"
    "!!! spoiler S03E05\n    A late detail.\n\n"
    "See [[Casino Night trivia]] and [[Missing page|the missing one]]."
)


def test_a_reader_sees_spoilers_up_to_their_point_open_and_later_ones_closed():
    html = render_markdown(BODY)
    served = apply_reader_settings(html, watched=(2, 22), existing=set())
    assert '<details class="spoiler" data-spoiler="S01E01" open="">' in served
    assert '<details class="spoiler spoiler-later" data-spoiler="S03E05">' in served
    assert apply_reader_settings(html, watched=None, existing=set()).count(' open=""') == 2


def test_links_to_articles_not_written_yet_point_at_the_new_article_form():
    html = render_markdown(BODY)
    assert wikilink_targets(html) == {"casino-night-trivia", "missing-page"}
    served = apply_reader_settings(html, watched=None, existing={"casino-night-trivia"})
    assert '<a class="wikilink" href="/wiki/casino-night-trivia/"' in served
    assert (
        '<a class="wikilink wikilink-missing" href="/wiki/new/?title=Missing%20page" '
        'title="Missing page (not written yet)"'
    ) in served
    assert ">the missing one</a>" in served


def test_a_wiki_link_escapes_its_title():
    html = render_markdown('[[A "quoted" <title>]]')
    served = apply_reader_settings(html, watched=None, existing=set())
    assert "<title>" not in served
    assert "%22quoted%22%20%3Ctitle%3E" in served


def test_plain_text_leaves_out_spoilers_markers_and_syntax():
    text = plain_text("## Heading\n\n" + BODY + " Cited.[@1] Unsure.[citation needed]\n\n> Quote")
    assert text == (
        "Heading Early. See Casino Night trivia and the missing one. Cited. Unsure. Quote"
    )


def test_spoiler_section_codes_read_both_spellings():
    from apps.markup import spoiler_section_codes

    body = "!!! spoiler S03E05\n    a\n\n!!!spoiler s4e2\n    b\n"
    assert spoiler_section_codes(body) == [(3, 5), (4, 2)]
