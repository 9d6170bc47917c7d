"""Staff fold duplicate sources together in the admin without losing a citation."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from apps.citations.models import Source
from apps.moderation import services as moderation
from apps.wiki import services
from apps.wiki.models import Citation
from tests import factories

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:citations_source_changelist")


@pytest.fixture
def duplicates(article, fan, moderator):
    """The article's source, and a duplicate of it cited by another approved edit."""
    original = article.approved_revision.citations.get().source
    copy = factories.make_source("The story behind the kiss (copy)")
    moderation.revision_approve(
        revision=factories.propose_edit(article, fan, source=copy), moderator=moderator
    )
    return original, copy


def test_merge_keeps_every_citation(duplicates, staff):
    original, copy = duplicates
    before = Citation.objects.count()
    moved = services.source_merge(keep=original, duplicates=[original, copy], actor=staff)
    assert moved == 1
    assert Citation.objects.count() == before
    assert not Source.objects.filter(pk=copy.pk).exists()
    assert Citation.objects.filter(source=original).count() == 2


def test_merge_needs_permission(duplicates, fan):
    original, copy = duplicates
    with pytest.raises(PermissionDenied):
        services.source_merge(keep=original, duplicates=[copy], actor=fan)
    assert Source.objects.filter(pk=copy.pk).exists()


def test_the_admin_action_asks_which_to_keep(client, duplicates, staff):
    original, copy = duplicates
    client.force_login(staff)
    selected = {"action": "merge_selected", ACTION_CHECKBOX_NAME: [original.pk, copy.pk]}
    response = client.post(CHANGELIST, selected)
    assert response.status_code == 200
    assert 'name="keep"' in response.content.decode()
    assert Source.objects.filter(pk=copy.pk).exists()

    response = client.post(CHANGELIST, {**selected, "apply": "1", "keep": copy.pk}, follow=True)
    assert "citation(s) now point at it" in response.content.decode()
    assert not Source.objects.filter(pk=original.pk).exists()
    assert Citation.objects.filter(source=copy).count() == 2


def test_the_source_admin_lists_its_citations(client, duplicates, staff):
    original, _ = duplicates
    client.force_login(staff)
    page = client.get(reverse("admin:citations_source_change", args=[original.pk]))
    assert page.status_code == 200
    assert "Cited now by" in page.content.decode()
    listing = client.get(CHANGELIST, {"q": "story", "kind__exact": "web"})
    assert listing.status_code == 200
