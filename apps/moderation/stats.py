"""Numbers for moderators: the backlog, how long reviews take, who decides what.

Each function reads one bounded queryset (the pending revisions, or those of
a fixed window of days) and costs one query however much data there is; the
caller passes ``now`` so the numbers can be checked against known times.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from apps.wiki.models import AuditAction, AuditEvent, Revision, RevisionStatus

WINDOW_DAYS = 30
T = TypeVar("T")
# Decisions a moderator makes on a proposal; a withdrawal is the author's, not a review.
REVIEWED = (
    RevisionStatus.APPROVED,
    RevisionStatus.REJECTED,
    RevisionStatus.MERGED,
    RevisionStatus.CHANGES_REQUESTED,
)
# Bars of the per-day chart are drawn in steps of this many percent (see site.css).
BAR_STEP = 5


@dataclass(frozen=True)
class Backlog:
    count: int
    oldest_age: timedelta | None


@dataclass(frozen=True)
class ReviewTimes:
    count: int
    median: timedelta | None
    p90: timedelta | None


@dataclass(frozen=True)
class ModeratorDecisions:
    username: str
    approved: int
    rejected: int
    merged: int
    total: int
    changes_requested: int = 0
    part_approved: int = 0


@dataclass(frozen=True)
class DayCount:
    day: date
    count: int
    bar: int  # the bar's length, a multiple of BAR_STEP from 0 to 100


def window_start(now: datetime, days: int = WINDOW_DAYS) -> datetime:
    return now - timedelta(days=days)


def nearest_rank(sorted_values: Sequence[T], percent: int) -> T | None:
    """The nearest-rank percentile of values sorted in ascending order.

    The smallest value such that at least ``percent`` per cent of the values are
    less than or equal to it: the value at 1-based rank ⌈percent/100 × n⌉. So the
    median of an even number of values is the lower of the two middle ones, and
    every answer is a value that actually occurred. None for no values.
    """
    if not 0 < percent <= 100:
        raise ValueError("percent must be in (0, 100]")
    if not sorted_values:
        return None
    rank = math.ceil(percent * len(sorted_values) / 100)
    return sorted_values[rank - 1]


def humane_duration(delta: timedelta | None) -> str:
    """A duration as people say it: "2 d 4 h", "3 h 20 min", "45 min", "under 1 min"."""
    if delta is None:
        return "–"
    minutes = max(int(delta.total_seconds() // 60), 0)
    if minutes == 0:
        return "under 1 min"
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min"


def backlog(revisions: QuerySet[Revision], *, now: datetime) -> Backlog:
    """How many proposals wait for a decision, and how long the oldest has waited."""
    totals = revisions.filter(status=RevisionStatus.PENDING).aggregate(
        count=Count("pk"), oldest=Min("created_at")
    )
    oldest = totals["oldest"]
    return Backlog(count=totals["count"], oldest_age=now - oldest if oldest else None)


def _decided_by_moderators(revisions: QuerySet[Revision], *, since: datetime) -> QuerySet[Revision]:
    """Proposals a moderator approved, rejected or merged since ``since``.

    A merge writes a new revision carrying the proposal onto the newer text and
    approves it at once; that copy never waited, and the merge is counted once
    already (on the proposal), so copies are left out. Reverts are automatic.
    """
    return revisions.filter(
        status__in=REVIEWED, automatic=False, merged_from__isnull=True, decided_at__gte=since
    )


def review_times(revisions: QuerySet[Revision], *, since: datetime) -> ReviewTimes:
    """Median and 90th percentile of decided_at − created_at for moderators' decisions."""
    stamps = _decided_by_moderators(revisions, since=since).values_list("created_at", "decided_at")
    # Decided proposals always carry decided_at (a constraint); the column is nullable.
    waits = sorted(
        decided - created for created, decided in stamps.order_by() if decided is not None
    )
    return ReviewTimes(
        count=len(waits), median=nearest_rank(waits, 50), p90=nearest_rank(waits, 90)
    )


def automatic_approvals(events: QuerySet[AuditEvent], *, since: datetime) -> int:
    """Proposals the trust policy approved since ``since`` (a revert is not one)."""
    count: int = events.filter(action=AuditAction.AUTO_APPROVED, created_at__gte=since).count()
    return count


def decisions_per_moderator(
    revisions: QuerySet[Revision], *, since: datetime
) -> list[ModeratorDecisions]:
    """Each moderator's decisions since ``since`` by kind, busiest first."""
    # Approved in part: some changes published as a new version, the rest sent back or
    # declined; counted once, as that, not as a rejection or a request for changes.
    part = Q(in_part=True) & ~Q(status=RevisionStatus.MERGED)
    rows = (
        _decided_by_moderators(revisions, since=since)
        .annotate(in_part=Exists(Revision.objects.filter(merged_from=OuterRef("pk"))))
        .values("decided_by__username")
        .annotate(
            approved=Count("pk", filter=Q(status=RevisionStatus.APPROVED)),
            rejected=Count("pk", filter=Q(status=RevisionStatus.REJECTED) & ~part),
            merged=Count("pk", filter=Q(status=RevisionStatus.MERGED)),
            changes_requested=Count(
                "pk", filter=Q(status=RevisionStatus.CHANGES_REQUESTED) & ~part
            ),
            part_approved=Count("pk", filter=part),
            total=Count("pk"),
        )
        .order_by("-total", "decided_by__username")
    )
    return [
        ModeratorDecisions(
            username=row["decided_by__username"],
            approved=row["approved"],
            rejected=row["rejected"],
            merged=row["merged"],
            changes_requested=row["changes_requested"],
            part_approved=row["part_approved"],
            total=row["total"],
        )
        for row in rows
    ]


def bar_length(count: int, peak: int) -> int:
    """A bar's share of the longest one, rounded to BAR_STEP; any non-zero count shows."""
    if count <= 0 or peak <= 0:
        return 0
    steps = round(count * (100 // BAR_STEP) / peak)
    return max(steps, 1) * BAR_STEP


def proposals_per_day(
    revisions: QuerySet[Revision], *, now: datetime, days: int = WINDOW_DAYS
) -> list[DayCount]:
    """Proposals made on each of the last ``days`` local days (today included), zeros too.

    Every revision written is a proposal except the copies a merge or a revert
    writes on a moderator's behalf.
    """
    today = timezone.localdate(now)
    first = today - timedelta(days=days - 1)
    start = timezone.make_aware(datetime.combine(first, time.min))
    counted = dict(
        revisions.filter(created_at__gte=start, created_at__lte=now, merged_from__isnull=True)
        .exclude(audit_events__action=AuditAction.REVERTED)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("day", "count")
    )
    every_day = [first + timedelta(days=n) for n in range(days)]
    peak = max(counted.values(), default=0)
    return [
        DayCount(day=day, count=counted.get(day, 0), bar=bar_length(counted.get(day, 0), peak))
        for day in every_day
    ]


def moderation_stats(*, now: datetime) -> dict[str, Any]:
    """Everything the statistics page shows, for the window ending at ``now``."""
    revisions = Revision.objects.all()
    since = window_start(now)
    return {
        "window_days": WINDOW_DAYS,
        "backlog": backlog(revisions, now=now),
        "review_times": review_times(revisions, since=since),
        "automatic_approvals": automatic_approvals(AuditEvent.objects.all(), since=since),
        "per_moderator": decisions_per_moderator(revisions, since=since),
        "per_day": proposals_per_day(revisions, now=now),
    }
