"""Abuse limits: how often one account or one address may do what strangers can repeat.

One table, :data:`RULES`, says which pages are limited, on which methods, per
account and/or per client address, and under which group of ``RATE_LIMITS`` (the
settings, read from the environment). The counting is django-ratelimit's, in
the default cache: Redis when ``REDIS_URL`` is set, so every app server counts
together. A request over a limit is answered 429 with a ``Retry-After`` header
before its view runs, so nothing of it is written.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage

from .client_ip import client_ip, client_network, client_wide_network

logger = logging.getLogger(__name__)

TOO_MANY = 429
# An IPv6 /48 counts together at this many times the rate of one /64 (one client).
WIDE_NETWORK_FACTOR = 8
POST, READ = ("POST",), ("GET", "HEAD")


@dataclass(frozen=True)
class Rule:
    group: str  # a key of settings.RATE_LIMITS
    methods: tuple[str, ...]
    per: str  # "account", "address", or "account-or-address" (the address when anonymous)
    answer: str = "page"  # "page", "json" or "text": what the caller can show


RULES: dict[str, tuple[Rule, ...]] = {
    "accounts:signup": (Rule("signup", POST, "address"),),
    "accounts:login": (Rule("login", POST, "address"),),
    "admin:login": (Rule("login", POST, "address"),),
    "accounts:password-reset": (Rule("password-reset", POST, "address"),),
    # Both check the current password: a stolen session must not guess it at full speed.
    "accounts:password-change": (Rule("login", POST, "account"),),
    # Each change mails the new address a link.
    "accounts:email-change": (Rule("account-email", POST, "account"),),
    "accounts:verify-send": (Rule("account-email", POST, "account"),),
    # Leaving: a download of everything one wrote; deleting checks the password.
    "operations:my-data": (Rule("account-data", READ, "account"),),
    "operations:leave": (Rule("login", POST, "account"),),
    "wiki:article-create": (
        Rule("propose", POST, "account"),
        Rule("propose-per-address", POST, "address"),
    ),
    "wiki:article-edit": (
        Rule("propose", POST, "account"),
        Rule("propose-per-address", POST, "address"),
    ),
    # A move is a proposal (with the current text and a new title).
    "wiki:article-move": (
        Rule("propose", POST, "account"),
        Rule("propose-per-address", POST, "address"),
    ),
    "markdownx-preview": (Rule("preview", POST, "account", answer="text"),),
    "markdownx-upload": (Rule("upload", POST, "account", answer="json"),),
    "wiki:search": (Rule("search", READ, "account-or-address"),),
    "wiki:source-autocomplete": (Rule("search", READ, "account", answer="json"),),
    "categories:suggest": (Rule("search", READ, "account-or-address", answer="json"),),
    # Each lookup makes the server fetch a page from elsewhere.
    "wiki:source-lookup": (Rule("source-lookup", POST, "account", answer="json"),),
    # Talk pages: each topic and reply notifies its followers.
    "talk:topic-start": (Rule("talk", POST, "account"), Rule("talk-per-address", POST, "address")),
    "talk:reply": (Rule("talk", POST, "account"), Rule("talk-per-address", POST, "address")),
    "talk:topic-follow": (Rule("follow", POST, "account"),),
    "talk:topic-unfollow": (Rule("follow", POST, "account"),),
    "wiki:article-follow": (Rule("follow", POST, "account"),),
    "wiki:article-unfollow": (Rule("follow", POST, "account"),),
    # Each comment may notify the author or the moderators in the conversation.
    "moderation:thread-new": (Rule("review-comment", POST, "account"),),
    "moderation:thread-reply": (Rule("review-comment", POST, "account"),),
}


def _account(_group: str, request: HttpRequest) -> str:
    return f"user:{request.user.pk}"


def _address(_group: str, request: HttpRequest) -> str:
    return f"ip:{client_network(request)}"


def _wide_network(_group: str, request: HttpRequest) -> str:
    return f"ip48:{client_wide_network(request)}"


def _wider(rate: str) -> str:
    count, period = rate.split("/")
    return f"{int(count) * WIDE_NETWORK_FACTOR}/{period}"


def _key(rule: Rule, request: HttpRequest) -> Callable[[str, HttpRequest], str] | None:
    signed_in = request.user.is_authenticated
    if rule.per == "account":
        return _account if signed_in else None  # the view sends anonymous callers away
    if rule.per == "account-or-address":
        return _account if signed_in else _address
    return _address


def seconds_left(request: HttpRequest, rule: Rule) -> int | None:
    """Count this request against the rule; the seconds until it may pass, or None if it may."""
    rate = settings.RATE_LIMITS.get(rule.group)
    key = _key(rule, request)
    if not rate or key is None or request.method not in rule.methods:
        return None
    counts = [(key, rate)]
    if key is _address and client_wide_network(request) is not None:
        counts.append((_wide_network, _wider(rate)))
    waits = []
    for counted_by, counted_at in counts:
        try:
            usage = get_usage(
                request, group=rule.group, key=counted_by, rate=counted_at, increment=True
            )
        except Exception:  # noqa: BLE001 - a cache outage must not take the site down with it
            logger.exception("rate limit %s not checked: the cache did not answer", rule.group)
            return None
        if usage is not None and usage["should_limit"]:
            waits.append(max(1, int(usage["time_left"])))
    return max(waits, default=None)


def too_many(request: HttpRequest, rule: Rule, retry_after: int) -> HttpResponse:
    message = (
        f"Too many requests: you have done this too often in a short while. "
        f"Try again in {retry_after} second{'s' if retry_after != 1 else ''}."
    )
    response: HttpResponse
    if rule.answer == "json":
        response = JsonResponse({"error": message}, status=TOO_MANY)
    elif rule.answer == "text":
        response = HttpResponse(message, status=TOO_MANY, content_type="text/plain")
    else:
        response = render(request, "429.html", {"retry_after": retry_after}, status=TOO_MANY)
    response["Retry-After"] = str(retry_after)
    return response


class RateLimitMiddleware:
    """Answer 429 before the view when a rule of :data:`RULES` for this page is exceeded."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        match = request.resolver_match
        for rule in RULES.get(match.view_name if match else "", ()):
            retry_after = seconds_left(request, rule)
            if retry_after is not None:
                logger.warning(
                    "rate limited: %s by %s %s",
                    rule.group,
                    rule.per,
                    request.user.pk if request.user.is_authenticated else client_ip(request),
                )
                return too_many(request, rule, retry_after)
        return None
