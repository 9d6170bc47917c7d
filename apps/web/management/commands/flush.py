"""Django's flush, through the history tables' triggers (apps.web.appendonly).

Emptying the whole database is the one way history rows may go: PostgreSQL's
flush is a TRUNCATE, which row triggers let by; SQLite's deletes every row, which
the triggers refuse except inside appendonly.erasing(). Transactional tests end
with this command too.
"""

from typing import Any

from django.core.management.commands import flush

from apps.web import appendonly


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        with appendonly.erasing():
            super().handle(**options)
