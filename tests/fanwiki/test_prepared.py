"""Queries compiled once per process: the same rows as the ORM's, on either engine."""

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User
from apps.wiki.models import Article, Follow
from fanwiki.prepared import Prepared
from tests import factories

pytestmark = pytest.mark.django_db


def following(*, article, user):
    follows = Follow.objects.filter(article_id=OuterRef("pk"), user_id=user)
    return (
        Article.objects.filter(pk=article)
        .annotate(following=Exists(follows))
        .values_list("title", "following", "approved_at")
    )


def test_rows_are_the_orms_for_any_ids(article, fan, author):
    prepared = Prepared(following, "article", "user")
    Follow.objects.create(article=article, user=fan)
    for who in (fan, author):
        expected = [list(row) for row in following(article=article.pk, user=who.pk)]
        assert prepared.rows(Article, article=article.pk, user=who.pk) == expected
    assert expected[0][2] is not None  # a datetime, converted as the ORM converts it
    assert prepared.rows(Article, article=article.pk + 1000, user=fan.pk) == []


def test_it_compiles_once_and_runs_one_query(article, fan):
    prepared = Prepared(following, "article", "user")
    prepared.rows(Article, article=article.pk, user=fan.pk)
    with CaptureQueriesContext(connection) as queries:
        prepared.rows(Article, article=article.pk, user=fan.pk)
    assert len(queries) == 1


def test_a_name_that_is_not_a_parameter_is_refused(article):
    prepared = Prepared(
        lambda *, article, user: following(article=article, user=1), "article", "user"
    )
    with pytest.raises(ValueError, match="user"):
        prepared.rows(Article, article=article.pk, user=2)


def test_the_signed_in_user_is_read_as_the_model_backend_reads_them(client):
    user = factories.make_user("reader")
    client.force_login(user)
    response = client.get("/")
    assert response.wsgi_request.user == user
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert not client.get("/").wsgi_request.user.is_authenticated
