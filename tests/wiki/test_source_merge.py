"""Staff fold duplicate sources together in the admin without losing a citation."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from apps.citations.models import Source
from apps.moderation import services as moderation
from apps.wiki import services
from apps.wiki.models import ActionKind, Citation, ModeratorAction
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
    moved = services.source_merge(
        keep=original, duplicates=[original, copy], actor=staff, reason="Same article twice"
    )
    assert moved == 1
    assert Citation.objects.count() == before
    assert not Source.objects.filter(pk=copy.pk).exists()
    assert Citation.objects.filter(source=original).count() == 2


def test_merge_needs_permission(duplicates, fan):
    original, copy = duplicates
    with pytest.raises(PermissionDenied):
        services.source_merge(keep=original, duplicates=[copy], actor=fan, reason="x")
    assert Source.objects.filter(pk=copy.pk).exists()


def test_the_admin_action_asks_which_to_keep(client, duplicates, staff):
    original, copy = duplicates
    client.force_login(staff)
    selected = {"action": "merge_selected", ACTION_CHECKBOX_NAME: [original.pk, copy.pk]}
    response = client.post(CHANGELIST, selected)
    assert response.status_code == 200
    assert 'name="keep"' in response.content.decode()
    assert Source.objects.filter(pk=copy.pk).exists()

    # Without a reason: asked again, nothing merged.
    response = client.post(CHANGELIST, {**selected, "apply": "1", "keep": copy.pk})
    assert response.status_code == 200
    assert "Give a reason." in response.content.decode()
    assert Source.objects.filter(pk=original.pk).exists()
    assert not ModeratorAction.objects.exists()

    response = client.post(
        CHANGELIST,
        {**selected, "apply": "1", "keep": copy.pk, "reason": "One interview, cited twice"},
        follow=True,
    )
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


def test_a_merge_is_on_the_record_with_what_the_duplicates_were(
    client, duplicates, staff, moderator
):
    """Merging used to delete the duplicates without a trace."""
    original, copy = duplicates
    services.source_merge(keep=original, duplicates=[copy], actor=staff, reason="Same article")
    record = ModeratorAction.objects.get()
    assert (record.actor, record.action, record.reason) == (
        staff,
        ActionKind.SOURCES_MERGED,
        "Same article",
    )
    assert record.details["merged"][0]["title"] == "The story behind the kiss (copy)"
    assert record.details["kept"]["id"] == original.pk
    assert f"#{copy.pk}" in record.summary and "1 citation moved" in record.summary
    client.force_login(moderator)
    log = client.get(reverse("moderation:audit"), {"log": "actions"}).content.decode()
    assert "The story behind the kiss (copy)" in log and "Same article" in log


def test_a_merge_without_a_reason_is_refused(duplicates, staff):
    from django.core.exceptions import ValidationError

    original, copy = duplicates
    with pytest.raises(ValidationError):
        services.source_merge(keep=original, duplicates=[copy], actor=staff, reason="  ")
    assert Source.objects.filter(pk=copy.pk).exists()
