"""The audit log's tabs: the wiki's decisions, and whatever other apps record.

Moderation offers the hook "audit-logs": each registered function returns an
:class:`AuditLog`, a tab of /moderation/audit/ (``?log=<key>``). Talk pages add
theirs this way, so moderation never names them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet

from apps.web import hooks
from apps.wiki.models import AuditAction, AuditEvent

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
            "actor", "article__episode__season__show", "revision__article__episode__season__show"
        )
        .defer("revision__body", "revision__rendered_html")
        # A move shows as one: the title the version it was written on gave the article.
        .annotate(base_title=F("revision__base__title"))
        .order_by("-created_at", "-id")
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
