"""Two more things fans write in articles: spoiler sections and links between articles.

Spoilers use the admonition syntax with the episode they reveal::

    !!! spoiler S03E05
        Jim and Pam get engaged at a rest stop.

and become ``<details class="spoiler" data-spoiler="S03E05" open>``: open for
everyone in the stored HTML; ``apply_reader_settings`` closes the ones beyond a
reader's "watched up to" point when the page is served.

``[[Article title]]`` (or ``[[Article title|shown text]]``) links to another
article by its slug; links to articles that do not exist (yet) are marked when
the page is served and point at the form that creates them.
"""

import re
import xml.etree.ElementTree as etree
from html import unescape
from urllib.parse import quote

from django.utils.text import slugify
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from apps.catalog.codes import episode_code, parse_episode_code

WIKILINK_PATTERN = r"\[\[([^\[\]|\n]{1,200})(?:\|([^\[\]\n]{1,200}))?\]\]"


class SpoilerTreeprocessor(Treeprocessor):
    """Turn admonition blocks of class "spoiler <code>" into <details> elements."""

    def run(self, root):
        for div in list(root.iter("div")):
            classes = (div.get("class") or "").split()
            if "admonition" not in classes or "spoiler" not in classes:
                continue
            code = next((parse_episode_code(c) for c in classes if parse_episode_code(c)), None)
            title = div.find("p")
            div.tag = "details"
            div.attrib.clear()
            div.set("class", "spoiler")
            if code is not None:
                div.set("data-spoiler", episode_code(*code))
            div.set("open", "open")
            label = f"Spoiler: reveals {episode_code(*code)}" if code else "Spoiler"
            if title is not None and title.get("class") == "admonition-title":
                title.tag = "summary"
                title.attrib.clear()
                title.text = label
            else:
                summary = etree.Element("summary")
                summary.text = label
                div.insert(0, summary)


class WikiLinkProcessor(InlineProcessor):
    def handleMatch(self, m, data):  # noqa: N802 - python-markdown's name
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


class WikiExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802
        md.inlinePatterns.register(WikiLinkProcessor(WIKILINK_PATTERN, md), "wikilink", 174)
        # After the block parser has built the admonitions, before inline processing.
        md.treeprocessors.register(SpoilerTreeprocessor(md), "spoiler", 25)


# --- When a page is served -----------------------------------------------------

_SPOILER_OPEN = re.compile(r'<details class="spoiler" data-spoiler="S(\d{2})E(\d{2,3})" open="">')
_WIKILINK = re.compile(r'<a class="wikilink" href="/wiki/([\w-]+)/" title="([^"]*)"')


def spoiler_codes(html: str) -> set[tuple[int, int]]:
    return {(int(s), int(e)) for s, e in _SPOILER_OPEN.findall(html)}


def wikilink_slugs(html: str) -> set[str]:
    return {slug for slug, _ in _WIKILINK.findall(html)}


def apply_reader_settings(html: str, *, watched: tuple[int, int] | None, existing: set[str]) -> str:
    """Close spoilers beyond what the reader has watched; mark links to missing articles.

    ``html`` is the renderer's stored output; only the exact tags it generates
    are rewritten, and nothing from the request is inserted.
    """
    if watched is not None:

        def close(match):
            if (int(match[1]), int(match[2])) <= watched:
                return match[0]
            return f'<details class="spoiler spoiler-later" data-spoiler="S{match[1]}E{match[2]}">'

        html = _SPOILER_OPEN.sub(close, html)

    def link(match):
        slug, title = match[1], match[2]
        if slug in existing:
            return match[0]
        # title is the sanitiser's escaped attribute value: unescape, then percent-encode.
        target = "/wiki/new/?title=" + quote(unescape(title))
        return (
            f'<a class="wikilink wikilink-missing" href="{target}" '
            f'title="{title} (not written yet)"'
        )

    return _WIKILINK.sub(link, html)
