"""Fans signed in before the permission-keeping backend stay signed in after the deploy."""

import importlib

import pytest
from django.apps import apps as global_apps
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db

step = importlib.import_module("apps.accounts.migrations.0007_sessions_of_the_caching_backend")


def test_a_session_of_modelbackend_is_kept(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    fan = factories.make_user("old-session-fan")
    session = SessionStore()
    session[SESSION_KEY] = str(fan.pk)
    session[BACKEND_SESSION_KEY] = step.OLD
    session[HASH_SESSION_KEY] = fan.get_session_auth_hash()
    session.create()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    assert not client.get("/").wsgi_request.user.is_authenticated  # what the deploy did
    step.rename(global_apps, connection.schema_editor())
    assert client.get("/").wsgi_request.user == fan
    assert SessionStore(session.session_key).load()[BACKEND_SESSION_KEY] == step.NEW
