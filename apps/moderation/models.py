"""What moderation keeps: review threads on proposals, claims on them, and the records of
trust and protection changes (append-only, like wiki's audit log).

Review threads: what moderators and a proposal's author say about it, line by line.
A thread is anchored on the proposal as a whole, on lines of the review page's
diff (the proposal's lines, or the approved text's lines it removes), or on one
citation. It lives on the author's latest proposal: when the author revises, the
threads move to the revised proposal with their resolved state, re-anchored on
the lines they quoted (or marked outdated when those lines are gone).
Only moderators and the proposal's author ever see them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from apps.accounts.models import Trust
from apps.wiki.models import Article, Protection, Revision


class ReviewClaim(models.Model):
    """A moderator's note that they are reviewing a proposal; it lapses at ``expires_at``."""

    revision = models.OneToOneField(Revision, on_delete=models.CASCADE, related_name="claim")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_claims"
    )
    claimed_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.moderator} reviewing {self.revision_id} until {self.expires_at:%H:%M}"


class TrustChange(models.Model):
    """An append-only record of a moderator granting or withdrawing a fan's trust."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="trust_changes"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    trust = models.CharField(max_length=20)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.actor} set {self.user} to {self.trust}"

    @property
    def trust_label(self) -> str:
        return dict(Trust.choices).get(self.trust, self.trust)


class ProtectionChange(models.Model):
    """An append-only record of a moderator changing who may propose to an article."""

    article = models.ForeignKey(
        Article, on_delete=models.PROTECT, related_name="protection_changes"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=20, choices=Protection.choices)
    expires_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["article", "-created_at", "-id"], name="protectionchange_article"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} set {self.article} to {self.level}"


class Anchor(models.TextChoices):
    PROPOSAL = "proposal", "The proposal as a whole"
    LINES = "lines", "Lines of the text"
    CITATION = "citation", "A citation"


class Side(models.TextChoices):
    NEW = "new", "The proposal's text"
    OLD = "old", "The approved text it changes"


class ReviewThreadQuerySet(models.QuerySet["ReviewThread"]):
    def open(self) -> "ReviewThreadQuerySet":
        return self.filter(resolved_at__isnull=True)


class ReviewThread(models.Model):
    revision = models.ForeignKey(
        Revision,
        on_delete=models.PROTECT,
        related_name="review_threads",
        help_text="The proposal the thread is on now: the author's latest revision of it.",
    )
    started_on = models.ForeignKey(
        Revision,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The proposal the thread was started on.",
    )
    anchor = models.CharField(max_length=10, choices=Anchor.choices)
    side = models.CharField(max_length=3, choices=Side.choices, blank=True)
    line_start = models.PositiveIntegerField(null=True, blank=True)
    line_end = models.PositiveIntegerField(null=True, blank=True)
    anchor_text = models.TextField(
        blank=True, help_text="The commented lines as they read when the thread started."
    )
    quote = models.TextField(
        blank=True, help_text="The words within those lines it is about; empty: the whole lines."
    )
    citation_key = models.PositiveSmallIntegerField(null=True, blank=True)
    outdated = models.BooleanField(
        default=False, help_text="The commented lines are no longer in the revised proposal."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ReviewThreadQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(anchor=Anchor.LINES)
                | Q(
                    side__in=Side.values,
                    line_start__gte=1,
                    line_end__gte=models.F("line_start"),
                ),
                name="reviewthread_lines_anchor",
            ),
            models.CheckConstraint(
                condition=~Q(anchor=Anchor.CITATION) | Q(citation_key__isnull=False),
                name="reviewthread_citation_anchor",
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True, resolved_by__isnull=True)
                | Q(resolved_at__isnull=False, resolved_by__isnull=False),
                name="reviewthread_resolution_stamped",
            ),
        ]

    def __str__(self) -> str:
        return f"Thread on proposal #{self.revision_id} ({self.place})"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def place(self) -> str:
        """Where the thread is, in words."""
        if self.anchor == Anchor.CITATION:
            return f"citation [{self.citation_key}]"
        if self.anchor == Anchor.LINES:
            lines = (
                f"line {self.line_start}"
                if self.line_start == self.line_end
                else f"lines {self.line_start}–{self.line_end}"
            )
            where = "approved text" if self.side == Side.OLD else "proposal"
            return f"{lines} of the {where}" + (" (outdated)" if self.outdated else "")
        return "the proposal as a whole"


class ReviewComment(models.Model):
    thread = models.ForeignKey(ReviewThread, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_comments"
    )
    body = models.TextField()
    rendered_html = models.TextField(editable=False)
    suggestion = models.TextField(  # noqa: DJ001 - empty text is a suggestion to delete
        null=True,
        blank=True,
        help_text="A replacement for the thread's quoted words (or lines); empty: none.",
    )
    applied_in = models.ForeignKey(
        Revision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The revised proposal that took this suggestion.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author} on thread {self.thread_id}"

    @property
    def has_suggestion(self) -> bool:
        return self.suggestion is not None

    @property
    def take_url(self) -> str:
        """The editor, opened on the proposal with this suggestion applied (for its author to
        look over and submit; apps.moderation.carrying)."""
        revision = self.thread.revision
        edit = reverse("wiki:article-edit", args=[revision.article.url_slug])
        return f"{edit}?from={revision.pk}&take=suggestion-{self.pk}"
