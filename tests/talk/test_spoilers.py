"""A talk page about an episode after the reader's point folds, titles included."""

import pytest
from django.urls import reverse

from tests.wiki.test_spoiler_articles import outside_the_fold, watch_up_to

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["topics", "topic"])
def test_talk_after_the_readers_point_is_folded(client, article, topic, page):
    url = (
        topic.get_absolute_url() if page == "topic" else reverse("talk:topics", args=[article.slug])
    )
    shown = client.get(url).content.decode()
    assert "Who filmed the kiss?" in outside_the_fold(shown)  # no point set: all shown

    watch_up_to(client)
    folded = client.get(url).content.decode()
    assert '<details class="spoiler spoiler-article">' in folded
    assert "<title>Spoilers: talk about S02E22" in folded
    rest = outside_the_fold(folded)
    for revealing in ("Who filmed the kiss?", article.title, "The first post."):
        assert revealing not in rest, revealing
    assert "Who filmed the kiss?" in folded  # one click away


def test_a_talk_page_looks_up_its_posts_links_in_one_query(client, article, author, moderator):
    """Wiki links in posts are served (folded, marked missing) from one lookup for the page,
    however many posts link to however many articles."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.talk import services
    from tests import factories

    topic = services.topic_start(
        article=article, author=author, title="Links", body="See [[Other 0]]."
    )

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(topic.get_absolute_url()).status_code == 200
        return len(queries)

    client.force_login(moderator)
    one = count()
    for n in range(1, 6):
        factories.published_article(author, moderator, title=f"Other {n}")
        services.post_reply(topic=topic, author=moderator, body=f"And [[Other {n}]], [[Gone {n}]].")
    assert count() == one
