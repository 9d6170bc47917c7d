"""The address a request came from, as the lockout of failed log-ins counts it."""

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The connecting address (REMOTE_ADDR).

    No forwarded header is believed yet: any client can set one, and a lockout keyed on
    it would let an attacker pick a fresh address for every guess.
    """
    return request.META.get("REMOTE_ADDR", "")
