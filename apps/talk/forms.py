"""Forms for talk pages. They validate and normalise; the services save."""

from django import forms

from apps.web.forms import ReasonField, Utf8Form, acknowledged_field, renderable

from .services import MAX_BODY_LENGTH, MAX_TITLE_LENGTH


class BodyField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", "Your message (Markdown)")
        super().__init__(
            max_length=MAX_BODY_LENGTH,
            strip=False,
            widget=forms.Textarea(attrs={"rows": 6}),
            validators=[renderable],
            **kwargs,
        )


class TopicForm(Utf8Form):
    title = forms.CharField(label="Topic", max_length=MAX_TITLE_LENGTH)
    body = BodyField()
    acknowledged = acknowledged_field()


class ReplyForm(Utf8Form):
    body = BodyField(label="Your reply (Markdown)")
    parent = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=2**63 - 1
    )
    acknowledged = acknowledged_field()


class ReasonForm(Utf8Form):
    """A moderator's reason; required for hiding and closing, optional for undoing them."""

    reason = ReasonField(label="Reason", required=False)

    def __init__(self, *args, required: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
