"""What imports from other wikis brought in, so that running one again adds only what is new."""

from django.core.validators import URLValidator
from django.db import models


class ImportedPage(models.Model):
    """A page of another wiki and the article it became here."""

    origin = models.CharField(max_length=100, help_text="The other wiki, by its import prefix.")
    page_id = models.BigIntegerField(help_text="The page's id on the other wiki.")
    title = models.CharField(max_length=255, help_text="Its title there, at the last import.")
    article = models.ForeignKey(
        "wiki.Article", on_delete=models.PROTECT, related_name="imported_as"
    )
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["origin", "page_id"], name="importedpage_unique"),
        ]

    def __str__(self):
        return f"{self.origin}:{self.title}"


class ImportedRevision(models.Model):
    """A revision of another wiki's page and the version it became here.

    Known by its page, its date and the SHA-1 of its text: revision ids are not a key
    (MediaWiki's own importer gives new ones, and dumps of merged histories reuse them),
    and the same text at another date is another version."""

    page = models.ForeignKey(ImportedPage, on_delete=models.CASCADE, related_name="revisions")
    timestamp = models.DateTimeField()
    sha1 = models.CharField(max_length=40, help_text="Hex SHA-1 of its wikitext, as computed here.")
    rev_id = models.BigIntegerField(null=True, blank=True, help_text="Its id on the other wiki.")
    revision = models.OneToOneField(
        "wiki.Revision", on_delete=models.PROTECT, related_name="imported_from"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["page", "timestamp", "sha1"], name="importedrevision_unique"
            ),
        ]

    def __str__(self):
        return f"{self.page} @ {self.timestamp:%Y-%m-%d %H:%M}"


class ImportedTalk(models.Model):
    """A topic or post that came from another wiki's talk page (known by a digest of the
    page, the section and the comment's wikitext, so a later dump adds only new comments)."""

    origin = models.CharField(max_length=100)
    key = models.CharField(max_length=64)
    topic = models.ForeignKey("talk.Topic", on_delete=models.CASCADE, related_name="+")
    post = models.OneToOneField(
        "talk.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["origin", "key"], name="importedtalk_unique"),
        ]

    def __str__(self):
        return f"{self.origin}:{self.key[:12]}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for a worker"
    RUNNING = "running", "Importing"
    DONE = "done", "Finished"
    FAILED = "failed", "Refused or failed"


class ImportRun(models.Model):
    """A dump a staff member uploaded in the admin, imported by a task worker."""

    dump = models.FileField(upload_to="imports/%Y/%m/", help_text="The MediaWiki XML export.")
    origin_url = models.CharField(
        "origin URL",
        max_length=300,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="Where the wiki's pages live, such as https://office.fandom.com/wiki/ "
        "(default: from the dump).",
    )
    license = models.CharField(
        "licence", max_length=100, blank=True, help_text="Such as CC BY-SA 3.0."
    )
    prefix = models.CharField(
        max_length=30,
        blank=True,
        help_text="Before imported authors' names (prefix>Name); default: from the site name.",
    )
    show = models.CharField(
        max_length=200,
        blank=True,
        help_text="The show episode infoboxes are about when they do not say.",
    )
    dry_run = models.BooleanField(default=False, help_text="Write nothing; only report.")
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    done = models.PositiveIntegerField(default=0, help_text="Revisions read so far.")
    total = models.PositiveIntegerField(default=0, help_text="Revisions in the dump.")
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "MediaWiki import"

    def __str__(self):
        return f"Import {self.pk} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return self.done * 100 // self.total if self.total else 0
