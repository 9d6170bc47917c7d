"""A new web source from its address: the page's own metadata, fetched with care.

Pasting a URL into the editor fills the source's title, publisher, author and date
from what the page says about itself: ``citation_*`` meta tags (the scholarly
convention), Open Graph and ``article:*`` tags, JSON-LD (schema.org), and at
last its ``<title>``.

The server fetches a stranger's address, so it is careful about where it goes:
only http and https; every address the host name resolves to must be a public one
(no loopback, private, link-local, multicast or reserved address, so no cloud
metadata service and no admin page on the internal network), and the connection
goes to the address that was checked (the name is not resolved twice, so DNS
cannot point it elsewhere in between); redirects are followed by hand, a few at
most, each checked the same way; a short timeout for connecting and for each
read, an overall deadline, and a cap on the bytes read. Tests allow 127.0.0.1
through ``SOURCE_LOOKUP_ALLOWED_ADDRESSES``; nothing else does.
"""

import contextlib
import ipaddress
import json
import re
import socket
import time
from dataclasses import asdict, dataclass
from datetime import date
from html import unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings

from .normalise import normalise_url

MAX_REDIRECTS = 3
MAX_BYTES = 1_000_000
# A lookup holds a web worker: a few seconds at most, whatever the other site does.
CONNECT_SECONDS = 2.0
READ_SECONDS = 2.5
DEADLINE_SECONDS = 5.0
USER_AGENT = "FanWikiSourceLookup/1.0 (+the title, author and date of a page cited on a wiki)"
FIELD_LENGTH = {"title": 300, "publisher": 200, "author": 200}


class LookupRefused(Exception):
    """Why the address could not be looked up, in words for the person who pasted it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Found:
    """What a page says about itself, as a source's fields ("" where it says nothing)."""

    url: str
    title: str = ""
    publisher: str = ""
    author: str = ""
    published_date: str = ""  # YYYY-MM-DD

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def lookup(url: str) -> Found:
    """Fetch ``url`` (following at most MAX_REDIRECTS redirects) and read its metadata."""
    address = normalise_url((url or "").strip())
    deadline = time.monotonic() + DEADLINE_SECONDS
    for _ in range(MAX_REDIRECTS + 1):
        if time.monotonic() > deadline:
            break
        status, headers, body = _fetch(address, deadline=deadline)
        if status in (301, 302, 303, 307, 308) and headers.get("location"):
            address = normalise_url(urljoin(address, headers["location"]))
            continue
        if status != 200:
            raise LookupRefused(f"The page answered {status}: fill in the source yourself.")
        kind = headers.get("content-type", "").split(";")[0].strip().lower()
        if kind not in ("text/html", "application/xhtml+xml"):
            raise LookupRefused("That address is not a web page: fill in the source yourself.")
        return read_metadata(_decode(body, headers.get("content-type", "")), url=address)
    raise LookupRefused("That address redirects too many times, or too slowly.")


def _fetch(url: str, *, deadline: float) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LookupRefused("Give an address starting with http:// or https://.")
    host = parts.hostname
    port = parts.port or (443 if parts.scheme == "https" else 80)
    ip = checked_address(host, port, allowed=settings.SOURCE_LOOKUP_ALLOWED_ADDRESSES)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    pool = pinned_pool(
        parts.scheme, host, ip, port,
        urllib3.Timeout(connect=CONNECT_SECONDS, read=READ_SECONDS),
    )  # fmt: skip
    headers = {
        "Host": parts.netloc.rpartition("@")[2],
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml;q=0.9",
        "Accept-Encoding": "identity",
    }
    try:
        response = pool.urlopen(
            "GET", path, headers=headers, redirect=False, preload_content=False, retries=False
        )
        try:
            chunks, size = [], 0
            # read1: whatever one read brings (each bounded by READ_SECONDS), so a site that
            # drips a byte at a time still meets the deadline between two reads.
            while size < MAX_BYTES and time.monotonic() < deadline:
                chunk = response.read1(64 * 1024)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            return (
                response.status,
                {name.lower(): value for name, value in response.headers.items()},
                b"".join(chunks)[:MAX_BYTES],
            )
        finally:
            response.release_conn()
    except urllib3.exceptions.SSLError as error:
        raise LookupRefused("The site's certificate could not be checked.") from error
    except (urllib3.exceptions.HTTPError, OSError) as error:
        raise LookupRefused(
            "The page could not be reached in time: fill in the source yourself."
        ) from error
    finally:
        pool.close()


def pinned_pool(
    scheme: str, host: str, ip: str, port: int, timeout: urllib3.Timeout
) -> urllib3.HTTPConnectionPool:
    """A connection pool to the address that was checked: the host name goes in the Host
    header and, for https, in the TLS handshake, where the certificate is checked
    against it (the name is not resolved again, so DNS cannot point it elsewhere)."""
    if scheme == "https":
        return urllib3.HTTPSConnectionPool(
            ip,
            port,
            timeout=timeout,
            retries=False,
            server_hostname=host,
            assert_hostname=host,
            cert_reqs="CERT_REQUIRED",
        )
    return urllib3.HTTPConnectionPool(ip, port, timeout=timeout, retries=False)


def checked_address(host: str, port: int, *, allowed: list[str] | tuple[str, ...] = ()) -> str:
    """The address to connect to, once every address ``host`` names is found public (or
    is one of ``allowed``, which only the tests set); LookupRefused if not."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise LookupRefused("No site answers to that address.") from error
    addresses = [str(info[4][0]).split("%")[0] for info in found]
    if not addresses:
        raise LookupRefused("No site answers to that address.")
    for address in addresses:
        if not (address in allowed or _public(address)):
            raise LookupRefused("That address is not on the public internet.")
    return addresses[0]


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _decode(body: bytes, content_type: str) -> str:
    charset = re.search(r"charset=([\w-]+)", content_type, re.I)
    if charset is None:
        declared = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", body[:4096], re.I)
        charset_name = declared.group(1).decode("ascii") if declared else "utf-8"
    else:
        charset_name = charset.group(1)
    try:
        return body.decode(charset_name, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


class _Head(HTMLParser):
    """Meta tags, JSON-LD blocks and the <title> of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.json_ld: list[str] = []
        self.title = ""
        self._in: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        if tag == "meta":
            name = (values.get("property") or values.get("name") or "").strip().lower()
            if name and values.get("content"):
                self.meta.setdefault(name, []).append(values["content"].strip())
        elif tag == "title" and not self.title:
            self._in, self._text = "title", []
        elif tag == "script" and values.get("type", "").lower() == "application/ld+json":
            self._in, self._text = "ld", []

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._in == "title" and tag == "title":
            self.title = " ".join("".join(self._text).split())
            self._in = None
        elif self._in == "ld" and tag == "script":
            self.json_ld.append("".join(self._text))
            self._in = None


def read_metadata(html: str, *, url: str) -> Found:
    """What a page's head says about it, in the order of trust: citation_*, JSON-LD,
    Open Graph and article:*, then <title>."""
    head = _Head()
    # A page broken enough to stop the parser still gives what was read of it.
    with contextlib.suppress(AssertionError, ValueError):
        head.feed(html)
        head.close()
    meta = head.meta
    ld = _json_ld(head.json_ld)

    def first(*names: str) -> str:
        for name in names:
            for value in meta.get(name, []):
                if value.strip():
                    return value
        return ""

    title = (
        first("citation_title", "dc.title")
        or _text(ld.get("headline") or ld.get("name"))
        or first("og:title", "twitter:title")
        or head.title
    )
    authors = meta.get("citation_author") or _people(ld.get("author")) or meta.get("author", [])
    if not authors and first("article:author") and not first("article:author").startswith("http"):
        authors = [first("article:author")]
    publisher = (
        first("citation_journal_title", "citation_publisher", "citation_conference_title")
        or _text(_name(ld.get("publisher")))
        or first("og:site_name", "application-name")
    )
    published = _date(
        first("citation_publication_date", "citation_date", "citation_online_date")
        or _text(ld.get("datePublished"))
        or first("article:published_time", "og:published_time", "date", "dc.date")
    )
    canonical = first("og:url")
    return Found(
        url=normalise_url(canonical) if canonical.startswith(("http://", "https://")) else url,
        title=_clip(title, "title"),
        publisher=_clip(publisher, "publisher"),
        author=_clip(", ".join(dict.fromkeys(a.strip() for a in authors if a.strip())), "author"),
        published_date=published,
    )


def _json_ld(blocks: list[str]) -> dict[str, Any]:
    """The first schema.org thing in the page's JSON-LD that reads as an article or page."""
    for block in blocks:
        try:
            data = json.loads(block)
        except ValueError:
            continue
        for item in _things(data):
            if isinstance(item, dict) and (item.get("headline") or item.get("datePublished")):
                return item
    return {}


def _things(data: Any) -> list[Any]:
    if isinstance(data, list):
        return [thing for item in data for thing in _things(item)]
    if isinstance(data, dict) and "@graph" in data:
        return _things(data["@graph"])
    return [data]


def _name(value: Any) -> Any:
    if isinstance(value, list):
        value = value[0] if value else ""
    return value.get("name", "") if isinstance(value, dict) else value


def _people(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value] if value else []
    return [_text(_name(item)) for item in items if _text(_name(item))]


def _text(value: Any) -> str:
    return " ".join(unescape(value).split()) if isinstance(value, str) else ""


def _clip(value: str, field: str) -> str:
    text = " ".join(unescape(value or "").split())
    limit = FIELD_LENGTH[field]
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _date(value: str) -> str:
    """YYYY-MM-DD from the usual spellings (2016-05-03T10:00:00Z, 2016/05/03, 2016-05)."""
    match = re.match(r"\s*(\d{4})[-/](\d{1,2})(?:[-/](\d{1,2}))?", value or "")
    if not match:
        return ""
    try:
        found = date(int(match[1]), int(match[2]), int(match[3] or 1))
    except ValueError:
        return ""
    return found.isoformat() if match[3] else ""
