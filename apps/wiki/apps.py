from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


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
