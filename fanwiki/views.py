"""Small site-wide views that belong to no app."""

from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe


@require_safe
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """/favicon.ico, which browsers ask for on their own, points at the hashed icon.

    Looked up per request, not when the URLs load: the static manifest may not exist yet
    when a management command imports the URLs before collectstatic has run.
    """
    return HttpResponseRedirect(static("images/favicon.svg"))
