"""Building categorised articles through the real services (proposal, then approval)."""

import re

from apps.categories.models import Category, Membership
from apps.moderation import services as moderation
from apps.wiki import services
from apps.wiki.naming import Names
from tests import factories


def propose(author, title, *, categories="", body="Some text.", episode=None):
    """A new article's first proposal, filed under ``categories`` (as the editor takes them)."""
    citations = [factories.cite()]
    return services.article_create(
        author=author,
        title=title,
        body=factories.with_markers(body, citations),
        summary="New article",
        episode=episode,
        citations=citations,
        categories=categories,
    )


def publish(author, moderator, title, **kwargs):
    """A new article, proposed by ``author`` and approved by ``moderator``."""
    revision = propose(author, title, **kwargs)
    moderation.revision_approve(revision=revision, moderator=moderator)
    article = revision.article
    article.refresh_from_db()
    return article


def propose_names(article, author, *, categories, title=None):
    """An edit that keeps the text and gives the article these categories."""
    article.refresh_from_db()
    names = Names.typed(
        title=title or article.approved_revision.title, categories=categories, aliases=""
    )
    return factories.propose_names(article, author, names, summary="Categories")


def approve(revision, moderator):
    moderation.revision_approve(revision=revision, moderator=moderator)
    revision.article.refresh_from_db()
    return revision.article


def refile(article, author, moderator, categories):
    """An edit of the article's categories, approved."""
    return approve(propose_names(article, author, categories=categories), moderator)


def filed(article):
    """The names of the categories the article is filed under, sorted."""
    return sorted(
        Membership.objects.filter(article=article).values_list("category__name", flat=True)
    )


def category(name):
    return Category.objects.get(name=name)


def members(html):
    """The link texts of the articles a category page lists, in order."""
    start = html.index('id="members-heading"')
    section = html[start : html.index("</section>", start)]
    return re.findall(r'<li><a href="[^"]*">([^<]*)</a>', section)
