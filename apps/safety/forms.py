from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import slugify

from apps.accounts.models import User
from apps.categories.models import Category
from apps.web.forms import ReasonField, Utf8Form
from apps.wiki.models import Article

from .models import Action, FilterAction, Kind

DURATIONS = {
    "1d": ("1 day", timedelta(days=1)),
    "3d": ("3 days", timedelta(days=3)),
    "1w": ("1 week", timedelta(weeks=1)),
    "1m": ("1 month", timedelta(days=30)),
    "3m": ("3 months", timedelta(days=90)),
    "1y": ("1 year", timedelta(days=365)),
    "never": ("Until a moderator lifts it", None),
    "until": ("Until the date below", None),
}
MAX_NAMED = 50  # articles or categories one block names


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.replace(",", "\n").splitlines() if line.strip()]


def _named(text: str, queryset: Any, what: str) -> list[Any]:
    """The rows (articles, categories) whose slugs the typed names make, in order, once each;
    ValidationError naming those that do not exist."""
    names = _lines(text)[: MAX_NAMED + 1]
    if len(names) > MAX_NAMED:
        raise forms.ValidationError(f"Name at most {MAX_NAMED} of them.")
    found = {row.slug: row for row in queryset.filter(slug__in=[slugify(n) for n in names])}
    missing = [name for name in names if slugify(name) not in found]
    if missing:
        raise forms.ValidationError(f"No {what} is called {', '.join(map(repr, missing))}.")
    return list({slugify(name): found[slugify(name)] for name in names}.values())


class BlockForm(Utf8Form):
    username = forms.CharField(label="Account (user name)", required=False, max_length=150)
    network = forms.CharField(
        label="Or an address or range",
        required=False,
        max_length=50,
        help_text="Such as 203.0.113.7, 203.0.113.0/24 or 2001:db8::/48.",
    )
    scope = forms.ChoiceField(
        label="Block from",
        choices=[
            ("sitewide", "Everything: proposals, talk pages, comments and uploads"),
            ("partial", "Only what is chosen below"),
        ],
        widget=forms.RadioSelect,
        initial="sitewide",
    )
    actions = forms.MultipleChoiceField(
        label="Actions",
        choices=Action.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    articles = forms.CharField(
        label="Articles",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Titles, one per line: no proposals, talk or comments on these.",
    )
    categories = forms.CharField(
        label="Categories",
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Category names, one per line: the articles filed under them.",
    )
    duration = forms.ChoiceField(
        label="For", choices=[(key, label) for key, (label, _delta) in DURATIONS.items()]
    )
    until = forms.DateTimeField(
        label="Until",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    reason = ReasonField(
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The blocked fan reads it where they would write; it is in the audit log.",
    )

    def clean_username(self) -> User | None:
        name = self.cleaned_data["username"].strip()
        if not name:
            return None
        user = User.objects.filter(username=name).first()
        if user is None:
            raise forms.ValidationError(f"There is no account named “{name}”.")
        return user

    def clean_articles(self) -> list[Article]:
        return _named(self.cleaned_data["articles"], Article.objects.all(), "article")

    def clean_categories(self) -> list[Category]:
        return _named(self.cleaned_data["categories"], Category.objects.all(), "category")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        duration = data.get("duration")
        if duration == "until":
            if not data.get("until"):
                self.add_error("until", "Give the date the block ends.")
            data["expires_at"] = data.get("until")
        elif duration in DURATIONS:
            delta = DURATIONS[duration][1]
            data["expires_at"] = timezone.now() + delta if delta else None
        return data


class LiftForm(Utf8Form):
    reason = ReasonField(label="Why lift it", help_text="It goes in the audit log.")


TRY_COUNTS = [(n, f"the last {n}") for n in (50, 100, 250, 500)]


class FilterForm(Utf8Form):
    name = forms.CharField(max_length=100)
    notes = forms.CharField(
        label="Notes for moderators",
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    kinds = forms.MultipleChoiceField(
        label="Looks at", choices=Kind.choices, widget=forms.CheckboxSelectMultiple
    )
    rule = forms.CharField(
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "class": "code"}),
        help_text="An expression over the names listed below, such as "
        'added_text =~~ "(?i)free v-?bucks" and user_age_days < 7.',
    )
    action = forms.ChoiceField(choices=FilterAction.choices, widget=forms.RadioSelect)
    message = forms.CharField(
        label="What the writer reads",
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For warn and refuse. Say what to change; do not quote the rule.",
    )
    tag = forms.CharField(
        label="Tag", required=False, max_length=50, help_text="For tag: shown in the queue."
    )
    enabled = forms.BooleanField(label="Switched on", required=False)
    reason = ReasonField(
        label="Why this change",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="It goes in the audit log.",
    )
    try_count = forms.TypedChoiceField(
        label="Try it on", choices=TRY_COUNTS, coerce=int, initial=100, required=False
    )


class OversightForm(Utf8Form):
    text = forms.BooleanField(label="The text (and its citations' quotes)", required=False)
    summary = forms.BooleanField(label="The edit summary", required=False)
    author = forms.BooleanField(label="The author's name", required=False)
    reason = ReasonField(
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only oversighters read it (it may name what was suppressed).",
    )


SINCE = {
    "1h": ("the last hour", timedelta(hours=1)),
    "6h": ("the last 6 hours", timedelta(hours=6)),
    "1d": ("the last day", timedelta(days=1)),
    "3d": ("the last 3 days", timedelta(days=3)),
    "7d": ("the last week", timedelta(weeks=1)),
    "30d": ("the last 30 days", timedelta(days=30)),
}


class RollbackForm(Utf8Form):
    since = forms.ChoiceField(
        label="Their approved changes in",
        choices=[(key, label) for key, (label, _delta) in SINCE.items()],
        initial="1d",
    )
    reason = ReasonField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed to roll back: the authors of rejected proposals and the record see it.",
    )

    def since_time(self) -> Any:
        return timezone.now() - SINCE[self.cleaned_data["since"]][1]
