"""Settings for the test suite: the real settings, made fast and isolated."""

import tempfile
from pathlib import Path

from fanwiki.settings import *  # noqa: F403
from fanwiki.settings import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}
    for alias in ("default", "limits")
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="fanwiki-test-media-")
# The page cache is on, as in production, so every test that reads a page after a
# change also checks that the change invalidated it.
PAGE_CACHE_SECONDS = 600
PAGE_CACHE_GENERATION_FILE = Path(tempfile.mkdtemp(prefix="fanwiki-test-pages-")) / "generation"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
# The source lookup's tests serve pages from a local HTTP server (tests/citations).
SOURCE_LOOKUP_ALLOWED_ADDRESSES = ["127.0.0.1"]
WEBHOOK_ALLOWED_ADDRESSES = ["127.0.0.1"]

# Most tests exercise review; the ones about automatic approval turn it on.
WIKI_AUTO_APPROVE = {"moderators": False, "trusted": True}

# Background tasks run at once, in the test's process; tests/wiki/test_worker.py
# starts a real worker against Redis for the real thing.
CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = True
# As in production: a failing task is retried and logged, not raised into the caller
# (tests assert what the task did, so one that failed shows there).
CELERY_TASK_EAGER_PROPAGATES = False

# On SQLite the test database is a file, not memory, so that another process (the
# real Celery worker in tests/wiki/test_worker.py) can open it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.mkdtemp(prefix="fanwiki-test-db-")) / "test.sqlite3")
    }
    # A throwaway database: no waiting for the disk.
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"]["OPTIONS"],
        "init_command": "PRAGMA synchronous = OFF",
    }

# Two aliases, as in production with DATABASE_REPLICA_URL: the replica is a test mirror
# of the primary. Reads are routed to it only in tests/fanwiki/test_routers.py, which
# turns the router on (elsewhere a test's uncommitted rows would be invisible to it).
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = []
