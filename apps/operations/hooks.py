from django.http import HttpRequest
from django.template.loader import render_to_string

from apps.web import hooks
from apps.web.apps import ACCOUNT_SETTINGS


@hooks.register(ACCOUNT_SETTINGS, order=90)
def leaving_section(*, request: HttpRequest, user) -> str:
    return render_to_string("operations/account_leaving.html", {"user": user}, request=request)
