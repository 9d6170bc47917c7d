"""What the API adds to other apps' pages and steps."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from apps.web import hooks
from apps.web.apps import ACCOUNT_SETTINGS


@hooks.register(ACCOUNT_SETTINGS, order=50)
def tokens_on_account_page(*, request: HttpRequest, user) -> str:
    from .views import tokens_section

    return render_to_string("api/account_tokens.html", tokens_section(request), request=request)
