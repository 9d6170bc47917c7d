"""Importing a MediaWiki export: pages become articles with their whole history.

Two passes over the file. The first (:func:`survey`) reads all of it without writing:
a broken, cut-off or foreign file is refused before anything is stored, and it learns
the site, how many revisions there are (for the progress bar) and which pages redirect
where (redirects become other names of their final target). The second writes, one
transaction per page: a page is imported whole or not at all, and a run that stops
part-way is finished by running it again (what is already here is known by page, date
and SHA-1 of the text, and skipped).

Each imported version cites its provenance (the page on the other wiki, at that
revision) in a closing line of its text, besides the references it had, which become
structured sources shared across the whole import.
"""

import hashlib
import logging
import multiprocessing
import os
import re
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from apps.accounts.models import User
from apps.catalog.models import Episode, Season, Show
from apps.citations.models import Source, SourceKind
from apps.markup.limits import MAX_BLOCK_LINES, MAX_LENGTH, MAX_LINES
from apps.talk import services as talk_services
from apps.talk.models import Post
from apps.web.pagecache import pages_changed
from apps.wiki.citing import Ages, CitationInput, cited_by_approved_text
from apps.wiki.editor import UploadRefused, UploadUnstored, store_image
from apps.wiki.merging import citation_inputs, cited_of
from apps.wiki.models import Article, Redirect, Revision, RevisionStatus
from apps.wiki.naming import (
    MAX_ALIASES,
    MAX_CATEGORIES,
    NAME_LENGTH,
    TITLE_LENGTH,
    CategoryEntry,
    Names,
)
from apps.wiki.services import WikiConflict
from apps.wiki.services.imports import (
    ImportedVersion,
    imported_article,
    publish_imported,
    record_imported,
    write_imported,
)

from ..models import ImportedPage, ImportedRevision, ImportedTalk
from . import talk
from .dump import (
    CATEGORY_NAMESPACE,
    MAIN_NAMESPACE,
    TALK_NAMESPACE,
    Dump,
    DumpPage,
    DumpRevision,
    SiteInfo,
    open_dump,
)
from .prepare import Prepared, compose, prepare, source_values
from .wikitext import (
    NO_LOCATOR,
    Converted,
    EpisodeInfo,
    Reference,
    convert,
    escape_text,
    redirect_target,
)

IMPORTER_USERNAME = "mediawiki-import"
# From how many revisions an import has worker processes convert and render (below, the
# processes cost more than they save).
PARALLEL_FROM = 500
# The maintenance category of imported pages a person should look over: unconverted
# templates or tables, or text kept as code. A moderator removes it once done.
TO_REVIEW_CATEGORY = "Imported pages to review"
SUMMARY_LENGTH = 300
_CONVERSIONS_KEPT = 256


logger = logging.getLogger(__name__)


class _Refused(Exception):
    """This page cannot be imported; the message says why (the page is skipped)."""


@dataclass
class ImportOptions:
    prefix: str = ""  # before every imported author's name: "prefix>Name"
    origin_url: str = ""  # the address of a page is this followed by its title
    license: str = ""
    show: str = ""  # the show episode infoboxes are about when they do not say
    images: str = ""  # a folder holding the wiki's files (any layout: found by name)
    dry_run: bool = False
    workers: int | None = None  # processes that convert and render; None: by the dump's size


@dataclass
class Survey:
    """What the first pass learnt of the whole file."""

    site: SiteInfo
    schema: str
    pages: int = 0
    revisions: int = 0
    redirects: dict[str, str] = field(default_factory=dict)  # title -> target title
    talk_pages: int = 0


@dataclass
class Report:
    site: str = ""
    prefix: str = ""
    dry_run: bool = False
    pages_imported: int = 0
    pages_unchanged: int = 0
    revisions_imported: int = 0
    revisions_known: int = 0
    accounts_created: int = 0
    sources_created: int = 0
    sources_reused: int = 0
    references: int = 0
    references_without_place: int = 0
    other_names: int = 0
    episodes_linked: int = 0
    talk_pages: int = 0
    talk_posts: int = 0
    files_imported: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # why -> pages
    unmapped: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    missing_files: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    to_review: set[str] = field(default_factory=set)
    # What the conversion kept in a weaker form (a table as a list, a reference dropped).
    notes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    problems: list[str] = field(default_factory=list)

    def unmapped_templates(self) -> list[tuple[str, int, list[str]]]:
        """(template, uses, pages) for each template no mapping converted, most used first."""
        rows = [(name, sum(pages.values()), sorted(pages)) for name, pages in self.unmapped.items()]
        return sorted(rows, key=lambda row: (-row[1], row[0].casefold()))

    def as_dict(self) -> dict[str, Any]:
        return {
            "site": self.site,
            "prefix": self.prefix,
            "dry_run": self.dry_run,
            "pages_imported": self.pages_imported,
            "pages_unchanged": self.pages_unchanged,
            "revisions_imported": self.revisions_imported,
            "revisions_already_here": self.revisions_known,
            "accounts_created": self.accounts_created,
            "sources_created": self.sources_created,
            "sources_reused": self.sources_reused,
            "references": self.references,
            "references_without_quote_or_place": self.references_without_place,
            "other_names": self.other_names,
            "episodes_linked": self.episodes_linked,
            "talk_pages": self.talk_pages,
            "talk_posts": self.talk_posts,
            "files_imported": self.files_imported,
            "skipped": dict(self.skipped),
            "unmapped_templates": [
                {"template": name, "uses": uses, "pages": pages}
                for name, uses, pages in self.unmapped_templates()
            ],
            "missing_files": {name: sorted(pages) for name, pages in self.missing_files.items()},
            "to_review": sorted(self.to_review),
            "notes": {page: sorted(notes) for page, notes in sorted(self.notes.items())},
            "problems": self.problems,
        }


def survey(path: str) -> Survey:
    """Read the whole dump once, writing nothing (DumpError for a file that is not one)."""
    with open_dump(path) as stream:
        dump = Dump(stream)
        found = Survey(site=dump.site, schema=dump.schema)
        for page in dump:
            found.pages += 1
            last: DumpRevision | None = None
            for revision in page.revisions:
                found.revisions += 1
                if last is None or revision.timestamp >= last.timestamp:
                    last = revision
            target = page.redirect or redirect_target(last.text or "" if last else "")
            if page.namespace == MAIN_NAMESPACE and target:
                found.redirects[page.title] = target
            elif page.namespace == TALK_NAMESPACE:
                found.talk_pages += 1
    return found


def import_dump(
    path: str,
    options: ImportOptions,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Import the dump at ``path``; the report says what became of it. DumpError (before
    anything is written) for a file that is not a dump this importer reads."""
    found = survey(path)
    workers = options.workers
    if workers is None:
        workers = default_workers() if found.revisions >= PARALLEL_FROM else 0
    with _worker_pool(workers) as pool, _rolled_back_if(options.dry_run):
        run = _Import(found, options, progress)
        with open_dump(path) as stream:
            for page in _Ahead(run, pool).pages(Dump(stream)):
                run.page(page)
        run.finish()
        if found.talk_pages:
            # Once every article is in: a talk page may come before its article.
            with open_dump(path) as stream:
                for page in Dump(stream):
                    run.talk_page(page)
    if not options.dry_run:
        pages_changed()
    return run.report


def default_workers() -> int:
    """Worker processes that convert and render while this one writes: one a core."""
    return max(1, min(4, os.cpu_count() or 1))


@contextmanager
def _worker_pool(workers: int) -> Iterator[ProcessPoolExecutor | None]:
    if workers > 0 and multiprocessing.current_process().daemon:
        # A Celery prefork worker is a daemonic process, which may not start processes of
        # its own: the admin's imports convert and render in the worker itself.
        logger.info("Importing without worker processes (this process is a daemon).")
        workers = 0
    if workers <= 0:
        yield None
        return
    if not any(connection.in_atomic_block for connection in connections.all()):
        # The workers are forked: they must not share this process's database sockets
        # (they never touch the database; this process reconnects when it next asks).
        connections.close_all()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        yield pool


class _Ahead:
    """The dump's pages, with the revisions of articles sent to the workers to be
    converted and rendered ``AHEAD`` revisions before this process writes them (across
    pages: a page's last revisions are ready when it gets to them)."""

    AHEAD = 48

    def __init__(self, run: "_Import", pool: ProcessPoolExecutor | None):
        self.run = run
        self.pool = pool
        self.buffer: deque[tuple[DumpPage, DumpRevision | None]] = deque()
        self.events: Iterator[tuple[DumpPage, DumpRevision | None]] = iter(())

    def pages(self, dump: Dump) -> Iterator[DumpPage]:
        if self.pool is None:
            yield from dump
            return
        self.events = self._flat(dump)
        while True:
            self._fill()
            if not self.buffer:
                return
            page, revision = self.buffer.popleft()
            assert revision is None  # a page starts here
            yield replace(page, revisions=self._revisions())

    def _flat(self, dump: Dump) -> Iterator[tuple[DumpPage, DumpRevision | None]]:
        for page in dump:
            yield page, None
            title = self.run.article_title(page)
            for revision in page.revisions:
                if title is not None:
                    self.run.send(self.pool, title, revision)  # type: ignore[arg-type]
                yield page, revision

    def _fill(self) -> None:
        while len(self.buffer) < self.AHEAD:
            event = next(self.events, None)
            if event is None:
                return
            self.buffer.append(event)

    def _revisions(self) -> Iterator[DumpRevision]:
        while True:
            self._fill()
            if not self.buffer or self.buffer[0][1] is None:
                return
            revision = self.buffer.popleft()[1]
            assert revision is not None
            yield revision


@contextmanager
def _rolled_back_if(dry_run: bool) -> Iterator[None]:
    if not dry_run:
        yield
        return
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def default_show(site: SiteInfo) -> str:
    """The show a fan wiki is about, from its name ("Dunder Mifflin Wiki" → Dunder Mifflin)."""
    return " ".join(re.sub(r"\bwiki\b", "", site.name, flags=re.IGNORECASE).split()) or "Imported"


def default_prefix(site: SiteInfo) -> str:
    """A prefix for imported names from the site's name ("Dunder Mifflin Wiki" → dundermifflin)."""
    name = re.sub(r"\bwiki\b", "", site.name, flags=re.IGNORECASE)
    return slugify(name).replace("-", "")[:30] or "imported"


class _Import:
    def __init__(self, found: Survey, options: ImportOptions, progress: Any):
        self.site = found.site
        self.found = found
        self.options = options
        self.progress = progress
        self.prefix = options.prefix or default_prefix(found.site)
        self.site_name = found.site.name or self.prefix
        self.page_path = _page_path(options.origin_url, found.site.base)
        self.report = Report(site=self.site_name, prefix=self.prefix, dry_run=options.dry_run)
        self.aliases = _aliases_by_target(found.redirects)
        self.done = 0
        self.accounts: dict[str, User] = {}
        self.sources: dict[tuple[str, ...], Source] = {}
        self.conversions: dict[str, Converted] = {}
        self.importer = self.account_named(IMPORTER_USERNAME)
        self.targets_seen: set[str] = set()
        self.page_aliases: tuple[str, list[str]] = ("", [])
        self.futures: dict[int, Future[Prepared]] = {}
        # What is here already, so that workers are not asked to prepare it again.
        self.known_everywhere = {
            (title, when, digest)
            for title, when, digest in ImportedRevision.objects.filter(
                page__origin=self.prefix
            ).values_list("page__title", "timestamp", "sha1")
        }
        self.image_files = _files_by_name(options.images) if options.images else {}
        self.images: dict[str, str | None] = {}  # file name -> its address here, None: missing

    # Pages -----------------------------------------------------------------------------

    def article_title(self, page: DumpPage) -> str | None:
        """The title a page of the dump has as an article here; None if it is no article."""
        if page.namespace == CATEGORY_NAMESPACE and page.redirect is None:
            # A category's page describes it here too: the article "Category:Name".
            return f"Category:{page.name}"
        if page.namespace != MAIN_NAMESPACE or page.title in self.found.redirects:
            return None
        return page.title

    def send(self, pool: ProcessPoolExecutor, title: str, dumped: DumpRevision) -> None:
        """Have a worker prepare a revision this process will write (not one already here)."""
        text = dumped.text or ""
        digest = hashlib.sha1(text.encode()).hexdigest()  # noqa: S324 - a key, not security
        if (title, dumped.timestamp, digest) in self.known_everywhere:
            return
        self.futures[id(dumped)] = pool.submit(
            prepare,
            dumped.text,
            self.site,
            self.provenance_line(title, dumped),
            (SourceKind.WIKI, self.provenance_fields(title)),
            compose_here=not self.options.images,
        )

    def prepared(
        self, future: Future[Prepared] | None, dumped: DumpRevision, text: str, digest: str
    ) -> Prepared:
        """What a worker made of a revision, or (without workers) its conversion here."""
        if future is not None:
            try:
                return future.result()
            except Exception:  # a worker that failed or died: this process tries itself
                logger.exception("A worker could not prepare revision %s", dumped.id)
        return Prepared(self.converted(text, digest))

    def page(self, page: DumpPage) -> None:
        if page.namespace == TALK_NAMESPACE:
            self.drain(page)  # read again once the articles are in (talk_page)
            return
        title = self.article_title(page)
        if title is not None and page.namespace == CATEGORY_NAMESPACE:
            page = replace(page, title=title, namespace=MAIN_NAMESPACE)
        if page.namespace != MAIN_NAMESPACE:
            self.skip(page, f"pages in namespace {page.namespace} (not articles)")
            return
        if page.title in self.found.redirects:
            self.skip(page, "redirects (imported as other names of their target)")
            return
        try:
            with transaction.atomic():
                written = self.article_page(page)
        except _Refused as refusal:
            self.report.skipped["pages refused (see problems)"] += 1
            self.report.problems.append(f"{page.title}: {refusal}")
            self.drain(page)
            return
        if written:
            self.report.pages_imported += 1
        else:
            self.report.pages_unchanged += 1

    def skip(self, page: DumpPage, why: str) -> None:
        self.report.skipped[why] += 1
        self.drain(page)

    def drain(self, page: DumpPage) -> None:
        for revision in page.revisions:
            self.futures.pop(id(revision), None)
            self.tick()

    def tick(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.found.revisions)

    def article_page(self, page: DumpPage) -> int:
        """Import one article page's new revisions (in the caller's transaction); how many."""
        page_id = page.id if page.id is not None else _id_from_title(page.title)
        imported = (
            ImportedPage.objects.select_for_update()
            .select_related("article")
            .filter(origin=self.prefix, page_id=page_id)
            .first()
        )
        article = imported.article if imported is not None else None
        if article is None:
            self.check_new_title(page.title)
        known = set(
            ImportedRevision.objects.filter(page=imported).values_list("timestamp", "sha1")
            if imported is not None
            else ()
        )
        history: list[tuple[datetime, int, Revision]] = []
        if article is not None:
            history = [
                (r.decided_at or r.created_at, r.pk, r)
                for r in article.revisions.filter(status=RevisionStatus.APPROVED).only(
                    "id", "decided_at", "created_at", "title", "categories", "aliases"
                )
            ]
        newest: tuple[datetime, Revision, Converted] | None = None
        written = 0
        ages: dict[int, Ages] = {}  # of the versions written in this run, by id
        bookkeeping: list[ImportedRevision] = []
        for dumped in page.revisions:
            self.tick()
            future = self.futures.pop(id(dumped), None)  # (keyed by id while it is alive)
            text = dumped.text or ""
            digest = hashlib.sha1(text.encode()).hexdigest()  # noqa: S324 - a key, not security
            if (dumped.timestamp, digest) in known:
                self.report.revisions_known += 1
                continue
            known.add((dumped.timestamp, digest))
            if dumped.model != "wikitext":
                raise _Refused(f"its content model is {dumped.model}, not wikitext.")
            prepared = self.prepared(future, dumped, text, digest)
            author = self.author_of(dumped)
            if article is None:
                article, imported = self.new_article(page, page_id, author, dumped.timestamp)
            assert imported is not None
            earlier = [entry for entry in history if entry[0] <= dumped.timestamp]
            base = max(earlier, key=lambda entry: entry[:2])[2] if earlier else None
            base_ages = ages.get(base.pk) if base is not None else None
            revision, revision_ages = self.write(
                page, article, dumped, prepared, author, base, base_ages
            )
            ages[revision.pk] = revision_ages
            bookkeeping.append(
                ImportedRevision(
                    page=imported,
                    timestamp=dumped.timestamp,
                    sha1=digest,
                    rev_id=dumped.id,
                    revision=revision,
                )
            )
            history.append((dumped.timestamp, revision.pk, revision))
            written += 1
            self.report.revisions_imported += 1
            if newest is None or (dumped.timestamp, revision.pk) >= (newest[0], newest[1].pk):
                newest = (dumped.timestamp, revision, prepared.converted)
        if article is None or newest is None:
            return 0
        ImportedRevision.objects.bulk_create(bookkeeping)
        record_imported(revisions=[entry.revision for entry in bookkeeping], importer=self.importer)
        current = max(history, key=lambda entry: entry[:2])[2]
        if current.pk == newest[1].pk:
            self.publish(page, article, newest[1], newest[2].episode)
        assert imported is not None  # written with its first new version
        imported.title = page.title
        imported.save(update_fields=["title", "imported_at"])
        return written

    def check_new_title(self, title: str) -> None:
        if len(title) > TITLE_LENGTH:
            raise _Refused(
                f"the title is longer than this wiki allows ({TITLE_LENGTH} characters)."
            )
        slug = slugify(title)
        if Article.objects.filter(slug=slug).exists():
            raise _Refused(
                "an article of that title is here already and was not imported from this wiki."
            )
        if Redirect.objects.filter(slug=slug).exists():
            raise _Refused("that title is another name of an article here already.")

    def new_article(
        self, page: DumpPage, page_id: int, author: User, when: datetime
    ) -> tuple[Article, ImportedPage]:
        try:
            article = imported_article(
                title=page.title, episode=None, created_by=author, created_at=when
            )
        except ValidationError as error:
            raise _Refused(" ".join(error.messages)) from error
        imported = ImportedPage.objects.create(
            origin=self.prefix, page_id=page_id, title=page.title, article=article
        )
        return article, imported

    def publish(
        self, page: DumpPage, article: Article, revision: Revision, episode: EpisodeInfo | None
    ) -> None:
        if episode is not None:
            self.link_episode(article, episode)
        try:
            with transaction.atomic():
                publish_imported(article=article, revision=revision)
        except WikiConflict as error:
            raise _Refused(str(error)) from error
        self.targets_seen.add(page.title)
        self.report.other_names += len(Names.of(revision).aliases)

    # Talk pages ------------------------------------------------------------------------

    def talk_page(self, page: DumpPage) -> None:
        """A talk page's sections as topics of its article's talk page, its signed comments
        as posts (each new one once: a later dump adds only the comments it adds)."""
        if page.namespace != TALK_NAMESPACE:
            return
        imported = ImportedPage.objects.filter(
            origin=self.prefix, title=_talk_subject(page.name)
        ).first()
        first_seen: dict[str, tuple[datetime, User]] = {}
        newest: tuple[datetime, str] | None = None
        for dumped in page.revisions:
            text = dumped.text or ""
            author = self.author_of(dumped)
            for section in talk.sections(text):
                for comment in section.comments:
                    key = _talk_key(page.name, section.title, comment.wikitext)
                    if key not in first_seen or dumped.timestamp < first_seen[key][0]:
                        first_seen[key] = (dumped.timestamp, author)
            if newest is None or dumped.timestamp >= newest[0]:
                newest = (dumped.timestamp, text)
        if imported is None:
            self.report.skipped["talk pages of pages not imported"] += 1
            return
        if newest is None:
            return
        with transaction.atomic():
            written = self.talk_sections(page, imported.article, newest[1], first_seen)
        self.report.talk_pages += 1
        self.report.talk_posts += written

    def talk_sections(
        self,
        page: DumpPage,
        article: Article,
        text: str,
        first_seen: dict[str, tuple[datetime, User]],
    ) -> int:
        written = 0
        sections = talk.sections(text)
        keys = {_talk_key(page.name, section.title) for section in sections} | {
            _talk_key(page.name, section.title, comment.wikitext)
            for section in sections
            for comment in section.comments
        }
        # What earlier runs brought in of this page, in one query.
        known = {
            row.key: row
            for row in ImportedTalk.objects.filter(origin=self.prefix, key__in=keys).select_related(
                "topic", "post"
            )
        }
        for section in sections:
            topic_key = _talk_key(page.name, section.title)
            topic = known[topic_key].topic if topic_key in known else None
            parents: list[Post] = []
            for comment in section.comments:
                key = _talk_key(page.name, section.title, comment.wikitext)
                seen_at, seen_by = first_seen.get(key, (timezone.now(), self.importer))
                author = (
                    self.account_named(f"{self.prefix}>{_talk_author(comment.user)}"[:150])
                    if comment.user
                    else seen_by
                )
                when = comment.signed_at or seen_at
                if topic is None:
                    title = section.title or f"Discussion imported from {self.site_name}"
                    topic = talk_services.imported_topic(
                        article=article, title=title, author=author, created_at=when
                    )
                    ImportedTalk.objects.create(origin=self.prefix, key=topic_key, topic=topic)
                parents = parents[: comment.depth]
                post = known[key].post if key in known else None
                if post is None:
                    body = comment.markdown(self.site) or "(an empty comment)"
                    try:
                        with transaction.atomic():
                            post = talk_services.imported_post(
                                topic=topic,
                                author=author,
                                body=body,
                                created_at=when,
                                parent=parents[-1] if parents else None,
                            )
                    except ValidationError as error:
                        self.report.problems.append(
                            f"Talk:{page.name}: a comment was not imported: "
                            + " ".join(error.messages)
                        )
                        continue
                    ImportedTalk.objects.create(origin=self.prefix, key=key, topic=topic, post=post)
                    written += 1
                parents.append(post)
        return written

    # One version -----------------------------------------------------------------------

    def converted(self, text: str, digest: str) -> Converted:
        """The conversion of a text (the same text, as histories repeat it, converted once)."""
        found = self.conversions.get(digest)
        if found is None:
            found = convert(text, self.site)
            if len(self.conversions) >= _CONVERSIONS_KEPT:
                self.conversions.pop(next(iter(self.conversions)))
            self.conversions[digest] = found
        return found

    def write(
        self,
        page: DumpPage,
        article: Article,
        dumped: DumpRevision,
        prepared: Prepared,
        author: User,
        base: Revision | None,
        base_ages: Ages | None,
    ) -> tuple[Revision, Ages]:
        """Store one version: as converted, or (when this wiki cannot store that) its
        wikitext kept as code, so that nothing is lost and a person can redo it.
        (write_imported refuses before it writes: no savepoint is needed to try again.)"""
        converted = prepared.converted
        names = self.names_of(page, converted, review=bool(converted.unmapped))
        line = self.provenance_line(page.title, dumped)
        if prepared.composed:
            body, key = prepared.body, prepared.provenance_key
            references = converted.references if dumped.text is not None else []
        else:
            body, references, key = compose(
                dumped.text, converted, line, lambda mark: self.image(converted, mark)
            )
        version = ImportedVersion(
            author=author,
            body=body,
            summary=_summary(dumped),
            created_at=dumped.timestamp,
            citations=self.citations_for(references, page.title, dumped, key),
            names=names,
        )
        try:
            if prepared.refused:
                raise ValidationError(prepared.refused)
            written = write_imported(
                article=article,
                version=version,
                base=base,
                importer=self.importer,
                base_ages=base_ages,
                prerendered=(
                    (prepared.html, prepared.references)
                    if prepared.references is not None
                    else None
                ),
            )
        except ValidationError as error:
            self.report.problems.append(
                f"{page.title} (revision {dumped.id}): kept as wikitext, because "
                + " ".join(error.messages)
            )
            kept = ImportedVersion(
                author=author,
                body=_kept_as_code(dumped.text or "") + "\n\n" + line + "[@1]\n",
                summary=version.summary,
                created_at=dumped.timestamp,
                citations=[self.provenance_citation(page.title, dumped, 1)],
                names=self.names_of(page, converted, review=True),
            )
            try:
                written = write_imported(
                    article=article,
                    version=kept,
                    base=base,
                    importer=self.importer,
                    base_ages=base_ages,
                )
            except ValidationError as again:
                raise _Refused(
                    f"revision {dumped.id} cannot be stored: " + " ".join(again.messages)
                ) from again
            self.report.to_review.add(page.title)
            return written
        self.count(page, converted)
        return written

    def image(self, converted: Converted, mark: re.Match[str]) -> str:
        """A file shown on the page, as Markdown: stored here (once an import) when the
        images folder has it, else nothing (the report lists it)."""
        name = converted.files[int(mark[1])]
        if name not in self.images:
            self.images[name] = self.store_file(name)
        address = self.images[name]
        return f"![{escape_text(mark[2]).replace(']', ')')}]({address})" if address else ""

    def store_file(self, name: str) -> str | None:
        path = self.image_files.get(_file_key(name))
        if path is None:
            return None
        if self.options.dry_run:
            return default_storage.url("uploads/dry-run.png")
        try:
            with open(path, "rb") as data:
                address = store_image(File(data, name=name))
        except UploadRefused as refusal:
            self.report.problems.append(f"File {name}: not imported: {refusal}")
            return None
        except UploadUnstored:
            self.report.problems.append(f"File {name}: the storage could not keep it just now.")
            return None
        except OSError as error:
            self.report.problems.append(f"File {name}: cannot be read: {error.strerror}.")
            return None
        self.report.files_imported += 1
        return address

    def count(self, page: DumpPage, converted: Converted) -> None:
        self.report.references += len(converted.references)
        self.report.references_without_place += sum(
            1 for ref in converted.references if ref.locator == NO_LOCATOR
        )
        for name, uses in converted.unmapped.items():
            self.report.unmapped[name][page.title] += uses
        for name in converted.files:
            if self.images.get(name) is None:
                self.report.missing_files[name].add(page.title)
        if converted.unmapped:
            self.report.to_review.add(page.title)
        if converted.notes:
            self.report.notes[page.title].update(converted.notes)

    def citations_for(
        self, references: list[Reference], title: str, dumped: DumpRevision, key: int
    ) -> list[CitationInput]:
        """A version's citations: its references' sources (found or made), and its
        provenance under ``key``."""
        citations = [
            CitationInput(
                source=self.source_for(ref.kind, ref.fields),
                quote=ref.quote,
                locator=ref.locator,
                key=ref.key,
                verbatim=True,
            )
            for ref in references
        ]
        citations.append(self.provenance_citation(title, dumped, key))
        return citations

    def provenance_fields(self, title: str) -> dict[str, object]:
        """The source every version of a page cites: that page on the other wiki."""
        return {
            "title": title[:300],
            "publisher": self.site_name[:200],
            "url": self.page_url(title),
        }

    def provenance_line(self, title: str, dumped: DumpRevision) -> str:
        """The closing line that says where a version comes from (its marker follows)."""
        where = f"revision {dumped.id}" if dumped.id is not None else "a revision"
        licence = f", under {self.options.license}" if self.options.license else ""
        return (
            f"Imported from {where} of “{escape_text(title)}” on {escape_text(self.site_name)} "
            f"({dumped.timestamp:%Y-%m-%d}), written by {escape_text(self.author_name(dumped))}"
            f"{licence}."
        )

    def provenance_citation(self, title: str, dumped: DumpRevision, key: int) -> CitationInput:
        source = self.source_for(SourceKind.WIKI, self.provenance_fields(title))
        locator = f"oldid={dumped.id}" if dumped.id is not None else dumped.timestamp.isoformat()
        return CitationInput(source=source, locator=locator, key=key, verbatim=True)

    def names_of(self, page: DumpPage, converted: Converted, *, review: bool) -> Names:
        entries = []
        for name, sort_key in converted.categories:
            name = " ".join(name.replace(",", " ").split())[:NAME_LENGTH]
            entries.append(CategoryEntry(name, sort_key[:NAME_LENGTH]))
        if review:
            entries.append(CategoryEntry(TO_REVIEW_CATEGORY))
        if len(entries) > MAX_CATEGORIES:
            self.report.problems.append(
                f"{page.title}: only the first {MAX_CATEGORIES} of {len(entries)} categories kept."
            )
            entries = entries[:MAX_CATEGORIES]
        names = Names(
            title=page.title,
            categories=tuple(sorted({e.slug: e for e in entries}.values(), key=lambda e: e.slug)),
            aliases=tuple(self.free_aliases(page.title)),
        )
        return names

    def free_aliases(self, title: str) -> list[str]:
        """The redirects to ``title`` as other names: those whose address is free here
        (worked out once a page: the page's versions all carry them)."""
        if title not in self.aliases:
            return []
        if self.page_aliases[0] != title:
            self.page_aliases = (title, self.aliases_now_free(title))
        return self.page_aliases[1]

    def aliases_now_free(self, title: str) -> list[str]:
        wanted = [alias for alias in self.aliases.get(title, []) if slugify(alias)]
        slugs = {slugify(alias)[:200]: alias for alias in wanted}
        taken = set(Article.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        taken |= set(
            Redirect.objects.filter(slug__in=slugs)
            .exclude(article__slug=slugify(title))
            .values_list("slug", flat=True)
        )
        free = sorted(
            {slugs[slug] for slug in slugs if slug not in taken and slug != slugify(title)}
        )
        if len(free) > MAX_ALIASES:
            if title not in self.targets_seen:
                self.report.problems.append(
                    f"{title}: {len(free)} redirects lead to it; the first {MAX_ALIASES} became "
                    "other names."
                )
            free = free[:MAX_ALIASES]
        return free

    # Things shared across the import ---------------------------------------------------

    def author_name(self, dumped: DumpRevision) -> str:
        """prefix>Name; every IP editor is prefix>Anonymous, a hidden name prefix>Hidden."""
        name = dumped.user or ("Anonymous" if dumped.ip else "Hidden")
        return f"{self.prefix}>{name}"[:150]

    def author_of(self, dumped: DumpRevision) -> User:
        return self.account_named(self.author_name(dumped))

    def account_named(self, username: str) -> User:
        """A placeholder account: no password anyone can use, no address (a person claims
        it later through a moderator)."""
        account = self.accounts.get(username)
        if account is None:
            account = User.objects.filter(username=username).first()
            if account is None:
                account = User(username=username)
                account.set_unusable_password()
                account.save()
                if username != IMPORTER_USERNAME:
                    self.report.accounts_created += 1
            self.accounts[username] = account
        return account

    def source_for(self, kind: str, fields: dict[str, object]) -> Source:
        """The source these fields describe: one already here (same address; or, with no
        address, same kind, title and publisher), or a new one. One row an identity
        (prepare.source_values), so rendering by identity numbers as the rows would."""
        identity, values = source_values(kind, fields)
        source = self.sources.get(identity)
        if source is None:
            # Reused only when readers see it already, or this importer made it: another
            # fan's unreviewed description of that page must not become imported text's.
            candidates = Source.objects.filter(
                cited_by_approved_text() | Q(created_by=self.importer)
            )
            if "url" in values:
                source = candidates.filter(url=values["url"]).order_by("id").first()
            else:
                source = (
                    candidates.filter(
                        url="",
                        kind=kind,
                        title__iexact=values["title"],
                        publisher__iexact=values.get("publisher", ""),
                    )
                    .order_by("id")
                    .first()
                )
            if source is None:
                source = Source(kind=kind, created_by=self.importer, **values)
                source.save()
                self.report.sources_created += 1
            else:
                self.report.sources_reused += 1
            self.sources[identity] = source
        return source

    def page_url(self, title: str) -> str:
        if not self.page_path:
            return ""
        return self.page_path + quote(title.replace(" ", "_"), safe="/:()!,'*@$;~")

    def link_episode(self, article: Article, info: EpisodeInfo) -> None:
        if info.season is None or info.number is None:
            return
        show_name = info.series or self.options.show or default_show(self.site)
        show, _ = Show.objects.get_or_create(
            slug=slugify(show_name)[:200] or "imported-show",
            defaults={"title": show_name[:200]},
        )
        season, _ = Season.objects.get_or_create(show=show, number=info.season)
        episode, _ = Episode.objects.get_or_create(
            season=season,
            number=info.number,
            defaults={
                "title": (info.title or article.title)[:200],
                "air_date": info.air_date,
                "production_code": info.production_code[:20],
            },
        )
        if article.episode_id != episode.pk:
            article.episode = episode
            article.save(update_fields=["episode"])
        self.report.episodes_linked += 1

    def finish(self) -> None:
        """Give redirects that arrived without a new version of their target (a later dump)
        to that target, in a version of its own."""
        for title in sorted(self.aliases):
            if title in self.targets_seen:
                continue
            imported = (
                ImportedPage.objects.filter(origin=self.prefix, title=title)
                .select_related("article__approved_revision")
                .first()
            )
            if imported is None:
                self.report.problems.append(
                    f"{title}: {len(self.aliases[title])} redirect(s) lead to a page this "
                    "import does not have."
                )
                continue
            with transaction.atomic():
                article = Article.objects.select_for_update().get(pk=imported.article_id)
                current = article.approved_revision
                if current is None:
                    continue
                names = Names.of(current)
                wanted = tuple(sorted(set(names.aliases) | set(self.aliases_now_free(title))))
                if wanted == names.aliases:
                    continue
                version = ImportedVersion(
                    author=self.importer,
                    body=current.body,
                    summary=f"Other names from redirects on {self.site_name}",
                    created_at=timezone.now(),
                    citations=citation_inputs(cited_of(current)),
                    names=Names(title=names.title, categories=names.categories, aliases=wanted),
                )
                revision, _ages = write_imported(
                    article=article, version=version, base=current, importer=self.importer
                )
                record_imported(revisions=[revision], importer=self.importer)
                publish_imported(article=article, revision=revision)
                self.report.other_names += len(wanted) - len(names.aliases)


def _file_key(name: str) -> str:
    """A file's name as MediaWiki compares them: underscores are spaces, the first letter
    is not case-sensitive."""
    name = " ".join(name.replace("_", " ").split())
    return name[:1].upper() + name[1:]


def _files_by_name(folder: str) -> dict[str, str]:
    """Every file under ``folder`` by its name (MediaWiki keeps them in hashed folders,
    images/a/ab/Name.jpg; a Fandom image dump is flat)."""
    found: dict[str, str] = {}
    for directory, _folders, names in os.walk(folder):
        for name in names:
            found.setdefault(_file_key(name), os.path.join(directory, name))
    return found


def _talk_subject(name: str) -> str:
    """The page a talk page discusses: its archives ("X/Archive 1", "X/Archives/2010")
    belong to X's talk page."""
    subject, _, rest = name.partition("/")
    return subject.strip() if rest.strip().casefold().startswith("archive") else name


def _talk_key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _talk_author(user: str) -> str:
    """The name a signature gives, or "Anonymous" for an address."""
    bare = user.strip()
    if re.fullmatch(r"[\d.]+|[0-9A-Fa-f:]+", bare) and any(ch in bare for ch in ".:"):
        return "Anonymous"
    return bare


def _aliases_by_target(redirects: dict[str, str]) -> dict[str, list[str]]:
    """Redirect titles by the page they finally lead to (chains followed, loops dropped)."""
    found: dict[str, list[str]] = defaultdict(list)
    for title in redirects:
        target, seen = redirects[title], {title}
        while target in redirects and target not in seen:
            seen.add(target)
            target = redirects[target]
        if target not in seen:
            found[target].append(title)
    return found


def _page_path(origin_url: str, base: str) -> str:
    """Where the other wiki's pages live: --origin-url, else the site's <base> address
    without its last part (https://x.fandom.com/wiki/Main_Page → https://x.fandom.com/wiki/)."""
    if origin_url:
        return origin_url if origin_url.endswith(("/", "=")) else origin_url + "/"
    if not base or not urlsplit(base).scheme.startswith("http"):
        return ""
    return base.rsplit("/", 1)[0] + "/"


def _id_from_title(title: str) -> int:
    """A stable stand-in for a page that has no id in the dump (schema 0.3 and hand-made)."""
    return -int(hashlib.sha1(title.encode()).hexdigest()[:12], 16)  # noqa: S324


def _summary(dumped: DumpRevision) -> str:
    comment = " ".join((dumped.comment or "").split())
    if not comment:
        comment = f"Imported revision {dumped.id}" if dumped.id else "Imported revision"
    return comment[:SUMMARY_LENGTH]


def _kept_as_code(text: str) -> str:
    """Wikitext as code blocks within the renderer's limits, folded under a summary (what
    is beyond the limits is left on the other wiki, and the report says so)."""
    lines = text.replace("```", "` ` `").splitlines()
    budget_lines = MAX_LINES - 100
    budget_chars = MAX_LENGTH - 2_000
    blocks, used_lines, used_chars = [], 0, 0
    chunk = MAX_BLOCK_LINES - 20
    for start in range(0, len(lines), chunk):
        part = lines[start : start + chunk]
        size = sum(len(line) + 1 for line in part)
        if used_lines + len(part) > budget_lines or used_chars + size > budget_chars:
            blocks.append("*The rest of this text is too long to keep here: see the original.*")
            break
        blocks.append("```wikitext\n" + "\n".join(part) + "\n```")
        used_lines += len(part) + 3
        used_chars += size + 20
    return (
        "*This text could not be converted; its wikitext is kept below for a person to redo.*"
        '\n\n<details markdown="1"><summary>The wikitext</summary>\n\n'
        + "\n\n".join(blocks)
        + "\n\n</details>"
    )
