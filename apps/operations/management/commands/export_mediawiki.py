"""Write the wiki as a MediaWiki XML export (schema 0.11) that MediaWiki and
import_mediawiki read: approved history, authors, categories, citations, redirects."""

import bz2
import gzip
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, BinaryIO, cast

from django.core.management.base import BaseCommand, CommandError

from apps.operations.files import private_file
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
            # Written like a backup (files.py): the authors' names are personal data, and
            # the unfinished file's name is random, so no link planted there is followed.
            try:
                with private_file(file, "wb") as raw, _compressor(file, raw) as out:
                    counts = export_dump(out)
            except OSError as error:
                raise CommandError(f"Cannot write {file}: {error.strerror or error}.") from error
        self.stderr.write(
            f"Exported {counts.pages} pages with {counts.revisions} revisions "
            f"and {counts.redirects} redirects."
        )


@contextmanager
def _compressor(file: str, raw: BinaryIO) -> Iterator[IO[bytes]]:
    """A writer into ``raw`` that compresses as the name asks (.gz, .bz2), or ``raw`` itself.

    Leaving the block finishes the compressed stream and leaves ``raw`` open.
    """
    if file.endswith(".gz"):
        # The header names the file (less ".gz"), not the temporary file it is written to.
        with gzip.GzipFile(filename=os.path.basename(file), mode="wb", fileobj=raw) as zipped:
            yield cast(IO[bytes], zipped)
    elif file.endswith(".bz2"):
        with bz2.BZ2File(raw, "wb") as zipped:
            yield cast(IO[bytes], zipped)
    else:
        yield raw
