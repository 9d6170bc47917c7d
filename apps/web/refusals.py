"""A service's refusal, turned into what the caller shows: a form error, a 409 page, JSON.

Services refuse in three ways: ``ValidationError`` (bad input, naming the field it
concerns where there is one), :class:`Conflict` (the change cannot happen in the
current state: answered with a 409) and ``PermissionDenied``. Views, admin actions
and endpoints turn them into answers here, so the same refusal reads the same
wherever it is shown, and what the user typed is kept.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render

BAD_REQUEST = 400
FORBIDDEN = 403
CONFLICT = 409
TOO_MANY = 429


class Conflict(Exception):
    """A change that cannot happen in the current state (answered with a 409)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Flagged(ValidationError):
    """A warning about what was written (an edit filter's): not stored this time; submitted
    again with ``acknowledge`` (the form carries it back in its "acknowledged" field), it
    is."""

    def __init__(self, message: str | list[str], *, acknowledge: str) -> None:
        super().__init__(message, code="flagged")
        self.acknowledge = acknowledge


Refusal = ValidationError | Conflict | PermissionDenied


def message_of(refusal: Exception) -> str:
    """The refusal in words, for a message at the top of a page or in the admin."""
    if isinstance(refusal, Conflict):
        return refusal.message
    if isinstance(refusal, ValidationError):
        return " ".join(refusal.messages)
    return str(refusal)


def add_errors(
    form: forms.BaseForm,
    error: ValidationError,
    *,
    elsewhere: Callable[[str, str], bool] | None = None,
) -> None:
    """Show a service's ValidationError beside the fields it names, keeping what was typed.

    A field the form does not have (or no field) becomes an error of the whole
    form, unless ``elsewhere(field, message)`` places it (a citation row of the
    editor, say) and returns True.
    """
    if isinstance(error, Flagged) and "acknowledged" in form.fields:
        # The page shown again carries the warning's token: submitted again, it passes.
        key = form.add_prefix("acknowledged")
        if isinstance(form.data, QueryDict):
            data = form.data.copy()
            data[key] = error.acknowledge
            form.data = data
        else:
            form.data = {**form.data, key: error.acknowledge}
    named = error.error_dict.items() if hasattr(error, "error_dict") else [(None, error)]
    for field, errors in named:
        for message in ValidationError(errors).messages:
            if field is not None and elsewhere is not None and elsewhere(field, message):
                continue
            form.add_error(field if field in form.fields else None, message)


def conflict_page(
    request: HttpRequest,
    conflict: Conflict,
    *,
    template: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page that says why the change could not happen, with a 409."""
    return render(
        request, template, {**(context or {}), "message": conflict.message}, status=CONFLICT
    )


def json_refusal(refusal: Refusal) -> JsonResponse:
    """A refusal for a script: ``{"error": "...", "errors": {field: [...]}}`` and its status."""
    body: dict[str, Any] = {"error": message_of(refusal)}
    if isinstance(refusal, ValidationError) and hasattr(refusal, "error_dict"):
        body["errors"] = refusal.message_dict
    status = (
        CONFLICT
        if isinstance(refusal, Conflict)
        else FORBIDDEN
        if isinstance(refusal, PermissionDenied)
        else BAD_REQUEST
    )
    return JsonResponse(body, status=status)
