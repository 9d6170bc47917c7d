"""Write the wiki as a MediaWiki XML export (schema 0.11) that MediaWiki and
import_mediawiki read: approved history, authors, categories, citations, redirects."""

import bz2
import gzip
import os
import sys
from typing import IO, cast

from django.core.management.base import BaseCommand, CommandError

from apps.operations.mediawiki.export import export_dump


class Command(BaseCommand):
    help = (
        "Write every published article with its approved history, categories, citations "
        "(as <ref>{{cite …}}</ref>) and redirects as a MediaWiki XML export (schema 0.11) to "
        "FILE ('-' for standard output; a name ending in .gz or .bz2 is compressed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the export; '-' for standard output.")

    def handle(self, *args, file: str, **options):
        if file == "-":
            counts = export_dump(sys.stdout.buffer)
        else:
            partial = f"{file}.partial"
            opener = (
                gzip.open if file.endswith(".gz") else bz2.open if file.endswith(".bz2") else open
            )
            try:
                with opener(partial, "wb") as out:
                    counts = export_dump(cast(IO[bytes], out))
                os.replace(partial, file)
            except OSError as error:
                if os.path.exists(partial):
                    os.remove(partial)
                raise CommandError(f"Cannot write {file}: {error.strerror or error}.") from error
        self.stderr.write(
            f"Exported {counts.pages} pages with {counts.revisions} revisions "
            f"and {counts.redirects} redirects."
        )
