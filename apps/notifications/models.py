import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.http import url_has_allowed_host_and_scheme

from apps.catalog.models import Episode
from apps.web import spoilers


@dataclass(frozen=True)
class Folded:
    """A notification about an episode, as a reader who has not reached it must get it."""

    episode: Episode
    message: str
    url: str


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user_id=user.pk)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message for one user, with a link to what it is about."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.TextField()
    url = models.CharField(max_length=500, help_text="A path on this site, such as /wiki/x/.")
    # What the notification is about, when that is an episode: a reader whose spoiler
    # point comes before it gets the folded message and address instead (asked when
    # shown or mailed, so a point set later still counts).
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Defaults in the database too: rows written without them (older backups, bulk loads)
    # simply have no folded version.
    folded_message = models.TextField(blank=True, default="", db_default="")
    folded_url = models.CharField(max_length=500, blank=True, default="", db_default="")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The header counts a user's unread notifications on every page.
            models.Index(fields=["user", "read_at"], name="notification_user_unread"),
            models.Index(fields=["user", "-created_at"], name="notification_user_newest"),
        ]

    def __str__(self):
        return f"To {self.user}: {self.subject}"

    @property
    def folded(self) -> bool:
        """Whether the reader it is shown to (apps.web.spoilers) has not reached its episode."""
        return spoilers.hides_episode_of(self)

    @property
    def text(self) -> str:
        """The message as its reader may read it."""
        return (self.folded_message if self.folded else self.message).strip()

    @property
    def subject(self) -> str:
        """The first line of the message (the email's subject): cut at any kind of line
        break, and without control characters, which a mail header cannot carry."""
        first = (self.text.splitlines() or [""])[0]
        return "".join(" " if unicodedata.category(c) == "Cc" else c for c in first).strip()

    @property
    def details(self) -> str:
        """The message after its first line."""
        return self.text.partition("\n")[2].strip()

    @property
    def link(self) -> str:
        """The URL if it is a path on this site; anything else is not shown as a link."""
        url = self.folded_url if self.folded else self.url
        return url if url_has_allowed_host_and_scheme(url, allowed_hosts=None) else ""

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
