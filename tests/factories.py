"""Small helpers that build test data through the real services."""

from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.catalog.models import Episode, Season, Show
from apps.citations.models import Source, SourceKind
from apps.moderation import services as moderation
from apps.wiki import services
from apps.wiki.merging import citation_inputs, cited_of
from apps.wiki.permissions import MODERATE_PERMISSION, MODERATORS_GROUP

PASSWORD = "correct-horse-battery"


def make_user(username, *, moderator=False, staff=False, superuser=False):
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.com",
        is_staff=staff or superuser,
        is_superuser=superuser,
        email_verified_at=timezone.now(),
    )
    if moderator:
        user.groups.add(moderators_group())
    return user


def moderators_group():
    """The group the data migration creates (flushed away in browser tests, so made again)."""
    group, created = Group.objects.get_or_create(name=MODERATORS_GROUP)
    if created:
        app_label, codename = MODERATE_PERMISSION.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return group


def make_episode(*, show_title="The Office", season=2, number=22, title="Casino Night"):
    show, _ = Show.objects.get_or_create(
        slug=show_title.lower().replace(" ", "-"), defaults={"title": show_title}
    )
    season_obj, _ = Season.objects.get_or_create(show=show, number=season)
    episode, _ = Episode.objects.get_or_create(
        season=season_obj, number=number, defaults={"title": title}
    )
    return episode


def make_source(title="The story behind the kiss", **fields):
    fields.setdefault("kind", SourceKind.WEB)
    return Source.objects.create(title=title, **fields)


def cite(source=None, *, quote="", locator="p. 1", key=0):
    return services.CitationInput(
        source=source or make_source(), quote=quote, locator=locator, key=key
    )


def with_markers(body, citations):
    """The body with a marker for every citation, unless it already has markers."""
    if "[@" in body:
        return body
    count = len(citations)
    return body + " " + "".join(f"[@{key}]" for key in range(1, count + 1))


def propose_article(
    author, *, title="Casino Night trivia", body="The kiss.", episode=None, source=None
):
    citations = [cite(source)]
    return services.article_create(
        author=author,
        title=title,
        body=with_markers(body, citations),
        summary="New article",
        episode=episode,
        citations=citations,
    )


def propose_edit(article, author, *, body="Changed text.", source=None, base="current"):
    if base == "current":
        article.refresh_from_db()
        base = article.approved_revision
    citations = [cite(source)]
    return services.revision_propose(
        article=article,
        author=author,
        body=with_markers(body, citations),
        summary="An edit",
        citations=citations,
        base=base,
    )


def propose_names(article, author, names, *, body=None, summary="Names"):
    """A version of ``article`` giving it ``names`` (apps.wiki.naming.Names), with its current
    text (or ``body``) and its current citations, as the move page writes one."""
    article.refresh_from_db()
    current = article.approved_revision
    return services.revision_propose(
        article=article,
        author=author,
        body=current.body if body is None else body,
        summary=summary,
        citations=citation_inputs(cited_of(current)),
        base=current,
        names=names,
    )


def published_article(author, moderator, **kwargs):
    """An article whose first revision a moderator has approved."""
    revision = propose_article(author, **kwargs)
    moderation.revision_approve(revision=revision, moderator=moderator)
    revision.article.refresh_from_db()
    return revision.article


def log_in(client, username, password=PASSWORD):
    """Log in through the log-in page, as a person does; True if it let them in.

    (The test client's login() passes no request to authenticate(), which the
    lockout backend requires.)
    """
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    return response.status_code == 302 and "_auth_user_id" in client.session


def propose_two_changes(article, author):
    """An edit with two separate changes (a line before the text and one after it), each
    citing the article's source: a proposal that can be approved in part."""
    article.refresh_from_db()
    base = article.approved_revision
    source = base.citations.get().source
    return services.revision_propose(
        article=article,
        author=author,
        body=f"One more. [@1]\n\n{base.body}\n\nAnd another. [@1]",
        summary="Two facts",
        citations=[services.CitationInput(source=source, locator="p. 1", key=1)],
        base=base,
    )
