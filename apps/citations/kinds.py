"""What each kind of source is described by, and how a place within it is written."""

import re

from django.core.exceptions import ValidationError

from .models import SourceKind

# The fields the form shows for a new source of each kind (title always).
KIND_FIELDS = {
    SourceKind.WEB: ["url", "archive_url", "author", "publisher", "published_date"],
    SourceKind.BOOK: ["author", "publisher", "published_date"],
    SourceKind.PODCAST: ["publisher", "author", "url", "published_date"],
    SourceKind.INTERVIEW: ["publisher", "url", "published_date"],
    SourceKind.EPISODE: ["publisher", "published_date"],
    SourceKind.DVD: ["publisher", "published_date"],
    SourceKind.SOCIAL: ["url", "archive_url", "author", "published_date"],
    SourceKind.PRESS: ["publisher", "url", "published_date"],
    SourceKind.WIKI: ["url", "publisher", "published_date"],
    SourceKind.OTHER: ["author", "publisher", "url", "published_date"],
}

# How each kind's "publisher" and "author" read in the form.
FIELD_LABELS = {
    SourceKind.WEB: {"publisher": "Website", "author": "Author"},
    SourceKind.BOOK: {"publisher": "Publisher", "author": "Author"},
    SourceKind.PODCAST: {"publisher": "Podcast", "author": "Hosts"},
    SourceKind.INTERVIEW: {"publisher": "Programme or channel"},
    SourceKind.EPISODE: {"publisher": "Network"},
    SourceKind.DVD: {"publisher": "Release"},
    SourceKind.SOCIAL: {"author": "Account"},
    SourceKind.PRESS: {"publisher": "Issued by"},
    SourceKind.WIKI: {"publisher": "Wiki"},
    SourceKind.OTHER: {"publisher": "Published by", "author": "Author"},
}

# The locator each kind asks for: (label, placeholder).
LOCATORS = {
    SourceKind.WEB: ("Section or paragraph", "paragraph 4"),
    SourceKind.BOOK: ("Page", "p. 112"),
    SourceKind.PODCAST: ("Minute", "34:10"),
    SourceKind.INTERVIEW: ("Timestamp", "02:45"),
    SourceKind.EPISODE: ("Timestamp in the episode", "18:32"),
    SourceKind.DVD: ("Disc and timestamp", "disc 2, 14:05"),
    SourceKind.SOCIAL: ("Post or reply", ""),
    SourceKind.PRESS: ("Section", ""),
    SourceKind.WIKI: ("Revision", "oldid=1234"),
    SourceKind.OTHER: ("Where in it", ""),
}

TIMED_KINDS = {SourceKind.PODCAST, SourceKind.INTERVIEW, SourceKind.EPISODE, SourceKind.DVD}
_PAGES = re.compile(r"(\d{1,5})(?:\s*[-–]\s*(\d{1,5}))?")
_BARE_NUMBER = re.compile(r"\d{1,5}")


def clean_locator(kind: str, locator: str) -> str:
    """Normalise a locator for its source's kind; refuse a time written as a bare number.

    A bare page number for a book becomes "p. 12" ("pp. 12–14" for a range).
    Other wording (such as a note that the quote comes second-hand) is kept.
    """
    locator = " ".join((locator or "").split())
    if kind == SourceKind.BOOK:
        pages = _PAGES.fullmatch(locator)
        if pages:
            first, last = pages.groups()
            return f"pp. {first}–{last}" if last else f"p. {first}"
    if kind in TIMED_KINDS and _BARE_NUMBER.fullmatch(locator):
        raise ValidationError(
            f"Write the time as minutes and seconds, such as {locator}:00 or 1:{locator}:00."
        )
    return locator
