"""An article's table of contents from its rendered headings, spoiler sections left out."""

from apps.markup import render_markdown, table_of_contents

THREE = "## One\n\nText.\n\n### One and a half\n\nText.\n\n## Two *b*\n\nText.\n\n## Three & four\n"


def test_three_sections_make_contents():
    entries = table_of_contents(render_markdown(THREE))
    assert [(e.level, e.anchor, e.text) for e in entries] == [
        (2, "h-one", "One"),
        (3, "h-one-and-a-half", "One and a half"),
        (2, "h-two-b", "Two b"),
        (2, "h-three-four", "Three & four"),
    ]


def test_two_sections_make_none():
    assert table_of_contents(render_markdown("## One\n\nx\n\n## Two\n\ny\n")) == []


def test_a_heading_inside_a_spoiler_is_left_out():
    text = THREE + "\n!!! spoiler S03E05\n    ## The wedding\n\n    They marry.\n"
    html = render_markdown(text)
    assert "The wedding" in html
    assert "The wedding" not in [e.text for e in table_of_contents(html)]
