"""Records around the content: the decisions on revisions, moderators' other actions, and
who follows an article."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .content import SUPPRESSED_AUTHOR, Article, Revision, RevisionStatus


class AuditAction(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    AUTO_APPROVED = "auto-approved", "Approved automatically"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    MERGED = "merged", "Merged into a newer revision"
    REVERTED = "reverted", "Reverted to an older revision"
    CHANGES_REQUESTED = "changes-requested", "Changes requested"
    PART_APPROVED = "part-approved", "Approved in part"
    # A moderator's approval wrote a new version from a proposal (merged onto newer text,
    # or the part of it approved): the proposal's author is its author.
    CARRIED = "carried", "Wrote from a proposal"
    # A version written on another wiki, stored as approved by the importer's account.
    IMPORTED = "imported", "Imported from another wiki"


class AuditEvent(models.Model):
    """An append-only record of one decision (or proposal). Never updated or deleted."""

    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="audit_events")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="audit_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_events"
    )
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    from_status = models.CharField(max_length=20, choices=RevisionStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=RevisionStatus.choices)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The audit log (newest first) and each article's history of decisions.
            models.Index(fields=["-created_at", "-id"], name="auditevent_created"),
            models.Index(fields=["article", "-created_at", "-id"], name="auditevent_article"),
        ]

    def __str__(self):
        return f"{self.shown_actor} {self.action} {self.revision_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only.")

    @property
    def shown_actor(self) -> object:
        """Who did it, as the record shows it: an author's own steps on a version whose
        author's name was suppressed (oversight) do not name them."""
        own = self.action in (
            AuditAction.PROPOSED,
            AuditAction.WITHDRAWN,
            AuditAction.AUTO_APPROVED,
        )
        if own and self.revision.author.username == SUPPRESSED_AUTHOR:
            return "(name suppressed)"
        return self.actor

    @property
    def action_label(self) -> str:
        """The action in words; a version a moderator wrote from a proposal names it (rows
        written before that had their own action say "Proposed", by the moderator)."""
        revision = self.revision
        carried = self.action == AuditAction.CARRIED or (
            self.action == AuditAction.PROPOSED
            and revision.merged_from_id is not None
            and self.actor_id != revision.author_id
        )
        if carried and revision.merged_from_id is not None:
            return f"Wrote from proposal #{revision.merged_from_id}"
        return self.get_action_display()


class ActionKind(models.TextChoices):
    """What a moderator (or staff) did that is not a decision on a proposal."""

    SOURCES_MERGED = "sources-merged", "Merged duplicate sources"
    BLOCKED = "blocked", "Blocked"
    BLOCK_LIFTED = "block-lifted", "Lifted a block"
    FILTER_CHANGED = "filter-changed", "Changed an edit filter"
    SUPPRESSED = "suppressed", "Suppressed"
    UNSUPPRESSED = "unsuppressed", "Lifted a suppression"
    ROLLED_BACK = "rolled-back", "Rolled back a fan's edits"
    ACCOUNT_DELETED = "account-deleted", "Deleted an account"


class ModeratorAction(models.Model):
    """An append-only record of one moderator's (or staff's) action outside the review of a
    proposal: who, what, on what, what changed, and why. Never updated or deleted.

    Protection and trust have their own records (moderation's ProtectionChange and
    TrustChange); the audit log shows all of them, each in its tab.
    """

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=30, choices=ActionKind.choices)
    article = models.ForeignKey(
        Article, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The account the action was about, if any.",
    )
    revision = models.ForeignKey(
        Revision, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary = models.CharField(max_length=500, help_text="What changed, in words.")
    details = models.JSONField(default=dict, blank=True, help_text="What changed, as data.")
    reason = models.TextField()
    # Suppression: the reason (it may repeat the personal data) is for oversighters only.
    restricted = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["action", "-created_at"], name="moderatoraction_action"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="moderatoraction_has_reason"),
        ]

    def __str__(self):
        return f"{self.actor} {self.action}: {self.summary}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Moderator actions are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Moderator actions are append-only.")


class RevisionTag(models.Model):
    """A label a screen gave a proposal when it was written (an edit filter's tag): shown
    in the review queue, which filters by it."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="tags")
    tag = models.CharField(max_length=50)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["revision", "tag"], name="revisiontag_once"),
        ]
        indexes = [models.Index(fields=["tag", "revision"], name="revisiontag_tag")]

    def __str__(self):
        return self.tag


class Follow(models.Model):
    """A user who wants to hear when an article's approved text changes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="follow_once"),
        ]

    def __str__(self):
        return f"{self.user} follows {self.article}"
