"""Sessions signed in through ModelBackend now name CachedPermissionsBackend, which
replaced it in AUTHENTICATION_BACKENDS: Django ignores a session whose backend is no
longer listed, so without this every signed-in fan would be logged out by the deploy.
The session's copy in the shared cache (cached_db) is dropped so the database's is read."""

import contextlib

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import caches
from django.db import migrations
from django.utils import timezone

OLD = "django.contrib.auth.backends.ModelBackend"
NEW = "apps.accounts.backends.CachedPermissionsBackend"


def rename(apps, schema_editor, old=OLD, new=NEW):
    session_model = apps.get_model("sessions", "Session")
    database = schema_editor.connection.alias
    codec = SessionStore()
    live = session_model.objects.using(database).filter(expire_date__gt=timezone.now())
    for session in live.iterator():
        data = codec.decode(session.session_data)  # {} when it cannot be read
        if data.get(BACKEND_SESSION_KEY) != old:
            continue
        data[BACKEND_SESSION_KEY] = new
        session.session_data = codec.encode(data)
        session.save(update_fields=["session_data"])
        # A cache that does not answer holds no copy to drop.
        with contextlib.suppress(Exception):
            caches[settings.SESSION_CACHE_ALIAS].delete(KEY_PREFIX + session.session_key)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_confirmed_email_unique"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(rename, rename_back, elidable=True)]
