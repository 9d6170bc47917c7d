"""Template filters every template may use without {% load %} (settings: TEMPLATES builtins)."""

from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def total_count(rows) -> int:
    """The sum of the rows' ``count`` (a chart's total)."""
    return sum(row.count for row in rows)


@register.filter
def ago(value: datetime | None) -> str:
    """How long ago, as "3 minutes ago"; "just now" within a minute (not "0 minutes ago")."""
    if not value:
        return ""
    if timezone.now() - value < timedelta(minutes=1):
        return "just now"
    return f"{timesince(value)} ago"
