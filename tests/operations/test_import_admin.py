"""Importing from the admin: staff upload a dump, a task worker imports it, the page shows
the progress and then the report; a file that is not a dump gets the form back."""

import multiprocessing
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.operations.models import ImportRun, ImportStatus
from apps.operations.tasks import run_import
from apps.wiki.models import Article, Revision
from tests import factories

pytestmark = pytest.mark.django_db

DUMPS = Path(__file__).parent / "mediawiki_dumps"
ADD = reverse("admin:operations_importrun_add")


def upload(name="fan-wiki.xml", data=None):
    return SimpleUploadedFile(name, data if data is not None else (DUMPS / name).read_bytes())


def test_staff_upload_a_dump_and_a_worker_imports_it(
    client, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            ADD, {"dump": upload(), "show": "The Office", "license": "CC BY-SA 3.0"}
        )
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.DONE and run.created_by == staff
    assert (run.done, run.total, run.percent) == (15, 15, 100)
    assert run.report["revisions_imported"] == 10
    assert Revision.objects.count() == 10
    assert Article.objects.get(title="Casino Night").episode.season.show.title == "The Office"
    page = client.get(reverse("admin:operations_importrun_change", args=[run.pk]))
    assert page.status_code == 200
    assert b"Quote" in page.content and b"revisions imported" in page.content
    assert b'http-equiv="refresh"' not in page.content  # finished: no more refreshing
    assert b'name="_save"' not in page.content  # a run is read, never edited


def test_a_dry_run_writes_nothing_and_reports_how_far_it_read(
    client, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ADD, {"dump": upload(), "dry_run": "on"})
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.DONE and run.dry_run
    assert (run.done, run.total) == (15, 15)
    assert run.report["revisions_imported"] == 10 and run.report["dry_run"]
    assert not Revision.objects.exists()


def test_a_file_that_is_not_a_dump_gets_the_form_again(client, staff):
    client.force_login(staff)
    response = client.post(ADD, {"dump": upload("notes.txt", b"just some notes")})
    assert response.status_code == 200
    assert b"This is not a MediaWiki XML export" in response.content
    assert not ImportRun.objects.exists()


def test_a_broken_dump_ends_as_refused_with_the_reason(
    client, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    data = (DUMPS / "fan-wiki.xml").read_bytes()[:3000]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ADD, {"dump": upload("cut.xml", data)})
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.FAILED
    assert "The file ends before the dump does" in run.error
    assert not Article.objects.exists()
    page = client.get(reverse("admin:operations_importrun_change", args=[run.pk]))
    assert b"The file ends before the dump does" in page.content


def test_a_waiting_run_refreshes_its_page(client, staff):
    run = ImportRun.objects.create(dump=upload(), created_by=staff)
    client.force_login(staff)
    page = client.get(reverse("admin:operations_importrun_change", args=[run.pk]))
    assert b'http-equiv="refresh"' in page.content


def test_only_staff_with_the_permission_may_import(client, moderator):
    client.force_login(moderator)
    assert client.get(ADD).status_code in (302, 403)
    fan = factories.make_user("plainstaff", staff=True)
    client.force_login(fan)
    assert client.post(ADD, {"dump": upload()}).status_code == 403
    assert not ImportRun.objects.exists()


def test_the_report_is_escaped(client, staff):
    hostile = "<script>alert(1)</script>"
    run = ImportRun.objects.create(
        dump=upload(),
        created_by=staff,
        status=ImportStatus.DONE,
        report={
            "revisions_imported": 1,
            "problems": [hostile],
            "unmapped_templates": [{"template": hostile, "uses": 1, "pages": [hostile]}],
            "missing_files": {hostile: [hostile]},
        },
    )
    client.force_login(staff)
    page = client.get(reverse("admin:operations_importrun_change", args=[run.pk]))
    assert hostile.encode() not in page.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page.content


def test_inside_a_celery_worker_the_import_starts_no_processes(monkeypatch, staff):
    """Celery's prefork workers are daemonic processes, which may not have children: the
    admin's imports then convert and render in the worker itself."""
    monkeypatch.setattr(multiprocessing.current_process(), "daemon", True)
    run = ImportRun.objects.create(dump=upload(), created_by=staff)
    monkeypatch.setattr("apps.operations.mediawiki.importer.PARALLEL_FROM", 1)
    run_import(run.pk)
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE, run.error
    assert Revision.objects.count() == 10
