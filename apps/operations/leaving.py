"""Leaving the wiki: a fan's own data as JSON, and deleting their account.

Deleting keeps what they wrote (the licence requires it, and history must hold)
but nothing that says who they were: the account becomes "former-contributor-N"
(N its number, stable), without address, password, sessions, tokens, follows,
notifications or settings; notifications to others that named them are rewritten.
"""

from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.accounts.models import NotificationEmail, Trust, User
from apps.api.models import ApiToken, WebhookDelivery
from apps.api.tokens import token_revoke
from apps.moderation.models import ReviewComment
from apps.notifications.models import Notification
from apps.talk.models import Post, TopicFollow
from apps.web.pagecache import pages_changed
from apps.wiki.models import ActionKind, Follow, ModeratorAction, Revision

FORMER = "former-contributor-{}"


def former_name(user: User) -> str:
    return FORMER.format(user.pk)


def is_former(user: User) -> bool:
    return user.username == former_name(user)


def personal_data(user: User) -> dict[str, Any]:
    """Everything the wiki keeps that is theirs, as JSON-ready data."""
    revisions = Revision.objects.filter(author=user).select_related("article").order_by("pk")
    return {
        "account": {
            "username": user.username,
            "email": user.email,
            "email_confirmed": user.email_verified,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "trust": user.trust,
            "bot": user.is_bot,
        },
        "settings": {
            "notifications_on_site": user.notify_on_site,
            "notifications_by_email": user.notification_email,
            "spoiler_points": user.spoiler_points,
        },
        "proposals": [
            {
                "id": r.pk,
                "article": r.article.title,
                "title": r.title,
                "status": r.status,
                "created_at": r.created_at,
                "decided_at": r.decided_at,
                "decision_reason": r.decision_reason,
                "summary": r.summary,
                "body": r.body,
            }
            for r in revisions
        ],
        "review_comments": [
            {
                "id": c.pk,
                "proposal": c.thread.revision_id,
                "created_at": c.created_at,
                "body": c.body,
                "suggestion": c.suggestion,
            }
            for c in ReviewComment.objects.filter(author=user).select_related("thread")
        ],  # fmt: skip
        "talk_posts": [
            {
                "id": p.pk,
                "article": p.topic.article.title,
                "topic": p.topic.title,
                "created_at": p.created_at,
                "body": p.body,
            }
            for p in Post.objects.filter(author=user).select_related("topic__article")
        ],  # fmt: skip
        "following": [
            f.article.title for f in Follow.objects.filter(user=user).select_related("article")
        ],  # fmt: skip
        "api_tokens": [
            {
                "name": t.name,
                "scopes": t.scopes,
                "created_at": t.created_at,
                "revoked_at": t.revoked_at,
            }
            for t in ApiToken.objects.filter(user=user)
        ],  # fmt: skip
        "exported_at": timezone.now(),
    }


def account_delete(*, user: User, actor: User) -> User:
    """Delete ``user``'s account (``actor`` is the user, or staff): see the module docstring."""
    if actor.pk != user.pk and not actor.is_staff:
        raise PermissionDenied("Only the account's owner or staff can delete it.")
    if is_former(user):
        return user
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        old = user.username
        for token in ApiToken.objects.filter(user=user, revoked_at__isnull=True):
            token_revoke(token=token, actor=actor)
        Follow.objects.filter(user=user).delete()
        TopicFollow.objects.filter(user=user).delete()
        Notification.objects.filter(user=user).delete()
        user.username = former_name(user)
        user.email = ""
        user.email_verified_at = None
        user.first_name = user.last_name = ""
        # An unusable password: no log-in, and every session's hash no longer matches.
        user.password = make_password(None)
        user.is_active = user.is_staff = user.is_superuser = user.is_bot = False
        user.trust = Trust.AUTO
        user.spoiler_points = {}
        user.notify_on_site = False
        user.notification_email = NotificationEmail.NONE
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        for note in Notification.objects.filter(
            Q(message__contains=old) | Q(folded_message__contains=old)
        ):
            note.message = note.message.replace(old, user.username)
            note.folded_message = note.folded_message.replace(old, user.username)
            note.save(update_fields=["message", "folded_message"])
        for delivery in WebhookDelivery.objects.filter(body__contains=f'"{old}"'):
            delivery.body = delivery.body.replace(f'"{old}"', f'"{user.username}"')
            delivery.save(update_fields=["body"])
        ModeratorAction.objects.create(
            actor=actor,
            action=ActionKind.ACCOUNT_DELETED,
            user=user,
            summary=f"Deleted account #{user.pk} (now {user.username})",
            reason="At its owner's request." if actor.pk == user.pk else "By staff.",
        )
        pages_changed()
    return user
