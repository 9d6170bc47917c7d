from apps.wiki.sitemaps import SiteSitemap

from .models import Category


class CategorySitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return Category.objects.filter(merged_into__isnull=True).order_by("pk")


SITEMAPS = {"categories": CategorySitemap}
