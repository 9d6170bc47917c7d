from django.core.management.base import BaseCommand

from apps.outbox.models import HeldTask
from apps.outbox.services import relay


class Command(BaseCommand):
    help = (
        "Hand the tasks held while the broker was down to it (the worker does this every "
        "OUTBOX_RELAY_SECONDS by itself)."
    )

    def handle(self, *args: object, **options: object) -> None:
        sent = relay(limit=100_000)
        waiting = HeldTask.objects.filter(reason=HeldTask.Reason.BROKER).count()
        failed = HeldTask.objects.filter(reason=HeldTask.Reason.FAILED).count()
        self.stdout.write(
            f"Handed {sent} held task(s) to the broker; {waiting} still waiting for it; "
            f"{failed} failed after their last try (see the admin)."
        )
        if waiting:
            raise SystemExit(1)
