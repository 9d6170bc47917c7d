"""What a page needs to show articles as its reader may see them (apps.web.spoilers).

``{% spoilerfold article "the history" %}…{% endspoilerfold %}`` folds what it wraps
behind one warning when the article is about an episode after the reader's point,
and shows it as is otherwise. ``{{ html|for_reader:show }}`` serves the renderer's
stored HTML of a discussion post or comment as the reader may see it: spoiler sections beyond
their point closed, links to later articles folded, links to missing ones marked.
"""

from typing import Any

from django import template
from django.template.base import Parser, Token
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..presenting import prefetch_links, reader_html

register = template.Library()


class SpoilerFoldNode(template.Node):
    def __init__(self, article: template.Variable, what: str, nodelist: template.NodeList):
        self.article, self.what, self.nodelist = article, what, nodelist

    def render(self, context: template.Context) -> str:
        article = self.article.resolve(context)
        inner = self.nodelist.render(context)
        if not getattr(article, "folded", False):
            return inner
        fold = render_to_string(
            "includes/spoiler_fold.html", {"article": article, "what": self.what}
        )
        opening, _, closing = fold.partition("<!--content-->")
        return opening + inner + closing


@register.tag
def spoilerfold(parser: Parser, token: Token) -> SpoilerFoldNode:
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError('Use {% spoilerfold article "what it hides" %}.')
    nodelist = parser.parse(("endspoilerfold",))
    parser.delete_first_token()
    return SpoilerFoldNode(template.Variable(bits[1]), bits[2].strip("\"'"), nodelist)


@register.simple_tag
def prefetch_wikilinks(items: Any) -> str:
    """``{% prefetch_wikilinks posts %}`` before a loop of ``|for_reader``: the articles
    every item's wiki links name are looked up in one query, not one an item."""
    # Items are posts or comments, or entries holding one as ``post``.
    prefetch_links(
        [getattr(getattr(item, "post", item), "rendered_html", "") for item in items or []]
    )
    return ""


@register.filter
def for_reader(html: str, show: Any) -> SafeString:
    """Stored renderer output (a post, a review comment) as this reader may see it."""
    return mark_safe(reader_html(html or "", show=show))  # noqa: S308 - the renderer's HTML


@register.filter
def marked(segments: list[tuple[str, bool]]) -> SafeString:
    """Search's ``(text, is_match)`` segments as HTML: every text escaped, each match in
    ``<mark>``. One call for a title or a snippet instead of a template loop over its
    segments (a search page lists 50 of each)."""
    return mark_safe(  # noqa: S308 - every text is escaped here
        "".join(
            f"<mark>{escape(text)}</mark>" if is_match else escape(text)
            for text, is_match in segments
        )
    )
