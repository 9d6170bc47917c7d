"""Blocks: an account or an address range kept from writing, everywhere or in part."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from apps.categories.models import Category
from apps.wiki.models import Article


class Action(models.TextChoices):
    """What a partial block can keep someone from (a site-wide block: all of them)."""

    PROPOSE = "propose", "Proposing articles and edits"
    TALK = "talk", "Talk pages"
    COMMENT = "comment", "Comments on proposals"
    UPLOAD = "upload", "Uploading images"


class BlockQuerySet(models.QuerySet["Block"]):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(lifted_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class Block(models.Model):
    """An account or an address range that may not write: everywhere (site-wide) or only
    some actions, some articles, or the articles of some categories. Until it expires or a
    moderator lifts it; never deleted (what happened stays on the record)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="blocks",
    )
    network = models.CharField(
        max_length=50, blank=True, help_text="An address or a range, such as 203.0.113.0/24."
    )
    # The range's first and last address (addresses.key): "is it in the range" is indexed.
    first = models.CharField(max_length=32, blank=True, editable=False)
    last = models.CharField(max_length=32, blank=True, editable=False)
    sitewide = models.BooleanField(default=True)
    actions = models.JSONField(default=list, blank=True)
    articles = models.ManyToManyField(Article, blank=True, related_name="+")
    categories = models.ManyToManyField(Category, blank=True, related_name="+")
    reason = models.TextField()
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: until lifted.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lift_reason = models.TextField(blank=True)

    objects = BlockQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "lifted_at"], name="block_user"),
            models.Index(fields=["first", "last"], name="block_range"),
        ]
        constraints = [
            # An account, or an address range: one of the two.
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(network=""))
                | (Q(user__isnull=True) & ~Q(network="") & ~Q(first="") & ~Q(last="")),
                name="block_has_one_target",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="block_has_reason"),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True, lifted_by__isnull=True, lift_reason="")
                | (Q(lifted_at__isnull=False, lifted_by__isnull=False) & ~Q(lift_reason="")),
                name="block_lifted_stamped",
            ),
        ]

    def __str__(self) -> str:
        return f"Block of {self.target}"

    @property
    def target(self) -> str:
        return str(self.user) if self.user_id else self.network

    @property
    def is_active(self) -> bool:
        if self.lifted_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()

    def scope(self) -> str:
        """What it keeps its target from, in words (its articles and categories loaded)."""
        if self.sitewide:
            return "Everything (site-wide)"
        parts = [Action(value).label for value in self.actions if value in Action.values]
        parts += [f"“{article.title}”" for article in self.articles.all()]
        parts += [f"category “{category.name}”" for category in self.categories.all()]
        return "; ".join(parts)
