"""Talk pages: topics about an article, their posts, who follows them, and moderation records."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from apps.wiki.models import Article, Revision, RevisionStatus
from apps.wiki.permissions import Someone, can_moderate

# A topic about a proposal of an unpublished article is everyone's only once that
# proposal is published: until then (and for ever, if it is rejected) it is its author's
# and the moderators'.
_PUBLIC = Q(proposal__isnull=True) | Q(proposal__status=RevisionStatus.APPROVED)


class TopicQuerySet(models.QuerySet["Topic"]):
    def open(self):
        return self.filter(closed_at__isnull=True)

    def public(self):
        """The topics anyone who can open the article may read."""
        return self.filter(_PUBLIC)

    def visible_to(self, user: Someone):
        if can_moderate(user):
            return self
        if user is None or not user.is_authenticated:
            return self.public()
        return self.filter(_PUBLIC | Q(proposal__author_id=user.pk))

    def closed(self):
        return self.filter(closed_at__isnull=False)


class Topic(models.Model):
    """One discussion on an article's talk page, started by its first post."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="talk_topics")
    title = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="talk_topics"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The newest post's time: the talk page lists the liveliest topics first.
    last_activity_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    close_reason = models.TextField(blank=True)
    proposal = models.ForeignKey(
        Revision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Started while the article was unpublished: the proposal it is about. "
        "Only its author and moderators read the topic until that proposal is published.",
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["-last_activity_at", "-id"]
        indexes = [
            models.Index(
                fields=["article", "-last_activity_at", "-id"], name="topic_article_active"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="topic_has_title"),
            # Open, with no stamp at all; or closed, by someone, for a reason.
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, closed_by__isnull=True, close_reason="")
                | (Q(closed_at__isnull=False, closed_by__isnull=False) & ~Q(close_reason="")),
                name="topic_closed_stamped",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("talk:topic", kwargs={"slug": self.article.url_slug, "pk": self.pk})

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def readable_by(self, user: Someone) -> bool:
        """What :meth:`TopicQuerySet.visible_to` says, for a topic in hand (its proposal
        loaded)."""
        proposal = self.proposal
        if proposal is None or proposal.status == RevisionStatus.APPROVED:
            return True
        if user is None or not user.is_authenticated:
            return False
        return proposal.author_id == user.pk or can_moderate(user)


class Post(models.Model):
    """A message in a topic, a reply to the topic or to another post. Hidden, never deleted."""

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="posts")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="talk_posts"
    )
    body = models.TextField()
    # Rendered once, when the post is written, by the one renderer (apps.markup).
    rendered_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    hidden_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["topic", "created_at", "id"], name="post_topic_order"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="post_has_body"),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="post_not_own_parent"),
            # Shown, with no stamp at all; or hidden, by someone, for a reason.
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True, hidden_by__isnull=True, hidden_reason="")
                | (Q(hidden_at__isnull=False, hidden_by__isnull=False) & ~Q(hidden_reason="")),
                name="post_hidden_stamped",
            ),
        ]

    def __str__(self):
        return f"Post {self.pk} by {self.author} in “{self.topic}”"

    def get_absolute_url(self):
        return f"{self.topic.get_absolute_url()}#post-{self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class TopicFollow(models.Model):
    """A user who wants to hear about replies in a topic."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_follows"
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="topic_follow_once"),
        ]

    def __str__(self):
        return f"{self.user} follows “{self.topic}”"


class TalkAction(models.TextChoices):
    HIDDEN = "hidden", "Post hidden"
    UNHIDDEN = "unhidden", "Post shown again"
    CLOSED = "closed", "Topic closed"
    REOPENED = "reopened", "Topic reopened"


POST_ACTIONS = (TalkAction.HIDDEN, TalkAction.UNHIDDEN)
TOPIC_ACTIONS = (TalkAction.CLOSED, TalkAction.REOPENED)
ACTIONS_WITH_REASON = (TalkAction.HIDDEN, TalkAction.CLOSED)


class TalkEvent(models.Model):
    """An append-only record of one moderator action on a talk page. Never updated or deleted."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="talk_events")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="events")
    post = models.ForeignKey(
        Post, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="talk_events"
    )
    action = models.CharField(max_length=20, choices=TalkAction.choices)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="talkevent_created"),
        ]
        constraints = [
            # Hiding is about a post; closing about the whole topic.
            models.CheckConstraint(
                condition=Q(action__in=POST_ACTIONS, post__isnull=False)
                | Q(action__in=TOPIC_ACTIONS, post__isnull=True),
                name="talkevent_post_for_post_actions",
            ),
            models.CheckConstraint(
                condition=~Q(action__in=ACTIONS_WITH_REASON) | ~Q(reason=""),
                name="talkevent_reason_given",
            ),
        ]

    def __str__(self):
        return f"{self.actor} {self.action} in “{self.topic}”"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Talk moderation records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Talk moderation records are append-only.")
