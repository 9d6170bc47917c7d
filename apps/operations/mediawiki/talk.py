"""A MediaWiki talk page as topics and posts: one topic a section, one post a signed comment.

A comment on a MediaWiki talk page ends with its author's signature: a link to their user
page (or contributions, for an IP) and a time, "10:00, 2 May 2021 (UTC)". Indenting with
colons answers the comment above. Text that nobody signed is attributed to whoever wrote
the version of the page that first had it.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

import mwparserfromhell

from .dump import SiteInfo
from .wikitext import convert

_SIGNED_AT = re.compile(r"(\d{1,2}):(\d{2}), (\d{1,2}) ([A-Z][a-z]+) (\d{4}) \((?:UTC|GMT)\)")
_USER_LINK = re.compile(
    r"\[\[\s*(?:User|User talk|Special:Contributions)\s*[:/]\s*([^|\]#/]+)", re.IGNORECASE
)
_MARKERS = re.compile(r"\[@[\d, ]+\]")
_HEADING = re.compile(r"^==(?!=)\s*(.*?)\s*==\s*$")
# How far before its time a signature's first link may start.
_SIGNATURE_LENGTH = 200


@dataclass
class Comment:
    body: str  # the comment's wikitext, signature removed
    wikitext: str  # as written, signature included
    depth: int  # how many colons indent it
    user: str | None  # from its signature
    signed_at: datetime | None

    def markdown(self, site: SiteInfo) -> str:
        """The comment in the wiki's Markdown (references cite nothing on a talk page)."""
        return _MARKERS.sub("", convert(self.body, site).body).strip()


@dataclass
class Section:
    title: str
    comments: list[Comment] = field(default_factory=list)


def sections(text: str) -> list[Section]:
    """The talk page's topics: each level-2 heading and the comments under it (deeper
    headings stay in the text); text before the first heading is a topic of its own."""
    found: list[Section] = []
    title, lines = "", list[str]()
    for line in (text or "").splitlines():
        heading = _HEADING.match(line)
        if heading:
            found.append(Section(title=title, comments=_comments("\n".join(lines))))
            title, lines = _plain(heading[1]), []
        else:
            lines.append(line)
    found.append(Section(title=title, comments=_comments("\n".join(lines))))
    return [section for section in found if section.comments]


def _plain(wikitext: str) -> str:
    return " ".join(mwparserfromhell.parse(wikitext).strip_code().split())


def _comments(text: str) -> list[Comment]:
    comments: list[Comment] = []
    pending: list[str] = []
    for line in text.splitlines():
        if not line.strip() and not pending:
            continue
        pending.append(line)
        signed = list(_SIGNED_AT.finditer(line))
        if signed:
            comments.append(_comment("\n".join(pending)))
            pending = []
    if any(line.strip() for line in pending):
        comments.append(_comment("\n".join(pending)))
    return comments


def _comment(wikitext: str) -> Comment:
    stripped = wikitext.strip("\n")
    depth = len(stripped) - len(stripped.lstrip(":*"))
    signed = list(_SIGNED_AT.finditer(stripped))
    user = None
    signed_at = None
    body = stripped
    if signed:
        last = signed[-1]
        window = max(0, last.start() - _SIGNATURE_LENGTH)
        link = _USER_LINK.search(stripped, window, last.start())
        if link is not None:
            user = " ".join(link[1].replace("_", " ").split())
            # The signature runs from its first link (and the dashes before it) to the time.
            body = stripped[: link.start()].rstrip().rstrip("-—~").rstrip()
            body += stripped[last.end() :]
        else:
            body = stripped[: last.start()] + stripped[last.end() :]
        signed_at = _when(last)
    body = "\n".join(
        line.lstrip(":*").strip() if i == 0 else line for i, line in enumerate(body.splitlines())
    )
    return Comment(body=body, wikitext=stripped, depth=depth, user=user, signed_at=signed_at)


def _when(found: re.Match[str]) -> datetime | None:
    hour, minute, day, month, year = found.groups()
    try:
        return datetime.strptime(  # noqa: DTZ007 - the signature says UTC
            f"{year} {month} {day} {hour}:{minute}", "%Y %B %d %H:%M"
        ).replace(tzinfo=UTC)
    except ValueError:
        return None
