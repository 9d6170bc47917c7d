"""The Celery application: background jobs (e-mail, notification fan-out).

Configured from Django's settings (the ``CELERY_*`` names in fanwiki/settings.py).
``make worker`` runs a worker; with no broker configured, tasks run at once in
the process that queues them.
"""

import os
import threading
from contextlib import ExitStack

from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_ready, worker_shutdown

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


_relay_stop = threading.Event()


@worker_ready.connect
def _start_the_relay(**kwargs: object) -> None:
    """The worker hands the tasks held while the broker was down to it (apps/outbox)."""
    from apps.outbox.services import relay_every

    _relay_stop.clear()
    threading.Thread(
        target=relay_every, args=(_relay_stop,), name="outbox-relay", daemon=True
    ).start()


@worker_shutdown.connect
def _stop_the_relay(**kwargs: object) -> None:
    _relay_stop.set()
