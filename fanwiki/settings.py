"""Settings for the fan wiki, read from the environment.

With nothing set the site runs on SQLite under ``var/`` with DEBUG on, a
development secret, an in-process cache and tasks run at once in the request
(what ``make run`` uses). ``DATABASE_URL`` switches the database, ``REDIS_URL``
the cache, sessions and task broker, ``MEDIA_STORAGE=s3`` the uploads. With
DEBUG off the site refuses to start without a real ``SECRET_KEY``,
``ALLOWED_HOSTS`` and ``SITE_URL``. Every variable is in the README's table.
"""

import ipaddress
import os
import re
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
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


def env_int(name: str, default: int) -> int:
    """Read a whole number; anything else is a configuration error."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def media_origins(
    *,
    media_url: str,
    bucket: str,
    custom_domain: str | None,
    endpoint_url: str | None,
    region: str | None,
) -> list[str]:
    """Where the uploads' links point when they live in a bucket: the origins the
    Content-Security-Policy lets images load from, besides the site itself."""
    if media_url.startswith(("http://", "https://")):
        return [_origin(media_url)]
    if custom_domain:
        return [f"https://{custom_domain}"]
    if endpoint_url:
        # Path-style (endpoint/bucket/key) or virtual-hosted (bucket.endpoint/key).
        parts = urlsplit(endpoint_url)
        return [_origin(endpoint_url), f"{parts.scheme}://{bucket}.{parts.netloc}"]
    hosts = [f"{bucket}.s3.amazonaws.com"] + (
        [f"{bucket}.s3.{region}.amazonaws.com"] if region else []
    )
    return [f"https://{host}" for host in hosts]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if DEBUG:
    SECRET_KEY = SECRET_KEY or DEV_SECRET_KEY
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]
else:
    # Django's own deployment check asks for 50 characters, 5 of them different.
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "DEBUG is off: set SECRET_KEY to a random string of at least 50 characters."
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


# Where readers reach the site: every link that leaves a page (e-mail, feeds) starts with it.
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
    "axes",
    # The site's apps, each after those it may import (README, "Layout").
    "apps.outbox",
    "apps.accounts",
    "apps.catalog",
    "apps.citations",
    "apps.web",
    "apps.notifications",
    "apps.wiki",
    "apps.moderation",
    "apps.talk",
    "apps.categories",
    "apps.safety",
    "apps.operations",
    "apps.api",
]

MIDDLEWARE = [
    "fanwiki.observability.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # django-csp's, with the unchanging policy built once (fanwiki/csp.py).
    "fanwiki.csp.CSPMiddleware",
    # Static files from the app servers themselves: hashed names, compressed, cached for ever.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "fanwiki.routers.PrimaryAfterWriteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page asks the one spoiler rule for the reader it is made for.
    "apps.web.spoilers.SpoilerPointMiddleware",
    # The block checks that services make know the client's address from it.
    "apps.safety.middleware.RequestMiddleware",
    # An article's former address (a title before a move, another name): 301 to it.
    "apps.wiki.middleware.MovedArticleMiddleware",
    "fanwiki.ratelimits.RateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out log-in into the lockout page.
    "axes.middleware.AxesMiddleware",
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
                "apps.moderation.context_processors.moderation",
                "apps.web.context_processors.site",
                "apps.accounts.context_processors.account",
                "apps.wiki.context_processors.editor",
                "apps.notifications.context_processors.unread",
            ],
            "builtins": ["fanwiki.templatetags"],
        },
    },
]

# Persistent connections (checked before reuse) spare a connection set-up per request.
CONN_MAX_AGE = env_int("CONN_MAX_AGE", 60)
CONN_HEALTH_CHECKS = env_bool("CONN_HEALTH_CHECKS", True)

# A database that does not answer fails a request (and /healthz) in seconds.
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 5)


def database(url: str) -> dict[str, Any]:
    settings: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=CONN_MAX_AGE, conn_health_checks=CONN_HEALTH_CHECKS)
    )
    if settings["ENGINE"] == "django.db.backends.postgresql":
        settings.setdefault("OPTIONS", {})["connect_timeout"] = DATABASE_CONNECT_TIMEOUT
    return settings


if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database(os.environ["DATABASE_URL"])}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "fanwiki.sqlite3"),
            # Wait for a writer instead of failing at once with "database is locked".
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }

# Reads go to a replica when there is one (fanwiki/routers.py); writes, reads inside a
# transaction and a user's reads just after their own write go to the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = database(os.environ["DATABASE_REPLICA_URL"])
    # A replica that does not answer within this (seconds; libpq's least is 2) is taken
    # as down, and reads go to the primary (fanwiki/routers.py).
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DATABASE_REPLICA_CONNECT_TIMEOUT", 2
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["fanwiki.routers.PrimaryReplicaRouter"]
else:
    DATABASE_ROUTERS = []
# How long after a write a user's reads stay on the primary (longer than replication lag).
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 10)
# While the replica does not answer, each process reads from the primary without trying
# it for this long.
REPLICA_RETRY_SECONDS = env_int("REPLICA_RETRY_SECONDS", 5)

REDIS_URL = os.environ.get("REDIS_URL", "")
# The abuse limits' counters live apart from the pages: a flood of pages can never push
# a counter out. Give them a Redis of their own (maxmemory-policy noeviction) where the
# cache's Redis evicts under memory pressure.
LIMITS_REDIS_URL = os.environ.get("LIMITS_REDIS_URL", REDIS_URL)
# A Redis that does not answer is skipped for this long (each process) before it is tried
# again: meanwhile pages are made without the cache (fanwiki/cache.py).
CACHE_RETRY_SECONDS = env_int("CACHE_RETRY_SECONDS", 5)
if REDIS_URL:
    CACHES = {
        alias: {
            "BACKEND": "fanwiki.cache.ReusingRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
            # A Redis that does not answer fails fast instead of holding the worker.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
        for alias, location, prefix in (
            ("default", REDIS_URL, "fanwiki"),
            ("limits", LIMITS_REDIS_URL, "fanwiki-limits"),
        )
    }
    # Sessions read from the shared cache, written through to the database: any app
    # server can serve any request, and a Redis restart logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}
        for alias in ("default", "limits")
    }

# Abuse limits (fanwiki/ratelimits.py says which pages each applies to): "<count>/<period>",
# the period in s, m, h or d, optionally with a number ("20/10m"); empty turns one off.
# Counted in the "limits" cache: with REDIS_URL, every app server counts together.
RATE_LIMITS = {
    "signup": os.environ.get("RATELIMIT_SIGNUP", "5/h"),
    "login": os.environ.get("RATELIMIT_LOGIN", "30/10m"),
    "password-reset": os.environ.get("RATELIMIT_PASSWORD_RESET", "5/h"),
    "account-email": os.environ.get("RATELIMIT_ACCOUNT_EMAIL", "5/h"),
    "account-data": os.environ.get("RATELIMIT_ACCOUNT_DATA", "10/h"),
    "propose": os.environ.get("RATELIMIT_PROPOSE", "30/h"),
    "propose-per-address": os.environ.get("RATELIMIT_PROPOSE_PER_ADDRESS", "100/h"),
    "preview": os.environ.get("RATELIMIT_PREVIEW", "120/m"),
    "upload": os.environ.get("RATELIMIT_UPLOAD", "30/h"),
    "search": os.environ.get("RATELIMIT_SEARCH", "60/m"),
    "follow": os.environ.get("RATELIMIT_FOLLOW", "60/h"),
    "review-comment": os.environ.get("RATELIMIT_REVIEW_COMMENT", "120/h"),
    "talk": os.environ.get("RATELIMIT_TALK", "30/h"),
    "talk-per-address": os.environ.get("RATELIMIT_TALK_PER_ADDRESS", "100/h"),
    "source-lookup": os.environ.get("RATELIMIT_SOURCE_LOOKUP", "60/h"),
    # The API's reads, per token (or account), else per address; its writes count against
    # the site's own groups above (propose, talk, search).
    "api-read": os.environ.get("RATELIMIT_API_READ", "600/m"),
}
# Addresses the source lookup (apps.citations.lookup) may fetch although they are not
# public. Empty in every real deployment; the tests allow their own local server.
SOURCE_LOOKUP_ALLOWED_ADDRESSES: list[str] = []
# Likewise for webhook endpoints (apps.api.webhooks): empty in every real deployment.
WEBHOOK_ALLOWED_ADDRESSES: list[str] = []
# The first wait before a failed webhook delivery is tried again (doubled each time).
WEBHOOK_RETRY_SECONDS = 120
for _group, _rate in RATE_LIMITS.items():
    if _rate and not re.fullmatch(r"[0-9]+/[0-9]*[smhd]", _rate):
        raise ImproperlyConfigured(
            f"The {_group} rate limit must look like 30/h or 20/10m, not {_rate!r}."
        )
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
RATELIMIT_USE_CACHE = "limits"
# A counter the cache cannot keep (Redis down or full) lets the request through: the site
# keeps working, and the log-in lockout below is kept in the database all the same.
RATELIMIT_FAIL_OPEN = True
RATELIMIT_IP_META_KEY = "fanwiki.client_ip.client_network"
# The client's own address (behind TRUSTED_PROXIES, the one they name): what blocks match.
CLIENT_IP_CALLABLE = "fanwiki.client_ip.client_ip"
# The reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For
# names the client. From anyone else the header is ignored.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {_proxy!r} is not an address or a network."
        ) from None

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# A new account confirms its e-mail address (a signed link, valid this long) before it
# may propose; moderators are exempt. On by default, in development too (the console
# shows the mail); the demo accounts of seed_demo are created confirmed.
REQUIRE_VERIFIED_EMAIL = env_bool("REQUIRE_VERIFIED_EMAIL", True)
EMAIL_VERIFICATION_MAX_AGE = timedelta(days=3)

# django-axes counts failed log-ins (the site's and the admin's) and refuses the next
# ones once LOGIN_FAILURE_LIMIT is reached, until LOGIN_COOLOFF_MINUTES have passed
# since the last failure, staff reset it (the admin's "Access attempts", or
# `manage.py axes_reset_username NAME`), or the owner resets the password by e-mail.
# Its check comes first, so a locked-out password is never even tried.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, with each user's permissions kept in the shared cache until they change.
    "apps.accounts.backends.CachedPermissionsBackend",
]
# Counted per username *and* address: locking a name alone would let anyone lock any fan
# out from anywhere, and locking an address alone would lock out everyone behind one
# shared address (a school, a mobile network) for one person's typos. Stuffing leaked
# pairs across many accounts, one try each, is not stopped by any lockout that spares
# honest users: the password validators, and RATE_LIMITS["login"] per address, are
# the defence there. An address is the client's IPv4 address or its IPv6 /64
# (fanwiki.client_ip.client_network), through TRUSTED_PROXIES.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True  # a fan who mistypes now and then never adds up to a lockout
AXES_CLIENT_IP_CALLABLE = "fanwiki.client_ip.client_network"
AXES_LOCKOUT_CALLABLE = "apps.accounts.views.locked_out"
AXES_HTTP_RESPONSE_CODE = 429

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
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

# Uploads on local disk by default; on an S3-compatible bucket with MEDIA_STORAGE=s3
# (or a bucket name). Credentials come from the usual AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY variables, which boto3 reads itself.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "s3" if AWS_STORAGE_BUCKET_NAME else "local")
if MEDIA_STORAGE not in {"local", "s3"}:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be local or s3, not {MEDIA_STORAGE!r}.")
if MEDIA_STORAGE == "s3":
    from botocore.config import Config as BotoConfig

    if not AWS_STORAGE_BUCKET_NAME:
        raise ImproperlyConfigured("MEDIA_STORAGE is s3: set AWS_STORAGE_BUCKET_NAME.")
    _endpoint = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    _region = os.environ.get("AWS_S3_REGION_NAME") or None
    _domain = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    MEDIA_BACKEND = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": _endpoint,
            "region_name": _region,
            "custom_domain": _domain,
            # Upload names are random and never reused: public links that do not expire
            # (the bucket, or the CDN in front of it, must allow public reads).
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            # A bucket that does not answer fails an upload in seconds, not minutes: 2 s
            # to connect, 5 s for an answer, two tries (the fan is asked to try again).
            "client_config": BotoConfig(
                connect_timeout=2, read_timeout=5, retries={"max_attempts": 2, "mode": "standard"}
            ),
        },
    }
    MEDIA_URL = os.environ.get("MEDIA_URL", MEDIA_URL)
    MEDIA_ORIGINS = media_origins(
        media_url=MEDIA_URL,
        bucket=AWS_STORAGE_BUCKET_NAME,
        custom_domain=_domain,
        endpoint_url=_endpoint,
        region=_region,
    )
else:
    MEDIA_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    MEDIA_ORIGINS = []  # served by the site itself

# In development whitenoise serves straight from static/ (no collectstatic needed).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

STORAGES = {
    "default": MEDIA_BACKEND,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def email_settings(url: str) -> dict[str, object]:
    """SMTP settings from smtp://user:password@host:587 (STARTTLS) or smtps://…:465 (TLS)."""
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ImproperlyConfigured("EMAIL_URL must look like smtp://user:password@host:587.")
    implicit_tls = parts.scheme == "smtps"
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or (465 if implicit_tls else 587),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": implicit_tls,
        "EMAIL_USE_TLS": not implicit_tls and parts.port != 25,
    }


# E-mail: EMAIL_URL, or the host/port/user/password/TLS variables, or the console.
if os.environ.get("EMAIL_URL"):
    globals().update(email_settings(os.environ["EMAIL_URL"]))
elif os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
else:
    EMAIL_BACKEND = os.environ.get(
        "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
    )
    # For the file backend (one file per message; the worker test reads them).
    EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
# A mail server that hangs must not hold a worker for long.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "fanwiki@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# E-mail subjects are one line; a long first line is cut rather than refused.
NOTIFICATION_SUBJECT_MAX_LENGTH = 200

# HTTPS. On by default in production; each can be switched off to serve plain HTTP on
# 127.0.0.1 (tests, benchmarks). Behind a TLS proxy, name the header it sets:
# SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto (only if the proxy always sets or strips it).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    _header = os.environ["SECURE_PROXY_SSL_HEADER"].strip().upper().replace("-", "_")
    SECURE_PROXY_SSL_HEADER = (f"HTTP_{_header}", "https")
# Content-Security-Policy (django-csp): scripts, styles and everything else from this
# site only, never inline; images also from the uploads' bucket; no framing at all.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, *MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer checks over plain HTTP
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
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

# An edit filter whose rule takes longer than this on one text is switched off (apps.safety).
EDIT_FILTER_MAX_MS = env_int("EDIT_FILTER_MAX_MS", 100)

# Logs go to standard error: plain lines by default, one JSON object a line with
# LOG_FORMAT=json. Every request is logged once, with its id, user, status and duration.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "fanwiki.observability.RequestContextFilter"}},
    "formatters": {
        # One line per record: line breaks and other control characters in a message (a
        # path, a user name) are escaped, so a request cannot write lines of its own.
        "text": {
            "()": "fanwiki.observability.TextFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # The request log below replaces Django's own per-request lines.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}

# Background jobs (Celery): e-mail and notification fan-out leave the request. With
# REDIS_URL (or CELERY_BROKER_URL, which may be RabbitMQ's amqp://) a worker started
# by `make worker` runs them; with neither they run at once, in the process that
# queued them (make run, most tests).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "celery")
# Run at once, a failing task still retries and is logged rather than raised into
# the request that queued it, as with a worker.
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True  # a worker that dies mid-task leaves it for another
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that does not answer must not hold a request: 2 s to connect or to answer
# (Redis; RabbitMQ's connect timeout is CELERY_BROKER_CONNECTION_TIMEOUT), and one
# retry for a pooled connection the broker closed. A task the broker does not take is
# held in the database (apps/outbox) and handed over when it answers again.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": 2,
    "socket_timeout": 2,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# While the broker is down, each process holds tasks without trying it for this long.
BROKER_RETRY_SECONDS = env_int("BROKER_RETRY_SECONDS", 5)
# How often the worker hands the tasks held during an outage to the broker.
OUTBOX_RELAY_SECONDS = env_int("OUTBOX_RELAY_SECONDS", 10)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# For `celery --app fanwiki beat` (or use cron: see the README): the daily digest e-mail.
# Sending it twice the same day sends nothing more, so cron and beat together are safe.
CELERY_BEAT_SCHEDULE = {
    "daily-digests": {
        "task": "apps.notifications.tasks.send_digests",
        "schedule": crontab(hour=7, minute=0),
    }
}

# Anonymous readers' pages from the cache (apps/web/pagecache.py): how long a page
# is kept at most (any change invalidates it at once anyway); 0 turns the cache off,
# as in development, where an edited template must show at the next reload.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 0 if DEBUG else 600)
# Without a shared cache (Redis), the processes of one machine agree on the pages'
# generation through this file's modification time.
PAGE_CACHE_GENERATION_FILE = VAR_DIR / "page-generation"

# Moderation policy. Proposals by moderators and by trusted fans are approved
# automatically (and logged as automatic); everyone else goes through review.
# Spam rules, checked before review (apps/wiki/spam.py): links to these domains (and
# their subdomains) are refused; an account with fewer approved proposals than
# SPAM_NEW_ACCOUNT_PROPOSALS may link to at most SPAM_NEW_ACCOUNT_LINKS other sites.
SPAM_BANNED_DOMAINS = env_list("SPAM_BANNED_DOMAINS", [])
SPAM_NEW_ACCOUNT_PROPOSALS = env_int("SPAM_NEW_ACCOUNT_PROPOSALS", 3)
SPAM_NEW_ACCOUNT_LINKS = env_int("SPAM_NEW_ACCOUNT_LINKS", 2)
WIKI_AUTO_APPROVE = {"moderators": True, "trusted": True}
# How many of one account's proposals may await review at once (moderators are exempt):
# past it, proposing answers 429 with the count, on the site and over the API, so that
# one fan or bot cannot bury the reviewers. 0 turns the cap off.
PENDING_PROPOSALS_CAP = env_int("PENDING_PROPOSALS_CAP", 25)
# A fan becomes trusted after this many approved proposals, with no rejection in
# the last quiet_days, on an account at least min_account_days old.
WIKI_TRUST_RULE = {"approved": 5, "quiet_days": 30, "min_account_days": 7}
# How long a moderator's claim on a proposal lasts.
WIKI_CLAIM_MINUTES = 30
