"""Read-only pages for moderators: statistics and the audit log (the wiki's decisions, and
what other apps record in tabs of their own: apps.moderation.auditlogs)."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from apps.wiki.models import AuditAction
from apps.wiki.permissions import can_oversee

from .. import auditlogs, stats
from ..access import moderator_required

PAGE_SIZE = 50
DAY = "%Y-%m-%d"
DAY_INPUT = forms.DateInput(attrs={"type": "date"}, format=DAY)


@require_safe
@moderator_required
def statistics(request: HttpRequest) -> HttpResponse:
    numbers = stats.moderation_stats(now=timezone.now())
    times = numbers["review_times"]
    numbers["durations"] = {
        "oldest": stats.humane_duration(numbers["backlog"].oldest_age),
        "median": stats.humane_duration(times.median),
        "p90": stats.humane_duration(times.p90),
    }
    return render(request, "moderation/stats.html", numbers)


class AuditFilterForm(forms.Form):
    """The audit log's filters; each one that does not validate is simply not applied."""

    actor = forms.CharField(required=False, max_length=150, label="Actor (username)")
    action = forms.ChoiceField(
        required=False, choices=[("", "Any action"), *AuditAction.choices], label="Action"
    )

    article = forms.SlugField(required=False, max_length=200, label="Article (slug)")
    since = forms.DateField(required=False, input_formats=[DAY], widget=DAY_INPUT, label="From")
    until = forms.DateField(required=False, input_formats=[DAY], widget=DAY_INPUT, label="Until")

    def __init__(
        self, data: QueryDict | None = None, *, actions: list[tuple[str, str]] | None = None
    ) -> None:
        super().__init__(data)
        field = self.fields["action"]
        if actions is not None and isinstance(field, forms.ChoiceField):
            field.choices = [("", "Any action"), *actions]


def _start_of(day: date, *, days_later: int = 0) -> datetime | None:
    """Midnight (local time) at the start of the day; None past the calendar's ends."""
    try:
        return timezone.make_aware(datetime.combine(day + timedelta(days=days_later), time.min))
    except (OverflowError, ValueError):
        return None


def filter_events(
    events: QuerySet[Any], data: QueryDict, actions: list[tuple[str, str]] | None = None
) -> tuple[AuditFilterForm, QuerySet[Any]]:
    """Apply the valid filters of ``data`` (a query dict); the rest are ignored."""
    form = AuditFilterForm(data, actions=actions)
    form.is_valid()
    # cleaned_data holds only the fields that validated; empty ones are "no filter".
    valid = {name: value for name, value in form.cleaned_data.items() if value}
    if "actor" in valid:
        events = events.filter(actor__username=valid["actor"])
    if "action" in valid:
        events = events.filter(action=valid["action"])
    if "article" in valid and any(f.name == "article" for f in events.model._meta.get_fields()):
        events = events.filter(article__slug=valid["article"])
    if "since" in valid and (start := _start_of(valid["since"])):
        events = events.filter(created_at__gte=start)
    # Until a day means through the end of it: before the next day starts.
    if "until" in valid and (end := _start_of(valid["until"], days_later=1)):
        events = events.filter(created_at__lt=end)
    return form, events


@require_safe
@moderator_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """One tab of the audit log (``?log=``; the wiki's decisions by default), filtered."""
    tabs = auditlogs.logs()
    log = tabs.get(request.GET.get("log", "")) or tabs[""]
    form, events = filter_events(log.events(), request.GET, log.actions)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "moderation/audit.html",
        {
            "form": form,
            # How many filters are set: the filters stay folded (one line) until wanted.
            "filters_on": sum(1 for name in form.fields if request.GET.get(name, "").strip()),
            "page": page,
            "log": log,
            "tabs": tabs.values(),
            "auto_approved": AuditAction.AUTO_APPROVED,
            "can_oversee": can_oversee(request.user),
        },
    )
