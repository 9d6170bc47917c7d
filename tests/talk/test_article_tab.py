"""The article page's Talk tab counts open topics, cached page or not."""

import re

import pytest
from django.urls import reverse

from apps.talk import services

pytestmark = pytest.mark.django_db


def talk_tab(client, article):
    page = client.get(article.get_absolute_url())
    match = re.search(r'<a href="/wiki/[^"]+/talk/">Talk(.*?)</a>', page.content.decode())
    assert match, "no Talk tab"
    return page, match[1]


def test_the_tab_links_to_the_talk_page(client, article):
    page, count = talk_tab(client, article)
    assert count == ""
    assert f'href="{reverse("talk:topics", args=[article.slug])}"' in page.content.decode()


def test_the_count_follows_new_and_closed_topics_through_the_page_cache(
    client, article, fan, moderator
):
    talk_tab(client, article)
    cached, _ = talk_tab(client, article)
    assert cached["X-Page-Cache"] == "hit"
    topic = services.topic_start(article=article, author=fan, title="One", body="B")
    services.topic_start(article=article, author=fan, title="Two", body="B")
    page, count = talk_tab(client, article)
    assert page["X-Page-Cache"] == "miss"
    assert "(2" in count and "open topics" in count
    services.topic_close(topic=topic, moderator=moderator, reason="Done")
    assert "(1" in talk_tab(client, article)[1]
    services.topic_reopen(topic=topic, moderator=moderator)
    assert "(2" in talk_tab(client, article)[1]


def test_a_reply_leaves_the_cached_page_alone(client, article, topic, fan):
    talk_tab(client, article)
    services.post_reply(topic=topic, author=fan, body="Hi")
    assert talk_tab(client, article)[0]["X-Page-Cache"] == "hit"
