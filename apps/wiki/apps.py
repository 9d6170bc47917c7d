from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class WikiConfig(AppConfig):
    name = "apps.wiki"
    label = "wiki"
    verbose_name = "Wiki"

    def ready(self) -> None:
        from apps.catalog.models import Episode, Season, Show
        from apps.citations.models import Source

        from .models import Article
        from .pagecache import pages_changed

        # The catalog, sources and articles are also edited in the admin, outside the
        # services: any saved or deleted row of theirs may show on a cached page.
        def changed(sender: type, **kwargs: object) -> None:
            pages_changed()

        for model in (Show, Season, Episode, Source, Article):
            post_save.connect(changed, sender=model, dispatch_uid=f"pages-{model.__name__}")
            post_delete.connect(changed, sender=model, dispatch_uid=f"pages-{model.__name__}-del")
