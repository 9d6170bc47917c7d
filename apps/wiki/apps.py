from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class WikiConfig(AppConfig):
    name = "apps.wiki"
    label = "wiki"
    verbose_name = "Wiki"

    def ready(self) -> None:
        from apps.catalog.models import Episode, Season, Show
        from apps.citations.models import Source
        from apps.web.pagecache import pages_changed

        from . import slots
        from .models import Article

        slots.offer()

        # The catalog, sources and articles are also edited in the admin, outside the
        # services: a saved or deleted row of theirs may show on a cached page. A new
        # source or article belongs to a proposal, and readers see it only once it is
        # published (which moves the generation on by itself).
        def changed(sender: type, created: bool = False, **kwargs: object) -> None:
            if not (created and sender in (Source, Article)):
                pages_changed()

        for model in (Show, Season, Episode, Source, Article):
            post_save.connect(changed, sender=model, dispatch_uid=f"pages-{model.__name__}")
            post_delete.connect(changed, sender=model, dispatch_uid=f"pages-{model.__name__}-del")

        # SQLite's search index is a table Django does not know: a flush (the tests'
        # teardown, `manage.py flush`) leaves its rows behind. After a migrate or a flush,
        # an index that does not hold as many rows as there are published articles is
        # made anew.
        post_migrate.connect(_check_search_index, sender=self, dispatch_uid="sqlite-search")


def _check_search_index(using: str = "default", **kwargs: object) -> None:
    from django.db import DatabaseError, connections

    from .models import Article
    from .search import refresh_search_documents

    connection = connections[using]
    if connection.vendor != "sqlite" or using != "default":
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM wiki_article_search")
            (indexed,) = cursor.fetchone()
    except DatabaseError:  # migrated back to before the index (wiki 0023)
        return
    if indexed != Article.objects.published().count():
        refresh_search_documents()
