from confusable_homoglyphs import confusables
from django import forms
from django.contrib.auth.forms import PasswordResetForm, UserCreationForm
from django.core.mail import EmailMultiAlternatives
from django.template import loader

from apps.outbox.services import send_later

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

    def clean_username(self) -> str:
        username = super().clean_username()
        # "demo-fаn" with a Cyrillic а passes for "demo-fan" on every page that names it.
        if confusables.is_dangerous(username):
            raise forms.ValidationError(
                "This name mixes alphabets in a way that can pass for another name "
                "(a letter that looks Latin but is not, for example): write it in one alphabet."
            )
        return username


class PasswordResetRequestForm(PasswordResetForm):
    """Django's form on the page; the mail itself is the worker's (tasks.send_password_reset).

    Looking the address up and talking to the mail server took a known address
    hundreds of milliseconds longer than an unknown one: the page told who has an
    account. Now the request does the same (queue one task) whatever the address.
    """

    def save(self, *args: object, **kwargs: object) -> None:
        from .tasks import send_password_reset

        send_later(send_password_reset, self.cleaned_data["email"])


class ResetLinkForm(PasswordResetForm):
    """The worker's side: the link goes only to an address its account confirmed (nobody
    can make the wiki mail a stranger), and a mail server's failure is raised, for the
    task to retry, instead of logged and dropped as Django's form does."""

    def get_users(self, email):
        return (user for user in super().get_users(email) if user.email_verified)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        EmailMultiAlternatives(subject, body, from_email, [to_email]).send()


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
