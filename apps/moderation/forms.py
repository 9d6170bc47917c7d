from django import forms

from apps.accounts.models import Trust
from apps.catalog.models import Show
from apps.web.forms import Utf8Form, valid_utf8
from apps.wiki.models import Protection, RejectionReason


class RejectForm(forms.Form):
    reason_code = forms.ChoiceField(
        label="Reason",
        choices=[("", "— choose a reason —"), *RejectionReason.choices],
        required=False,
    )
    reason = forms.CharField(
        label="Note to the author",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text="The author sees this. Say what would make the proposal acceptable.",
    )

    def clean(self):
        data = super().clean()
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
    sort = forms.ChoiceField(
        choices=[("oldest", "Oldest first"), ("newest", "Newest first")], required=False
    )

    FILTERS = ("show", "episode", "author", "kind", "age")

    def active_count(self) -> int:
        """How many filters narrow the queue (the order is not one)."""
        if not self.is_valid():
            return 0
        return sum(1 for name in self.FILTERS if self.cleaned_data.get(name))


class RevertForm(forms.Form):
    reason = forms.CharField(max_length=500, help_text="Readers see this in the history.")


class ProtectForm(forms.Form):
    level = forms.ChoiceField(choices=Protection.choices)
    expires_at = forms.DateTimeField(
        required=False,
        label="Until",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Empty: until a moderator changes it.",
    )


class TrustForm(forms.Form):
    trust = forms.ChoiceField(choices=Trust.choices)
    reason = forms.CharField(max_length=500, required=False)


class RequestChangesForm(Utf8Form):
    reason = forms.CharField(
        label="What should change",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text="The author sees this with your open comments. Empty: see the comments.",
    )


class ApprovePartForm(Utf8Form):
    """Which of a proposal's changes (apps.wiki.hunks) to publish, and why not the others."""

    rest = forms.ChoiceField(
        label="The changes not ticked",
        choices=[
            ("return", "Send them back to the author, with changes requested"),
            ("decline", "Decline them"),
        ],
        initial="return",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, hunks, **kwargs):
        super().__init__(*args, **kwargs)
        self.hunks = hunks
        for hunk in hunks:
            self.fields[f"accept_{hunk.number}"] = forms.BooleanField(
                label=f"Approve change {hunk.number}", required=False
            )
            self.fields[f"reason_{hunk.number}"] = forms.CharField(
                label="If not, why (the author sees this on the change)",
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=2000,
                required=False,
                validators=[valid_utf8],
            )

    def rows(self):
        return [
            (hunk, self[f"accept_{hunk.number}"], self[f"reason_{hunk.number}"])
            for hunk in self.hunks
        ]

    def accepted(self) -> set[int]:
        return {hunk.number for hunk in self.hunks if self.cleaned_data[f"accept_{hunk.number}"]}

    def reasons(self) -> dict[int, str]:
        return {hunk.number: self.cleaned_data[f"reason_{hunk.number}"] for hunk in self.hunks}
