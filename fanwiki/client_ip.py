"""The client's address: the connection's, unless it comes from a proxy we trust.

Rate limits, the login lockout and the request log key on this address. Behind a
reverse proxy every connection comes from the proxy, so its ``X-Forwarded-For``
names the client, but only a proxy listed in ``TRUSTED_PROXIES`` is believed:
from anyone else the header is a value the client chose, and is ignored.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
UNKNOWN = "0.0.0.0"  # noqa: S104 - a placeholder address, never bound


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # An IPv4 peer seen through an IPv6 socket (::ffff:10.0.0.5) is that IPv4 address.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, networks) -> bool:
    return any(address in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The address of the client, as a string (``0.0.0.0`` when there is none)."""
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return UNKNOWN
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not _trusted(remote, networks):
        return str(remote)
    # Each proxy appends the address it received the request from: walking back from
    # the right, the first address that is not one of ours is the client. Anything
    # left of it was written by the client itself.
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # garbage where an address should be: trust nothing further left
        if not _trusted(address, networks):
            return str(address)
    return str(remote)


IPV6_PREFIX = 64  # what one customer of an ISP is usually given
IPV6_WIDE_PREFIX = 48  # what a site or a small hosting customer is often given: 65,536 /64s


def client_network(request: HttpRequest, *, prefix: int = IPV6_PREFIX) -> str:
    """What counts as one client for limits and lockouts: its IPv4 address, or its IPv6 /64.

    Anyone with an IPv6 network has 2**64 addresses to rotate through: counted one
    address at a time, no limit would ever hold.
    """
    address = ipaddress.ip_address(client_ip(request))
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)
    return str(address)


def client_wide_network(request: HttpRequest) -> str | None:
    """The IPv6 client's /48, counted as well (at a wider rate): a /48 holds 65,536 /64s,
    each of which would otherwise have a limit of its own. None for an IPv4 client."""
    if ":" not in client_ip(request):
        return None
    return client_network(request, prefix=IPV6_WIDE_PREFIX)
