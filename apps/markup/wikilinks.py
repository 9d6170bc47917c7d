"""Links between articles: ``[[Article title]]`` or ``[[Article title|shown text]]``.

A wiki link points at the article's slug. Whether that article exists is only
known when a page is served: :func:`mark_missing_links` then marks the links
to articles not written yet and points them at the form that creates them.
"""

import re
import xml.etree.ElementTree as etree
from html import escape, unescape
from urllib.parse import quote

from django.utils.text import slugify
from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

WIKILINK_PATTERN = r"\[\[([^\[\]|\n]{1,200})(?:\|([^\[\]\n]{1,200}))?\]\]"
# Runs before reference markers (175) and links (160).
PRIORITY = 174

_WIKILINK_SOURCE = re.compile(WIKILINK_PATTERN)
_WIKILINK_HTML = re.compile(r'<a class="wikilink" href="/wiki/([\w-]+)/" title="([^"]*)"')


class WikiLinkProcessor(InlineProcessor):
    # ignore[override]: InlineProcessor's handleMatch(m, data) does not match its base
    # Pattern's handleMatch(m) (markdown's stubs ignore the same mismatch).
    def handleMatch(  # type: ignore[override]  # noqa: N802 - python-markdown's name
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        title = " ".join(m.group(1).split())
        slug = slugify(title)
        if not slug:
            return None, None, None
        link = etree.Element("a")
        link.set("class", "wikilink")
        link.set("href", f"/wiki/{slug}/")
        link.set("title", title)
        link.text = " ".join((m.group(2) or title).split())
        return link, m.start(0), m.end(0)


class WikiLinkExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - python-markdown's name
        md.inlinePatterns.register(WikiLinkProcessor(WIKILINK_PATTERN, md), "wikilink", PRIORITY)


def wikilink_targets(html: str) -> set[str]:
    """The slugs the wiki links of rendered HTML point at."""
    return {slug for slug, _ in _WIKILINK_HTML.findall(html)}


def wikilinks_as_text(text: str, *, folded: dict[str, str] | None = None) -> str:
    """Markdown with each wiki link replaced by the text it shows, or, for a link to a
    slug in ``folded`` (slug -> label), by what stands for that article's title."""

    def shown(match: re.Match[str]) -> str:
        slug = slugify(" ".join(match[1].split()))
        if folded and slug in folded:
            return folded[slug]
        return match[2] or match[1]

    return _WIKILINK_SOURCE.sub(shown, text)


def wikilink_source_targets(text: str) -> set[str]:
    """The slugs the wiki links of Markdown point at."""
    return {slugify(" ".join(title.split())) for title, _ in _WIKILINK_SOURCE.findall(text)} - {""}


# A wiki link as the renderer writes it: slug, title attribute, the rest, shown text.
_WIKILINK_PARTS = re.compile(
    r'<a class="wikilink" href="/wiki/([\w-]+)/" title="([^"]*)"([^>]*)>(.*?)</a>', re.S
)


def fold_links(html: str, *, folded: dict[str, tuple[str, str]]) -> str:
    """Rewrite wiki links to the slugs in ``folded`` (slug -> (address, label)): the
    reader must not see their title, so the link shows the label and a neutral address."""

    def link(match: re.Match[str]) -> str:
        if match[1] not in folded:
            return match[0]
        address, label = (escape(part) for part in folded[match[1]])
        return f'<a class="wikilink wikilink-folded" href="{address}" title="{label}">{label}</a>'

    return _WIKILINK_PARTS.sub(link, html)


def retarget_links(html: str, *, moved: dict[str, tuple[str, str, bool]]) -> str:
    """Point wiki links to the slugs in ``moved`` (slug -> (address, current title, renamed))
    at the article's address now. A link to a former title (``renamed``) that shows the
    title it was written with shows the current title; one with its own words
    (``[[Old|that kiss]]``), or written with another name of the article, keeps its words."""

    def link(match: re.Match[str]) -> str:
        slug, title, rest, text = match[1], match[2], match[3], match[4]
        if slug not in moved:
            return match[0]
        address, current, renamed = moved[slug]
        # Both sides as the sanitiser wrote them (an attribute and text escape differently).
        shows_title = unescape(text) == unescape(title)
        shown = escape(current) if renamed and shows_title else text
        return (
            f'<a class="wikilink" href="{escape(address)}" title="{escape(current)}"{rest}>'
            f"{shown}</a>"
        )

    return _WIKILINK_PARTS.sub(link, html)


def mark_missing_links(html: str, *, existing: set[str]) -> str:
    """Point wiki links to slugs not in ``existing`` at the form that creates the article."""

    def link(match: re.Match[str]) -> str:
        slug, title = match[1], match[2]
        if slug in existing:
            return match[0]
        # title is the sanitiser's escaped attribute value: unescape, then percent-encode.
        target = "/wiki/new/?title=" + quote(unescape(title))
        return (
            f'<a class="wikilink wikilink-missing" href="{target}" '
            f'title="{title} (not written yet)"'
        )

    return _WIKILINK_HTML.sub(link, html)
