"""Starting topics and replying are rate limited, per account and per address."""

import pytest
from django.urls import reverse

from apps.talk.models import Post, Topic
from fanwiki.ratelimits import RULES

pytestmark = pytest.mark.django_db


def test_the_rules_are_in_the_table():
    for name in ("talk:topic-start", "talk:reply"):
        assert {(rule.group, rule.per) for rule in RULES[name]} == {
            ("talk", "account"),
            ("talk-per-address", "address"),
        }


def test_topics_are_limited_per_account(client, settings, article, fan):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "talk": "2/h"}
    client.force_login(fan)
    address = reverse("talk:topic-start", args=[article.slug])
    assert client.post(address, {"title": "One", "body": "B"}).status_code == 302
    assert client.post(address, {"title": "", "body": "B"}).status_code == 400  # counted too
    response = client.post(address, {"title": "Three", "body": "B"})
    assert response.status_code == 429 and "Retry-After" in response
    assert list(Topic.objects.values_list("title", flat=True)) == ["One"]


def test_replies_are_limited_per_address(client, settings, topic, fan, author):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "talk-per-address": "1/h"}
    address = reverse("talk:reply", args=[topic.article.slug, topic.pk])
    client.force_login(fan)
    assert client.post(address, {"body": "One"}).status_code == 302
    client.force_login(author)
    assert client.post(address, {"body": "Two"}).status_code == 429
    assert Post.objects.count() == 2  # the first post and one reply
