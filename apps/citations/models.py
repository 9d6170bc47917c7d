from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Lower
from django.urls import reverse

from .normalise import normalise_url

http_url_validator = URLValidator(schemes=["http", "https"])


class SourceKind(models.TextChoices):
    WEB = "web", "Web article"
    BOOK = "book", "Book"
    PODCAST = "podcast", "Podcast episode"
    INTERVIEW = "interview", "TV or video interview"
    EPISODE = "episode", "The episode itself"
    DVD = "dvd", "DVD or commentary track"
    SOCIAL = "social", "Social media post"
    PRESS = "press", "Press release"
    # The page on another wiki a text was imported from (apps.operations.mediawiki).
    WIKI = "wiki", "Page on another wiki"
    # A reference given only as words (an imported <ref> with no address or template).
    OTHER = "other", "Other, as written"


class SourceQuerySet(models.QuerySet):
    def search(self, text):
        return self.filter(
            Q(title__icontains=text) | Q(url__icontains=text) | Q(publisher__icontains=text)
        )

    def best_first(self, text):
        """Titles that start with ``text`` before the other matches, then by title.

        What someone typing a source's name expects at the top of a picker.
        """
        starts = Case(When(title__istartswith=text, then=Value(0)), default=Value(1))
        return self.alias(title_starts=starts).order_by("title_starts", Lower("title"), "id")


class Source(models.Model):
    """A reusable reference: shared by every citation that points at it, never copied."""

    # Whether a list shows it folded (only articles after the reader's spoiler point cite
    # it); set for the reader by the page that lists it (apps.wiki.presenting.fold_sources).
    folded: bool = False

    kind = models.CharField(max_length=20, choices=SourceKind.choices, default=SourceKind.WEB)
    title = models.CharField(max_length=300, help_text="Headline, book title or episode name.")
    url = models.URLField(
        "URL", max_length=500, blank=True, validators=[http_url_validator], db_index=True
    )
    archive_url = models.URLField(
        "archive URL", max_length=500, blank=True, validators=[http_url_validator]
    )
    author = models.CharField(max_length=200, blank=True)
    publisher = models.CharField(
        max_length=200, blank=True, help_text="Site, publisher, network or podcast."
    )
    published_date = models.DateField(null=True, blank=True)
    accessed_date = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="source_has_title"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.url = normalise_url(self.url)
        self.archive_url = normalise_url(self.archive_url)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("wiki:source", kwargs={"pk": self.pk})
