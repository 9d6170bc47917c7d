"""Spam rules, checked when a fan submits a proposal, a discussion post or a review comment,
before anyone sees it.

Two rules, both in settings: links to a banned domain (or any of its subdomains)
are refused for everyone but moderators, in the text and in the cited sources;
and an account with few approved proposals yet may put only a few links to
other sites in its text (the usual shape of link spam: a new account, a dozen
links). Citations' own addresses are not counted: every proposal must cite.
"""

import re
from html import unescape
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

from apps.accounts.models import User

from .citing import citation_field
from .models import Revision, RevisionStatus
from .permissions import can_moderate

# Links as the renderer writes them (sanitised HTML: double-quoted attributes).
_HREF = re.compile(r'<a\b[^>]*\bhref="([^"]*)"', re.IGNORECASE)
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):(.*)", re.DOTALL)
_IGNORED = re.compile(r"[\t\n\r]")  # browsers drop these anywhere in an address
_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})


def normalise_host(host: str) -> str:
    """A host name as a browser resolves it: decoded, lower-case, IDNA (xn--) form."""
    host = unquote(host).strip().translate(_DOTS).rstrip(".").lower()
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return host


def _authority_host(rest: str) -> str:
    authority = re.split(r"[/?#]", rest.lstrip("/"), maxsplit=1)[0]
    host = authority.rpartition("@")[2]
    if not host.startswith("["):
        host = host.split(":", 1)[0]
    return normalise_host(host)


def link_host(href: str) -> str | None:
    """The host a reader's browser goes to for this link on our pages, None for no host.

    Read the way browsers read it (the WHATWG URL rules for http and https), not
    the way urllib does: "//evil.example", "http:evil.example" on an https page and
    "https:/\\evil.example" all lead to evil.example.
    """
    url = _IGNORED.sub("", unescape(href)).strip().replace("\\", "/")
    own_scheme = urlsplit(settings.SITE_URL).scheme or "https"
    scheme = _SCHEME.fullmatch(url)
    if scheme is None:
        return _authority_host(url) if url.startswith("//") else _own_host()
    name, rest = scheme[1].lower(), scheme[2]
    if name not in ("http", "https"):
        return None  # mailto: and the like lead to no web page
    if rest.startswith("/") or name != own_scheme:
        return _authority_host(rest)
    return _own_host()  # "https:page" on an https page is a relative address


def _own_host() -> str:
    return normalise_host(urlsplit(settings.SITE_URL).hostname or "")


def _banned(host: str) -> str | None:
    for domain in settings.SPAM_BANNED_DOMAINS:
        domain = normalise_host(domain.lstrip("."))
        if host == domain or host.endswith("." + domain):
            return domain
    return None


def _own_hosts() -> set[str]:
    hosts = {_own_host()} | {normalise_host(h.lstrip(".")) for h in settings.ALLOWED_HOSTS}
    return hosts - {"", "*"}


def external_links(html: str) -> list[tuple[str, str]]:
    """The links of rendered text that lead off this site, as (address, host)."""
    own = _own_hosts()
    found = []
    for href in _HREF.findall(html):
        host = link_host(href)
        if host and host not in own:
            found.append((unescape(href), host))
    return found


def is_new_account(author: User) -> bool:
    """Fewer approved proposals than SPAM_NEW_ACCOUNT_PROPOSALS (one query)."""
    needed = settings.SPAM_NEW_ACCOUNT_PROPOSALS
    if needed <= 0:
        return False
    approved = Revision.objects.filter(author=author, status=RevisionStatus.APPROVED)
    return approved[:needed].count() < needed


def _banned_links(links: list[tuple[str, str]]) -> list[str]:
    return [
        f"Links to {domain} are not allowed on this wiki; remove {url}."
        for url, host in links
        if (domain := _banned(host))
    ]


def check_text(*, author: User, html: str, field: str = "body") -> None:
    """Refuse (ValidationError on ``field``) text written outside the editor (a discussion post,
    a review comment) that breaks a spam rule: the same two rules as for proposals."""
    if can_moderate(author):
        return
    links = external_links(html)
    problems = _banned_links(links)
    limit = settings.SPAM_NEW_ACCOUNT_LINKS
    if not problems and len(links) > limit and is_new_account(author):
        problems = [
            f"Until {settings.SPAM_NEW_ACCOUNT_PROPOSALS} of your proposals have been approved, "
            f"a message may link to at most {limit} other site{'s' if limit != 1 else ''}; "
            f"this one has {len(links)} links."
        ]
    if problems:
        raise ValidationError({field: problems})


def check_proposal(*, author: User, revision: Revision) -> None:
    """Refuse (ValidationError) a proposal that breaks a spam rule; moderators are exempt."""
    if can_moderate(author):
        return
    errors: dict[str, list[str]] = {}
    links = external_links(revision.rendered_html)
    if banned := _banned_links(links):
        errors["body"] = banned
    for citation in revision.citations.select_related("source"):
        for url in (citation.source.url, citation.source.archive_url):
            domain = _banned(link_host(url) or "") if url else None
            if domain:
                errors.setdefault(citation_field(citation.key), []).append(
                    f"Sources on {domain} are not accepted on this wiki."
                )
    limit = settings.SPAM_NEW_ACCOUNT_LINKS
    if not errors and len(links) > limit and is_new_account(author):
        errors["body"] = [
            f"Until {settings.SPAM_NEW_ACCOUNT_PROPOSALS} of your proposals have been approved, "
            f"the text may link to at most {limit} other site{'s' if limit != 1 else ''}; "
            f"this one has {len(links)} links. Cite sources below instead of linking to them."
        ]
    if errors:
        raise ValidationError(errors)
