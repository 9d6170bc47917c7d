"""Settings for the fan wiki, read from the environment.

With nothing set the site runs on SQLite under ``var/`` with DEBUG on and a
development secret (what ``make run`` uses). ``DATABASE_URL`` switches the
database, ``REDIS_URL`` the cache. With DEBUG off the site refuses to start
without a real ``SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FANWIKI_VAR_DIR", BASE_DIR / "var"))

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
DEV_SECRET_KEY = "django-insecure-development-only-fanwiki-secret"


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean; anything but a clear yes or no is a configuration error."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if DEBUG:
    SECRET_KEY = SECRET_KEY or DEV_SECRET_KEY
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]
else:
    if not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured(
            "DEBUG is off: set SECRET_KEY to a random string of at least 32 characters."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DEBUG is off: set ALLOWED_HOSTS (comma-separated host names).")

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])


def site_url(raw: str) -> str:
    """The site's scheme and host (and port), without a trailing slash: https://wiki.example."""
    parts = urlsplit(raw.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.path not in {"", "/"}:
        raise ImproperlyConfigured(
            f"SITE_URL must be a scheme and a host such as https://wiki.example, not {raw!r}."
        )
    if parts.query or parts.fragment or parts.username:
        raise ImproperlyConfigured(f"SITE_URL must have no query, fragment or user: {raw!r}.")
    return f"{parts.scheme}://{parts.netloc}"


# Where readers reach the site: every link that leaves a page (e-mail) starts with it.
if os.environ.get("SITE_URL"):
    SITE_URL = site_url(os.environ["SITE_URL"])
elif DEBUG:
    SITE_URL = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
else:
    raise ImproperlyConfigured("DEBUG is off: set SITE_URL (such as https://wiki.example).")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "markdownx",
    "apps.accounts",
    "apps.catalog",
    "apps.citations",
    "apps.wiki",
    "apps.moderation",
    "apps.notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "fanwiki.urls"
WSGI_APPLICATION = "fanwiki.wsgi.application"
ASGI_APPLICATION = "fanwiki.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.wiki.context_processors.moderation",
                "apps.notifications.context_processors.unread",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0"))
        )
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "fanwiki.sqlite3",
            # Wait for a writer instead of failing at once with "database is locked".
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "fanwiki@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# django-markdownx reads these once, at import. Its own views are not routed
# (they neither require login nor sanitise); apps/wiki/editor.py serves both
# paths, and the widget posts to them.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "apps.markup.render_markdown"
MARKDOWNX_URLS_PATH = "/markdownx/markdownify/"
MARKDOWNX_UPLOAD_URLS_PATH = "/markdownx/upload/"
MARKDOWNX_EDITOR_RESIZABLE = True

# Uploaded images: the bytes decide the type, these bound the work.
UPLOAD_MAX_BYTES = 5 * 1024 * 1024
UPLOAD_MAX_PIXELS = 25_000_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

# How long a Markdown body may be (characters); longer input is refused with a message.
WIKI_MAX_BODY_LENGTH = 100_000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Moderation policy. Proposals by moderators and by trusted fans are approved
# automatically (and logged as automatic); everyone else goes through review.
WIKI_AUTO_APPROVE = {"moderators": True, "trusted": True}
# A fan becomes trusted after this many approved proposals, with no rejection in
# the last quiet_days, on an account at least min_account_days old.
WIKI_TRUST_RULE = {"approved": 5, "quiet_days": 30, "min_account_days": 7}
# How long a moderator's claim on a proposal lasts.
WIKI_CLAIM_MINUTES = 30
