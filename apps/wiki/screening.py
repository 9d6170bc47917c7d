"""Screening what fans write before it is stored: proposals here, and what the apps built
on wiki ask it of (their posts and comments), through the "content-check" hook.

Wiki names no app that answers: one that does (edit filters) gets a :class:`Written`
(what is about to be stored, its added and removed lines, its links and images,
worked out only if asked) and returns a :class:`Screening` (hold it for review,
tag it) or raises ValidationError to refuse it, or apps.web.refusals.Flagged to warn: the
writer sees the message and may submit again, sending back ``acknowledge``.
"""

import re
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlsplit

from apps.accounts.models import User
from apps.markup import MarkdownTooComplex, render_markdown
from apps.web import hooks

from .diff import changed_lines
from .models import Article
from .slots import CONTENT_CHECK
from .spam import external_links

_IMAGE = re.compile(r'<img\b[^>]*\bsrc="([^"]*)"', re.IGNORECASE)


@dataclass(frozen=True)
class Screening:
    hold: bool = False  # wait for a moderator even when the author's proposals skip review
    tags: tuple[str, ...] = ()  # shown in the review queue, which filters by them

    def __or__(self, other: "Screening") -> "Screening":
        return Screening(
            hold=self.hold or other.hold, tags=tuple(dict.fromkeys(self.tags + other.tags))
        )


@dataclass
class Written:
    """Something a fan is about to store, as a screen sees it."""

    kind: str  # "proposal", or the asking app's name for it (a discussion post, a comment)
    author: User
    article: Article | None
    text: str
    previous: str = ""  # the text it replaces (a proposal's base), "" for a new one
    summary: str = ""  # an edit summary, a topic's title
    title: str = ""  # the article's title (as the proposal gives it)
    acknowledged: str = ""  # the token of warnings the writer saw and submitted past
    rendered: str | None = field(default=None, repr=False)  # its HTML, when already made

    @cached_property
    def html(self) -> str:
        if self.rendered is not None:
            return self.rendered
        try:
            return render_markdown(self.text)
        except MarkdownTooComplex:
            return ""

    @cached_property
    def _diff(self) -> tuple[str, str]:
        added, removed = changed_lines(self.previous, self.text)
        return "\n".join(added), "\n".join(removed)

    @property
    def added_text(self) -> str:
        return self._diff[0] if self.previous else self.text

    @property
    def removed_text(self) -> str:
        return self._diff[1] if self.previous else ""

    @cached_property
    def links(self) -> tuple[str, ...]:
        """Every link of the text that leads off this site."""
        return tuple(url for url, _host in external_links(self.html))

    @cached_property
    def added_links(self) -> tuple[str, ...]:
        before = {url for url, _host in external_links(render_markdown(self.previous))}
        return tuple(url for url in self.links if url not in before)

    @cached_property
    def link_domains(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(urlsplit(url).hostname or "" for url in self.added_links))

    @cached_property
    def images(self) -> tuple[str, ...]:
        return tuple(_IMAGE.findall(self.html))


def screen(written: Written) -> Screening:
    """What the screens say of ``written``; raises ValidationError (refused) or Flagged
    (warned) before anything is stored."""
    verdict = Screening()
    for answer in hooks.run(CONTENT_CHECK, written=written):
        if answer is not None:
            verdict = verdict | answer
    return verdict
