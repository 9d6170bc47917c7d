from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap

from apps.catalog.models import Episode, Show

from .models import Article


class SiteSitemap(Sitemap):
    """Links on SITE_URL, whatever host name the request came in by."""

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme


class ArticleSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return Article.objects.published().order_by("pk")

    def lastmod(self, article):
        return article.approved_at


class EpisodeSitemap(SiteSitemap):
    changefreq = "monthly"

    def items(self):
        return Episode.objects.with_show().order_by("pk")


class ShowSitemap(SiteSitemap):
    changefreq = "monthly"

    def items(self):
        return Show.objects.order_by("pk")


SITEMAPS = {"articles": ArticleSitemap, "episodes": EpisodeSitemap, "shows": ShowSitemap}
