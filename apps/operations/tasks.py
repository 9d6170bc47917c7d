"""Imports started from the admin, run by a task worker."""

import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

from celery import shared_task
from django.core.files.storage import default_storage
from django.utils import timezone

from .mediawiki import ImportOptions, import_dump
from .mediawiki.dump import DumpError
from .models import ImportRun, ImportStatus

logger = logging.getLogger(__name__)
# How often the admin page's progress is written (seconds).
PROGRESS_EVERY = 1.0


@shared_task(acks_late=False)
def run_import(run_id: int) -> None:
    """Import the run's dump; its row says how far it got, then the report or the refusal.

    Not retried: a dump that failed once fails again, and what was written is kept (a
    new run adds only what is missing)."""
    claimed = ImportRun.objects.filter(pk=run_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    run = ImportRun.objects.get(pk=run_id)
    last = 0.0
    seen = [0, 0]

    def progress(done: int, total: int) -> None:
        nonlocal last
        seen[:] = [done, total]
        now = time.monotonic()
        if now - last >= PROGRESS_EVERY or done == total:
            last = now
            ImportRun.objects.filter(pk=run_id).update(done=done, total=total)

    options = ImportOptions(
        prefix=run.prefix,
        origin_url=run.origin_url,
        license=run.license,
        show=run.show,
        dry_run=run.dry_run,
    )
    status, report, error = ImportStatus.FAILED, {}, ""
    try:
        with _local_copy(run.dump.name) as path:
            report = import_dump(path, options, progress=progress).as_dict()
        status = ImportStatus.DONE
    except DumpError as refused:
        error = str(refused)
    except Exception:
        logger.exception("Import %s failed", run_id)
        error = "The import stopped on an error (see the server's log). What was written is kept."
    # (A dry run's progress was written in its transaction, rolled back with it.)
    ImportRun.objects.filter(pk=run_id).update(
        status=status,
        report=report,
        error=error,
        finished_at=timezone.now(),
        done=seen[0],
        total=seen[1],
    )


@contextmanager
def _local_copy(name: str) -> Iterator[str]:
    """The stored dump as a file on this machine (object storage has no path), removed after."""
    handle, path = tempfile.mkstemp(suffix=os.path.splitext(name)[1], prefix="import-")
    try:
        with os.fdopen(handle, "wb") as out, default_storage.open(name, "rb") as stored:
            shutil.copyfileobj(stored, out, 1024 * 1024)
        yield path
    finally:
        os.remove(path)
