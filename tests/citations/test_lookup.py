"""A new source from its address: the page's metadata, and the places the server won't go.

Pages come from a real HTTP server on 127.0.0.1 (allowed in tests by
SOURCE_LOOKUP_ALLOWED_ADDRESSES, and only there); the refusals are checked with that
allowance removed, as in production.
"""

import contextlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings
from django.urls import reverse

from apps.citations import lookup as lookup_module
from apps.citations.lookup import MAX_BYTES, LookupRefused, lookup, read_metadata
from tests import factories

OPEN_GRAPH = """<!doctype html><html><head><meta charset="utf-8">
<title>Ignored when better is given | Site</title>
<meta property="og:title" content="The Story Behind Jim &amp; Pam&#39;s First Kiss">
<meta property="og:site_name" content="BuzzFeed">
<meta property="article:published_time" content="2016-05-03T10:00:00Z">
<meta name="author" content="Jane Writer">
</head><body>text</body></html>"""

CITATION_TAGS = """<html><head><title>x</title>
<meta name="citation_title" content="Kissing on Camera: A Study">
<meta name="citation_author" content="Fischer, Jenna">
<meta name="citation_author" content="Krasinski, John">
<meta name="citation_journal_title" content="Journal of Sitcoms">
<meta name="citation_publication_date" content="2019/11/02">
<meta property="og:title" content="Not this one">
</head></html>"""

JSON_LD = """<html><head><title>Plain title</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
 {"@type": "WebSite", "name": "Site"},
 {"@type": "NewsArticle", "headline": "The Interesting Directing Choice",
  "author": [{"@type": "Person", "name": "Dana Critic"}],
  "publisher": {"@type": "Organization", "name": "Screen Rant"},
  "datePublished": "2021-03-14"}]}</script></head></html>"""


class Pages(BaseHTTPRequestHandler):
    routes: dict = {}

    def do_GET(self):  # noqa: N802 - http.server's name
        route = self.routes.get(self.path)
        if route is None:
            self.send_response(404)
            self.end_headers()
            return
        status, headers, body = route() if callable(route) else route
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if body == "drip":  # a byte at a time, never long enough apart to time a read out
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                for _ in range(60):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.05)
        if isinstance(body, bytes):
            # The lookup stops reading at its cap: the rest of a huge page goes nowhere.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    def log_message(self, *args):
        pass


HTML = {"Content-Type": "text/html; charset=utf-8"}


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    Pages.routes = {
        "/og": (200, HTML, OPEN_GRAPH.encode()),
        "/citation": (200, HTML, CITATION_TAGS.encode()),
        "/ld": (200, HTML, JSON_LD.encode()),
        "/moved": (301, {"Location": "/og"}, b""),
        "/loop": (302, {"Location": "/loop"}, b""),
        "/to-metadata-service": (
            302,
            {"Location": "http://169.254.169.254/latest/meta-data/"},
            b"",
        ),
        "/pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4"),
        "/gone": (404, HTML, b"no"),
        "/huge": (200, HTML, OPEN_GRAPH.encode() + b"x" * (5 * MAX_BYTES)),
        "/slow": lambda: (time.sleep(1.5), (200, HTML, OPEN_GRAPH.encode()))[1],
        "/drip": (200, HTML, "drip"),
    }
    yield base
    httpd.shutdown()


def test_open_graph_fills_title_publisher_author_and_date(server):
    found = lookup(f"{server}/og")
    assert found.title == "The Story Behind Jim & Pam's First Kiss"
    assert (found.publisher, found.author, found.published_date) == (
        "BuzzFeed",
        "Jane Writer",
        "2016-05-03",
    )


def test_citation_tags_come_first(server):
    found = lookup(f"{server}/citation")
    assert found.title == "Kissing on Camera: A Study"
    assert found.author == "Fischer, Jenna, Krasinski, John"
    assert (found.publisher, found.published_date) == ("Journal of Sitcoms", "2019-11-02")


def test_json_ld_is_read(server):
    found = lookup(f"{server}/ld")
    assert (found.title, found.author, found.publisher, found.published_date) == (
        "The Interesting Directing Choice",
        "Dana Critic",
        "Screen Rant",
        "2021-03-14",
    )


def test_a_bare_page_gives_its_title():
    found = read_metadata("<html><head><title> Just a\n title </title></head></html>", url="u")
    assert (found.title, found.author, found.publisher) == ("Just a title", "", "")


def test_a_redirect_is_followed_to_the_page(server):
    assert lookup(f"{server}/moved").title.startswith("The Story Behind")


def test_a_big_page_is_read_only_up_to_the_cap(server, monkeypatch):
    read = []
    real = lookup_module._fetch

    def counting(url, *, deadline):
        status, headers, body = real(url, deadline=deadline)
        read.append(len(body))
        return status, headers, body

    monkeypatch.setattr(lookup_module, "_fetch", counting)
    assert lookup(f"{server}/huge").title.startswith("The Story Behind")
    assert read == [MAX_BYTES]


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/loop", "redirects too many times"),
        ("/pdf", "not a web page"),
        ("/gone", "answered 404"),
    ],
)
def test_what_cannot_be_read_is_said(server, path, words):
    with pytest.raises(LookupRefused, match=words):
        lookup(f"{server}{path}")


def test_a_page_sent_a_byte_at_a_time_stops_at_the_deadline(server, monkeypatch):
    """Each read brings a byte well within the read timeout; the deadline still ends it."""
    monkeypatch.setattr(lookup_module, "DEADLINE_SECONDS", 0.5)
    read = []
    real = lookup_module._fetch

    def counting(url, *, deadline):
        status, headers, body = real(url, deadline=deadline)
        read.append(len(body))
        return status, headers, body

    monkeypatch.setattr(lookup_module, "_fetch", counting)
    lookup(f"{server}/drip")
    assert 0 < read[0] < 60  # stopped before the page ended


def test_a_slow_page_is_given_up_on(server, monkeypatch):
    monkeypatch.setattr(lookup_module, "READ_SECONDS", 0.3)
    with pytest.raises(LookupRefused, match="could not be reached in time"):
        lookup(f"{server}/slow")


@override_settings(SOURCE_LOOKUP_ALLOWED_ADDRESSES=[])
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/",
        "http://localhost/",
        "http://[::1]/",
        "http://10.1.2.3/",
        "http://192.168.0.1/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "ftp://example.com/file",
        "file:///etc/passwd",
        "javascript:alert(1)",
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused(url, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("no connection may be made")

    monkeypatch.setattr(lookup_module.urllib3.HTTPConnectionPool, "urlopen", never)
    with pytest.raises(LookupRefused):
        lookup(url)


def test_a_redirect_to_the_metadata_service_is_refused(server):
    with pytest.raises(LookupRefused, match="not on the public internet"):
        lookup(f"{server}/to-metadata-service")


@override_settings(SOURCE_LOOKUP_ALLOWED_ADDRESSES=[])
def test_a_name_that_resolves_to_a_private_address_is_refused(monkeypatch):
    monkeypatch.setattr(
        lookup_module.socket,
        "getaddrinfo",
        lambda *a, **k: [(2, 1, 6, "", ("93.184.216.34", 80)), (2, 1, 6, "", ("10.0.0.5", 80))],
    )
    with pytest.raises(LookupRefused, match="not on the public internet"):
        lookup("http://rebinding.example/")


@pytest.mark.django_db
def test_the_editor_endpoint(client, server):
    url = reverse("wiki:source-lookup")
    assert client.post(url, {"url": f"{server}/og"}).status_code == 403  # anonymous
    factories.make_user("writer")
    assert factories.log_in(client, "writer")
    assert client.get(url).status_code == 405
    answer = client.post(url, {"url": f"{server}/og"})
    assert answer.status_code == 200
    assert answer.json()["title"] == "The Story Behind Jim & Pam's First Kiss"
    refused = client.post(url, {"url": "http://10.0.0.1/"})
    assert refused.status_code == 400 and "public internet" in refused.json()["error"]
    assert client.post(url, {"url": ""}).status_code == 400
