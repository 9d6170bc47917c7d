"""Creating, revoking and recognising personal access tokens (one place for each)."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.module_loading import import_string

from apps.accounts.models import User
from apps.wiki.permissions import can_moderate

from .models import ApiToken, Scope, TokenAction, TokenEvent

PREFIX = "fwk_"
# How often a token's "last used" is written: not on every request of a busy bot.
LAST_USED_EVERY = timedelta(minutes=1)
MAX_TOKENS = 20


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_scopes(value: str | list[str]) -> list[str]:
    """``"read,propose"`` (or a list) as known scopes in a fixed order; refuses others."""
    names = value.split(",") if isinstance(value, str) else value
    wanted = {name.strip().lower() for name in names if name.strip()}
    unknown = wanted - set(Scope.values)
    if unknown:
        raise ValidationError(
            {"scopes": f"Unknown scope: {', '.join(sorted(unknown))} (read, propose, moderate)."}
        )
    if not wanted:
        raise ValidationError({"scopes": "Choose at least one scope."})
    return [scope for scope in Scope.values if scope in wanted]


def token_create(
    *,
    user: User,
    name: str,
    scopes: list[str],
    expires_at: datetime | None,
    actor: User | None = None,
) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it and its secret, which is never shown again."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Say what the token is for."})
    scopes = parse_scopes(scopes)
    if Scope.MODERATE in scopes and not can_moderate(user):
        raise PermissionDenied("Only moderators can make a token that moderates.")
    if not user.is_active:
        raise PermissionDenied("This account is not active.")
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "The expiry must be in the future."})
    with transaction.atomic():
        # Locked: two creations at once cannot pass the cap together.
        User.objects.select_for_update().filter(pk=user.pk).first()
        if user.api_tokens.usable().count() >= MAX_TOKENS:
            raise ValidationError(
                f"You have {MAX_TOKENS} tokens already: revoke one you no longer use."
            )
        prefix = secrets.token_hex(4)
        secret = f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        token = ApiToken.objects.create(
            user=user,
            name=name[:100],
            prefix=prefix,
            digest=digest_of(secret),
            scopes=",".join(scopes),
            expires_at=expires_at,
        )
        TokenEvent.objects.create(token=token, actor=actor or user, action=TokenAction.CREATED)
    return token, secret


def token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    """Its owner or staff revoke a token; it stops working at once. Revoking twice is
    harmless (the first revocation stays on record)."""
    if actor.pk != token.user_id and not actor.is_staff:
        raise PermissionDenied("Only the token's owner or staff can revoke it.")
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.revoked_by = actor
            locked.save(update_fields=["revoked_at", "revoked_by"])
            TokenEvent.objects.create(token=locked, actor=actor, action=TokenAction.REVOKED)
    return locked


def recognise(secret: str) -> ApiToken | None:
    """The usable token with this secret (its owner selected with it), or None."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token: ApiToken | None = (
        ApiToken.objects.usable()
        .select_related("user")
        .filter(digest=digest_of(secret), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def client_address(request: HttpRequest) -> str:
    """The client as the rate limits see it (behind TRUSTED_PROXIES too): the callable
    settings.RATELIMIT_IP_META_KEY names (an IPv4 address, or an IPv6 /64)."""
    return str(import_string(settings.RATELIMIT_IP_META_KEY)(request))


def record_write(*, token: ApiToken, method: str, path: str, status: int, address: str) -> None:
    """A request by a token that changes something, on the record."""
    TokenEvent.objects.create(
        token=token,
        actor_id=token.user_id,
        action=TokenAction.USED,
        method=method[:10],
        path=path[:300],
        status=status,
        address=address or None,
    )
