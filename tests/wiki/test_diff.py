import pytest
from django.urls import reverse

from apps.moderation import services as moderation
from apps.wiki import services
from apps.wiki.diff import citation_diff, text_diff
from tests import factories


def kinds(rows):
    return [row.kind for row in rows]


def test_it_marks_added_and_removed_lines():
    rows = text_diff("a\nb\nc", "a\nb\nX\nc\nd")
    assert kinds(rows) == ["same", "same", "added", "same", "added"]
    rows = text_diff("a\nb\nc", "a\nc")
    assert kinds(rows) == ["same", "removed", "same"]
    assert (rows[1].old_number, rows[1].text) == (2, "b")


def test_an_edited_line_shows_its_words():
    rows = text_diff(
        "intro\nJim kisses Pam in the office.", "intro\nJim kisses Pam in the dark office!"
    )
    changed = rows[1]
    assert changed.kind == "changed"
    assert (changed.old_number, changed.new_number) == (2, 2)
    assert ("insert", "dark ") in changed.new
    assert ("delete", ".") in changed.old and ("insert", "!") in changed.new
    inline = "".join(f"[{op[0]}:{text}]" if op != "equal" else text for op, text in changed.inline)
    assert inline == "Jim kisses Pam in the [i:dark ]office[d:.][i:!]"


def test_it_collapses_long_unchanged_stretches():
    old = "\n".join(f"line {n}" for n in range(40))
    new = old.replace("line 20", "line twenty")
    rows = text_diff(old, new)
    skipped = [row for row in rows if row.kind == "skipped"]
    assert [row.text for row in skipped] == ["17 unchanged lines", "16 unchanged lines"]
    assert len(rows) < 15


def test_a_new_article_is_all_added():
    assert kinds(text_diff("", "one\ntwo")) == ["added", "added"]


@pytest.mark.django_db
def test_citation_diff_pairs_by_source(article, fan):
    kept = article.approved_revision.citations.get().source
    new_source = factories.make_source("A new book", kind="book")
    proposal = services.revision_propose(
        article=article,
        author=fan,
        body="Text [@1][@2]",
        summary="Edit",
        citations=[
            factories.cite(kept, locator="p. 99"),
            factories.cite(new_source, locator="p. 3"),
        ],
        base=article.approved_revision,
    )
    changes = citation_diff(article.approved_revision.citations.all(), proposal.citations.all())
    assert {(c.kind, c.source.title) for c in changes} == {
        ("changed", kept.title),
        ("added", "A new book"),
    }
    removed = citation_diff(proposal.citations.all(), article.approved_revision.citations.all())
    assert ("removed", "A new book") in {(c.kind, c.source.title) for c in removed}


@pytest.mark.django_db
def test_the_review_page_shows_citation_changes(client, article, fan, moderator):
    new_source = factories.make_source("Office Ladies", kind="podcast")
    proposal = factories.propose_edit(article, fan, body="Changed text.", source=new_source)
    client.force_login(moderator)
    response = client.get(reverse("moderation:review", args=[proposal.pk]))
    added = [c.source.title for c in response.context["citation_changes"] if c.kind == "added"]
    removed = [c.source.title for c in response.context["citation_changes"] if c.kind == "removed"]
    assert added == ["Office Ladies"]
    assert removed == ["The story behind the kiss"]
    page = response.content.decode()
    assert "Podcast episode" in page and "Changed text." in page


@pytest.mark.django_db
def test_the_review_page_names_statements_that_lost_their_citation(client, article, fan, moderator):
    current = factories.propose_edit(
        article, fan, body="Kwapis never called action.[@1] He walked away.[@1]"
    )
    moderation.revision_approve(revision=current, moderator=moderator)
    proposal = factories.propose_edit(
        article,
        factories.make_user("trimmer"),
        body="Kwapis never called action. He walked away.[@1]",
    )
    client.force_login(moderator)
    response = client.get(reverse("moderation:review", args=[proposal.pk]))
    assert response.context["uncited"] == ["Kwapis never called action."]
    assert "lost its citation" in response.content.decode()


@pytest.mark.django_db
def test_a_statement_turned_into_citation_needed_is_named(client, article, fan, moderator):
    current = factories.propose_edit(article, fan, body="Claim.[@1] Other.[@1]")
    moderation.revision_approve(revision=current, moderator=moderator)
    proposal = factories.propose_edit(
        article, factories.make_user("doubter"), body="Claim. [citation needed] Other.[@1]"
    )
    client.force_login(moderator)
    response = client.get(reverse("moderation:review", args=[proposal.pk]))
    assert response.context["uncited"] == ["Claim."]


@pytest.mark.django_db
def test_comparing_two_versions_from_the_history(client, article, fan, moderator):
    first = article.approved_revision
    second = factories.propose_edit(article, fan, body="Second text. [@1]")
    moderation.revision_approve(revision=second, moderator=moderator)
    url = reverse("wiki:article-compare", args=[article.slug])
    response = client.get(url, {"from": first.pk, "to": second.pk})
    assert response.status_code == 200
    assert [row.kind for row in response.context["rows"]] == ["changed"]
    assert "Second" in response.content.decode()
    assert client.get(url, {"from": second.pk, "to": first.pk, "view": "side"}).status_code == 200
    history = client.get(reverse("wiki:article-history", args=[article.slug])).content.decode()
    assert 'name="from"' in history and 'name="to"' in history


@pytest.mark.django_db
def test_readers_cannot_compare_against_unapproved_text(client, article, fan):
    pending = factories.propose_edit(article, fan, body="Secret pending text")
    url = reverse("wiki:article-compare", args=[article.slug])
    response = client.get(url, {"from": article.approved_revision_id, "to": pending.pk})
    assert response.status_code == 404
    assert client.get(url, {"from": "x", "to": ""}).status_code == 404
    client.force_login(fan)
    assert (
        client.get(url, {"from": article.approved_revision_id, "to": pending.pk}).status_code == 200
    )
