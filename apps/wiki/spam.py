"""Spam rules, checked when a fan submits a proposal, before any moderator sees it.

Two rules, both in settings: links to a banned domain (or any of its subdomains)
are refused for everyone but moderators, in the text and in the cited sources;
and an account with few approved proposals yet may put only a few links to
other sites in its text (the usual shape of link spam: a new account, a dozen
links). Citations' own addresses are not counted: every proposal must cite.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

from apps.accounts.models import User

from .citing import citation_field
from .models import Revision, RevisionStatus
from .permissions import can_moderate

# Links as the renderer writes them (sanitised HTML: double-quoted attributes).
_LINK = re.compile(r'<a\b[^>]*\bhref="(https?://[^"]+)"', re.IGNORECASE)


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""


def _banned(host: str) -> str | None:
    for domain in settings.SPAM_BANNED_DOMAINS:
        domain = domain.lower().lstrip(".")
        if host == domain or host.endswith("." + domain):
            return domain
    return None


def _own_hosts() -> set[str]:
    hosts = {_host(settings.SITE_URL)} | {h.lower().lstrip(".") for h in settings.ALLOWED_HOSTS}
    return hosts - {"", "*"}


def external_links(html: str) -> list[str]:
    """The addresses of links in rendered text that lead off this site."""
    own = _own_hosts()
    return [url for url in _LINK.findall(html) if _host(url) not in own]


def is_new_account(author: User) -> bool:
    """Fewer approved proposals than SPAM_NEW_ACCOUNT_PROPOSALS (one query)."""
    needed = settings.SPAM_NEW_ACCOUNT_PROPOSALS
    if needed <= 0:
        return False
    approved = Revision.objects.filter(author=author, status=RevisionStatus.APPROVED)
    return approved[:needed].count() < needed


def check_proposal(*, author: User, revision: Revision) -> None:
    """Refuse (ValidationError) a proposal that breaks a spam rule; moderators are exempt."""
    if can_moderate(author):
        return
    errors: dict[str, list[str]] = {}
    links = external_links(revision.rendered_html)
    for url in links:
        domain = _banned(_host(url))
        if domain:
            errors.setdefault("body", []).append(
                f"Links to {domain} are not allowed on this wiki; remove {url}."
            )
    for citation in revision.citations.select_related("source"):
        for url in (citation.source.url, citation.source.archive_url):
            domain = _banned(_host(url)) if url else None
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
