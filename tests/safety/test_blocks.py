"""Blocks: an account or an address range kept from writing, everywhere or in part."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.categories.models import Category, Membership
from apps.safety import services
from apps.safety.models import Action, Block
from apps.talk import services as talk
from apps.talk.models import Post
from apps.wiki.models import ActionKind, ModeratorAction, Revision
from tests import factories
from tests.wiki.test_loop import editor_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_article(author, moderator):
    return factories.published_article(author, moderator, title="Another page")


def block(moderator, **kwargs):
    kwargs.setdefault("reason", "Vandalism on the kiss article")
    return services.block_create(moderator=moderator, **kwargs)


def propose(client, article, **extra):
    """Post an edit as the editor would send it (the form read by someone not blocked)."""
    url = reverse("wiki:article-edit", args=[article.slug])
    reader = Client()
    reader.force_login(article.approved_revision.decided_by)
    data = editor_post(reader.get(url), body="Original text, changed. [@1]", summary="A change")
    return client.post(url, data, **extra)


def test_a_partially_blocked_fan_edits_other_articles_but_not_the_blocked_one(
    client, article, other_article, fan, moderator
):
    block(moderator, user=fan, sitewide=False, articles=[article],
          expires_at=timezone.now() + timedelta(days=3))  # fmt: skip
    client.force_login(fan)
    page = client.get(reverse("wiki:article-edit", args=[article.slug]))
    assert page.status_code == 403
    text = page.content.decode()
    assert "blocked from writing about “Casino Night trivia”" in text
    assert "Vandalism on the kiss article" in text and "until" in text
    before = Revision.objects.count()
    assert propose(client, article).status_code == 403
    assert Revision.objects.count() == before
    # Another article: fine.
    assert propose(client, other_article).status_code == 302
    assert Revision.objects.count() == before + 1
    # Talk and comments on the blocked article too; elsewhere, talk is fine.
    with pytest.raises(PermissionDenied, match="blocked"):
        talk.topic_start(article=article, author=fan, title="Hi", body="Hello")
    talk.topic_start(article=other_article, author=fan, title="Hi", body="Hello")
    assert Post.objects.count() == 1


def test_a_sitewide_block_stops_every_write_and_the_api(client, article, fan, moderator):
    block(moderator, user=fan)
    client.force_login(fan)
    assert client.get(reverse("wiki:article-create")).status_code == 403
    assert propose(client, article).status_code == 403
    with pytest.raises(PermissionDenied):
        talk.topic_start(article=article, author=fan, title="Hi", body="Hello")
    response = client.post(reverse("markdownx-upload"), {})
    assert response.status_code == 403 and "blocked" in response.json()["error"]


def test_an_action_block_keeps_only_that_action(client, article, fan, moderator):
    block(moderator, user=fan, sitewide=False, actions=[Action.TALK])
    with pytest.raises(PermissionDenied, match="blocked from talk pages"):
        talk.topic_start(article=article, author=fan, title="Hi", body="Hello")
    client.force_login(fan)
    assert propose(client, article).status_code == 302


def test_a_category_block_covers_its_articles(client, article, other_article, fan, moderator):
    spoilers = Category.objects.create(name="Spoilers", slug="spoilers")
    Membership.objects.create(category=spoilers, article=article, sort_key="casino")
    block(moderator, user=fan, sitewide=False, categories=[spoilers])
    client.force_login(fan)
    assert propose(client, article).status_code == 403
    assert propose(client, other_article).status_code == 302


@pytest.mark.parametrize(
    ("network", "address", "blocked"),
    [
        ("203.0.113.0/24", "203.0.113.77", True),
        ("203.0.113.0/24", "203.0.114.1", False),
        ("2001:db8:abcd::/48", "2001:db8:abcd:12::5", True),
        ("2001:db8:abcd::/48", "2001:db8:abce::5", False),
        ("198.51.100.7", "198.51.100.7", True),
    ],
)
def test_an_address_range_block(client, article, fan, moderator, network, address, blocked):
    block(moderator, network=network)
    client.force_login(fan)
    response = propose(client, article, REMOTE_ADDR=address)
    assert response.status_code == (403 if blocked else 302)
    if blocked:
        assert (
            f"Your network ({Block.objects.get().network}) is blocked" in response.content.decode()
        )


def test_a_block_ends_when_it_runs_out_or_is_lifted(client, article, fan, moderator):
    ran_out = block(moderator, user=fan, expires_at=timezone.now() + timedelta(minutes=1))
    Block.objects.filter(pk=ran_out.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(fan)
    assert propose(client, article).status_code == 302
    lifted = block(moderator, user=fan)
    assert client.get(reverse("wiki:article-create")).status_code == 403
    services.block_lift(block=lifted, moderator=moderator, reason="Talked it over")
    assert client.get(reverse("wiki:article-create")).status_code == 200
    with pytest.raises(services.NotActive):
        services.block_lift(block=lifted, moderator=moderator, reason="Again")


def test_blocks_and_lifts_are_on_the_record(fan, moderator, article):
    placed = block(moderator, user=fan, sitewide=False, articles=[article], actions=[Action.UPLOAD])
    services.block_lift(block=placed, moderator=moderator, reason="A misunderstanding")
    records = list(ModeratorAction.objects.order_by("id"))
    assert [(r.action, r.actor, r.user, r.reason) for r in records] == [
        (ActionKind.BLOCKED, moderator, fan, "Vandalism on the kiss article"),
        (ActionKind.BLOCK_LIFTED, moderator, fan, "A misunderstanding"),
    ]
    assert "Uploading images" in records[0].summary and "Casino Night trivia" in records[0].summary


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({}, "user"),  # neither an account nor an address
        ({"network": "10.0.0.0/8"}, "network"),  # too wide
        ({"network": "not an address"}, "network"),
        ({"sitewide": False}, "actions"),  # a partial block of nothing
        ({"expires_at": timezone.now() - timedelta(days=1)}, "expires_at"),
        ({"reason": "  "}, "reason"),
    ],
)
def test_a_block_that_makes_no_sense_is_refused(fan, moderator, kwargs, field):
    kwargs = {"user": fan, **kwargs} if "network" not in kwargs and kwargs != {} else kwargs
    with pytest.raises(ValidationError) as refused:
        block(moderator, **kwargs)
    assert field in refused.value.message_dict
    assert not Block.objects.exists() and not ModeratorAction.objects.exists()


def test_only_moderators_block_and_never_a_moderator(fan, author, moderator, other_moderator):
    with pytest.raises(PermissionDenied):
        block(fan, user=author)
    with pytest.raises(ValidationError):
        block(moderator, user=other_moderator)
    with pytest.raises(ValidationError):
        block(moderator, user=moderator)


def test_moderators_place_and_lift_blocks_on_their_pages(client, fan, moderator, article):
    client.force_login(fan)
    assert client.get(reverse("safety:blocks")).status_code == 403
    client.force_login(moderator)
    new = reverse("safety:block-new")
    form = client.get(new, {"user": "fan"})
    assert form.status_code == 200 and 'value="fan"' in form.content.decode()
    # A bad form comes back with what was typed.
    again = client.post(new, {"username": "fan", "scope": "partial", "articles": "No such page",
                              "duration": "1w", "reason": "Edit war"})  # fmt: skip
    assert again.status_code == 400
    assert "No article is called" in again.content.decode() and "Edit war" in again.content.decode()
    assert not Block.objects.exists()
    fields = {"username": "fan", "scope": "partial", "articles": article.title}
    done = client.post(new, {**fields, "actions": ["talk"], "duration": "3d", "reason": "Edit war"})
    assert done.status_code == 302
    placed = Block.objects.get()
    assert placed.user == fan and not placed.sitewide and list(placed.articles.all()) == [article]
    assert placed.expires_at - timezone.now() > timedelta(days=2, hours=23)
    listing = client.get(reverse("safety:blocks")).content.decode()
    assert "Edit war" in listing and "Talk pages" in listing
    client.post(reverse("safety:block-lift", args=[placed.pk]), {"reason": "Calmer now"})
    placed.refresh_from_db()
    assert placed.lifted_by == moderator and placed.lift_reason == "Calmer now"
    assert "Calmer now" in client.get(reverse("safety:blocks"), {"show": "ended"}).content.decode()


def test_the_check_costs_one_query_for_someone_not_blocked(fan, article, django_assert_num_queries):
    from apps.wiki.permissions import can_moderate
    from apps.wiki.policy import account_refusal

    can_moderate(fan)  # the permission check's own queries, cached on the user
    with django_assert_num_queries(1):
        assert account_refusal(fan, article=article) is None


def test_staff_list_and_lift_blocks_in_the_admin(client, fan, moderator, staff):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    from tests.factories import moderators_group

    staff.groups.add(moderators_group())
    placed = block(moderator, user=fan)
    client.force_login(staff)
    changelist = reverse("admin:safety_block_changelist")
    assert "Vandalism" not in client.get(changelist, {"state": "ended"}).content.decode()
    assert client.get(changelist, {"state": "active"}).status_code == 200
    selected = {"action": "lift_selected", ACTION_CHECKBOX_NAME: [placed.pk]}
    asked = client.post(changelist, selected)
    assert asked.status_code == 200 and "Reason for lifting" in asked.content.decode()
    client.post(changelist, {**selected, "apply": "1", "reason": "Appeal accepted"})
    placed.refresh_from_db()
    assert placed.lift_reason == "Appeal accepted" and placed.lifted_by == staff


def test_the_way_to_a_block_is_on_the_moderation_pages_and_the_profile(client, fan, moderator):
    block(moderator, user=fan, sitewide=False, actions=[Action.TALK])
    client.force_login(moderator)
    queue = client.get(reverse("moderation:queue")).content.decode()
    assert reverse("safety:blocks") in queue
    profile = client.get(reverse("wiki:profile", args=[fan.username])).content.decode()
    assert f"{reverse('safety:block-new')}?user=fan" in profile and "Talk pages" in profile
    client.force_login(fan)
    assert (
        reverse("safety:block-new")
        not in client.get(reverse("wiki:profile", args=[fan.username])).content.decode()
    )
