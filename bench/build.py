"""``python -m bench.build``: a wiki of BENCH_ARTICLES articles, fast, in the configured database.

Run by bench.run with the environment pointing at the bench's own database
(never the site's). It migrates, then inserts in bulk exactly the rows the
services would have written for the same history (see bench.history), in
batches of articles so memory stays flat at any size.
"""

import os
import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanwiki.settings")
django.setup()

from django.core.management import call_command  # noqa: E402 - after django.setup()
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.text import slugify  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.catalog.models import Episode, Season, Show  # noqa: E402
from apps.categories.models import Category, Membership  # noqa: E402
from apps.citations.models import Source  # noqa: E402
from apps.moderation.models import TrustChange  # noqa: E402
from apps.notifications.models import Notification  # noqa: E402
from apps.wiki.models import Article, AuditEvent, Citation, Revision, Statement  # noqa: E402
from apps.wiki.search import refresh_search_documents  # noqa: E402

from . import corpus  # noqa: E402
from .config import env_int  # noqa: E402
from .history import HistoryWriter, category_count  # noqa: E402
from .rows import Rows, insert  # noqa: E402
from .world import World, build_world  # noqa: E402

BATCH = 500  # articles per insert round
STAMPED = (Article, Revision, AuditEvent, Notification, Source, TrustChange)


@contextmanager
def stored_timestamps() -> Iterator[None]:
    """Let bulk_create keep the historical created_at we give (auto_now_add would overwrite it)."""
    fields = [model._meta.get_field("created_at") for model in STAMPED]
    for field in fields:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field in fields:
            field.auto_now_add = True


@contextmanager
def fast_inserts() -> Iterator[None]:
    """No fsync while building a throwaway database (SQLite: no journal either)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA journal_mode = OFF")
        elif connection.vendor == "postgresql":
            cursor.execute("SET synchronous_commit = off")
    yield


def titles(articles: int, world: World) -> list[tuple[str, str, Episode | None]]:
    """(title, slug, episode) per article: one in ten about a subject, the rest about an episode."""
    rng = random.Random("titles")
    subjects = iter(corpus.subject_titles())
    topics = corpus.topic_titles()
    used_topics: dict[int, int] = {}
    slugs: set[str] = set()
    planned = []
    for index in range(articles):
        episode = None if index % 10 == 0 else rng.choice(world.episodes)
        if episode is None:
            title = next(subjects, f"Subject {index}")
        else:
            n = used_topics[episode.pk] = used_topics.get(episode.pk, -1) + 1
            title = f"{episode.title}: {topics[n % len(topics)]}"
            title += f" ({n // len(topics) + 1})" if n >= len(topics) else ""
        slug = slugify(title)[:200]
        while slug in slugs:
            title += " (again)"
            slug = slugify(title)[:200]
        slugs.add(slug)
        planned.append((title, slug, episode))
    return planned


def refresh_derived(article_ids: list[int]) -> None:
    """Recompute what the site derives from published articles, as publishing does.

    Called once, after all rows are committed: the stored search documents
    (PostgreSQL; a no-op on SQLite), in batches so no statement grows with the wiki.
    """
    for start in range(0, len(article_ids), 2000):
        refresh_search_documents(article_ids[start : start + 2000])


def file_in_categories(articles: int, planned: list[tuple[str, str, Episode | None]]) -> None:
    """The categories and memberships publishing would have written for what the versions
    say (bench.history.category_name), in two inserts."""
    Category.objects.bulk_create(
        Category(id=n + 1, name=f"Bench topic {n + 1}", slug=f"bench-topic-{n + 1}")
        for n in range(category_count(articles))
    )
    Membership.objects.bulk_create(
        (
            Membership(
                category_id=index % category_count(articles) + 1,
                article_id=index + 1,
                sort_key=title.casefold()[:200],
            )
            for index, (title, _slug, _episode) in enumerate(planned)
        ),
        batch_size=2000,
    )


def reset_sequences() -> None:
    """The rows came with explicit ids: move PostgreSQL's sequences past them."""
    touched: list[type[models.Model]] = [Show, Season, Episode, User, Source, TrustChange]
    touched += [Article, Revision, Citation, Statement, AuditEvent, Notification, Category]
    touched.append(Statement.citations.through)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), touched):
            cursor.execute(sql)


def build(articles: int) -> int:
    now = timezone.now()
    with fast_inserts(), stored_timestamps(), transaction.atomic():
        world = build_world(articles, now)
        planned = titles(articles, world)
        hubs = [title for title, _, episode in planned[:500] if episode is None]
        writer = HistoryWriter(world, hubs, articles, now)
        for start in range(0, articles, BATCH):
            rows = Rows()
            for index in range(start, min(start + BATCH, articles)):
                writer.write(index, *planned[index], rows)
            insert(rows)
        file_in_categories(articles, planned)
        reset_sequences()
    refresh_derived(list(range(1, articles + 1)))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # what autovacuum would have done by now
    return Revision.objects.count()


def main() -> int:
    articles = env_int("BENCH_ARTICLES", 10_000)
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter()
    revisions = build(articles)
    elapsed = time.perf_counter() - started
    print(
        f"bench.build: {articles:,} articles, {revisions:,} revisions in {elapsed:.1f} s "
        f"(migrate {migrated - started:.1f} s) on {connection.vendor}",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
