"""Who is calling, what they may do, and how often: every endpoint asks here.

Three kinds of caller: a script with a token (``Authorization: Bearer …``: the token's
owner, limited to its scopes), the site's own pages (the session, with the CSRF check
that every form of the site has) and, for reads, anyone. The rules behind each answer
are the site's own (apps.wiki.permissions, the services); this module only says which
of them a token has been allowed to use.
"""

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django_ratelimit.core import get_usage
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from apps.accounts.models import User
from apps.wiki.permissions import can_moderate

from .models import Scope
from .problems import Problem
from .tokens import digest_of, recognise

logger = logging.getLogger(__name__)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
EVERY_SCOPE = frozenset(Scope.values)


class Anonymous:
    """What a read without a token authenticates as (ninja needs a true value)."""

    def __bool__(self) -> bool:
        return True


class Caller(HttpBearer):
    """The API's one authentication: a bearer token, else the session (with CSRF on
    writes), else — where ``required`` is false — nobody."""

    def __init__(self, *, required: bool) -> None:
        super().__init__()
        self.required = required

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        request.api_token = None  # type: ignore[attr-defined]
        if header:
            scheme, _, secret = header.strip().partition(" ")
            token = recognise(secret.strip()) if scheme.lower() == "bearer" else None
            if token is None:
                raise AuthenticationError()
            request.user = token.user
            request.api_token = token  # type: ignore[attr-defined]
            request.api_scopes = token.scope_set  # type: ignore[attr-defined]
            return token.user
        if request.user.is_authenticated:
            if request.method not in SAFE_METHODS and check_csrf(request) is not None:
                raise Problem(
                    "forbidden",
                    "A signed-in page must send the CSRF token (the csrftoken cookie as the "
                    "X-CSRFToken header); a script should use a bearer token instead.",
                )
            request.api_scopes = EVERY_SCOPE  # type: ignore[attr-defined]
            return request.user
        if self.required:
            return None
        request.api_scopes = frozenset()  # type: ignore[attr-defined]
        return Anonymous()

    def authenticate(self, request: HttpRequest, token: str) -> Any:  # pragma: no cover
        raise NotImplementedError  # __call__ does it all


anyone = Caller(required=False)
signed_in = Caller(required=True)


def user_of(request: HttpRequest) -> User | AnonymousUser:
    return request.user


def require(request: HttpRequest, scope: str) -> User:
    """The caller, who must be signed in and (with a token) hold ``scope``."""
    user = request.user
    if not user.is_authenticated:
        raise AuthenticationError()
    if scope not in getattr(request, "api_scopes", frozenset()):
        raise Problem("forbidden", f"This token does not have the “{scope}” scope.")
    if scope == Scope.MODERATE and not can_moderate(user):
        raise Problem("forbidden", "Only moderators can do this.")
    assert isinstance(user, User)
    return user


def reads_as_owner(request: HttpRequest) -> bool:
    """Whether the caller reads what its owner alone may see (own pending proposals, for
    a moderator every proposal): the session does; a token with the read or moderate scope."""
    scopes: frozenset[str] = getattr(request, "api_scopes", frozenset())
    return request.user.is_authenticated and bool({Scope.READ, Scope.MODERATE} & scopes)


def limit(request: HttpRequest, group: str, *, per_address: str | None = None) -> None:
    """Count this request against the rate limit ``group`` (per token, else per account,
    else per address) and ``per_address`` (per address); over one, a 429 problem."""
    header = request.headers.get("Authorization", "")
    if header:
        # The token by its secret's digest: known before (and without) looking it up.
        who = f"token:{digest_of(header)[:24]}"
    elif request.user.is_authenticated:
        who = f"user:{request.user.pk}"
    else:
        who = None
    checks = [(group, who)]
    if per_address:
        checks.append((per_address, None))
    for name, key in checks:
        rate = settings.RATE_LIMITS.get(name)
        if not rate:
            continue
        # "ip": django-ratelimit's own key, the client network (settings.RATELIMIT_IP_META_KEY).
        keyed: Any = (lambda _group, _request, k=key: k) if key else "ip"
        try:
            usage = get_usage(request, group=f"api-{name}", key=keyed, rate=rate, increment=True)
        except Exception:  # noqa: BLE001 - a cache outage must not take the API down
            logger.exception("rate limit %s not checked: the cache did not answer", name)
            continue
        if usage is not None and usage["should_limit"]:
            wait = max(1, int(usage["time_left"]))
            raise Problem(
                "too-many-requests",
                f"Too many requests: try again in {wait} second{'s' if wait != 1 else ''}.",
                headers={"Retry-After": str(wait)},
                retry_after=wait,
            )
