from django.contrib.auth.models import AbstractUser
from django.db import models


class Trust(models.TextChoices):
    AUTO = "auto", "By the rule (approved proposals, no recent rejection)"
    TRUSTED = "trusted", "Trusted by a moderator"
    UNTRUSTED = "untrusted", "Not trusted (a moderator's decision)"


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

    # django-stubs 5.2 does not declare AbstractUser.Meta (added upstream in django-stubs#3200).
    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        return self.username
