"""Reads from the replica, writes to the primary, and one's own writes read back at once."""

import pytest
from django.db import connections, transaction
from django.test import Client
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
    """The queries each alias ran inside the block (the replica's counted without
    connecting to it first, so that a replica that is down can be watched too)."""

    def __enter__(self):
        self.primary = CaptureQueriesContext(connections["default"])
        self.primary.__enter__()
        self.replica = []
        self.watching = connections["replica"].execute_wrapper(self.count)
        self.watching.__enter__()
        return self

    def count(self, execute, sql, params, many, context):
        self.replica.append(sql)
        return execute(sql, params, many, context)

    def __exit__(self, *exc):
        self.watching.__exit__(*exc)
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


@pytest.fixture
def replica_down():
    """The replica's address leads nowhere (a folder that does not exist, or a port nobody
    listens on), as when its server stopped; put back afterwards."""
    import socket

    from fanwiki import routers

    replica = connections["replica"]
    saved = replica.settings_dict
    replica.close()
    if replica.vendor == "sqlite":
        replica.settings_dict = {**saved, "NAME": "/nonexistent/replica.sqlite3"}
    else:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        replica.settings_dict = {**saved, "HOST": "127.0.0.1", "PORT": str(port)}
    routers.REPLICA_CIRCUIT.down_until = 0.0

    def put_back():
        replica.close()
        replica.settings_dict = saved

    yield put_back
    put_back()
    routers.REPLICA_CIRCUIT.down_until = 0.0


def test_with_the_replica_down_readers_are_served_from_the_primary(
    article, replica_down, settings, caplog
):
    client = Client(raise_request_exception=False)
    settings.PAGE_CACHE_SECONDS = 0  # each page made afresh, with its reads
    settings.REPLICA_RETRY_SECONDS = 60
    for _ in range(2):
        with Queries() as queries:
            response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        assert article.title in response.content.decode()
        assert len(queries.primary) > 0 and len(queries.replica) == 0
    # Said once, not a request.
    assert caplog.text.count("read replica unreachable") == 1
    assert "reading from the primary" in caplog.text

    # Back: the first read after the wait tries it again, and uses it.
    replica_down()
    settings.REPLICA_RETRY_SECONDS = 0
    from fanwiki import routers

    routers.REPLICA_CIRCUIT.down_until = 1.0  # the wait is over
    with Queries() as queries:
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert len(queries.replica) > 0
    assert "read replica answers again" in caplog.text


def test_a_page_whose_replica_connection_broke_is_made_again_from_the_primary(article, caplog):
    """The replica answered when the request began, then its connection broke mid-page (the
    driver's error, raised on the replica's first query; the fault suite,
    tests/fanwiki/test_outages.py, breaks a real connection)."""
    from fanwiki import routers

    routers.REPLICA_CIRCUIT.down_until = 0.0
    replica = connections["replica"]
    replica.ensure_connection()
    client = Client(raise_request_exception=False)
    broke = []

    def breaking(execute, sql, params, many, context):
        if not broke:
            broke.append(sql)
            with replica.wrap_database_errors:
                raise replica.Database.OperationalError("server closed the connection")
        return execute(sql, params, many, context)

    with replica.execute_wrapper(breaking), Queries() as queries:
        response = client.get(article.get_absolute_url())
    assert broke, "the replica was not read"
    assert response.status_code == 200
    assert article.title in response.content.decode()
    assert len(queries.primary) > 0
    assert "read replica unreachable" in caplog.text
    routers.REPLICA_CIRCUIT.down_until = 0.0
