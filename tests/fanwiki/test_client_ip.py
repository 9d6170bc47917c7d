"""The client's address: X-Forwarded-For is believed from a trusted proxy only."""

import pytest
from django.test import RequestFactory

from fanwiki.client_ip import client_ip, client_network


def request(remote="203.0.113.7", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request(forwarded="198.51.100.1")) == "203.0.113.7"


def test_a_stranger_cannot_choose_their_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request(forwarded="198.51.100.1")) == "203.0.113.7"


def test_a_trusted_proxy_names_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request("10.1.2.3", forwarded="198.51.100.1")) == "198.51.100.1"


def test_what_the_client_wrote_left_of_the_proxies_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.1"]
    chain = "1.2.3.4, 198.51.100.1, 192.0.2.1"  # forged, client, inner proxy
    assert client_ip(request("10.1.2.3", forwarded=chain)) == "198.51.100.1"


@pytest.mark.parametrize("forwarded", ["", "not-an-address", "10.0.0.9"])
def test_nothing_usable_from_the_proxy_means_the_proxy(settings, forwarded):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request("10.1.2.3", forwarded=forwarded)) == "10.1.2.3"


def test_ipv6_and_a_missing_address(settings):
    settings.TRUSTED_PROXIES = ["::1"]
    assert client_ip(request("::1", forwarded="2001:db8::5")) == "2001:db8::5"
    assert client_ip(request("")) == "0.0.0.0"


def test_an_ipv4_peer_on_an_ipv6_socket_is_its_ipv4_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request("::ffff:10.0.0.5", forwarded="198.51.100.1")) == "198.51.100.1"


def test_limits_count_an_ipv6_network_as_one_client():
    first = client_network(request("2001:db8:1:2:aaaa::1"))
    assert first == client_network(request("2001:db8:1:2:bbbb::9")) == "2001:db8:1:2::"
    assert client_network(request("2001:db8:1:3::1")) != first
    assert client_network(request("203.0.113.7")) == "203.0.113.7"
