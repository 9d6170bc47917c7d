"""Background tasks that survive a broker outage, and mail that failed for good.

Every task the site queues from a request goes through :func:`send_later`: it is
handed to the broker once the transaction commits. When the broker cannot take it
(down, or taken as down by the circuit, so that the request does not wait for a
connection timeout), the task is written to :class:`HeldTask` instead, and the
request succeeds as usual. :func:`relay` hands the held tasks over when the
broker answers again; the worker runs it every ``OUTBOX_RELAY_SECONDS`` (and
``manage.py relay_held_tasks`` does once). A held task's row is deleted in the
same database transaction as it is handed over, under a row lock, so two relays
never send it twice.

Mail tasks (:data:`MAIL_TASK`) are retried with backoff when the mail server
fails; after the last try the task is kept here too, where staff see it in the
admin and send it again.
"""

import logging
import smtplib
import threading
from collections.abc import Sequence
from typing import Any

from celery import Task, current_app
from django.conf import settings
from django.db import DatabaseError, close_old_connections, transaction

from fanwiki.circuit import Circuit

from .models import HeldTask

logger = logging.getLogger(__name__)

BROKER = Circuit("task broker", "holding tasks in the database", "BROKER_RETRY_SECONDS")

# A mail server's errors a later try may not meet: down, refusing for now, the network.
MAIL_TRANSIENT = (smtplib.SMTPException, OSError)
MAIL_TRIES = 6


class KeptWhenFailed(Task):
    """A task kept as a :class:`HeldTask` when it fails after its last try."""

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        keep_failed(self.name, args, exc)


# Options for a task that sends mail: retried with backoff (30 s, 1, 2, 4, 8 min, with
# jitter) when the mail server fails, then kept for staff.
MAIL_TASK: dict[str, Any] = {
    "base": KeptWhenFailed,
    "autoretry_for": MAIL_TRANSIENT,
    "max_retries": MAIL_TRIES - 1,
    "retry_backoff": 30,
    "retry_backoff_max": 900,
    "retry_jitter": True,
}


def send_later(task: Task, *args: Any) -> None:
    """Queue ``task(*args)`` once the current transaction commits (nothing, if it rolls
    back); if the broker does not take it, hold it until it does."""

    # A closure, not functools.partial: Django names a failed robust callback by its
    # __qualname__, which a partial lacks.
    def queue() -> None:
        hand_over(task, args)

    # robust: what the request stored stays stored even if the database refuses the held
    # task too (both down); that is logged.
    transaction.on_commit(queue, robust=True)


def hand_over(task: Task, args: Sequence[Any]) -> bool:
    """Give the task to the broker now (or run it, without one); False if it was held."""
    if task.app.conf.task_always_eager:
        task.apply_async(args)
        return True
    if BROKER.open():
        _hold(task.name, args, "the broker was down a moment ago")
        return False
    try:
        task.apply_async(args)
    except Exception as error:  # noqa: BLE001 - whatever the transport raises, hold it
        BROKER.failed(error)
        _hold(task.name, args, str(error))
        return False
    BROKER.answered()
    return True


def _hold(name: str, args: Sequence[Any], error: str) -> None:
    HeldTask.objects.create(
        task=name, args=list(args), reason=HeldTask.Reason.BROKER, error=error[:1000]
    )


def keep_failed(name: str, args: Sequence[Any], error: BaseException) -> None:
    """Keep a task that failed after its last try, for staff to see and send again."""
    HeldTask.objects.create(
        task=name, args=list(args), reason=HeldTask.Reason.FAILED, error=repr(error)[:1000]
    )
    logger.error("task %s%r failed after its last try; kept for staff", name, tuple(args))


def relay(limit: int = 500) -> int:
    """Hand the tasks held for the broker to it, oldest first, at most ``limit``; stop at
    the first it refuses. How many were handed over."""
    if BROKER.open():
        return 0
    sent = 0
    while sent < limit:
        with transaction.atomic():
            held = (
                HeldTask.objects.select_for_update(skip_locked=True)
                .filter(reason=HeldTask.Reason.BROKER)
                .first()
            )
            if held is None:
                break
            task = current_app.tasks.get(held.task)
            if task is None:
                held.reason, held.error = HeldTask.Reason.FAILED, "no such task"
                held.save(update_fields=["reason", "error"])
                continue
            try:
                task.apply_async(held.args)
            except Exception as error:  # noqa: BLE001 - still down: the row stays
                BROKER.failed(error)
                break
            held.delete()
        sent += 1
    if sent:
        BROKER.answered()
        logger.warning("handed %s held task(s) to the broker", sent)
    return sent


def relay_every(stop: threading.Event) -> None:
    """Relay every ``OUTBOX_RELAY_SECONDS`` until ``stop`` is set (the worker's thread)."""
    failing = False
    while not stop.wait(settings.OUTBOX_RELAY_SECONDS):
        try:
            relay()
        except DatabaseError as error:
            if not failing:  # said once an outage, not every few seconds
                logger.warning("could not read the held tasks: %s", error)
            failing = True
        else:
            failing = False
        finally:
            close_old_connections()


def send_again(held: HeldTask) -> bool:
    """Hand a kept (or held) task over again, at once; False if the broker is down (it is
    held again)."""
    task = current_app.tasks.get(held.task)
    if task is None:
        raise LookupError(f"There is no task named {held.task}.")
    with transaction.atomic():
        HeldTask.objects.filter(pk=held.pk).delete()
        return hand_over(task, held.args)
