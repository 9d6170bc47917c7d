from datetime import timedelta

from django import forms
from django.utils import timezone

from apps.web.forms import Utf8Form

from .models import Scope

EXPIRY_CHOICES = [
    ("30", "in 30 days"),
    ("90", "in 90 days"),
    ("365", "in a year"),
    ("never", "never (revoke it yourself)"),
]


class TokenForm(Utf8Form):
    name = forms.CharField(
        label="What it is for",
        max_length=100,
        help_text="Such as “episode list bot” or “my phone”: you see it in the list below.",
    )
    scopes = forms.MultipleChoiceField(
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Scope.READ],
        help_text="Reading what is public needs no token at all.",
    )
    expires = forms.ChoiceField(label="Expires", choices=EXPIRY_CHOICES, initial="90")

    def __init__(self, *args, moderator: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not moderator:
            field = self.fields["scopes"]
            assert isinstance(field, forms.MultipleChoiceField)
            field.choices = [c for c in Scope.choices if c[0] != Scope.MODERATE]

    def expires_at(self):
        value = self.cleaned_data["expires"]
        return None if value == "never" else timezone.now() + timedelta(days=int(value))
