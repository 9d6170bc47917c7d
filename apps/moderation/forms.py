"""The moderators' forms and the review conversation's. They validate; services save."""

from typing import Any

from django import forms
from django.conf import settings
from django.forms import BoundField

from apps.accounts.models import Trust
from apps.catalog.models import Show
from apps.web.forms import ReasonField, Utf8Form, acknowledged_field, renderable
from apps.wiki.models import Protection, RejectionReason

from .hunks import Hunk
from .models import Anchor, Side
from .services.review import MAX_COMMENT_LENGTH


class RejectForm(Utf8Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its own ids: the review page has the request-changes form's "reason" too.
        kwargs.setdefault("auto_id", "reject_%s")
        super().__init__(*args, **kwargs)

    reason_code = forms.ChoiceField(
        label="Reason",
        choices=[("", "— choose a reason —"), *RejectionReason.choices],
        required=False,
    )
    reason = ReasonField(
        label="Note to the author",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="The author sees this. Say what would make the proposal acceptable.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("reason_code") and not (data.get("reason") or "").strip():
            raise forms.ValidationError(
                "Give the author a reason: choose one, write a note, or both."
            )
        if (
            data.get("reason_code") == RejectionReason.OTHER
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", "Say what the problem is.")
        return data


AGES = {"1h": 1, "1d": 24, "3d": 72, "7d": 168}


class QueueFilterForm(forms.Form):
    """The queue's filters; anything invalid is simply not applied."""

    show = forms.ModelChoiceField(
        queryset=Show.objects.order_by("title"), required=False, to_field_name="slug",
        empty_label="All shows",
    )  # fmt: skip
    episode = forms.CharField(required=False, max_length=10, help_text="Code, e.g. S02E22")
    author = forms.CharField(required=False, max_length=150)
    kind = forms.ChoiceField(
        choices=[("", "New articles and edits"), ("new", "New articles"), ("edit", "Edits")],
        required=False,
    )
    age = forms.ChoiceField(
        label="Waiting at least",
        choices=[
            ("", "Any time"),
            ("1h", "1 hour"),
            ("1d", "1 day"),
            ("3d", "3 days"),
            ("7d", "a week"),
        ],
        required=False,
    )
    bots = forms.ChoiceField(
        label="Bots",
        choices=[("", "With bots' proposals"), ("hide", "Without bots"), ("only", "Bots only")],
        required=False,
    )
    tag = forms.CharField(
        required=False, max_length=50, help_text="A filter's tag, as the rows show it"
    )
    sort = forms.ChoiceField(
        choices=[("oldest", "Oldest first"), ("newest", "Newest first")], required=False
    )

    FILTERS = ("show", "episode", "author", "kind", "age", "bots", "tag")

    def active_count(self) -> int:
        """How many filters narrow the queue (the order is not one)."""
        if not self.is_valid():
            return 0
        return sum(1 for name in self.FILTERS if self.cleaned_data.get(name))


class RevertForm(Utf8Form):
    reason = ReasonField(
        help_text="Readers see this in the history.",
        error_messages={"required": "Say why the article is reverted."},
    )


class ProtectForm(Utf8Form):
    level = forms.ChoiceField(choices=Protection.choices)
    expires_at = forms.DateTimeField(
        required=False,
        label="Until",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Empty: until a moderator changes it.",
    )
    reason = ReasonField(
        help_text="Why (an edit war, vandalism, a spoiler magnet). Moderators see it in the "
        "changes below and in the audit log."
    )


class TrustForm(Utf8Form):
    trust = forms.ChoiceField(choices=Trust.choices)
    reason = ReasonField(required=False)


class RequestChangesForm(Utf8Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "request_%s")
        super().__init__(*args, **kwargs)

    reason = ReasonField(
        label="What should change",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="The author sees this with your open comments. Empty: see the comments.",
    )


class ApprovePartForm(Utf8Form):
    """Which of a proposal's changes (apps.moderation.hunks) to publish, and why not the others."""

    rest = forms.ChoiceField(
        label="The changes not ticked",
        choices=[
            ("return", "Send them back to the author, with changes requested"),
            ("decline", "Decline them"),
        ],
        initial="return",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, hunks: list[Hunk], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hunks = hunks
        for hunk in hunks:
            self.fields[f"accept_{hunk.number}"] = forms.BooleanField(
                label=f"Approve change {hunk.number}", required=False
            )
            self.fields[f"reason_{hunk.number}"] = ReasonField(
                label="If not, why (the author sees this on the change)",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )

    def rows(self) -> list[tuple[Hunk, BoundField, BoundField]]:
        return [
            (hunk, self[f"accept_{hunk.number}"], self[f"reason_{hunk.number}"])
            for hunk in self.hunks
        ]

    def accepted(self) -> set[int]:
        return {hunk.number for hunk in self.hunks if self.cleaned_data[f"accept_{hunk.number}"]}

    def reasons(self) -> dict[int, str]:
        return {hunk.number: self.cleaned_data[f"reason_{hunk.number}"] for hunk in self.hunks}


class CommentFields(Utf8Form):
    """A review comment, with an optional suggested replacement for the commented words."""

    body = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_COMMENT_LENGTH,
        validators=[renderable],
        help_text="Markdown. The proposal's author and moderators see it.",
    )
    suggestion = forms.CharField(
        label="Suggested text",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        strip=False,
        max_length=settings.WIKI_MAX_BODY_LENGTH,
        help_text="Starts as the commented words: edit them into what they should say, and "
        "the author can take your version into the proposal. Left as it is, nothing is "
        "suggested; emptied, deleting the words is.",
    )
    acknowledged = acknowledged_field()

    def suggestion_value(self, *originals: str) -> str | None:
        """The suggested replacement, or None when none is offered: the box was not sent, or
        still holds the commented words it started with (``originals``: the quoted words,
        the whole lines). Typing in it is the suggestion; emptying it suggests deleting."""
        if "suggestion" not in self.data:
            return None
        text = _lines(self.cleaned_data.get("suggestion") or "")
        started = [_lines(original).strip() for original in originals if original.strip()]
        if text.strip() in started:
            return None
        return text


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


class ThreadForm(CommentFields):
    """A new thread: on the proposal as a whole, on lines of its diff, or on a citation."""

    anchor = forms.ChoiceField(choices=Anchor.choices, widget=forms.HiddenInput)
    side = forms.ChoiceField(
        choices=[("", "—"), *Side.choices], required=False, widget=forms.HiddenInput
    )
    line_start = forms.IntegerField(label="From line", min_value=1, required=False)
    line_end = forms.IntegerField(label="To line", min_value=1, required=False)
    quote = forms.CharField(
        label="Words commented on (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        strip=False,
        max_length=settings.WIKI_MAX_BODY_LENGTH,
        help_text="Copy the exact words from the lines to comment on only those; "
        "empty: the whole lines.",
    )
    citation_key = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    field_order = ["line_start", "line_end", "quote", "body", "suggestion"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("anchor") == Anchor.LINES:
            start, end = data.get("line_start"), data.get("line_end")
            if not start:
                self.add_error("line_start", "Say which line the comment is about.")
            elif end is not None and end < start:
                self.add_error("line_end", "The last line comes after the first.")
            elif end is not None and end - start > 200:
                self.add_error("line_end", "Comment on at most 200 lines at once.")
        return data
