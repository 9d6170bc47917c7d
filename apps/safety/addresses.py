"""Client addresses and address ranges, as the blocks store and compare them.

Every address is kept as 32 hexadecimal digits of its IPv6 form (an IPv4 address as
``::ffff:a.b.c.d``), so that "this address is in that range" is two string
comparisons an index answers, for both families alike.
"""

import ipaddress
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# The request being served, for the checks services make without it (set by
# middleware.RequestMiddleware; None outside a request: a command, the worker).
current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)

MAX_IPV4_HOSTS_PREFIX = 16  # the widest IPv4 range a moderator may block at once (/16)
MAX_IPV6_PREFIX = 19  # and IPv6 (/19), as MediaWiki's defaults


def _as_v6(address: Address) -> ipaddress.IPv6Address:
    if isinstance(address, ipaddress.IPv4Address):
        return ipaddress.IPv6Address(f"::ffff:{address}")
    return address


def key(address: Address) -> str:
    return f"{int(_as_v6(address)):032x}"


def parse_address(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def parse_network(text: str) -> Network:
    """An address or a range (203.0.113.0/24, 2001:db8::/48); ValueError with a message."""
    try:
        network = ipaddress.ip_network(text.strip(), strict=False)
    except ValueError as error:
        raise ValueError(
            "Give an address or a range, such as 203.0.113.7, 203.0.113.0/24 or 2001:db8::/48."
        ) from error
    widest = MAX_IPV4_HOSTS_PREFIX if network.version == 4 else MAX_IPV6_PREFIX
    if network.prefixlen < widest:
        raise ValueError(
            f"That range is too wide: block at most a /{widest} of IPv{network.version} at once."
        )
    return network


def bounds(network: Network) -> tuple[str, str]:
    """The first and last address of the range, as :func:`key` writes them."""
    return key(network.network_address), key(network.broadcast_address)


def client_address() -> Address | None:
    """The address of the client of the request being served (behind TRUSTED_PROXIES, the
    one they name), or None outside a request."""
    request = current_request.get()
    if request is None:
        return None
    find: Callable[[HttpRequest], str] = import_string(settings.CLIENT_IP_CALLABLE)
    return parse_address(find(request))
