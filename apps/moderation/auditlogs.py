"""The audit log's tabs: the wiki's decisions, and whatever other apps record.

Moderation offers the hook "audit-logs": each registered function returns an
:class:`AuditLog`, a tab of /moderation/audit/ (``?log=<key>``). Talk pages add
theirs this way, so moderation never names them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet

from apps.accounts.models import Trust
from apps.web import hooks
from apps.wiki.models import ActionKind, AuditAction, AuditEvent, ModeratorAction, Protection

from .models import ProtectionChange, TrustChange

AUDIT_LOGS = "audit-logs"


@dataclass(frozen=True)
class AuditLog:
    key: str  # ?log=<key>; "" is the wiki's own log, shown first and by default
    tab: str  # the tab's label
    description: str  # what the log holds, the page's first words
    events: Callable[[], QuerySet[Any]]  # every event, newest first, with what the rows show
    actions: list[tuple[str, str]]  # the choices of the "action" filter
    table: str  # the template of the table; it gets ``page``
    empty: str  # said when no event matches the filters


def offer() -> None:
    hooks.offer(
        AUDIT_LOGS, "hook: a tab of the moderators' audit log; returns an auditlogs.AuditLog"
    )


def logs() -> dict[str, AuditLog]:
    """Every tab, in order, by key."""
    return {log.key: log for log in hooks.run(AUDIT_LOGS)}


def _decisions() -> QuerySet[AuditEvent]:
    return (
        # With the episodes: each row's links ask the spoiler rule (the moderator's point).
        AuditEvent.objects.select_related(
            "actor",
            "article__episode__season__show",
            "revision__article__episode__season__show",
            "revision__author",  # an author's name suppressed by oversight stays hidden
        )
        .defer("revision__body", "revision__rendered_html")
        # A move shows as one: the title the version it was written on gave the article.
        .annotate(base_title=F("revision__base__title"))
        .order_by("-created_at", "-id")
    )


@hooks.register(AUDIT_LOGS, order=20)
def actions_log() -> AuditLog:
    return AuditLog(
        key="actions",
        tab="Moderator actions",
        description="Every source merge, block, edit filter change, suppression, rollback "
        "and account deletion",
        events=lambda: ModeratorAction.objects.select_related(
            "actor", "user", "article__episode__season__show"
        ).order_by("-created_at", "-id"),
        actions=list(ActionKind.choices),
        table="moderation/includes/audit_actions.html",
        empty="No moderator action matches these filters.",
    )


@hooks.register(AUDIT_LOGS, order=30)
def protection_log() -> AuditLog:
    return AuditLog(
        key="protection",
        tab="Protection",
        description="Every change of who may propose to an article",
        events=lambda: (
            ProtectionChange.objects.select_related("actor", "article__episode__season__show")
            .annotate(action=F("level"))
            .order_by("-created_at", "-id")
        ),
        actions=list(Protection.choices),
        table="moderation/includes/audit_protection.html",
        empty="No protection change matches these filters.",
    )


@hooks.register(AUDIT_LOGS, order=40)
def trust_log() -> AuditLog:
    return AuditLog(
        key="trust",
        tab="Trust",
        description="Every moderator's decision on a fan's trust",
        events=lambda: (
            TrustChange.objects.select_related("actor", "user")
            .annotate(action=F("trust"))
            .order_by("-created_at", "-id")
        ),
        actions=[(value, label) for value, label in Trust.choices],
        table="moderation/includes/audit_trust.html",
        empty="No trust change matches these filters.",
    )


@hooks.register(AUDIT_LOGS, order=0)
def decisions_log() -> AuditLog:
    return AuditLog(
        key="",
        tab="Proposals and decisions",
        description="Every proposal and decision",
        events=_decisions,
        actions=list(AuditAction.choices),
        table="moderation/includes/audit_decisions.html",
        empty="No audit event matches these filters.",
    )
