from django.contrib.sitemaps import Sitemap

from apps.catalog.models import Episode, Show

from .models import Article


class ArticleSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Article.objects.published().order_by("pk")

    def lastmod(self, article):
        return article.approved_at


class EpisodeSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Episode.objects.with_show().order_by("pk")


class ShowSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Show.objects.order_by("pk")


SITEMAPS = {"articles": ArticleSitemap, "episodes": EpisodeSitemap, "shows": ShowSitemap}
