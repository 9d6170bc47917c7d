from django.db import models
from django.db.models import Q
from django.urls import reverse

from .codes import episode_code


class Show(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    first_aired = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Year the show first aired."
    )

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("catalog:show", kwargs={"show": self.slug})


class Season(models.Model):
    show = models.ForeignKey(Show, on_delete=models.PROTECT, related_name="seasons")
    number = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["show", "number"]
        constraints = [
            models.UniqueConstraint(fields=["show", "number"], name="season_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="season_number_positive"),
        ]

    def __str__(self):
        return f"{self.show} — season {self.number}"

    def get_absolute_url(self):
        return reverse("catalog:season", kwargs={"show": self.show.slug, "season": self.number})


class EpisodeQuerySet(models.QuerySet):
    def with_show(self):
        return self.select_related("season__show")


class Episode(models.Model):
    season = models.ForeignKey(Season, on_delete=models.PROTECT, related_name="episodes")
    number = models.PositiveSmallIntegerField(help_text="Episode number within the season.")
    title = models.CharField(max_length=200)
    air_date = models.DateField(null=True, blank=True)
    production_code = models.CharField(max_length=20, blank=True)
    synopsis = models.TextField(blank=True)

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["season", "number"]
        constraints = [
            models.UniqueConstraint(fields=["season", "number"], name="episode_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="episode_number_positive"),
        ]

    def __str__(self):
        return f"{self.code} “{self.title}”"

    def get_absolute_url(self):
        return reverse(
            "catalog:episode",
            kwargs={
                "show": self.season.show.slug,
                "season": self.season.number,
                "episode": self.number,
            },
        )

    @property
    def code(self):
        """The usual fan shorthand, for example S02E22."""
        return episode_code(self.season.number, self.number)
