"""Imports from MediaWiki or Fandom in the admin: upload a dump, a task worker imports it,
the page shows how far it got and then the report (as the command prints it)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from apps.outbox.services import send_later

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
        return (*OPTIONS, "status", "progress", "error", "created_by", "created_at",
                "started_at", "finished_at")  # fmt: skip

    def get_readonly_fields(self, request: HttpRequest, obj: ImportRun | None = None) -> Any:
        return () if obj is None else self.get_fields(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a run is what it ran with: its page is for reading

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        user = request.user
        return super().has_view_permission(request, obj) or user.has_perm(
            "operations.add_importrun"
        )

    def save_model(self, request: HttpRequest, obj: ImportRun, form: Any, change: bool) -> None:
        assert not change  # runs are never edited (has_change_permission)
        obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
        send_later(run_import, obj.pk)

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: dict[str, Any] | None = None) -> Any:  # fmt: skip
        run = self.get_object(request, object_id)
        working = run is not None and run.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)
        report = run.report if run is not None else {}
        context = {
            **(extra_context or {}),
            "refresh": working,
            "run": run,
            "counts": [(label, report.get(key, 0)) for key, label in COUNTS] if report else [],
            "templates": report.get("unmapped_templates", []),
            "missing_files": sorted(report.get("missing_files", {}).items()),
            "problems": report.get("problems", []),
            "notes": sorted(report.get("notes", {}).items()),
            "to_review": report.get("to_review", []),
        }
        return super().change_view(request, object_id, form_url, extra_context=context)

    @admin.display(description="progress")
    def progress(self, run: ImportRun) -> str:
        return f"{run.percent} % ({run.done:,} of {run.total:,} revisions)"
