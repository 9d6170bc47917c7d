"""The editor's preview numbers references as readers will see them, lists them, and marks
links to missing articles, when the editor's script sends its citation rows along."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

PREVIEW = "/markdownx/markdownify/"


def preview(client, content, **params):
    query = "&".join(f"{name}={value}" for name, value in params.items())
    response = client.post(f"{PREVIEW}?{query}" if query else PREVIEW, {"content": content})
    assert response.status_code == 200
    return response.content.decode()


def test_it_numbers_by_first_use_as_readers_see_it(client, fan):
    first = factories.make_source("First book", created_by=fan)
    second = factories.make_source("Second book", created_by=fan)
    client.force_login(fan)
    html = preview(client, "A.[@2] B.[@5] C.[@2]", cite=f"2:{second.pk},5:{first.pk}")
    assert html.count('href="#cite-note-1"') == 2 and html.count('href="#cite-note-2"') == 1
    assert '<li id="cite-note-1" value="1">Second book</li>' in html
    assert '<li id="cite-note-2" value="2">First book</li>' in html


def test_two_citations_of_one_source_share_a_number(client, fan):
    source = factories.make_source("One book", created_by=fan)
    client.force_login(fan)
    html = preview(client, "A.[@1] B.[@2]", cite=f"1:{source.pk},2:{source.pk}")
    assert 'href="#cite-note-2"' not in html
    assert html.count("<li id=") == 1


def test_a_new_source_shows_its_typed_title_escaped(client, fan):
    client.force_login(fan)
    html = preview(client, "A.[@1]", cite="1:new", t1="%3Cb%3EMy%20book%3C/b%3E")
    assert "&lt;b&gt;My book&lt;/b&gt;" in html
    assert "<b>My book" not in html


def test_another_fans_unreviewed_source_is_not_named(client, fan, author):
    hidden = factories.make_source("Someone else's draft", created_by=author)
    client.force_login(fan)
    html = preview(client, "A.[@1]", cite=f"1:{hidden.pk}")
    assert "draft" not in html
    assert "a source not chosen yet" in html


def test_links_to_missing_articles_are_marked(client, fan, article):
    client.force_login(fan)
    html = preview(client, f"See [[{article.title}]] and [[Nothing here yet]].")
    assert html.count("wikilink-missing") == 1


def test_without_rows_markers_show_their_keys(client, fan):
    client.force_login(fan)
    html = preview(client, "A.[@7]")
    assert "[7]" in html and "<section" not in html


def test_odd_rows_are_ignored(client, fan):
    client.force_login(fan)
    html = preview(client, "A.[@1]", cite="x:y,1:,,9999:1,1:new")
    assert 'href="#cite-note-1"' in html  # the one valid row, a new source


def test_it_tells_the_editor_each_keys_reader_number(client, fan):
    """[@16] in the editor is [5] for readers: the preview says which key is which number."""
    first = factories.make_source("First book", created_by=fan)
    second = factories.make_source("Second book", created_by=fan)
    client.force_login(fan)
    html = preview(
        client, "A.[@16] B.[@3] C.[@7]", cite=f"3:{first.pk},7:{first.pk},16:{second.pk},9:new"
    )
    assert '<span class="reference-numbers" hidden data-numbers="3:2,7:2,16:1">' in html
