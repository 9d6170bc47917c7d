"""Restore a backup written by export_wiki into an empty database, all or nothing."""

import sys

from django.core.management.base import BaseCommand, CommandError

from apps.operations import backup


class Command(BaseCommand):
    help = (
        "Load a backup written by export_wiki from FILE ('-' for standard input) into an empty "
        "database, in one transaction, keeping primary keys."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup to read; '-' for standard input.")

    def handle(self, *args, file: str, **options):
        try:
            if file == "-":
                counts = backup.import_wiki(sys.stdin)
            else:
                with open(file, encoding="utf-8") as lines:
                    counts = backup.import_wiki(lines)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{file} is not UTF-8 text. Nothing was imported.") from error
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        total = sum(counts.values())
        self.stdout.write(self.style.SUCCESS(f"Imported {total} rows of {len(counts)} models."))
