from django.db import models
from django.utils import timezone


class HeldTask(models.Model):
    """A background task that is not with the broker: either the broker could not take it
    (it is handed over when the broker answers again: :func:`apps.outbox.services.relay`),
    or it failed after its last try, such as a mail the relay kept refusing (kept here
    until staff send it again or discard it)."""

    class Reason(models.TextChoices):
        BROKER = "broker", "waiting for the broker"
        FAILED = "failed", "failed after its last try"

    task = models.CharField(max_length=200, help_text="The Celery task's name.")
    args = models.JSONField(default=list, blank=True)
    reason = models.CharField(max_length=10, choices=Reason.choices)
    error = models.TextField(blank=True)
    held_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["reason", "id"], name="outbox_held_reason_id")]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)!r} ({self.get_reason_display()})"
