"""Imports from MediaWiki or Fandom in the admin: upload a dump, a task worker imports it,
the page shows how far it got and then the report (as the command prints it)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .mediawiki.dump import looks_like_a_dump
from .models import ImportRun, ImportStatus
from .tasks import run_import

OPTIONS = ("dump", "origin_url", "license", "prefix", "show", "dry_run")
COUNTS = (
    ("pages_imported", "pages imported"),
    ("pages_unchanged", "pages already up to date"),
    ("revisions_imported", "revisions imported"),
    ("revisions_already_here", "revisions already here"),
    ("accounts_created", "accounts made"),
    ("references", "references"),
    ("references_without_quote_or_place", "references with neither quote nor page or time"),
    ("sources_created", "new sources"),
    ("sources_reused", "sources already here"),
    ("other_names", "other names from redirects"),
    ("episodes_linked", "articles linked to an episode"),
    ("talk_pages", "talk pages"),
    ("talk_posts", "talk posts"),
)


class ImportRunForm(forms.ModelForm):
    class Meta:
        model = ImportRun
        fields = OPTIONS

    def clean_dump(self) -> Any:
        dump = self.cleaned_data["dump"]
        head = dump.read(512)
        dump.seek(0)
        if not looks_like_a_dump(head):
            raise forms.ValidationError(
                "This is not a MediaWiki XML export (.xml, .xml.gz, .xml.bz2 or .7z)."
            )
        return dump


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    form = ImportRunForm
    list_display = ("__str__", "dump", "status", "progress", "created_by", "created_at")
    list_filter = ("status",)
    list_select_related = ("created_by",)

    def get_fields(self, request: HttpRequest, obj: ImportRun | None = None) -> Any:
        if obj is None:
            return OPTIONS
        return (*OPTIONS, "status", "progress", "error", "report_table", "created_by",
                "created_at", "started_at", "finished_at")  # fmt: skip

    def get_readonly_fields(self, request: HttpRequest, obj: ImportRun | None = None) -> Any:
        return () if obj is None else self.get_fields(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ImportRun, form: Any, change: bool) -> None:
        if change:
            return  # a run is never edited: its options are what it ran with
        obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
        transaction.on_commit(lambda: run_import.delay(obj.pk), robust=True)

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: dict[str, Any] | None = None) -> Any:  # fmt: skip
        run = self.get_object(request, object_id)
        working = run is not None and run.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)
        context = {**(extra_context or {}), "refresh": working}
        return super().change_view(request, object_id, form_url, extra_context=context)

    @admin.display(description="progress")
    def progress(self, run: ImportRun) -> SafeString:
        return format_html(
            '<progress max="100" value="{}">{} %</progress> {:,} of {:,} revisions',
            run.percent,
            run.percent,
            run.done,
            run.total,
        )

    @admin.display(description="report")
    def report_table(self, run: ImportRun) -> SafeString:
        report = run.report or {}
        if not report:
            return format_html("{}", "—")
        rows = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td></tr>",
            ((label, report.get(key, 0)) for key, label in COUNTS),
        )
        templates = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (row["template"], row["uses"], ", ".join(row["pages"][:10]))
                for row in report.get("unmapped_templates", [])
            ),
        )
        files = format_html_join(
            "",
            "<li>{} (on {})</li>",
            (
                (name, ", ".join(pages[:3]))
                for name, pages in report.get("missing_files", {}).items()
            ),
        )
        problems = format_html_join("", "<li>{}</li>", ((p,) for p in report.get("problems", [])))
        return format_html(
            "<table>{}</table>"
            "<h3>Templates with no mapping</h3><table><tr><th>template</th><th>uses</th>"
            "<th>pages</th></tr>{}</table>"
            "<h3>Files not imported</h3><ul>{}</ul><h3>Problems</h3><ul>{}</ul>",
            rows,
            templates,
            files,
            problems,
        )
