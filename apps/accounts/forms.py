from django import forms
from django.contrib.auth.forms import UserCreationForm

from .models import NotificationEmail, User


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        help_text="We mail you a link to confirm it before you can propose, and use it "
        "only for your account and what you choose to hear about.",
    )

    # django-stubs 5.2 does not declare UserCreationForm.Meta (added upstream in django-stubs#3200).
    class Meta(UserCreationForm.Meta):  # type: ignore[name-defined]
        model = User
        fields = ("username", "email")


class EmailChangeForm(forms.Form):
    """A new address; the current password proves it is the owner asking, not a stolen session."""

    email = forms.EmailField(
        label="E-mail address",
        help_text="A new address is unverified until you follow the link we mail to it.",
    )
    password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user: User, *args, **kwargs):
        self.user = user
        kwargs.setdefault("initial", {"email": user.email})
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your current password.")
        return password


class PreferencesForm(forms.Form):
    notify_on_site = forms.BooleanField(
        label="Show notifications on the site",
        required=False,
        help_text="The count beside “Notifications” in the menu, and the list.",
    )
    notification_email = forms.ChoiceField(
        label="Notifications by e-mail",
        choices=NotificationEmail.choices,
        widget=forms.RadioSelect,
    )
