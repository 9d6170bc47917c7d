"""The base every form on the site builds on: text that arrived as invalid UTF-8 is
refused, and a body the renderer would refuse is refused with its own message."""

from typing import Any

from django import forms

from apps.markup import MarkdownTooComplex, check_limits

from .usertext import INVALID_UTF8_MESSAGE, MAX_REASON_LENGTH, REPLACEMENT_CHARACTER


def valid_utf8(value: object) -> None:
    """Refuse text that arrived with invalid UTF-8 (decoded into U+FFFD)."""
    # Only text: a UUIDField is a CharField too, and cleans to a UUID.
    if isinstance(value, str) and REPLACEMENT_CHARACTER in value:
        raise forms.ValidationError(INVALID_UTF8_MESSAGE, code="invalid_utf8")


def renderable(value: str) -> None:
    """Refuse, with the renderer's own message, a body beyond its limits (apps.markup.limits)."""
    try:
        check_limits(value or "")
    except MarkdownTooComplex as exc:
        raise forms.ValidationError(str(exc), code="too_complex") from exc


class Utf8Form(forms.Form):
    """Every text field of the form refuses text that arrived as invalid UTF-8."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            # URLField is a CharField too; a ReasonField has the check already.
            if isinstance(field, forms.CharField) and valid_utf8 not in field.validators:
                field.validators.append(valid_utf8)


def acknowledged_field() -> forms.CharField:
    """The hidden field that carries back the warnings (refusals.Flagged) a page showed:
    submitted again with it, the text is stored."""
    return forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)


class ReasonField(forms.CharField):
    """A moderator's reason or note: the one limit every such field has (usertext), and
    valid UTF-8 even in a form that adds it after Utf8Form has looked at its fields."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", MAX_REASON_LENGTH)
        super().__init__(**kwargs)
        if valid_utf8 not in self.validators:
            self.validators.append(valid_utf8)
