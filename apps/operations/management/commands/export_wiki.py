"""Write the whole wiki to one JSON-lines backup file (apps/operations/backup has the format)."""

from django.core.management.base import BaseCommand, CommandError

from apps.operations import backup
from apps.operations.files import private_file


class Command(BaseCommand):
    help = (
        "Write every show, source, article, revision, record and user to FILE as JSON lines "
        "('-' for standard output). Password hashes only with --with-passwords."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the backup; '-' for standard output.")
        parser.add_argument(
            "--with-passwords",
            action="store_true",
            help="Include password hashes (treat the file as a secret).",
        )
        parser.add_argument(
            "--with-suppressed",
            action="store_true",
            help="Include what oversight suppressed (personal data, often: treat the file "
            "as a secret).",
        )
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=backup.CHUNK_SIZE,
            help="Rows read from the database at a time.",
        )

    def handle(
        self,
        *args,
        file: str,
        with_passwords: bool,
        with_suppressed: bool,
        chunk_size: int,
        **options,
    ):
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1.")
        if file == "-":
            counts = backup.export_wiki(
                self.stdout,
                with_passwords=with_passwords,
                with_suppressed=with_suppressed,
                chunk_size=chunk_size,
            )
            # Standard output carries the backup itself; the summary goes elsewhere.
            self.stderr.write(_summary(counts))
            return
        try:
            # Private (0600), and never written through a symbolic link: see files.py.
            with private_file(file) as out:
                counts = backup.export_wiki(
                    out,
                    with_passwords=with_passwords,
                    with_suppressed=with_suppressed,
                    chunk_size=chunk_size,
                )
        except OSError as error:
            raise CommandError(f"Cannot write {file}: {error.strerror}.") from error
        self.stdout.write(self.style.SUCCESS(f"{_summary(counts)} to {file}."))


def _summary(counts: dict[str, int]) -> str:
    return f"Exported {sum(counts.values())} rows of {len(counts)} models"
