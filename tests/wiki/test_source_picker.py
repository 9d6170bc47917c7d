"""The citation rows' source picker (apps/wiki/forms.py): rendering and validation by id."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.wiki.forms import CitationFormSet
from apps.wiki.models import Revision
from apps.wiki.views.access import sources_visible_to
from tests import factories
from tests.wiki.test_loop import citation_post, edit_post

pytestmark = pytest.mark.django_db


def source_queries(queries):
    return [q["sql"] for q in queries.captured_queries if 'FROM "citations_source"' in q["sql"]]


def kind_settings(response):
    page = response.content.decode()
    start = page.index('<script id="source-kinds" type="application/json">')
    return json.loads(page[page.index(">", start) + 1 : page.index("</script>", start)])


def test_the_edit_page_shows_each_rows_source_as_text_with_its_id_hidden(client, article, fan):
    cited = article.approved_revision.citations.get().source
    factories.make_source("Another source the fan may cite", created_by=fan)
    client.force_login(fan)
    response = client.get(reverse("wiki:article-edit", args=[article.slug]))
    page = response.content.decode()
    assert (
        f'<input type="hidden" name="citations-0-source" id="id_citations-0-source" '
        f'value="{cited.pk}">'
    ) in page
    assert f'<span class="source-chosen-title">{cited.title}</span>' in page
    assert 'role="combobox"' in page and 'role="listbox"' in page
    assert reverse("wiki:source-autocomplete") in page
    assert '<select name="citations-0-source"' not in page
    assert "Another source the fan may cite" not in page
    # The script is told the kinds of the page's sources only.
    assert kind_settings(response)["sourceKinds"] == {str(cited.pk): cited.kind}


def test_without_javascript_the_rows_post_back_their_sources(client, article, fan):
    """The hidden ids post back as rendered: an edit of the text keeps every citation."""
    cited = article.approved_revision.citations.get().source
    client.force_login(fan)
    data = edit_post(article, client, body="Original text, reworded. [@1]", summary="Reword")
    assert data["citations-0-source"] == cited.pk
    response = client.post(reverse("wiki:article-edit", args=[article.slug]), data)
    assert response.status_code == 302
    proposal = Revision.objects.get(author=fan)
    assert [c.source_id for c in proposal.citations.all()] == [cited.pk]


def test_a_source_the_fan_may_not_cite_is_refused_on_its_row(client, article, fan, author):
    hidden = factories.make_source("Someone else's unreviewed source", created_by=author)
    client.force_login(fan)
    data = edit_post(article, client, body="My careful text. [@1] [@2]", summary="Add")
    data.update(
        {
            "citations-TOTAL_FORMS": "2",
            "citations-1-source": str(hidden.pk),
            "citations-1-quote": "A quote I typed",
            "citations-1-locator": "p. 9",
        }
    )
    response = client.post(reverse("wiki:article-edit", args=[article.slug]), data)
    assert response.status_code == 400
    formset = response.context["formset"]
    assert formset.forms[0].errors == {}
    assert "Select a valid choice" in str(formset.forms[1].errors["source"])
    page = response.content.decode()
    assert "My careful text." in page and "A quote I typed" in page
    assert hidden.title not in page  # refused, and not shown either
    assert 'name="citations-1-source" id="id_citations-1-source" value=""' in page
    assert not Revision.objects.filter(author=fan).exists()


def test_many_rows_are_checked_with_one_sources_query(fan):
    sources = [factories.make_source(f"Source {n}", created_by=fan) for n in range(15)]
    rows = [{"source": str(s.pk), "locator": f"p. {n}"} for n, s in enumerate(sources)]
    visible = sources_visible_to(fan)
    with CaptureQueriesContext(connection) as queries:
        formset = CitationFormSet(citation_post(rows=rows), prefix="citations", sources=visible)
        assert formset.is_valid(), formset.errors
        formset.kind_settings()
        str(formset.empty_form)
    assert len(queries) == 1
    assert [c.source for c in formset.citation_inputs()] == sources


def test_posting_many_rows_costs_what_posting_two_does(client, fan):
    """The view re-rendering a refused post reads the rows' sources once, not once a row."""
    sources = [factories.make_source(f"Source {n}", created_by=fan) for n in range(15)]
    client.force_login(fan)

    def post(count):
        rows = [{"source": str(s.pk), "locator": "p. 1"} for s in sources[:count]]
        data = {"title": "A page", "body": "Text.", "summary": "", **citation_post(rows=rows)}
        with CaptureQueriesContext(connection) as queries:
            response = client.post(reverse("wiki:article-create"), data)
        assert response.status_code == 400  # no summary: refused, rows re-rendered
        assert response.content.decode().count('class="source-chosen-title"') == count + 1
        return len(queries), len(source_queries(queries))

    assert post(15) == post(2)
    assert post(15)[1] == 1


@pytest.mark.parametrize(
    ("initial", "posted", "changed"),
    [(None, "  ", False), (7, "7", False), (7, "8", True), (None, "x", True)],
)
def test_a_rows_source_changes_only_when_another_id_is_posted(fan, initial, posted, changed):
    data = citation_post(rows=[{"source": posted}])
    data["citations-INITIAL_FORMS"] = "1"
    formset = CitationFormSet(
        data, prefix="citations", initial=[{"source": initial}], sources=sources_visible_to(fan)
    )
    assert ("source" in formset.forms[0].changed_data) == changed


@pytest.mark.parametrize("value", ["abc", "1.5", "²", "-3", "9" * 40])
def test_a_posted_value_that_is_no_id_is_refused(fan, value):
    rows = [{"source": value, "locator": "p. 1"}]
    formset = CitationFormSet(
        citation_post(rows=rows), prefix="citations", sources=sources_visible_to(fan)
    )
    assert not formset.is_valid()
    assert "Select a valid choice" in str(formset.forms[0].errors["source"])


def test_the_new_article_page_reads_no_sources(client, fan):
    factories.make_source("A source", created_by=fan)
    client.force_login(fan)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("wiki:article-create"))
    assert response.status_code == 200
    assert source_queries(queries) == []
    assert kind_settings(response)["sourceKinds"] == {}
