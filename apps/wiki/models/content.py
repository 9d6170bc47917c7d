"""Articles, their revisions, citations and statements: the wiki's content."""

import re
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from apps.catalog.models import Episode, Show
from apps.citations.models import Source
from apps.markup import KIND_CITED, KIND_DISPUTED, KIND_NEEDED, render_markdown
from apps.web import spoilers

# The address of an article whose title the reader must not see: its episode and id
# (S02E22-17). Never a slug: slugs are lower case.
_NEUTRAL_KEY = re.compile(r"S(\d{2,})E(\d{2,})-(\d+)")


def now():
    """The time now, looked up when called (so a test that sets the clock sets this too)."""
    return timezone.now()


class RevisionStatus(models.TextChoices):
    PENDING = "pending", "Pending review"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    MERGED = "merged", "Merged into a newer revision"
    CHANGES_REQUESTED = "changes-requested", "Changes requested"


class RejectionReason(models.TextChoices):
    UNSOURCED = "unsourced", "A statement is not supported by its citation"
    SOURCE = "source", "A source is unreliable or cannot be checked"
    WORDING = "wording", "Copied wording: write it in your own words"
    SPOILER = "spoiler", "Unmarked spoiler"
    OFF_TOPIC = "off-topic", "Off topic for this article"
    VANDALISM = "vandalism", "Vandalism or a test edit"
    OTHER = "other", "Other (see the note)"


class Protection(models.TextChoices):
    OPEN = "open", "Open: any signed-up fan may propose"
    TRUSTED = "trusted", "Trusted fans and moderators only"
    MODERATORS = "moderators", "Moderators only"


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self) -> "ArticleQuerySet":
        """Articles readers can see: those with an approved revision."""
        return self.filter(approved_revision__isnull=False)

    def with_episode(self) -> "ArticleQuerySet":
        return self.select_related("episode__season__show")

    def at_address(self, key: str) -> "ArticleQuerySet":
        """The article a link's key names: its slug, or the neutral key of a folded link."""
        match = _NEUTRAL_KEY.fullmatch(key)
        if match:
            season, number, pk = (int(group) for group in match.groups())
            return self.filter(pk=pk, episode__season__number=season, episode__number=number)
        return self.filter(slug=key)


class Article(models.Model):
    """A wiki page. Readers see ``approved_revision``; proposals wait behind it."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    episode = models.ForeignKey(
        Episode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        help_text="The episode this article is about, if any.",
    )
    approved_revision = models.ForeignKey(
        "Revision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The revision readers see. Empty until a moderator approves one.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # A default, not auto_now_add: an article imported from another wiki keeps the date its
    # first version was written there (apps.wiki.services.imports).
    created_at = models.DateTimeField(default=now, editable=False)
    # Stamped by the approve service; lets the home page list recent changes cheaply.
    approved_at = models.DateTimeField(null=True, blank=True, db_index=True)
    protection = models.CharField(
        max_length=20, choices=Protection.choices, default=Protection.OPEN
    )
    protection_expires_at = models.DateTimeField(
        null=True, blank=True, help_text="When the protection lapses back to open; empty: never."
    )
    # What full-text search matches on PostgreSQL: the title (weight A) and the approved
    # text (weight B), stored when a revision is published (apps.wiki.search), so a
    # search reads one indexed row per article instead of parsing revision bodies.
    # Empty on SQLite, where search scans the approved text instead.
    search_document = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_revision__isnull=True, approved_at__isnull=True)
                | Q(approved_revision__isnull=False, approved_at__isnull=False),
                name="article_approved_stamp",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("wiki:article", kwargs={"slug": self.url_slug})

    # What readers are shown of the article, asked of the one spoiler rule for the reader
    # the page is made for (apps.web.spoilers): an article about an episode beyond their
    # point is named by its episode, and linked by an address without its title.
    @property
    def folded(self) -> bool:
        return spoilers.hides_episode_of(self)

    @property
    def display_title(self) -> str:
        """Its title, or what stands for it when the reader must not see it."""
        episode = self.episode
        return spoilers.folded_label(episode) if episode is not None and self.folded else self.title

    @property
    def url_slug(self) -> str:
        """The key its addresses use: the slug, or the neutral key when folded."""
        return self.neutral_key if self.folded else self.slug

    @property
    def show(self) -> Show | None:
        """The show of its episode, if it is about one."""
        return self.episode.season.show if self.episode is not None else None

    @property
    def neutral_key(self) -> str:
        episode = self.episode
        if episode is None:
            return self.slug
        return f"{episode.code}-{self.pk}"

    @property
    def is_published(self) -> bool:
        return self.approved_revision_id is not None


class RedirectKind(models.TextChoices):
    MOVED = "moved", "Former title"
    ALIAS = "alias", "Other name"


class Redirect(models.Model):
    """An address that leads to an article: a title it had before a move, or another name.

    Keyed by the article, not by another address: moving A to B and then to C leaves
    A and B both leading to C (never a redirect to a redirect), and an article with
    redirects cannot be deleted from under them (PROTECT). Written only when a version
    is published (apps.wiki.naming); never the address of a current article.
    """

    slug = models.SlugField(max_length=200, unique=True)
    title = models.CharField(max_length=200, help_text="The name as it was written.")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="redirects")
    kind = models.CharField(max_length=10, choices=RedirectKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["article", "kind"], name="redirect_article_kind")]

    def __str__(self):
        return f"{self.title} → {self.article}"


class RevisionQuerySet(models.QuerySet["Revision"]):
    def pending(self) -> "RevisionQuerySet":
        return self.filter(status=RevisionStatus.PENDING)

    def approved(self) -> "RevisionQuerySet":
        return self.filter(status=RevisionStatus.APPROVED)

    def for_queue(self) -> "RevisionQuerySet":
        """Pending proposals in the queue's order, oldest first.

        The queue reads its rows as plain values (apps/moderation/queue.py), so
        nothing is selected here.
        """
        return self.pending().order_by("created_at", "id")


# Fields a revision is created with; none of them may change afterwards.
IMMUTABLE_REVISION_FIELDS = (
    "article_id",
    "body",
    "summary",
    "author_id",
    "base_id",
    "rendered_html",
    "created_at",
    "title",
    "categories",
    "aliases",
)
DECISION_FIELDS = (
    "status",
    "decided_by",
    "decided_at",
    "decision_reason",
    "reason_code",
    "automatic",
)


# The account a revision shows once oversight suppressed its author's name (apps.safety).
SUPPRESSED_AUTHOR = "suppressed-author"


class Revision(models.Model):
    """One proposed text of an article. Immutable: only its decision is ever stamped."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="revisions")
    body = models.TextField()
    summary = models.CharField("edit summary", max_length=300)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="revisions"
    )
    base = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The approved revision the author was editing; empty for a new article.",
    )
    rendered_html = models.TextField(editable=False)
    # A default, not auto_now_add: an imported version keeps the date it was written on the
    # other wiki (apps.wiki.services.imports). Nothing else passes one.
    created_at = models.DateTimeField(default=now, editable=False, db_index=True)
    # What else a version says of its article besides its text: the title it gives it (a
    # move is a version whose title differs), its categories and its other names. Each is
    # reviewed, kept in history and restored by a revert with the text (apps.wiki.naming).
    title = models.CharField(max_length=200)
    categories = models.TextField(
        blank=True, default="", help_text="Category names, one per line (“Name|sort key”)."
    )
    aliases = models.TextField(
        "other names",
        blank=True,
        default="",
        help_text="Other titles of the article, one per line.",
    )

    status = models.CharField(
        max_length=20, choices=RevisionStatus.choices, default=RevisionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_revisions",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    reason_code = models.CharField(max_length=20, choices=RejectionReason.choices, blank=True)
    automatic = models.BooleanField(
        default=False, help_text="Approved by the trust policy rather than by a moderator."
    )
    revises = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revised_by",
        help_text="The rejected, withdrawn or conflicting proposal this one starts from.",
    )
    merged_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_into",
        help_text="The stale proposal whose changes this revision carries onto newer text.",
    )
    submission_key = models.UUIDField(
        null=True,
        blank=True,
        editable=False,
        help_text="The editor form's one-time key: the same form posted twice stores one proposal.",
    )
    # Nullable with no default, as submission_key: SQLite adds the column without
    # rebuilding the table (which would drop the guard triggers).
    submission_digest = models.CharField(  # noqa: DJ001
        max_length=64,
        null=True,
        blank=True,
        editable=False,
        help_text="What was posted with that key: other content under it is a new proposal.",
    )

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("moderate_revision", "Can review, approve and reject proposed revisions"),
            ("oversee_revision", "Can suppress revisions' text, summary or author (oversight)"),
        ]
        indexes = [
            # The queue (pending, oldest first).
            models.Index(fields=["status", "created_at"], name="revision_status_created"),
            # Recent changes and its feed (approved, newest decision first), statistics.
            models.Index(fields=["status", "-decided_at", "-id"], name="revision_status_decided"),
            # An article's history (its approved versions, newest first): without it the
            # planner walks the index above through every approved revision of the wiki.
            models.Index(
                fields=["article", "status", "-decided_at", "-id"], name="revision_article_decided"
            ),
            # My contributions and public profiles (one author's, newest first).
            models.Index(fields=["author", "-created_at", "-id"], name="revision_author_created"),
        ]
        constraints = [
            # Lets the database check that an article's approved revision is its own.
            models.UniqueConstraint(fields=["id", "article"], name="revision_id_article"),
            # A double click posts the editor twice: one proposal, whichever arrives first.
            models.UniqueConstraint(
                fields=["author", "submission_key"],
                condition=Q(submission_key__isnull=False),
                name="revision_one_per_submission",
            ),
            models.CheckConstraint(
                condition=Q(status=RevisionStatus.PENDING, decided_by__isnull=True)
                | Q(
                    ~Q(status=RevisionStatus.PENDING),
                    decided_by__isnull=False,
                    decided_at__isnull=False,
                ),
                name="revision_decision_stamped",
            ),
            models.CheckConstraint(
                condition=Q(status=RevisionStatus.PENDING, decided_at__isnull=True)
                | ~Q(status=RevisionStatus.PENDING),
                name="revision_pending_undecided",
            ),
            models.CheckConstraint(
                condition=~Q(status=RevisionStatus.REJECTED) | ~Q(decision_reason=""),
                name="revision_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[RevisionStatus.APPROVED, RevisionStatus.REJECTED])
                | ~Q(decided_by=F("author"))
                | Q(status=RevisionStatus.APPROVED, automatic=True),
                name="revision_no_self_review_v2",
            ),
            models.CheckConstraint(
                condition=~Q(automatic=True) | Q(status=RevisionStatus.APPROVED),
                name="revision_automatic_is_approval",
            ),
            models.CheckConstraint(
                condition=~Q(status=RevisionStatus.WITHDRAWN) | Q(decided_by=F("author")),
                name="revision_withdrawn_by_author",
            ),
            models.CheckConstraint(condition=~Q(summary=""), name="revision_has_summary"),
            models.CheckConstraint(condition=~Q(title=""), name="revision_has_title"),
        ]

    def __str__(self):
        return f"{self.article} · revision {self.pk} ({self.get_status_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            update_fields = kwargs.get("update_fields")
            if update_fields is None or not set(update_fields) <= set(DECISION_FIELDS):
                raise ValueError(
                    "A revision is immutable; only its decision fields can be saved "
                    "(pass update_fields)."
                )
        elif not self.rendered_html:
            # Rendered once, by the one renderer, when the revision is written
            # (the services render against the citations and pass the result).
            self.rendered_html = render_markdown(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("wiki:revision", kwargs={"slug": self.article.url_slug, "pk": self.pk})

    @property
    def is_pending(self) -> bool:
        return self.status == RevisionStatus.PENDING

    @property
    def approved_part(self) -> "Revision | None":
        """The version that published part of this proposal, if a moderator approved it in part
        (the rest declined or returned). Uses ``merged_into`` prefetched where lists show it."""
        if self.status not in (RevisionStatus.REJECTED, RevisionStatus.CHANGES_REQUESTED):
            return None
        # The first one written (as the decision's notification names it).
        return min(self.merged_into.all(), key=lambda part: part.pk, default=None)

    @property
    def outcome(self) -> str:
        """What became of it, in words: a part approval is not called a rejection."""
        if self.approved_part is not None:
            if self.status == RevisionStatus.REJECTED:
                return "Approved in part"
            return "Approved in part, the rest returned"
        return self.get_status_display()

    @property
    def outcome_key(self) -> str:
        """For styling (badge-…): the status, or "part-approved"."""
        return "part-approved" if self.approved_part is not None else self.status

    @property
    def is_stale(self) -> bool:
        """True when the article's approved text has moved on since this was written."""
        return self.base_id != self.article.approved_revision_id


class CitationQuerySet(models.QuerySet["Citation"]):
    def current(self) -> "CitationQuerySet":
        """Citations in the text readers see now: those of each article's approved revision."""
        return self.filter(revision__article__approved_revision=F("revision"))


def citing_article_count() -> Coalesce:
    """For a Source queryset: how many articles cite the source in their approved text now.

    Earlier approved versions, proposals and rejected text do not count: a
    citation carried through ten approved edits of one article counts once.
    """
    per_source = (
        Citation.objects.current()
        .filter(source=OuterRef("pk"))
        .order_by()
        .values("source")
        .annotate(articles=Count("revision__article", distinct=True))
        .values("articles")
    )
    return Coalesce(Subquery(per_source), 0)


class Citation(models.Model):
    """What one source supports in one revision."""

    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    quote = models.TextField(
        blank=True, max_length=500, help_text="A short supporting quote, one sentence at most."
    )
    locator = models.CharField(
        max_length=100, blank=True, help_text="Page, timestamp or minute within the source."
    )
    position = models.PositiveSmallIntegerField(default=0)
    key = models.PositiveSmallIntegerField(
        default=0, help_text="What the text's markers call it: [@1] is the citation with key 1."
    )
    number = models.PositiveSmallIntegerField(
        default=0, help_text="Its number in the reference list (shared by citations of one source)."
    )
    uses = models.PositiveSmallIntegerField(
        default=0, help_text="How many markers in the text point at it."
    )

    objects = CitationQuerySet.as_manager()

    class Meta:
        ordering = ["revision", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(quote="") | ~Q(locator=""), name="citation_quote_or_locator"
            ),
            models.UniqueConstraint(
                fields=["revision", "key"], condition=Q(key__gt=0), name="citation_unique_key"
            ),
        ]

    def __str__(self):
        return f"{self.source} ({self.locator or 'quote'})"


class StatementKind(models.TextChoices):
    CITED = KIND_CITED, "Cited"
    NEEDED = KIND_NEEDED, "Citation needed"
    DISPUTED = KIND_DISPUTED, "Disputed"


class StatementQuerySet(models.QuerySet["Statement"]):
    def current(self) -> "StatementQuerySet":
        """Statements of the text readers see now (each article's approved revision)."""
        return self.filter(revision__article__approved_revision=F("revision"))


class Statement(models.Model):
    """A statement a revision's text makes, as found from the marker after it."""

    # What a page shows of it, set for the reader by apps.wiki.presenting.shown_statements.
    shown_text: str = ""

    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="statements")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=StatementKind.choices)
    text = models.TextField()
    anchor = models.CharField(max_length=40, blank=True)
    citations = models.ManyToManyField(Citation, related_name="statements", blank=True)
    since = models.DateTimeField(
        help_text="When the statement was first written in this form (carried over by edits)."
    )

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["revision", "position"]
        indexes = [models.Index(fields=["kind", "since"], name="statement_kind_since")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"
