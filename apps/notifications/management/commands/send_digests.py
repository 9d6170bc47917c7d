from django.core.management.base import BaseCommand

from apps.notifications.digest import send_digests


class Command(BaseCommand):
    help = (
        "Send the daily digest e-mail to every user who chose it and has news since "
        "their last one. Run it once a day; running it again sends nothing twice."
    )

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"Sent {sent} digest{'s' if sent != 1 else ''}.")
