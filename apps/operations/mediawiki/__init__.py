"""Moving in from MediaWiki or Fandom: read an XML export (dump), convert its wikitext
(wikitext) and store its pages with their history (importer)."""

from .importer import ImportOptions, Report, import_dump, survey
from .report import report_lines

__all__ = ["ImportOptions", "Report", "import_dump", "report_lines", "survey"]
