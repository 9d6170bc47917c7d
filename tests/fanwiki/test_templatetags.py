"""The filters every template has: "just now" rather than "0 minutes ago"."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fanwiki.templatetags import ago
from tests import factories


def test_within_a_minute_it_is_just_now():
    assert ago(timezone.now() - timedelta(seconds=20)) == "just now"


def test_later_it_says_how_long():
    assert ago(timezone.now() - timedelta(minutes=3, seconds=5)) == "3\xa0minutes ago"


def test_nothing_says_nothing():
    assert ago(None) == ""


@pytest.mark.django_db
def test_a_fresh_proposal_was_submitted_just_now(client, article, fan):
    factories.propose_edit(article, fan)
    client.force_login(fan)
    page = client.get(reverse("wiki:contributions")).content.decode()
    assert "submitted just now" in page
    assert "0\xa0minutes" not in page
