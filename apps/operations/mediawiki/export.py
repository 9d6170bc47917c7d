"""Writing the wiki as a MediaWiki export (schema 0.11), as a stream: every published
article with its approved history (authors, dates, summaries), its categories, its
citations as ``<ref>{{cite …}}</ref>``, its episode as an infobox, and a redirect page for
each former title and other name. import_mediawiki reads it back to the same pages.

A version imported from another wiki ends with a line saying where it came from, cited to
that wiki's page: the export leaves the line and its citation out (the origin is not a
fact of the text), so that a round trip gives back the text as it was written there.
"""

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import IO
from xml.sax.saxutils import XMLGenerator
from xml.sax.xmlreader import AttributesImpl

from django.conf import settings
from django.db.models import Max, Prefetch

from apps.accounts.models import User
from apps.catalog.models import Episode
from apps.citations.models import SourceKind
from apps.wiki.models import Article, Citation, Redirect, Revision, RevisionStatus
from apps.wiki.naming import parse_categories

from .dump import CATEGORY_NAMESPACE, MAIN_NAMESPACE, TALK_NAMESPACE
from .markdown import cite_template, template_value, to_wikitext

NAMESPACE = "http://www.mediawiki.org/xml/export-0.11/"
SCHEMA_LOCATION = f"{NAMESPACE} http://www.mediawiki.org/xml/export-0.11.xsd"
SITE_NAME = "Fan wiki"
GENERATOR = "fanwiki export_mediawiki"
_PROVENANCE = re.compile(r"(?:^|\n\n)Imported from [^\n]*\[@(\d+)\]\s*$")
_CHUNK = 500
_NONE: "AttributesImpl[str]" = AttributesImpl({})


@dataclass
class ExportCounts:
    pages: int = 0
    revisions: int = 0
    redirects: int = 0


def export_dump(out: IO[bytes]) -> ExportCounts:
    """Write the whole wiki to ``out`` (binary); how many pages and revisions it holds."""
    writer = _Writer(out)
    return writer.write()


def revision_wikitext(revision: Revision, citations: dict[int, Citation]) -> str:
    """One approved version as wikitext: its text, references and categories (and the
    infobox of its article's episode), without the provenance line of an import."""
    body = dropped_provenance(revision.body, citations)
    used: set[int] = set()

    def ref(key: int) -> str:
        citation = citations.get(key)
        if citation is None:
            return ""
        if key in used:
            return f'<ref name="c{key}"/>'
        used.add(key)
        cite = cite_template(citation.source, quote=citation.quote, locator=citation.locator)
        return f'<ref name="c{key}">{cite}</ref>'

    text = to_wikitext(body.strip(), ref)
    episode = revision.article.episode
    parts = [infobox(episode)] if episode is not None else []
    parts.append(text)
    categories = [
        f"[[Category:{entry.name}{'|' + entry.sort_key if entry.sort_key else ''}]]"
        for entry in parse_categories(revision.categories)
    ]
    if categories:
        parts.append("\n".join(categories))
    return "\n\n".join(part for part in parts if part)


def dropped_provenance(body: str, citations: dict[int, Citation]) -> str:
    """The body without the closing line an import adds (cited to the page it came from)."""
    found = _PROVENANCE.search(body)
    if found is None:
        return body
    citation = citations.get(int(found[1]))
    if citation is None or citation.source.kind != SourceKind.WIKI:
        return body
    return body[: found.start()]


def infobox(episode: Episode) -> str:
    """The episode an article is about, as the infobox import_mediawiki reads."""
    fields = [
        ("series", episode.season.show.title),
        ("title", episode.title),
        ("season", str(episode.season.number)),
        ("episode", str(episode.number)),
        ("airdate", episode.air_date.isoformat() if episode.air_date else ""),
        ("production", episode.production_code),
    ]
    lines = [f"| {name} = {template_value(value)}" for name, value in fields if value]
    return "\n".join(["{{Infobox episode", *lines, "}}"])


def base36_sha1(text: str) -> str:
    """MediaWiki's SHA-1 of a text: base 36, 31 digits."""
    number = int(hashlib.sha1(text.encode()).hexdigest(), 16)  # noqa: S324 - MediaWiki's key
    digits = ""
    while number:
        number, digit = divmod(number, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[digit] + digits
    return digits.rjust(31, "0")


class _Writer:
    def __init__(self, out: IO[bytes]):
        self.xml = XMLGenerator(out, "utf-8", short_empty_elements=True)
        self.counts = ExportCounts()
        self.next_revision_id = (Revision.objects.aggregate(top=Max("id"))["top"] or 0) + 1

    def write(self) -> ExportCounts:
        self.xml.startDocument()
        self.xml.startElement(
            "mediawiki",
            AttributesImpl(
                {
                    "xmlns": NAMESPACE,
                    "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
                    "xsi:schemaLocation": SCHEMA_LOCATION,
                    "version": "0.11",
                    "xml:lang": "en",
                }
            ),
        )
        self.newline(1)
        self.site_info()
        for article, history in groupby(self.histories(), key=lambda revision: revision.article):
            self.article(article, history)
        for redirect in (
            Redirect.objects.select_related("article__approved_revision__author")
            .filter(article__approved_revision__isnull=False)
            .order_by("id")
            .iterator(chunk_size=_CHUNK)
        ):
            self.redirect(redirect)
        self.xml.endElement("mediawiki")
        self.xml.ignorableWhitespace("\n")
        self.xml.endDocument()
        return self.counts

    def newline(self, depth: int) -> None:
        self.xml.ignorableWhitespace("\n" + "  " * depth)

    def element(self, name: str, text: str = "", attrs: dict[str, str] | None = None) -> None:
        self.xml.startElement(name, AttributesImpl(attrs or {}))
        if text:
            self.xml.characters(text)
        self.xml.endElement(name)

    def site_info(self) -> None:
        self.xml.startElement("siteinfo", _NONE)
        base = getattr(settings, "SITE_URL", "") or "http://localhost"
        for name, text in (
            ("sitename", SITE_NAME),
            ("dbname", "fanwiki"),
            ("base", f"{base.rstrip('/')}/wiki/Main_Page"),
            ("generator", GENERATOR),
            ("case", "first-letter"),
        ):
            self.newline(2)
            self.element(name, text)
        self.newline(2)
        self.xml.startElement("namespaces", _NONE)
        for key, name in (
            (MAIN_NAMESPACE, ""),
            (TALK_NAMESPACE, "Talk"),
            (CATEGORY_NAMESPACE, "Category"),
        ):
            self.newline(3)
            self.element("namespace", name, {"key": str(key), "case": "first-letter"})
        self.newline(2)
        self.xml.endElement("namespaces")
        self.newline(1)
        self.xml.endElement("siteinfo")

    def page_start(self, title: str, page_id: int, redirect: str | None = None) -> None:
        self.newline(1)
        self.xml.startElement("page", _NONE)
        namespace = CATEGORY_NAMESPACE if title.startswith("Category:") else MAIN_NAMESPACE
        for name, text in (("title", title), ("ns", str(namespace)), ("id", str(page_id))):
            self.newline(2)
            self.element(name, text)
        if redirect is not None:
            self.newline(2)
            self.element("redirect", attrs={"title": redirect})

    def page_end(self) -> None:
        self.newline(1)
        self.xml.endElement("page")

    def article(self, article: Article, history: Iterator[Revision]) -> None:
        self.page_start(article.title, article.pk * 2)
        for revision in history:
            citations = {c.key: c for c in revision.citations.all()}
            self.revision(
                revision_id=revision.pk,
                parent_id=revision.base_id,
                author=revision.author,
                moment=revision.decided_at or revision.created_at,
                summary=revision.summary,
                text=revision_wikitext(revision, citations),
            )
        self.page_end()
        self.counts.pages += 1

    def histories(self) -> Iterator[Revision]:
        """Every published article's approved versions, article by article, oldest first: one
        query (and one for their citations) a chunk, not a pair a page."""
        return (
            Revision.objects.filter(
                status=RevisionStatus.APPROVED, article__approved_revision__isnull=False
            )
            .select_related("author", "article__episode__season__show")
            .prefetch_related(
                Prefetch("citations", queryset=Citation.objects.select_related("source"))
            )
            .order_by("article_id", "decided_at", "id")
            .iterator(chunk_size=_CHUNK)
        )

    def revision(
        self,
        *,
        revision_id: int,
        parent_id: int | None,
        author: User,
        moment: datetime,
        summary: str,
        text: str,
    ) -> None:
        self.newline(2)
        self.xml.startElement("revision", _NONE)
        self.newline(3)
        self.element("id", str(revision_id))
        if parent_id:
            self.newline(3)
            self.element("parentid", str(parent_id))
        self.newline(3)
        self.element("timestamp", moment.strftime("%Y-%m-%dT%H:%M:%SZ"))
        self.newline(3)
        self.xml.startElement("contributor", _NONE)
        self.element("username", author.username)
        self.element("id", str(author.pk))
        self.xml.endElement("contributor")
        self.newline(3)
        self.element("comment", summary)
        self.newline(3)
        self.element("origin", str(revision_id))  # where the text (the main slot) was written
        self.newline(3)
        self.element("model", "wikitext")
        self.newline(3)
        self.element("format", "text/x-wiki")
        self.newline(3)
        sha1 = base36_sha1(text)
        self.element(
            "text", text, {"bytes": str(len(text.encode())), "sha1": sha1, "xml:space": "preserve"}
        )
        self.newline(3)
        self.element("sha1", sha1)
        self.newline(2)
        self.xml.endElement("revision")
        self.counts.revisions += 1

    def redirect(self, redirect: Redirect) -> None:
        target = redirect.article.title
        current = redirect.article.approved_revision
        assert current is not None  # published articles only
        self.page_start(redirect.title, redirect.pk * 2 + 1, redirect=target)
        self.revision(
            revision_id=self.next_revision_id,
            parent_id=None,
            author=current.author,
            moment=redirect.created_at,
            summary=f"Redirect to {target}",
            text=f"#REDIRECT [[{target}]]",
        )
        self.next_revision_id += 1
        self.page_end()
        self.counts.redirects += 1
