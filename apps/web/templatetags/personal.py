"""``{% personal "template" %}``: a part of the page made for the reader alone.

The part is ``template`` made from the page's ``personal`` values (a dict the view
gives, see ``pagecache.personal_parts``), the request and the context processors,
and nothing else of the page, so that a page kept for other readers can make it
again for each (apps.web.pagecache).
"""

from django import template
from django.utils.safestring import SafeString

from ..pagecache import personal_part

register = template.Library()


@register.simple_tag(takes_context=True)
def personal(context: template.Context, template_name: str) -> SafeString:
    return personal_part(context.get("request"), template_name, context.get("personal") or {})
