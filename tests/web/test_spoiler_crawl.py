"""Every page of the site, crawled as a reader who has watched up to S02E11: nothing in the
HTML outside a closed spoiler fold names, quotes or summarises what comes after.

The later article (S02E22) leaves its words everywhere a wiki shows them: its title and
address, statements cited, disputed and needing a citation, edit summaries, a source cited
by it alone, a talk topic, a review thread, a follower's notifications, and a link from an
earlier article. An earlier talk post has a spoiler section for S09E01. The later article
is filed under a category (its title as sort key) beside an earlier one, inside a category
with a description page. The crawl visits every URL pattern the site
has, filling each argument with every value that could name those things (the later
article's slug and neutral key, every id, every category and maintenance list), as an
anonymous reader and as a signed-in fan following the later article.
"""

import itertools
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from apps.categories import maintenance
from apps.categories.maintenance import MAINTENANCE
from apps.categories.models import Category
from apps.citations.models import Source
from apps.moderation import services as moderation
from apps.notifications.models import Notification
from apps.talk import services as talk
from apps.talk.models import Post, Topic
from apps.wiki import services
from apps.wiki.models import Article, Follow, Revision
from apps.wiki.naming import Names
from tests import factories

pytestmark = pytest.mark.django_db

# Words that exist only in what comes after the point.
SECRETS = [
    "Zebrakiss",  # the later article's title (and so its slug)
    "zebrakiss",
    "Quokkaline",  # a cited statement
    "Marmosetclaim",  # a disputed statement
    "Narwhalquote",  # its quote
    "Ocelotneed",  # a statement needing a citation
    "Pangolinsummary",  # an edit summary
    "Wombatsource",  # a source cited by the later article alone
    "Yaktopic",  # a talk topic
    "Xerusreply",  # a reply in it
    "Ibexsection",  # a spoiler section for S09E01 in an earlier talk post
    "Tapirpending",  # a pending proposal's summary
]

# Pages that are not the reader's: other tools, files, or forms only a moderator opens.
SKIPPED_PREFIXES = ("admin/", "media/", "markdownx/", "favicon.ico", "healthz")
# A fan's download of their own data is whole by design (it is what they wrote, asked for
# as a file, as the law on personal data expects), not a page they read.
NOT_READING = {"operations:my-data"}


def _patterns(resolvers, prefix=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            namespace = entry.namespace
            inner = f"{prefix}{namespace}:" if namespace else prefix
            if str(entry.pattern).startswith(SKIPPED_PREFIXES):
                continue
            yield from _patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            if (
                str(entry.pattern).startswith(SKIPPED_PREFIXES)
                or prefix + entry.name in NOT_READING
            ):
                continue
            yield prefix + entry.name, entry


def folded_away(html: str) -> str:
    """The page as a reader sees it before opening any spoiler fold: every closed
    ``<details class="spoiler…">`` element (nested ones included) taken out whole."""
    out, depth, position = [], 0, 0
    for tag in re.finditer(r"<details\b[^>]*>|</details>", html):
        opening = tag.group().startswith("<details")
        spoiler = (
            opening
            and re.search(r'class="[^"]*\bspoiler\b', tag.group())
            and not re.search(r"\sopen\b", tag.group())
        )
        if depth == 0:
            out.append(html[position : tag.start()])
            if spoiler:
                depth = 1
            else:
                out.append(tag.group())
        elif opening:
            depth += 1
        else:
            depth -= 1
        position = tag.end()
    out.append(html[position:] if depth == 0 else "")
    return "".join(out)


@pytest.fixture
def world(author, moderator, fan, django_capture_on_commit_callbacks, monkeypatch):
    # Every waiting proposal counts as stale: the later article is in that list too.
    monkeypatch.setattr(maintenance, "STALE_AFTER", timedelta(0))
    with django_capture_on_commit_callbacks(execute=True):
        return _world(author, moderator, fan)


BODY = (
    "Quokkaline happened on set. [@1]\n\n"
    "Marmosetclaim is told two ways. [disputed @1 @2]\n\n"
    "Ocelotneed is unsourced. [citation needed]"
)


def _world(author, moderator, fan):
    early_episode = factories.make_episode(season=1, number=1, title="Pilot")
    factories.make_episode(season=2, number=11, title="Booze Cruise")
    later_episode = factories.make_episode(season=2, number=22, title="Casino Night")
    secret_source = factories.make_source(title="Wombatsource interview")
    other_source = factories.make_source(title="Other source")

    def citations():
        return [
            factories.cite(secret_source, quote="Narwhalquote words", key=1),
            factories.cite(other_source, key=2),
        ]

    first = services.article_create(
        author=author,
        title="Zebrakiss trivia",
        body=BODY,
        summary="Pangolinsummary first",
        episode=later_episode,
        citations=citations(),
        categories="Season finales|Zebrakiss trivia",
    )
    moderation.revision_approve(revision=first, moderator=moderator)
    later = first.article
    Follow.objects.create(user=fan, article=later)

    def edit(body, summary):
        return services.revision_propose(
            article=later,
            author=author,
            body=body,
            summary=summary,
            citations=citations(),
            base=_current(later),
        )

    # A second change, with the fan following: their notifications name it.
    moderation.revision_approve(
        revision=edit(BODY + "\n\nQuokkaline again.", "Pangolinsummary again"),
        moderator=moderator,
    )
    pending = edit(BODY + "\n\nQuokkaline and more.", "Tapirpending summary")
    moderation.thread_start(revision=pending, user=moderator, body="Yaktopic in review")
    topic = talk.topic_start(
        article=later, author=author, title="Yaktopic question", body="Xerusreply first"
    )
    talk.post_reply(topic=topic, author=moderator, body="Xerusreply second")
    early = factories.published_article(
        author,
        moderator,
        title="Pilot trivia",
        body="See [[Zebrakiss trivia]] for later.",
        episode=early_episode,
    )
    filing = services.revision_propose(
        article=early,
        author=author,
        body=_current(early).body,
        summary="Filed",
        citations=[factories.cite(other_source)],
        base=_current(early),
        names=Names.typed(title=early.title, categories="Season finales", aliases=""),
    )
    moderation.revision_approve(revision=filing, moderator=moderator)
    # A category with a description page (about no episode: refused), inside Season finales.
    description = services.article_create(
        author=author,
        title="Category:Casino games",
        body="Games at the casino night. [@1]",
        summary="Described",
        citations=[factories.cite(other_source)],
        categories="Season finales",
    )
    moderation.revision_approve(revision=description, moderator=moderator)
    factories.published_article(
        author, moderator, title="Category:Season finales", body="Finales.", source=other_source
    )
    talk.topic_start(
        article=early,
        author=author,
        title="Pilot question",
        body="Fine.\n\n!!! spoiler S09E01\n    Ibexsection happens.\n",
    )
    return later, early


def _current(article):
    article.refresh_from_db()
    return article.approved_revision


def _values(later, early):
    """Every value a URL argument could take to reach something of the later article."""
    ids = set()
    for model in (Revision, Source, Topic, Post, Article, Notification):
        ids.update(model.objects.values_list("pk", flat=True))
    from apps.moderation.models import ReviewComment, ReviewThread

    for model in (ReviewThread, ReviewComment):
        ids.update(model.objects.values_list("pk", flat=True))
    return {
        "slug": [
            later.slug,
            later.neutral_key,
            early.slug,
            *Category.objects.values_list("slug", flat=True),
        ],
        "key": list(MAINTENANCE),
        "pk": sorted(ids),
        "post_pk": sorted(Post.objects.values_list("pk", flat=True)),
        "show": ["the-office"],
        "season": [1, 2],
        "episode": [1, 11, 22],
        "username": ["author", "moderator", "fan"],
    }


def _addresses(values):
    for name, pattern in _patterns(get_resolver().url_patterns):
        arguments = list(pattern.pattern.converters)
        if any(argument not in values for argument in arguments):
            continue  # a token, a file: nothing a reader reaches by a link
        for combination in itertools.product(*(values[a] for a in arguments)):
            yield reverse(name, kwargs=dict(zip(arguments, combination, strict=True)))


def _leaks(client, addresses):
    """Address -> the later words its page shows."""
    found: dict[str, list[str]] = {}
    for address in addresses:
        response = client.get(address)
        if response.status_code != 200 or response.get("Content-Type", "").startswith("image"):
            continue
        shown = folded_away(response.content.decode())
        words = [word for word in SECRETS if word in shown]
        if words:
            found[address] = words
    return found


def _watch_up_to_s02e11(client):
    point = factories.make_episode(season=2, number=11)
    client.post(reverse("wiki:spoilers"), {"show": "the-office", "episode": point.pk})


def test_an_anonymous_reader_with_a_point_sees_nothing_later_anywhere(client, world):
    later, early = world
    _watch_up_to_s02e11(client)
    addresses = list(_addresses(_values(later, early)))
    assert len(addresses) > 60
    # The category pages are crawled, and list the later articles folded.
    for address in ("/categories/season-finales/", "/categories/maintenance/stale-proposals/"):
        assert address in addresses
        assert "An article about S02E22 (after your point)" in client.get(address).content.decode()
    leaks = _leaks(client, addresses)
    assert not leaks, "\n".join(f"{address}: {words}" for address, words in leaks.items())


def test_a_signed_in_reader_with_a_point_sees_nothing_later_anywhere(client, world, fan):
    later, early = world
    assert factories.log_in(client, "fan")
    _watch_up_to_s02e11(client)
    assert Notification.objects.filter(user=fan).exists()  # the crawl reads them
    addresses = list(_addresses(_values(later, early)))
    leaks = _leaks(client, addresses)
    assert not leaks, "\n".join(f"{address}: {words}" for address, words in leaks.items())


def test_the_followers_e_mails_fold_what_is_after_their_point(
    world, fan, author, moderator, django_capture_on_commit_callbacks
):
    later, _ = world
    fan.spoiler_points = {"the-office": "S02E11"}
    fan.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        edit = services.revision_propose(
            article=later,
            author=author,
            body=BODY + "\n\nQuokkaline, once more.",
            summary="Pangolinsummary third",
            citations=[
                factories.cite(Source.objects.get(title="Wombatsource interview"), key=1),
                factories.cite(Source.objects.get(title="Other source"), key=2),
            ],
            base=_current(later),
        )
        moderation.revision_approve(revision=edit, moderator=moderator)
    to_fan = [message for message in mail.outbox if fan.email in message.to]
    assert to_fan
    for message in to_fan:
        for word in SECRETS:
            assert word not in message.subject + message.body, word
