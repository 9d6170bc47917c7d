"""Settings from the environment: production refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KEY = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"


def load_settings(**env):
    code = "import fanwiki.settings as s; print(s.DATABASES['default']['ENGINE'])"
    return run_django(code, **env)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "false"}, "set SECRET_KEY"),
        ({"DEBUG": "false", "SECRET_KEY": "short"}, "set SECRET_KEY"),
        ({"DEBUG": "false", "SECRET_KEY": "x" * 60}, "set SECRET_KEY"),
        ({"DEBUG": "false", "SECRET_KEY": KEY}, "set ALLOWED_HOSTS"),
        ({"DEBUG": "false", "SECRET_KEY": KEY, "ALLOWED_HOSTS": "w.example"}, "set SITE_URL"),
        ({"SITE_URL": "wiki.example"}, "SITE_URL must be a scheme and a host"),
        ({"SITE_URL": "https://wiki.example/path/"}, "SITE_URL must be a scheme and a host"),
        ({"SITE_URL": "ftp://wiki.example"}, "SITE_URL must be a scheme and a host"),
        ({"SITE_URL": "https://wiki.example/?x=1"}, "no query"),
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
    ],
)
def test_it_refuses_to_start(env, message):
    result = load_settings(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_it_starts_with_real_settings():
    result = load_settings(
        DEBUG="false",
        SECRET_KEY=KEY,
        ALLOWED_HOSTS="wiki.example",
        SITE_URL="https://wiki.example/",
    )
    assert result.returncode == 0, result.stderr


def test_site_url_keeps_scheme_host_and_port_only():
    result = subprocess.run(
        [sys.executable, "-c", "import fanwiki.settings as s; print(s.SITE_URL)"],
        cwd=ROOT,
        env={**os.environ, "SITE_URL": "HTTPS://Wiki.example:8443/"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.strip() == "https://Wiki.example:8443"


def test_database_url_switches_to_postgresql():
    result = load_settings(DATABASE_URL="postgres://u:p@127.0.0.1:5432/db")
    assert result.stdout.strip() == "django.db.backends.postgresql"


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": KEY,
    "ALLOWED_HOSTS": "wiki.example",
    "SITE_URL": "https://wiki.example",
}


def run_django(code, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "SITE_URL", "DJANGO_SETTINGS_MODULE"}
        # The browser tests set this for their own process; never in deployment.
        and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_check_deploy_reports_nothing_in_production():
    result = run_django(
        "from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        DJANGO_SETTINGS_MODULE="fanwiki.settings",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_turns_https_and_persistent_connections_on():
    code = (
        "import fanwiki.settings as s; print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.CONN_MAX_AGE, s.CONN_HEALTH_CHECKS, "
        "s.STORAGES['staticfiles']['BACKEND'])"
    )
    on = run_django(code, **PRODUCTION).stdout.split()
    assert on == [
        "True", "True", "True", "31536000", "60", "True",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]  # fmt: skip
    off = run_django(
        code,
        **PRODUCTION,
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
    ).stdout.split()
    assert off[:4] == ["False", "False", "False", "0"]


def test_email_url_becomes_smtp_settings():
    code = (
        "import fanwiki.settings as s; print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, "
        "s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL)"
    )
    starttls = run_django(code, EMAIL_URL="smtp://me%40x.org:p%2Fw@mail.example:587").stdout
    assert starttls.split() == [
        "django.core.mail.backends.smtp.EmailBackend", "mail.example", "587",
        "me@x.org", "p/w", "True", "False",
    ]  # fmt: skip
    implicit = run_django(code, EMAIL_URL="smtps://mail.example").stdout.split()
    # No user or password: print() leaves two empty strings, split() drops them.
    assert implicit == [
        "django.core.mail.backends.smtp.EmailBackend", "mail.example", "465", "False", "True",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"EMAIL_URL": "mail.example"}, "EMAIL_URL must look like"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT must be text or json"),
        ({"CONN_MAX_AGE": "soon"}, "CONN_MAX_AGE must be a whole number"),
        ({"MEDIA_STORAGE": "s3"}, "set AWS_STORAGE_BUCKET_NAME"),
        ({"MEDIA_STORAGE": "ftp"}, "MEDIA_STORAGE must be local or s3"),
        ({"RATELIMIT_SIGNUP": "lots"}, "The signup rate limit must look like 30/h"),
        ({"TRUSTED_PROXIES": "proxy.example"}, "'proxy.example' is not an address"),
    ],
)
def test_bad_values_are_refused_with_a_message(env, message):
    result = run_django("import fanwiki.settings", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_make_serves_preflight_says_what_is_missing_in_one_line():
    result = run_django("import runpy; runpy.run_module('fanwiki.preflight', run_name='__main__')",
                        DEBUG="false")  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "Cannot start: DEBUG is off: set SECRET_KEY to a random string of at least 50 characters."
    )
