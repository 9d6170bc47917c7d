"""Reads from the replica, writes to the primary, and one's own writes read back at once."""

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.moderation import services as moderation
from apps.wiki.models import Article, Revision
from apps.wiki.tasks import tell_about_decision
from fanwiki.routers import PIN_COOKIE, PrimaryReplicaRouter, primary
from tests import factories
from tests.wiki.test_loop import edit_post

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture(autouse=True)
def routed(settings):
    settings.DATABASE_ROUTERS = ["fanwiki.routers.PrimaryReplicaRouter"]
    settings.REPLICA_PIN_SECONDS = 10


class Queries:
    """The queries each alias ran inside the block."""

    def __enter__(self):
        self.primary = CaptureQueriesContext(connections["default"])
        self.replica = CaptureQueriesContext(connections["replica"])
        self.primary.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc):
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)


def test_the_router_sends_reads_to_the_replica_and_writes_to_the_primary():
    router = PrimaryReplicaRouter()
    assert router.db_for_read(Article) == "replica"
    assert router.db_for_write(Article) == "default"
    with transaction.atomic():
        assert router.db_for_read(Article) == "default"
    with primary():
        assert router.db_for_read(Article) == "default"
    assert router.allow_migrate("replica", "wiki") is False


def test_a_reader_is_served_from_the_replica(client, article):
    with Queries() as queries:
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert len(queries.replica) > 0
    assert len(queries.primary) == 0
    assert PIN_COOKIE not in response.cookies


def test_a_fans_own_proposal_reads_back_from_the_primary(client, article, fan):
    client.force_login(fan)
    data = edit_post(
        article, client, body="Original text. [@1]\n\nA new detail. [@1]", summary="Add a detail"
    )
    with Queries() as queries:
        response = client.post(reverse("wiki:article-edit", args=[article.slug]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert len(queries.replica) == 0
    assert response.cookies[PIN_COOKIE]["max-age"] == 10
    proposal = Revision.objects.using("default").get(summary="Add a detail")

    # The page the fan is sent to next reads from the primary: a lagging replica
    # could not hide the proposal they just made.
    with Queries() as queries:
        page = client.get(response["Location"])
    assert page.status_code == 200
    assert len(queries.replica) == 0 and len(queries.primary) > 0
    mine = client.get(reverse("wiki:contributions"))
    assert proposal in mine.context["page"].object_list

    # Once the pin has lapsed, reads go back to the replica.
    client.cookies.pop(PIN_COOKIE)
    with Queries() as queries:
        client.get(reverse("wiki:contributions"))
    assert len(queries.replica) > 0


def test_a_background_task_reads_from_the_primary(article, fan, moderator):
    proposal = factories.propose_edit(article, fan)
    moderation.revision_approve(revision=proposal, moderator=moderator)
    with Queries() as queries:
        tell_about_decision.delay(proposal.pk, moderator.pk)
    assert len(queries.replica) == 0 and len(queries.primary) > 0
