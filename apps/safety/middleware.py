from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .addresses import current_request


class RequestMiddleware:
    """Makes the request known to the block checks the services run (its client's address)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
