"""``{% slot "name" key=value %}``: what other apps add to a page at that place."""

from typing import Any

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from .. import hooks

register = template.Library()


@register.simple_tag(takes_context=True)
def slot(context: template.Context, slot_name: str, /, **kwargs: Any) -> SafeString:
    """Each registered function's HTML, in order; plain text answers are escaped."""
    request = context.get("request")
    pieces = [piece for piece in hooks.run(slot_name, request=request, **kwargs) if piece]
    return format_html_join("", "{}", ((piece,) for piece in pieces))
