"""A service's refusal becomes the same answer wherever it is shown."""

import json

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from apps.web.refusals import Conflict, add_errors, json_refusal, message_of


class NoteForm(forms.Form):
    note = forms.CharField()


def test_errors_go_beside_the_field_they_name_or_to_the_whole_form():
    form = NoteForm({"note": "typed"})
    assert form.is_valid()
    add_errors(form, ValidationError({"note": "Too vague.", "elsewhere": "Not a field."}))
    assert form.errors == {"note": ["Too vague."], "__all__": ["Not a field."]}
    assert form.data["note"] == "typed"


def test_a_caller_can_place_an_error_the_form_has_no_field_for():
    form = NoteForm({"note": "typed"})
    form.is_valid()
    placed = []
    add_errors(
        form,
        ValidationError({"citation-2": "Unknown source."}),
        elsewhere=lambda field, message: placed.append((field, message)) or True,
    )
    assert placed == [("citation-2", "Unknown source.")]
    assert form.errors == {}


def test_scripts_get_the_message_the_fields_and_the_status():
    answer = json_refusal(ValidationError({"reason": "Give a reason."}))
    assert answer.status_code == 400
    assert json.loads(answer.content) == {
        "error": "Give a reason.",
        "errors": {"reason": ["Give a reason."]},
    }
    assert json_refusal(Conflict("Already decided.")).status_code == 409
    assert json_refusal(PermissionDenied("Moderators only.")).status_code == 403
    assert message_of(Conflict("Already decided.")) == "Already decided."
