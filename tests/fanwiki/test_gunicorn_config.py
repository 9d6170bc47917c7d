"""fanwiki/gunicorn.py (`make serve`): gunicorn believes X-Forwarded-Proto from TRUSTED_PROXIES.

gunicorn's own default believes 127.0.0.1 and ::1, so without this any local process
could make a plain-HTTP request count as HTTPS (wsgi.url_scheme, then request.is_secure()).
The configuration is loaded the way `gunicorn --config python:fanwiki.gunicorn` loads it,
and requests are read by gunicorn's own parser.
"""

import sys

import pytest
from gunicorn.app.wsgiapp import WSGIApplication
from gunicorn.config import Config
from gunicorn.http.parser import RequestParser

REQUEST = b"GET / HTTP/1.1\r\nHost: wiki.example\r\nX-Forwarded-Proto: https\r\n\r\n"


def load_config(monkeypatch, trusted_proxies=None):
    """A gunicorn Config with fanwiki/gunicorn.py read afresh under TRUSTED_PROXIES."""
    if trusted_proxies is None:
        monkeypatch.delenv("TRUSTED_PROXIES", raising=False)
    else:
        monkeypatch.setenv("TRUSTED_PROXIES", trusted_proxies)
    monkeypatch.delitem(sys.modules, "fanwiki.gunicorn", raising=False)
    application = WSGIApplication.__new__(WSGIApplication)  # without reading sys.argv
    application.cfg = Config()
    application.load_config_from_module_name_or_filename("python:fanwiki.gunicorn")
    return application.cfg


def scheme(cfg, peer):
    """The scheme gunicorn gives a request claiming HTTPS that comes from ``peer``."""
    request = next(RequestParser(cfg, iter([REQUEST]), (peer, 40000)))
    return request.scheme


def test_without_trusted_proxies_nobody_is_believed(monkeypatch):
    cfg = load_config(monkeypatch)
    assert cfg.forwarded_allow_ips == []
    assert cfg.proxy_allow_ips == []
    for peer in ["127.0.0.1", "::1", "10.0.0.1", "192.0.2.7"]:
        assert scheme(cfg, peer) == "http", peer


def test_an_empty_trusted_proxies_is_nobody_too(monkeypatch):
    cfg = load_config(monkeypatch, " , ")
    assert cfg.forwarded_allow_ips == []
    assert scheme(cfg, "127.0.0.1") == "http"


def test_the_trusted_proxies_and_only_they_are_believed(monkeypatch):
    cfg = load_config(monkeypatch, "10.0.0.1, 192.168.0.0/24,2001:db8::/64")
    assert cfg.forwarded_allow_ips == ["10.0.0.1", "192.168.0.0/24", "2001:db8::/64"]
    assert cfg.proxy_allow_ips == cfg.forwarded_allow_ips
    for peer in ["10.0.0.1", "192.168.0.1", "192.168.0.254", "2001:db8::5"]:
        assert scheme(cfg, peer) == "https", peer
    for peer in ["10.0.0.2", "192.168.1.1", "127.0.0.1", "::1", "2001:db8:0:1::5"]:
        assert scheme(cfg, peer) == "http", peer


def test_a_network_written_with_host_bits_is_taken_as_the_settings_take_it(monkeypatch):
    # fanwiki.settings accepts "192.168.0.1/24"; gunicorn alone would refuse it.
    cfg = load_config(monkeypatch, "192.168.0.1/24")
    assert cfg.forwarded_allow_ips == ["192.168.0.0/24"]
    assert scheme(cfg, "192.168.0.200") == "https"


def test_an_entry_that_is_not_an_address_stops_the_server(monkeypatch):
    with pytest.raises(ValueError, match="TRUSTED_PROXIES: 'proxy.example' is not an address"):
        load_config(monkeypatch, "10.0.0.1,proxy.example")


def test_a_network_on_a_gunicorn_that_only_compares_addresses_stops_the_server(monkeypatch):
    # Before 24.1, gunicorn compared the peer's address with each entry as text, so a
    # network would never match: refused rather than silently trusting nobody.
    monkeypatch.setattr("gunicorn.version_info", (23, 0, 0))
    with pytest.raises(ValueError, match="'192.168.0.0/24' is a network: it needs gunicorn 24.1"):
        load_config(monkeypatch, "10.0.0.1,192.168.0.0/24")
    assert load_config(monkeypatch, "10.0.0.1,::1").forwarded_allow_ips == ["10.0.0.1", "::1"]
