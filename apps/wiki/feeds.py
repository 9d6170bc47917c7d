"""The Atom feed of recent changes: the same list and filters as /recent/."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .views.recent import RecentFilters, recent_changes

FEED_SIZE = 50


class RecentChangesFeed(Feed):
    feed_type = Atom1Feed
    title = "Fan wiki: recent changes"
    subtitle = "Approved changes to the wiki's articles, newest first."

    def get_object(self, request):
        return RecentFilters.from_query(request.GET)

    # Links start with SITE_URL, not with whatever host name the request came in by.
    def link(self, filters):
        query = filters.as_query()
        return settings.SITE_URL + reverse("wiki:recent") + (f"?{query}" if query else "")

    def feed_url(self, filters):
        query = filters.as_query()
        return settings.SITE_URL + reverse("wiki:recent-feed") + (f"?{query}" if query else "")

    def items(self, filters):
        return recent_changes(filters)[:FEED_SIZE]

    def item_title(self, revision):
        article = revision.article
        if article.folded:  # after the reader's spoiler point: no title, no summary
            return article.display_title
        return f"{article.title}: {revision.summary}"

    def item_description(self, revision):
        kind = "New article" if revision.base_id is None else "Edit"
        reviewed = (
            "approved automatically" if revision.automatic else f"reviewed by {revision.decided_by}"
        )
        return f"{kind} by {revision.author}, {reviewed}."

    def item_link(self, revision):
        return settings.SITE_URL + revision.get_absolute_url()

    def item_author_name(self, revision):
        return revision.author.username

    def item_updateddate(self, revision):
        return revision.decided_at

    def item_pubdate(self, revision):
        return revision.decided_at
