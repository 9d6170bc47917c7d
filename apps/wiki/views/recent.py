"""Recent changes: approved revisions across the wiki, newest first, with filters."""

import re
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.db.models import F
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from apps.catalog.models import Show
from apps.web.pagecache import cached_for_readers, not_for_the_cache, paged
from apps.web.params import slug_value

from ..models import Revision

PAGE_SIZE = 50
MAX_DAYS = 90
KINDS = {"new": "New articles", "edit": "Edits"}
_USERNAME = re.compile(r"[\w.@+-]{1,150}")
_DAYS = re.compile(r"[0-9]{1,2}")


@dataclass(frozen=True)
class RecentFilters:
    """What the reader narrowed the list to. A value that makes no sense is dropped."""

    show: str = ""
    user: str = ""
    kind: str = ""
    days: int | None = None
    bots: str = ""  # "hide": leave out the edits of accounts marked as bots

    @classmethod
    def from_query(cls, query) -> "RecentFilters":
        show, user = query.get("show", ""), query.get("user", "")
        kind, days = query.get("kind", ""), query.get("days", "")
        bots = "hide" if query.get("bots", "") == "hide" else ""
        return cls(
            show=slug_value(show),
            user=user if _USERNAME.fullmatch(user) else "",
            kind=kind if kind in KINDS else "",
            days=int(days) if _DAYS.fullmatch(days) and 1 <= int(days) <= MAX_DAYS else None,
            bots=bots,
        )

    def apply(self, revisions):
        if self.show:
            revisions = revisions.filter(article__episode__season__show__slug=self.show)
        if self.user:
            revisions = revisions.filter(author__username=self.user)
        if self.kind:
            revisions = revisions.filter(base__isnull=self.kind == "new")
        if self.days:
            revisions = revisions.filter(decided_at__gte=timezone.now() - timedelta(days=self.days))
        if self.bots:
            revisions = revisions.filter(author__is_bot=False)
        return revisions

    def as_query(self) -> str:
        """The filters as a query string (without "?"), for links that keep them."""
        return urlencode({name: value for name, value in asdict(self).items() if value})


def recent_changes(filters: RecentFilters):
    """Approved revisions, newest decision first, with all a listing shows in one query."""
    revisions = (
        Revision.objects.approved()
        .select_related("article__episode__season__show", "author", "decided_by")
        # A move shows as one (the title it had before), in the same query.
        .annotate(base_title=F("base__title"))
        .order_by("-decided_at", "-id")
    )
    return filters.apply(revisions)


@require_safe
@cached_for_readers(query=("page", "kind", "days", "bots"), uncached=("user", "show"))
def recent(request):
    filters = RecentFilters.from_query(request.GET)
    kept = {"kind": filters.kind, "days": str(filters.days or ""), "bots": filters.bots}
    if any(request.GET.get(name, value) != value for name, value in kept.items()):
        not_for_the_cache(request)  # a value it dropped: served as the list without it
    page = paged(request, recent_changes(filters), PAGE_SIZE)
    return render(
        request,
        "wiki/recent.html",
        {
            "page": page,
            "filters": filters,
            "shows": Show.objects.order_by("title"),
            "kinds": KINDS,
            "day_choices": (1, 7, 30, MAX_DAYS),
        },
    )
