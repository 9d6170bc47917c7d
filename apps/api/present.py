"""Models as the API shows them, through the one spoiler rule.

Everything that names an article, quotes its text or shows a summary asks
``article.folded`` (apps.web.spoilers, for the reader the request is made for) first:
a folded article is named by its episode and a neutral address, and its text, title,
summaries and citations are withheld unless the caller asked to ``reveal`` it — the
API's "show anyway" button.
"""

import difflib
from collections.abc import Iterable

from apps.catalog.models import Episode
from apps.citations.models import Source
from apps.notifications.links import absolute_url
from apps.wiki.diff import citation_diff
from apps.wiki.models import Article, Citation, Revision
from apps.wiki.naming import Names
from apps.wiki.presenting import reader_html


def episode_ref(episode: Episode | None) -> dict | None:
    if episode is None:
        return None
    show = episode.season.show
    return {
        "id": episode.pk,
        "show": show.slug,
        "show_title": show.title,
        "season": episode.season.number,
        "number": episode.number,
        "code": episode.code,
        "title": episode.title,
        "air_date": episode.air_date,
    }


def article_ref(article: Article) -> dict:
    return {
        "id": article.pk,
        "slug": article.url_slug,
        "title": article.display_title,
        "folded": article.folded,
        "url": absolute_url(article.get_absolute_url()),
        "episode": episode_ref(article.episode) if article.episode_id else None,
    }


def source_out(source: Source) -> dict:
    return {
        "id": source.pk,
        "kind": source.kind,
        "title": source.title,
        "url": source.url,
        "archive_url": source.archive_url,
        "author": source.author,
        "publisher": source.publisher,
        "published_date": source.published_date,
        "accessed_date": source.accessed_date,
    }


def citation_out(citation: Citation) -> dict:
    return {
        "key": citation.key,
        "quote": citation.quote,
        "locator": citation.locator,
        "source": source_out(citation.source),
    }


def citations_of(revision: Revision) -> list[dict]:
    return [
        citation_out(c)
        for c in revision.citations.select_related("source").order_by("position", "id")
    ]


def names_out(revision: Revision) -> tuple[list[str], list[str]]:
    names = Names.of(revision)
    return [entry.name for entry in names.categories], list(names.aliases)


def show_of(article: Article):
    return article.episode.season.show if article.episode is not None else None


def hidden(article: Article, reveal: bool) -> bool:
    return article.folded and not reveal


def revision_ref(revision: Revision, *, reveal: bool) -> dict:
    withheld = hidden(revision.article, reveal)
    return {
        "id": revision.pk,
        "status": revision.status,
        "summary": None if withheld else revision.summary,
        "author": revision.author.username if revision.author else "",
        "bot": bool(revision.author and revision.author.is_bot),
        "created_at": revision.created_at,
        "decided_at": revision.decided_at,
        "decided_by": revision.decided_by.username if revision.decided_by else None,
        "automatic": revision.automatic,
        "base_id": revision.base_id,
    }


def revision_out(revision: Revision, *, reveal: bool, private: bool) -> dict:
    """A whole version; ``private``: the caller is its author or a moderator."""
    data = revision_ref(revision, reveal=reveal)
    data["article"] = article_ref(revision.article)
    data["decision_reason"] = revision.decision_reason if private else None
    if hidden(revision.article, reveal):
        return data
    categories, aliases = names_out(revision)
    data.update(
        title=revision.title,
        markdown=revision.body,
        html=reader_html(revision.rendered_html, show=show_of(revision.article)),
        citations=citations_of(revision),
        categories=categories,
        aliases=aliases,
    )
    return data


def unified_diff(older: str, newer: str, *, older_name: str, newer_name: str) -> str:
    return "".join(
        difflib.unified_diff(
            older.splitlines(keepends=True),
            newer.splitlines(keepends=True),
            fromfile=older_name,
            tofile=newer_name,
        )
    )


def comparison(older: Revision | None, newer: Revision) -> dict:
    """Two versions compared: a unified diff of their texts, and the citations changed."""
    return {
        "diff": unified_diff(
            older.body if older else "",
            newer.body,
            older_name=f"revision {older.pk}" if older else "nothing",
            newer_name=f"revision {newer.pk}",
        ),
        "citations": citation_changes(older, newer),
    }


def citation_changes(older: Revision | None, newer: Revision) -> list[dict]:
    old = older.citations.select_related("source") if older is not None else Citation.objects.none()
    changes = citation_diff(old, newer.citations.select_related("source"))
    return [
        {
            "change": change.kind,
            "key": getattr(change.new if change.new is not None else change.old, "key", None),
            "old": citation_out(change.old) if isinstance(change.old, Citation) else None,
            "new": citation_out(change.new) if isinstance(change.new, Citation) else None,
        }
        for change in changes
    ]


def articles(refs: Iterable[Article]) -> list[dict]:
    return [article_ref(article) for article in refs]
