"""The Content-Security-Policy: nothing inline runs, images come from the site (or its bucket)."""

import re
from pathlib import Path

import pytest
from csp.decorators import csp_update
from django.http import HttpResponse
from django.urls import reverse

from fanwiki.csp import CSPMiddleware
from fanwiki.settings import media_origins

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def directives(response):
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.mark.parametrize("url_name", ["home", "wiki:search", "accounts:login"])
def test_every_page_carries_the_policy(client, url_name):
    policy = directives(client.get(reverse(url_name)))
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]


def test_the_editor_and_the_admin_carry_it_too(client, fan, staff):
    client.force_login(fan)
    assert (
        "'unsafe-inline'"
        not in client.get(reverse("wiki:article-create"))["Content-Security-Policy"]
    )
    client.force_login(staff)
    assert "'unsafe-inline'" not in client.get("/admin/")["Content-Security-Policy"]


def test_no_template_has_an_inline_script_or_handler():
    """The policy would block them: a script belongs in static/js, data in json_script."""
    found = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for match in re.finditer(r"<script\b(?![^>]*\bsrc=)[^>]*>", text):
            found.append(f"{path.relative_to(TEMPLATES)}: {match[0]}")
        for match in re.finditer(r"<[a-z][^>]*\son[a-z]+\s*=", text, re.IGNORECASE):
            found.append(f"{path.relative_to(TEMPLATES)}: {match[0]}")
        for match in re.finditer(r"<[a-z][^>]*\sstyle\s*=|<style\b", text, re.IGNORECASE):
            found.append(f"{path.relative_to(TEMPLATES)}: {match[0]}")
    assert found == []


@pytest.mark.parametrize(
    ("configuration", "origins"),
    [
        ({"media_url": "https://cdn.example/media/"}, ["https://cdn.example"]),
        ({"custom_domain": "img.example"}, ["https://img.example"]),
        (
            {"endpoint_url": "http://127.0.0.1:9000"},
            ["http://127.0.0.1:9000", "http://uploads.127.0.0.1:9000"],
        ),
        (
            {"region": "eu-west-1"},
            ["https://uploads.s3.amazonaws.com", "https://uploads.s3.eu-west-1.amazonaws.com"],
        ),
    ],
)
def test_the_bucket_origins_follow_the_storage_settings(configuration, origins):
    settings = {"media_url": "/media/", "custom_domain": None, "endpoint_url": None, "region": None}
    assert media_origins(bucket="uploads", **{**settings, **configuration}) == origins


def test_the_policy_built_once_is_django_csps_own(client, settings):
    """fanwiki.csp builds the unchanging headers once; they are what django-csp builds."""

    def both(response):
        return response.get("Content-Security-Policy"), response.get(
            "Content-Security-Policy-Report-Only"
        )

    kept = both(client.get(reverse("home")))
    settings.MIDDLEWARE = [
        "csp.middleware.CSPMiddleware" if name == "fanwiki.csp.CSPMiddleware" else name
        for name in settings.MIDDLEWARE
    ]
    assert both(client.get(reverse("home"))) == kept
    settings.MIDDLEWARE = [
        "fanwiki.csp.CSPMiddleware" if name == "csp.middleware.CSPMiddleware" else name
        for name in settings.MIDDLEWARE
    ]
    # A changed setting is a changed header (the built one is forgotten), report-only too.
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"img-src": ["'self'"]}}
    enforced, report_only = both(client.get(reverse("home")))
    assert enforced == "default-src 'none'"
    assert "img-src 'self'" in report_only


def test_a_view_that_changes_the_policy_gets_its_own(rf):
    @csp_update({"img-src": ["https://images.example"]})
    def view(request):
        return HttpResponse("ok")

    middleware = CSPMiddleware(view)
    request = rf.get("/")
    middleware.process_request(request)
    response = middleware.process_response(request, view(request))
    assert "https://images.example" in response["Content-Security-Policy"]
    plain = middleware.process_response(request, HttpResponse("ok"))
    assert "https://images.example" not in plain["Content-Security-Policy"]
