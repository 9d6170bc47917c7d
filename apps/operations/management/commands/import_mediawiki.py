"""Import a MediaWiki or Fandom XML export: every page with its history, authors,
references, categories and redirects (apps.operations.mediawiki)."""

import json
import os
import sys

from django.core.management.base import BaseCommand, CommandError

from apps.operations.mediawiki import ImportOptions, import_dump, report_lines
from apps.operations.mediawiki.dump import DumpError


class Command(BaseCommand):
    help = (
        "Import a MediaWiki XML export (.xml, .xml.gz, .xml.bz2 or Fandom's .7z; schema 0.3 "
        "to 0.11, current pages or full history). Running it again with the same or a newer "
        "dump adds only the revisions not imported yet."
    )

    def add_arguments(self, parser):
        parser.add_argument("dump", help="The export file.")
        parser.add_argument(
            "--images", metavar="DIR", help="A folder holding the wiki's files by name."
        )
        parser.add_argument(
            "--origin-url",
            default="",
            help="Where the wiki's pages live, such as https://office.fandom.com/wiki/ "
            "(default: from the dump's <base>).",
        )
        parser.add_argument(
            "--license", default="", help="The licence of the imported text, such as CC BY-SA 3.0."
        )
        parser.add_argument(
            "--prefix",
            default="",
            help="Put before imported authors' names (prefix>Name); default: from the site name.",
        )
        parser.add_argument(
            "--show",
            default="",
            help="The show episode infoboxes are about when they do not say (default: the site).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Write nothing; print the report."
        )
        parser.add_argument("--json", metavar="FILE", help="Also write the report as JSON.")
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Processes that convert and render while this one writes (default: one a "
            "core for a dump of 500 revisions or more, none for a smaller one; 0: none).",
        )

    def handle(self, *args, dump: str, **options):
        if options["images"] and not os.path.isdir(options["images"]):
            raise CommandError(f"--images {options['images']}: no such folder.")
        settings = ImportOptions(
            prefix=options["prefix"],
            origin_url=options["origin_url"],
            license=options["license"],
            show=options["show"],
            images=options["images"] or "",
            workers=options["workers"],
            dry_run=options["dry_run"],
        )
        progress = _Progress(self.stderr) if options["verbosity"] >= 1 else None
        try:
            report = import_dump(dump, settings, progress=progress)
        except DumpError as error:
            raise CommandError(f"{dump}: {error}") from error
        except OSError as error:  # the dump (a file the import cannot store is reported)
            raise CommandError(f"Cannot read {dump}: {error.strerror or error}.") from error
        finally:
            if progress is not None:
                progress.end()
        for line in report_lines(report):
            self.stdout.write(line)
        if options["json"]:
            with open(options["json"], "w", encoding="utf-8") as out:
                json.dump(report.as_dict(), out, indent=2, ensure_ascii=False)


class _Progress:
    """A one-line progress bar on standard error (only where it is a terminal)."""

    def __init__(self, stream):
        self.stream = stream
        self.tty = sys.stderr.isatty()
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        if not self.tty or not total:
            return
        percent = done * 100 // total
        if percent == self.shown:
            return
        self.shown = percent
        bar = "#" * (percent // 4)
        self.stream.write(
            f"\r[{bar:<25}] {percent:3d}%  {done:,} of {total:,} revisions", ending=""
        )
        self.stream.flush()

    def end(self) -> None:
        if self.tty and self.shown >= 0:
            self.stream.write("")
