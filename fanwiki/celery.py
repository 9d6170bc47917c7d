"""The Celery application: background jobs (e-mail, notification fan-out).

Configured from Django's settings (the ``CELERY_*`` names in fanwiki/settings.py).
``make worker`` runs a worker; with no broker configured, tasks run at once in
the process that queues them.
"""

import os
from contextlib import ExitStack

from celery import Celery
from celery.signals import task_postrun, task_prerun

from .routers import primary

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanwiki.settings")

app = Celery("fanwiki")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

_pins: dict[str, ExitStack] = {}


@task_prerun.connect
def _read_from_the_primary(task_id: str, task: object, **kwargs: object) -> None:
    """A task often runs right after the commit that queued it: a replica may lag behind."""
    stack = ExitStack()
    stack.enter_context(primary())
    _pins[task_id] = stack


@task_postrun.connect
def _release_the_primary(task_id: str, task: object, **kwargs: object) -> None:
    stack = _pins.pop(task_id, None)
    if stack is not None:
        stack.close()
