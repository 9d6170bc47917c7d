"""Wikitext to the wiki's Markdown (apps.operations.mediawiki.wikitext): each construct a
fan wiki uses, what the renderer makes of the result, and what is kept or reported."""

from datetime import date

import pytest

from apps.citations.models import SourceKind
from apps.markup import render_markdown
from apps.operations.mediawiki.dump import SiteInfo
from apps.operations.mediawiki.wikitext import NO_LOCATOR, convert, parse_date, redirect_target

GERMAN = SiteInfo(namespaces={6: "Datei", 14: "Kategorie"})


def body(text: str, site: SiteInfo | None = None) -> str:
    return convert(text, site).body.strip()


@pytest.mark.parametrize(
    ("wikitext", "markdown"),
    [
        ("= Top =\ntext", "## Top\n\ntext"),
        ("=== Deeper ===", "### Deeper"),
        ("'''''both'''''", "***both***"),
        ("A <b>bold</b> and <i>slanted</i> word", "A **bold** and *slanted* word"),
        ("# one\n## two\n# three", "1. one\n    1. two\n1. three"),
        ("text\n* item", "text\n\n- item"),
        ("; Term : its meaning", "**Term**: its meaning"),
        (": indented\n:: deeper", "> indented\n> > deeper"),
        ("a<br/>b<br>c", "a<br>b<br>c"),
        ("<nowiki>''not italic'' [[not a link]]</nowiki>", "''not italic'' \\[\\[not a link\\]\\]"),
        ("<pre>\nline one\nline two\n</pre>", "```\nline one\nline two\n```"),
        ("<code>x = 1</code>", "`x = 1`"),
        ("<blockquote>Said it.</blockquote>", "> Said it."),
        ("<poem>Roses\nViolets</poem>", "Roses<br>\nViolets"),
        ("x<sup>2</sup> and H<sub>2</sub>O", "x<sup>2</sup> and H<sub>2</sub>O"),
        ("<span style='color:red'>plain</span><div>box</div>", "plainbox"),
        ("a\n----\nb", "a\n\n---\n\nb"),
        ("__NOTOC__Text", "Text"),
        ("5 * 3 = 15, _under_ and [brackets]", "5 \\* 3 = 15, \\_under\\_ and \\[brackets\\]"),
        ("- not a list\n+ nor this", "\\- not a list\n\\+ nor this"),
        ("<!-- a comment -->Shown", "Shown"),
        ("&nbsp;&amp;", "&nbsp;&amp;"),
        ("{{!}} and {{=}}", "| and ="),
        ("Fact.{{cn}}", "Fact.[citation needed]"),
        ("{{Main|Casino Night}}\nText", "*Main article: [[Casino Night]]*\n\nText"),
        (
            "{{See also|Booze_Cruise|The Dundies#Awards}}",
            "*See also: [[Booze Cruise]], [[The Dundies]]*",
        ),
        ("{{Reflist}}{{DISPLAYTITLE:x}}", ""),
    ],
)
def test_constructs(wikitext, markdown):
    assert body(wikitext) == markdown


@pytest.mark.parametrize(
    ("wikitext", "markdown"),
    [
        ("[[Casino Night]]", "[[Casino Night]]"),
        ("[[Casino_Night|the finale]]", "[[Casino Night|the finale]]"),
        ("[[Casino Night#Trivia|trivia]]", "[[Casino Night|trivia]]"),
        ("[[#Trivia|below]]", "below"),
        ("[[:Category:Episodes|all episodes]]", "all episodes"),
        ("[[User:Jane|Jane]] and [[Template:Quote]]", "Jane and Quote"),
        ("[[wikipedia:The Office|on Wikipedia]]", "on Wikipedia"),
        ("[https://example.com the site]", "[the site](https://example.com)"),
        ("[//example.com/a b]", "[b](https://example.com/a)"),
        ("see https://example.com/x", "see <https://example.com/x>"),
        ("[javascript:alert(1) bad]", "\\[javascript:alert(1) bad\\]"),  # text, not a link
        ("[https://example.com/a_(b) parens]", "[parens](https://example.com/a_%28b%29)"),
    ],
)
def test_links(wikitext, markdown):
    assert body(wikitext) == markdown


def test_localised_namespaces_come_from_the_sites_names():
    converted = convert("[[Kategorie:Folgen|B]] [[Datei:Kuss.jpg|miniatur|Der Kuss]]", GERMAN)
    assert converted.categories == [("Folgen", "B")]
    assert converted.files == ["Kuss.jpg"]


def test_galleries_and_files_are_marked_for_the_importer():
    converted = convert("<gallery>\nFile:A b.jpg|First\nC.png\n</gallery>\n[[File:D.png|20px]]")
    assert converted.files == ["A b.jpg", "C.png", "D.png"]
    assert converted.body.count("\x05") == 6


def test_tables():
    simple = body("{|\n|+ Awards\n! Award !! Winner\n|-\n| Sneakers || Pam\n|}")
    assert simple == "**Awards**\n\n| Award | Winner |\n| --- | --- |\n| Sneakers | Pam |"
    assert "<table>" in render_markdown(simple)
    merged = convert('{|\n! A !! B\n|-\n| colspan="2" | wide\n|}')
    assert merged.body.strip() == "- A · B\n- wide"
    assert merged.notes == ["A table with merged or multi-line cells was kept as a list."]


def test_references():
    converted = convert(
        'One.<ref name="a">{{cite news |url=https://n.example/1 |title=T |work=Paper '
        '|date=March 2007 |quote=It was so.}}</ref> Two.<ref name="a"/> '
        "Three.<ref>{{cite episode |title=E |network=NBC |time=12:00}}</ref> "
        'Four.<ref name="late"/> Five.<ref>{{cite podcast |url=https://p.example |title=P '
        '|host=Hosts}}</ref><references><ref name="late">Defined at the end</ref></references>'
    )
    assert converted.body.strip() == "One.[@1] Two.[@1] Three.[@2] Four.[@3] Five.[@4]"
    news, episode, late, podcast = sorted(converted.references, key=lambda ref: ref.key)
    assert (news.kind, news.fields["publisher"], news.quote, news.locator) == (
        SourceKind.WEB,
        "Paper",
        "It was so.",
        "",
    )
    assert "published_date" not in news.fields  # a month, not a day: no date is made up
    assert (episode.kind, episode.locator) == (SourceKind.EPISODE, "12:00")
    assert (late.kind, late.fields["title"], late.locator) == (
        SourceKind.OTHER,
        "Defined at the end",
        NO_LOCATOR,
    )
    assert (podcast.kind, podcast.fields["author"]) == (SourceKind.PODCAST, "Hosts")


def test_references_that_are_missing_or_empty_leave_no_marker():
    converted = convert('A.<ref name="nowhere"/> B.<ref></ref> C.<ref> </ref>')
    assert converted.body.strip() == "A. B. C."
    assert converted.notes == ["The reference named “nowhere” is used but never given."]


def test_disputed_and_spoilers_round_into_the_dialect():
    converted = convert(
        "Claim.{{disputed inline}}<ref>{{cite web|url=https://a.example|title=A}}</ref>"
        "<ref>{{cite web|url=https://b.example|title=B}}</ref>\n\n"
        "{{Spoiler|3x05}}\nThey marry.\n{{Spoiler end}}\nAfter."
    )
    assert converted.body.strip() == (
        "Claim.[disputed @1 @2]\n\n!!! spoiler S03E05\n    They marry.\n\nAfter."
    )
    assert 'data-spoiler="S03E05"' in render_markdown(converted.body)


def test_unmapped_templates_are_kept_as_code_and_counted():
    converted = convert("Hi {{Quote|a|b}} and\n{{Navbox\n|one\n|two\n}}\n<tabber>x</tabber>")
    assert "`{{Quote|a|b}}`" in converted.body
    assert "```wikitext\n{{Navbox\n|one\n|two\n}}\n```" in converted.body
    assert converted.unmapped == {"Quote": 1, "Navbox": 1, "<tabber>": 1}


def test_episode_infoboxes():
    info = convert(
        "{{Infobox television episode|series=The Office|title=Booze Cruise|season=Season 2"
        "|episode=11 (17 overall)|airdate=January 5, 2006|prodcode=2011}}"
    ).episode
    assert (info.series, info.title, info.season, info.number) == (
        "The Office",
        "Booze Cruise",
        2,
        11,
    )
    assert (info.air_date, info.production_code) == (date(2006, 1, 5), "2011")
    assert convert("{{Infobox episode|season=2|episode=1|airdate=2005}}").episode.air_date is None


def test_attack_text_renders_inert():
    converted = convert(
        "<script>alert(1)</script><style>*{}</style>"
        '<span onmouseover="alert(2)">hover</span>'
        "[javascript:alert(3) click] {{Link|url=javascript:alert(4)}} <img src=x onerror=alert(5)>"
    )
    html = render_markdown(converted.body)
    for bad in ("<script", "onmouseover", 'href="javascript', "onerror", "<img"):
        assert bad not in html


def test_redirects_and_dates():
    assert redirect_target("#REDIRECT [[Casino_Night#Kiss]]") == "Casino Night"
    assert redirect_target("#WEITERLEITUNG [[Folge 1]]") == "Folge 1"
    assert redirect_target("Just text") is None
    assert parse_date("11 May 2006") == date(2006, 5, 11)
    assert parse_date("May 11,2006") == date(2006, 5, 11)
    assert parse_date("2006") is None
