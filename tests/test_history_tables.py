"""Every history table refuses UPDATE and DELETE in the database itself, on both engines
(apps.web.appendonly): not the ORM's guard, the database's, whatever writes to it."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from apps.accounts.models import Trust
from apps.api.models import TokenEvent
from apps.api.tokens import token_create
from apps.moderation import services as moderation
from apps.moderation.models import ProtectionChange, TrustChange
from apps.talk import services as talk
from apps.talk.models import TalkEvent
from apps.web import appendonly
from apps.wiki.models import ActionKind, AuditEvent, ModeratorAction, Protection

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(article, fan, moderator):
    """One row of each history table, written by the services."""
    topic = talk.topic_start(article=article, author=fan, title="Takes", body="How many?")
    talk.topic_close(topic=topic, moderator=moderator, reason="Answered in the article.")
    moderation.user_set_trust(user=fan, trust=Trust.TRUSTED, moderator=moderator, reason="Sure")
    moderation.article_protect(
        article=article, level=Protection.TRUSTED, moderator=moderator, reason="Edit war."
    )
    token, _secret = token_create(user=fan, name="bot", scopes=["read"], expires_at=None)
    ModeratorAction.objects.create(
        actor=moderator, action=ActionKind.BLOCKED, user=fan, summary="Blocked", reason="Spam"
    )
    return {
        ModeratorAction: ModeratorAction.objects.get(),
        TokenEvent: TokenEvent.objects.get(token=token),
        AuditEvent: AuditEvent.objects.first(),
        TalkEvent: TalkEvent.objects.get(),
        TrustChange: TrustChange.objects.get(),
        ProtectionChange: ProtectionChange.objects.get(),
    }


HISTORY_TABLES = [
    AuditEvent, TalkEvent, TrustChange, ProtectionChange, TokenEvent, ModeratorAction,
]  # fmt: skip
# A text column of each table that an UPDATE tries to rewrite.
REWRITTEN = {TokenEvent: "path"}


def refused(sql, params):
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


@pytest.mark.parametrize("model", HISTORY_TABLES, ids=lambda model: model.__name__)
def test_an_update_is_refused(history, model):
    row = history[model]
    table = model._meta.db_table
    column = REWRITTEN.get(model, "reason")
    refused(f"UPDATE {table} SET {column} = %s WHERE id = %s", ["rewritten", row.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**{column: "rewritten"})
    row.refresh_from_db()
    assert getattr(row, column) != "rewritten"


@pytest.mark.parametrize("model", HISTORY_TABLES, ids=lambda model: model.__name__)
def test_a_delete_is_refused(history, model):
    row = history[model]
    refused(f"DELETE FROM {model._meta.db_table} WHERE id = %s", [row.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).delete()
    assert model.objects.filter(pk=row.pk).exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's flush deletes rows")
def test_emptying_the_whole_database_is_what_lets_rows_go(history):
    """On SQLite only a flush (inside appendonly.erasing) may delete history rows."""
    with appendonly.erasing(), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert not AuditEvent.objects.exists()
    refused("DELETE FROM talk_talkevent", [])


@pytest.mark.django_db(transaction=True)  # as an operator runs it: outside any transaction
def test_manage_py_flush_empties_the_database_history_included(history):
    call_command("flush", interactive=False, verbosity=0)
    assert not any(model.objects.exists() for model in HISTORY_TABLES)


def test_every_history_table_is_checked():
    """A model whose docstring calls it append-only is in HISTORY_TABLES."""
    from django.apps import apps

    declared = {
        model
        for model in apps.get_models()
        if "append-only" in (model.__doc__ or "") and model.__module__.startswith("apps.")
    }
    assert declared == set(HISTORY_TABLES)
