from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower


class Trust(models.TextChoices):
    AUTO = "auto", "By the rule (approved proposals, no recent rejection)"
    TRUSTED = "trusted", "Trusted by a moderator"
    UNTRUSTED = "untrusted", "Not trusted (a moderator's decision)"


class NotificationEmail(models.TextChoices):
    """How a user hears by e-mail. apps/notifications reads these values by name."""

    EACH = "each", "One e-mail per notification"
    DIGEST = "digest", "One e-mail a day with everything new"
    NONE = "none", "No e-mail"


class User(AbstractUser):
    """The site's user. Custom from the first migration so fields can be added later."""

    trust = models.CharField(
        max_length=20,
        choices=Trust.choices,
        default=Trust.AUTO,
        help_text="Trusted fans' proposals can be approved automatically.",
    )
    spoiler_points = models.JSONField(
        default=dict,
        blank=True,
        help_text="Per show (by slug), the last episode watched, such as S02E22.",
    )
    email_verified_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the owner followed the link mailed to the current address; "
        "empty until then, and again after the address changes.",
    )
    # Notification preferences, read by apps/notifications by attribute name.
    notify_on_site = models.BooleanField(
        "notifications on the site",
        default=True,
        help_text="Count and list notifications on the site.",
    )
    notification_email = models.CharField(
        "notifications by e-mail",
        max_length=10,
        choices=NotificationEmail.choices,
        default=NotificationEmail.EACH,
    )
    is_bot = models.BooleanField(
        "bot",
        default=False,
        help_text="Granted by staff to an account a program runs: its edits are marked as a "
        "bot's in recent changes and the review queue, where they can be filtered out.",
    )
    digest_sent_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the last daily digest was sent; the next lists what came after.",
    )

    # django-stubs 5.2 does not declare AbstractUser.Meta (added upstream in django-stubs#3200).
    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]
        swappable = "AUTH_USER_MODEL"
        constraints = [
            # A confirmed address belongs to one account: any number may claim it, the
            # first to follow the link mailed to it keeps it.
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(email_verified_at__isnull=False) & ~models.Q(email=""),
                name="accounts_user_confirmed_email_unique",
            ),
        ]

    def __str__(self):
        return self.username

    @property
    def email_verified(self) -> bool:
        return bool(self.email) and self.email_verified_at is not None
