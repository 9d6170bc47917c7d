"""Blocks: an account or an address range kept from writing, everywhere or in part."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from apps.categories.models import Category
from apps.wiki.models import Article, Revision


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
    def until(self) -> str:
        """When it ends, in words: "until 14 December 2026, 16:00", or until lifted."""
        if self.expires_at is None:
            return "until a moderator lifts it"
        ends = timezone.localtime(self.expires_at)
        return f"until {ends.day} {ends:%B %Y, %H:%M}"

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


class Kind(models.TextChoices):
    """What an edit filter looks at."""

    PROPOSAL = "proposal", "Proposals (new articles, edits, moves)"
    TALK = "talk", "Talk posts"
    COMMENT = "comment", "Comments on proposals"


class FilterAction(models.TextChoices):
    WARN = "warn", "Warn: the writer sees the message and may submit again"
    TAG = "tag", "Tag: shown in the review queue, which filters by it"
    HOLD = "hold", "Hold for review, even a trusted fan's proposal"
    REFUSE = "refuse", "Refuse, with the message"


class EditFilter(models.Model):
    """A moderator's rule, run on what fans write before it is stored (apps.safety.filters)."""

    name = models.CharField(max_length=100)
    notes = models.TextField(blank=True, help_text="For moderators: what it is for.")
    rule = models.TextField(help_text="An expression of the rule language (the filters page).")
    kinds = models.JSONField(default=list, help_text="What it looks at (Kind values).")
    action = models.CharField(max_length=10, choices=FilterAction.choices)
    message = models.TextField(blank=True, help_text="What the writer reads (warn, refuse).")
    tag = models.CharField(max_length=50, blank=True, help_text="The queue's tag (tag).")
    enabled = models.BooleanField(default=False)
    # Why the site switched it off by itself (its rule failed or was too slow), if it did.
    broken = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="editfilter_has_name"),
            models.CheckConstraint(condition=~Q(rule=""), name="editfilter_has_rule"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The tag it gives (its name, when none is set)."""
        return self.tag or self.name[:50]


class FilterHit(models.Model):
    """One time a filter matched something a fan was writing, whatever came of it."""

    filter = models.ForeignKey(EditFilter, on_delete=models.CASCADE, related_name="hits")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20)
    action = models.CharField(max_length=10, choices=FilterAction.choices)
    # Submitted again after the warning: it went through.
    acknowledged = models.BooleanField(default=False)
    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=300, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    excerpt = models.TextField(blank=True, help_text="The start of what was added.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["filter", "-created_at"], name="filterhit_filter")]

    def __str__(self) -> str:
        return f"{self.filter} matched {self.user}"


class Suppression(models.Model):
    """What oversight took out of a revision, kept here for oversighters alone so that it
    can be put back. The revision itself then holds placeholders: every page, feed,
    search, API answer and export shows those, whatever it reads."""

    revision = models.OneToOneField(Revision, on_delete=models.PROTECT, related_name="+")
    text = models.BooleanField(default=False)
    summary = models.BooleanField(default=False)
    author = models.BooleanField(default=False)
    # The originals (kept only for what is suppressed).
    body = models.TextField(blank=True)
    rendered_html = models.TextField(blank=True)
    quotes = models.JSONField(default=dict, blank=True)  # citation id → its quote
    statements = models.JSONField(default=dict, blank=True)  # statement id → its text
    summary_text = models.CharField(max_length=300, blank=True)
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Suppression of revision #{self.revision_id}"

    @property
    def parts(self) -> list[str]:
        return [name for name in ("text", "summary", "author") if getattr(self, name)]
