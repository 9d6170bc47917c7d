"""Mail the accounts app sends, off the request, retried when the mail server fails."""

import logging
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from apps.outbox.services import MAIL_TASK

from .models import User
from .verification import make_token

logger = logging.getLogger(__name__)

# A task that sends mail: retried with backoff when the server fails, then kept for staff.
mail_task = shared_task(**MAIL_TASK)


@mail_task
def send_verification_email(user_id: int, email: str) -> None:
    """Mail the verification link for ``email``, if it is still the account's address."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not email or user.email != email:
        return  # the address changed since: its own mail is on the way
    path = reverse(
        "accounts:verify-email", kwargs={"token": make_token(user_id=user.pk, email=email)}
    )
    context = {
        "user": user,
        "link": settings.SITE_URL + path,
        "days": settings.EMAIL_VERIFICATION_MAX_AGE.days,
        "settings_link": settings.SITE_URL + reverse("accounts:settings"),
    }
    send_mail(
        subject="Confirm your e-mail address for the fan wiki",
        message=render_to_string("accounts/verification_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[email],
    )
    logger.info("Sent an e-mail verification link to user %s", user.pk)


@mail_task
def send_password_reset(email: str) -> None:
    """Mail a password-reset link to each active account that confirmed ``email`` (to
    nobody when none did), with links built from SITE_URL, never a request's Host."""
    from .forms import ResetLinkForm

    form = ResetLinkForm({"email": email})
    if not form.is_valid():
        return
    site = urlsplit(settings.SITE_URL)
    form.save(
        domain_override=site.netloc,
        use_https=site.scheme == "https",
        email_template_name="registration/password_reset_email.txt",
        subject_template_name="registration/password_reset_subject.txt",
        extra_email_context={"site_name": "Fan wiki"},
    )


@mail_task
def send_hand_over_email(user_id: int) -> None:
    """Mail the owner of a handed-over account the link that sets its password (Django's
    password-reset link: it also proves the address is theirs)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return
    token = default_token_generator.make_token(user)
    path = reverse(
        "accounts:password-reset-confirm",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": token},
    )
    context = {"user": user, "link": settings.SITE_URL + path}
    send_mail(
        subject="Your account on the fan wiki is ready for you",
        message=render_to_string("accounts/hand_over_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
    logger.info("Sent the hand-over link of user %s", user.pk)
